"""A steady trickle of new orders, so a running demo keeps receiving some."""

import logging
import threading

from .data import SHIPMENT_OVERRIDES

_logger = logging.getLogger(__name__)


class OrderGenerator:
    """Adds one shipment every ``1 / rate_per_second`` seconds on a daemon
    thread, until stopped or ``max_total`` shipments were added."""

    def __init__(self, sandbox, rate_per_second, max_total, overrides):
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        if max_total < 0:
            raise ValueError("max_total must not be negative")
        unknown = set(overrides) - SHIPMENT_OVERRIDES
        if unknown:
            raise TypeError(f"unknown shipment overrides: {sorted(unknown)}")
        self.sandbox = sandbox
        self.interval = 1.0 / rate_per_second
        self.max_total = max_total
        self.overrides = dict(overrides)
        self.created = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="flipkart-sandbox-orders", daemon=True
        )

    def start(self):
        self._thread.start()
        return self

    def stop(self, timeout=5):
        """Stop and wait for the thread; returns how many shipments it added."""
        self._stop.set()
        self._thread.join(timeout)
        return self.created

    @property
    def running(self):
        return self._thread.is_alive()

    def _run(self):
        while self.created < self.max_total and not self._stop.wait(self.interval):
            try:
                self.sandbox.add_shipments(1, **self.overrides)
            except Exception:  # keep a demo alive; say why an order was skipped
                _logger.exception("order generator could not add a shipment")
                return
            self.created += 1
