"""Push notifications (flipkart-api.md §5): the event envelope and its delivery.

Every event is kept in :attr:`Notifier.events`. Once a receiver is set, a
daemon thread POSTs each later event to it as JSON, signed the way Flipkart
signs notifications; it can send some events twice (Flipkart delivers at
least once) and reorder them, to test a receiver's deduplication and its
tolerance of out-of-order events.
"""

import http.client
import json
import logging
import random
import threading
import time
import urllib.request
from copy import deepcopy
from dataclasses import dataclass

from .constants import (
    EVENTS_WITH_LOCATION,
    NOTIFICATION_SOURCE,
    NOTIFICATION_VERSION,
    NOTIFY_ATTEMPTS,
    NOTIFY_RETRY_PAUSE,
    NOTIFY_TIMEOUT,
    RETURN_EVENTS,
    SHUFFLE_GATHER,
)
from .signing import sign
from .times import iso

_logger = logging.getLogger(__name__)


def subject_key(event_type):
    """``returnId`` for return events, ``shipmentId`` for the others."""
    return "returnId" if event_type in RETURN_EVENTS else "shipmentId"


def build_event(event_type, subject, attributes, when):
    """The one place an event is made: Flipkart's envelope around ``attributes``.

    ``subject`` is the shipment, or the return for ``return_*`` events (their
    envelope names the ``returnId`` and always the ``locationId``).
    """
    key = subject_key(event_type)
    event = {
        "eventType": event_type,
        "source": NOTIFICATION_SOURCE,
        "version": NOTIFICATION_VERSION,
        "timestamp": iso(when, timespec="seconds"),
        key: subject[key],
    }
    if event_type in EVENTS_WITH_LOCATION:
        event["locationId"] = subject.get("locationId")
    event["attributes"] = deepcopy(attributes)
    return event


@dataclass(frozen=True)
class Receiver:
    """Where and how events are delivered."""

    url: str
    app_id: str
    app_secret: str
    duplicate_rate: float = 0.0
    shuffle: bool = False
    attempts: int = NOTIFY_ATTEMPTS
    retry_pause: float = NOTIFY_RETRY_PAUSE

    def __post_init__(self):
        if not self.url.startswith(("http://", "https://")):
            raise ValueError(f"notification URL must be http(s): {self.url!r}")
        if not 0.0 <= self.duplicate_rate <= 1.0:
            raise ValueError("duplicate_rate must be between 0 and 1")
        if self.attempts < 1 or self.retry_pause < 0:
            raise ValueError("attempts must be at least 1, retry_pause not negative")


class Notifier:
    """Keeps every event; delivers new ones to the receiver, if any."""

    def __init__(self, clock, seed=0):
        self.clock = clock
        self.events = []
        self.failures = []  # {"event", "url", "attempts", "error"} per dropped event
        self._rng = random.Random(f"notifications:{seed}")
        self._cond = threading.Condition()
        self._queue = []
        self._receiver = None
        self._busy = False
        self._thread = None

    def emit(self, event):
        with self._cond:
            self.events.append(event)
            receiver = self._receiver
            if receiver is None:
                return
            twice = self._rng.random() < receiver.duplicate_rate
            self._queue.extend([event, event] if twice else [event])
            self._cond.notify_all()

    def deliver_to(self, receiver):
        """Send later events to ``receiver``; None stops and drops the queue."""
        with self._cond:
            self._receiver = receiver
            if receiver is None:
                self._queue.clear()
            elif self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="flipkart-sandbox-notify", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()

    def flush(self, timeout=10):
        """Wait until every queued event is delivered or dropped; False on timeout."""
        with self._cond:
            return self._cond.wait_for(
                lambda: not self._queue and not self._busy, timeout
            )

    # ------------------------------------------------------------ sender

    def _run(self):
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._receiver is None)
                if self._receiver is None:
                    self._thread = None
                    return
                shuffle = self._receiver.shuffle
            if shuffle:
                time.sleep(SHUFFLE_GATHER)  # let a burst of events queue up
            with self._cond:
                batch, self._queue = self._queue, []
                if shuffle:
                    self._rng.shuffle(batch)
                self._busy = True
            try:
                for event in batch:
                    with self._cond:
                        receiver = self._receiver
                    if receiver is None:
                        break
                    self._send(event, receiver)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _send(self, event, receiver):
        body = json.dumps(event).encode("utf-8")
        for attempt in range(1, receiver.attempts + 1):
            headers = sign(
                receiver.app_id, receiver.app_secret, receiver.url, "POST", self.clock()
            )
            headers["Content-Type"] = "application/json"
            request = urllib.request.Request(
                receiver.url, data=body, headers=headers, method="POST"
            )
            try:
                with urllib.request.urlopen(request, timeout=NOTIFY_TIMEOUT) as answer:
                    answer.read()
                return
            except (OSError, http.client.HTTPException) as err:  # HTTPError is one
                error = err
            if attempt < receiver.attempts:
                time.sleep(receiver.retry_pause)
        _logger.warning(
            "dropped %s for %s after %d attempts: %s",
            event["eventType"],
            event[subject_key(event["eventType"])],
            receiver.attempts,
            error,
        )
        with self._cond:
            self.failures.append(
                {
                    "event": event,
                    "url": receiver.url,
                    "attempts": receiver.attempts,
                    "error": str(error),
                }
            )
