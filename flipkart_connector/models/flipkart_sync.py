"""The one sync pipeline: every stream pulled from Flipkart goes through it.

A stream (orders, returns, listings; Flipkart Smart picklists and 2GUD
later) is a model that ``_inherit``s ``flipkart.sync`` and says what it
pulls, from where and into what; the pipeline does the rest, the same way
for all of them:

- pull what changed since the account's cursor, in windows that overlap
  the previous one and are open-ended (a fixed end would cut off what
  changed in its last second), importing and committing a batch at a
  time; the cursor moves only once a window completed, so a crash resumes
  from the same window and importing twice changes nothing;
- leave an item that cannot be imported as an event in error with the
  reason, retried later, and close it once the item is in;
- on a notification, re-read from Flipkart what it names (never trusting
  its body) and converge.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from .. import flipkart

_logger = logging.getLogger(__name__)


class _Busy(Exception):
    """Another run pulls this stream for this account now."""


@dataclass(frozen=True)
class SyncStream:
    """What a stream is, for the pipeline (its model's ``_sync``)."""

    # Its name in the account's chatter ("Order import") and what one item
    # is called ("shipment"): lazy translations.
    label: object
    noun: object
    # Prefix of the account's fields {prefix}_cursor (end of the last
    # complete window) and {prefix}_sync_from (where a first pull starts);
    # None: the stream has no dates and is read whole each time.
    fields_prefix: str = None
    # A first pull without a from-date looks back this far.
    first_window: timedelta = timedelta(days=7)
    # Items imported (and committed in scheduled runs) together.
    batch: int = 500
    # The kind of the events an item waits in when it cannot be imported.
    event_kind: str = None
    # Each window starts this long before the previous one ended.
    overlap: timedelta = timedelta(minutes=30)


class FlipkartSync(models.AbstractModel):
    _name = "flipkart.sync"
    _description = "Flipkart Sync Pipeline"

    # What a stream declares (see SyncStream) and implements -------------------

    _sync = None

    def _sync_pages(self, account, client, start):
        """Pages (lists of client records) changed since ``start`` (None:
        everything), in Flipkart's order."""
        raise NotImplementedError

    def _sync_import(self, account, items, run):
        """Import ``items``; a summary {created: [...], updated: [...],
        failed: {id: reason}, skipped: [...]}. ``run`` is a dict the stream
        may keep what it needs in over one pull (``started`` is set)."""
        raise NotImplementedError

    def _sync_window_done(self, account, run):
        """Called once a whole window is in (a stream's own bookkeeping)."""

    def _sync_message(self, counts):
        return _(
            "%(label)s: %(created)s new, %(updated)s updated, %(failed)s waiting "
            "(see Flipkart > Monitoring > Events).",
            label=str(self._sync.label),
            **counts,
        )

    def _sync_event_ids(self, payload):
        """The ids of the items an inbound event names."""
        raise NotImplementedError

    def _sync_refresh(self, account, ids, events):
        """Re-read these items from Flipkart and import them; the summary
        of ``_sync_import`` plus ``missing``: the ids Flipkart did not
        return. ``events`` are those that named them (hints only)."""
        raise NotImplementedError

    # The pipeline -------------------------------------------------------------

    def _sync_lock(self, account):
        """Whether this transaction holds (or could take) the lock of this
        stream for ``account``; released when the transaction ends."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                f"flipkart.sync:{self._name}:{account.id}",
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _pull(self, account, since=None):
        """Pull what changed since the cursor (or ``since``); return counts.

        Flipkart errors stop the pull with the reason on the account and
        leave the cursor where it was. One pull of a stream per account at
        a time: a second one (a button pressed while the scheduled action
        runs) is skipped rather than fight over the account's cursor.
        """
        if not self._sync_lock(account):
            _logger.info("Flipkart account %s: %s busy", account.id, self._name)
            if not self.env.context.get("flipkart_commit_pages"):
                account.message_post(
                    body=_(
                        "%(label)s is already running for this account; this "
                        "one was skipped. Try again in a minute.",
                        label=str(self._sync.label),
                    )
                )
            return {"created": 0, "updated": 0, "failed": 0, "skipped": 0}
        stream = self._sync
        now = fields.Datetime.now()
        cursor_field = stream.fields_prefix and f"{stream.fields_prefix}_cursor"
        start = since
        if start is None and cursor_field:
            cursor = account[cursor_field]
            start = (
                cursor - stream.overlap
                if cursor
                else account[f"{stream.fields_prefix}_sync_from"]
                or now - stream.first_window
            )
        client = account._flipkart_client()
        counts = {"created": 0, "updated": 0, "failed": 0, "skipped": 0}
        run = {"started": now}
        batch = []

        def import_batch():
            summary = self._sync_import(account, batch, run)
            for key, value in summary.items():
                counts[key] = counts.get(key, 0) + len(value)
            batch.clear()
            account._commit_progress()
            # Memory stays flat however many batches a run has.
            self.env.invalidate_all()
            if not self._sync_lock(account):
                # The commit let the lock go and another run took it: that
                # one goes on; this one stops, its cursor where it was.
                raise _Busy

        try:
            for page in self._sync_pages(account, client, start):
                batch.extend(page)
                if len(batch) >= stream.batch:
                    import_batch()
            if batch:
                import_batch()
        except _Busy:
            return counts
        except flipkart.FlipkartError as err:
            account.message_post(
                body=_(
                    "%(label)s stopped: %(reason)s",
                    label=str(self._sync.label),
                    reason=account._explain_error(err),
                )
            )
            _logger.warning("Flipkart account %s: %s", account.id, err.message)
            return counts
        if cursor_field:
            account[cursor_field] = now
        self._sync_window_done(account, run)
        if any(counts.values()):
            account.message_post(body=self._sync_message(counts))
        return counts

    @api.model
    def _sync_record_outcomes(self, account, entries, failed):
        """Leave an event in error per item that could not be imported, and
        close the earlier error of those that now were.

        ``entries`` maps each item's id to (event key, payload kept for a
        person); ``failed`` maps the failed ids to their reasons.
        """
        Event = self.env["flipkart.event"]
        for item_id, (key, payload) in entries.items():
            message = failed.get(item_id)
            if not message:
                continue
            event = Event._record(
                account,
                kind=self._sync.event_kind,
                direction="inbound",
                key=key,
                payload=payload,
            )
            # Retried by the events cron (1 min ... 4 h): a SKU mapped or an
            # order imported meanwhile lets the item in after its window.
            event.attempts += 1
            event._fail(message, retryable=True)
            _logger.info("Flipkart %s %s waits: %s", event.kind, item_id, message)
        done = Event.search(
            [
                ("account_id", "=", account.id),
                ("kind", "=", self._sync.event_kind),
                (
                    "idempotency_key",
                    "in",
                    [
                        key
                        for item_id, (key, _p) in entries.items()
                        if item_id not in failed
                    ],
                ),
                ("state", "!=", "done"),
            ]
        )
        done.write(
            {
                "state": "done",
                "last_error": False,
                "retry_at": False,
                "processed_at": fields.Datetime.now(),
            }
        )

    @api.model
    def _sync_process_events(self, events):
        """Re-read from Flipkart what inbound events name and converge.

        An item that still cannot be imported waits in its own event (its
        reason there); a notification that named it is done.
        """
        for account in events.account_id:
            mine = events.filtered(lambda ev, acc=account: ev.account_id == acc)
            by_id = {}
            for event in mine:
                event.attempts += 1
                ids = self._sync_event_ids(event._payload())
                if not ids:
                    event._fail(
                        _(
                            "The notification names no %(what)s.",
                            what=str(self._sync.noun),
                        )
                    )
                    continue
                for item_id in ids:
                    by_id[item_id] = by_id.get(item_id, events.browse()) | event
            if not by_id:
                continue
            try:
                with self.env.cr.savepoint():
                    summary = self._sync_refresh(account, list(by_id), mine)
            except flipkart.FlipkartError as err:
                for pending in by_id.values():
                    pending._fail(err.message, retryable=err.retryable)
                continue
            done = {
                "state": "done",
                "last_error": False,
                "retry_at": False,
                "processed_at": fields.Datetime.now(),
            }
            for item_id, pending in by_id.items():
                if item_id in summary["failed"]:
                    kind = self._sync.event_kind
                    waiting = pending.filtered(lambda ev, kind=kind: ev.kind == kind)
                    (pending - waiting).write(done)
                    waiting._fail(summary["failed"][item_id], retryable=True)
                elif item_id in summary["missing"]:
                    pending._fail(
                        _(
                            "Flipkart returned no %(what)s %(id)s (cancelled before "
                            "import, or not this seller's).",
                            what=str(self._sync.noun),
                            id=item_id,
                        )
                    )
                else:
                    pending.write(done)
