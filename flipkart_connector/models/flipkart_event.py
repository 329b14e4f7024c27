import base64
import hashlib
import json
import logging
import time
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .. import flipkart
from ..flipkart import const, notification

_logger = logging.getLogger(__name__)
# Finished events deleted per call of the purge (it runs again while more).
PURGE_BATCH = 5000

# A retryable failure (Flipkart down, throttled) is tried again automatically
# after these waits; after the last one a person has to press Retry.
AUTO_RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
]
PROCESS_BATCH = 100
# What an outside notification may be; anything else is kept and ignored.
NOTIFICATION_TYPES = frozenset(
    (*const.SHIPMENT_NOTIFICATIONS, *const.RETURN_NOTIFICATIONS)
)
# Written once, by the connector, when the event is recorded.
IDENTITY_FIELDS = frozenset(
    (
        "account_id",
        "kind",
        "direction",
        "idempotency_key",
        "payload",
        "res_model",
        "res_id",
    )
)


def dump_payload(payload):
    """Payloads are kept as JSON text, or verbatim when they are not JSON."""
    if isinstance(payload, str | bytes):
        return (
            payload.decode(errors="replace") if isinstance(payload, bytes) else payload
        )
    return json.dumps(payload, indent=2, sort_keys=True, default=str)


class FlipkartEvent(models.Model):
    """The durable inbox and outbox: what Flipkart sent and what we sent it.

    Every notification is stored here before it is acknowledged, every write
    to Flipkart is recorded here before it goes, each under an idempotency
    key unique per account, so nothing is processed twice or lost.
    """

    _name = "flipkart.event"
    _description = "Flipkart Event"
    _order = "id desc"
    _rec_name = "idempotency_key"

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    kind = fields.Char(
        required=True,
        index=True,
        help="Flipkart's event type for notifications (shipment_created, "
        "...), the action for writes (inventory_update, pack, ...).",
    )
    kind_name = fields.Char(string="Type", compute="_compute_kind_name")
    direction = fields.Selection(
        [("inbound", "From Flipkart"), ("outbound", "To Flipkart")],
        required=True,
        default="inbound",
    )
    idempotency_key = fields.Char(required=True, index=True, readonly=True)
    payload = fields.Text(readonly=True)
    result = fields.Text(readonly=True, help="Flipkart's answer to a write.")
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("error", "Error"),
            ("ignored", "Ignored"),
        ],
        required=True,
        default="pending",
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(readonly=True)
    error_code = fields.Char(
        readonly=True,
        help="Flipkart's error code of the last failure "
        "(DEPENDENT_SYSTEM_CALL_FAILED, INVALID_SHIPMENTS, ...).",
    )
    retry_at = fields.Datetime(
        readonly=True,
        index=True,
        help="When a failure that may pass (Flipkart down) is tried again.",
    )
    processed_at = fields.Datetime(readonly=True)
    dry_run = fields.Boolean(readonly=True)
    res_model = fields.Char(string="Related Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Related Record ID", model_field="res_model", readonly=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref",
        string="Related Record",
        compute="_compute_record_ref",
    )

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "unique(account_id, idempotency_key)",
            "This Flipkart event is already recorded.",
        ),
    ]

    @api.model
    def _selection_record_ref(self):
        return [(m.model, m.name) for m in self.env["ir.model"].sudo().search([])]

    @api.depends("kind")
    def _compute_kind_name(self):
        for event in self:
            event.kind_name = const.kind_label(event.kind)

    @api.depends("kind", "payload")
    def _compute_display_name(self):
        for event in self:
            subject = event._subject()
            event.display_name = " ".join(
                filter(None, [event.kind_name, subject and f"({subject})"])
            )

    def _subject(self):
        """The shipment or return the event is about, from its payload."""
        payload = self._payload()
        if not isinstance(payload, dict):
            return ""
        subject = payload.get("shipmentId") or payload.get("returnId")
        return str(subject) if isinstance(subject, str | int) else ""

    @api.depends("res_model", "res_id", "payload")
    def _compute_record_ref(self):
        # Notifications name a shipment: its order, found in one search.
        subjects = {event: event._subject() for event in self if not event.res_model}
        shipments = {event: subject for event, subject in subjects.items() if subject}
        found = self.env["sale.order"]
        if shipments:
            found = found.search(
                [
                    ("flipkart_account_id", "in", self.account_id.ids),
                    ("flipkart_shipment_id", "in", list(set(shipments.values()))),
                ]
            )
        orders = {(o.flipkart_account_id, o.flipkart_shipment_id): o for o in found}
        for event in self:
            order = orders.get((event.account_id, shipments.get(event)))
            if event.res_model and event.res_id and event.res_model in self.env:
                event.record_ref = f"{event.res_model},{event.res_id}"
            elif order:
                event.record_ref = f"sale.order,{order.id}"
            else:
                event.record_ref = False

    # Recording --------------------------------------------------------------

    @api.model
    def _record(self, account, *, kind, direction, key, payload, record=None):
        """Store an event once; return it, or the one already stored.

        The insert skips a duplicate key at the database level, so two
        workers receiving the same notification store one event. When the
        other worker's row is not yet visible the empty recordset is
        returned: the event is in good hands.
        """
        now = fields.Datetime.now()
        uid = self.env.uid
        query = SQL(
            """
            INSERT INTO flipkart_event (
                account_id, company_id, kind, direction, idempotency_key,
                payload, state, attempts, res_model, res_id,
                create_uid, write_uid, create_date, write_date
            )
            VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (account_id, idempotency_key) DO NOTHING
            RETURNING id
            """,
            account.id,
            account.company_id.id,
            kind,
            direction,
            key,
            dump_payload(payload),
            record._name if record else None,
            record.id if record else None,
            uid,
            uid,
            now,
            now,
        )
        try:
            with self.env.cr.savepoint():
                # Not logged: a conflict with a concurrent worker is expected.
                self.env.cr.execute(query, log_exceptions=False)
                rows = self.env.cr.fetchall()
        except psycopg2.errors.SerializationFailure:
            # The same key was stored by a worker that committed after this
            # transaction began (Flipkart delivered the event twice at once).
            return self.browse()
        if rows:
            return self.browse(rows[0][0])
        return self.search(
            [("account_id", "=", account.id), ("idempotency_key", "=", key)], limit=1
        )

    @api.model
    def _receive_notification(self, headers, urls, method, body):
        """Authenticate and store one push notification; return (status, body).

        401 when no account's application signed it (nothing stored), 400
        for an unreadable body (kept raw for a person to inspect), else 200,
        redeliveries included, and the processing cron is woken up.
        """
        accounts = self._signing_accounts(headers, urls, method)
        if not accounts:
            return 401, {"error": "invalid signature"}
        try:
            event = json.loads(body)
            problem = notification.shape_problem(event)
            if problem:
                raise ValueError(problem)
        except (ValueError, RecursionError) as err:
            stored = self._record(
                accounts[:1],
                kind="malformed",
                direction="inbound",
                key="malformed:" + hashlib.sha256(body).hexdigest(),
                payload=body,
            )
            stored.write(
                {
                    "state": "error",
                    "last_error": _(
                        "Malformed notification body: %(error)s", error=err
                    ),
                }
            )
            return 400, {"error": "malformed body"}
        kind = str(event["eventType"])
        documented = kind in NOTIFICATION_TYPES
        stored = self._record(
            self._notified_account(accounts, event),
            # Only Flipkart's documented types are handled: an outside body
            # never names one of the connector's own kinds.
            kind=kind if documented else "unknown_notification",
            direction="inbound",
            key=notification_key(event),
            payload=event,
        )
        if documented:
            self._trigger_processing()
        elif stored.state == "pending":
            stored.write(
                {
                    "state": "ignored",
                    "last_error": _(
                        "Not a Flipkart event type the connector handles (%(kind)s):"
                        " stored and ignored.",
                        kind=kind[:100],
                    ),
                    "processed_at": fields.Datetime.now(),
                }
            )
        return 200, {"status": "received"}

    @api.model
    def _signing_accounts(self, headers, urls, method):
        """The accounts whose application signed these headers (one partner
        application may serve several sellers)."""
        app_id = _claimed_app_id(headers)
        if not app_id:
            _logger.warning("Flipkart notification refused: unreadable X_Authorization")
            return self.env["flipkart.account"]
        accounts = self.env["flipkart.account"].sudo().search([("app_id", "=", app_id)])
        reason = _("no account uses application %(app)s", app=app_id)
        signing = self.env["flipkart.account"].sudo()
        for account in accounts:
            for url in urls:
                try:
                    flipkart.verify(
                        headers,
                        url,
                        method,
                        account.app_id,
                        account.app_secret,
                        now=time.time(),
                    )
                except flipkart.SignatureError as err:
                    reason = str(err)
                    continue
                signing |= account
                break
        if not signing:
            _logger.warning("Flipkart notification refused: %s", reason)
        return signing

    @api.model
    def _notified_account(self, accounts, event):
        """Of the accounts sharing the signing application, the one the
        notification is about: the one with the location it names, else the
        one that has its shipment, else the first."""
        if len(accounts) < 2:
            return accounts
        location = event.get("locationId")
        if location:
            named = accounts.filtered(
                lambda account: (
                    str(location) in account.location_ids.mapped("flipkart_location_id")
                )
            )
            if named:
                return named[:1]
        shipment = event.get("shipmentId")
        if shipment:
            order = (
                self.env["sale.order"]
                .sudo()
                .search(
                    [
                        ("flipkart_account_id", "in", accounts.ids),
                        ("flipkart_shipment_id", "=", str(shipment)),
                    ],
                    limit=1,
                )
            )
            if order:
                return order.flipkart_account_id
        return accounts[:1]

    def _payload(self):
        self.ensure_one()
        try:
            return json.loads(self.payload or "null")
        except ValueError:
            return self.payload

    # Processing -------------------------------------------------------------

    def _run(self, work):
        """Run ``work()`` for this event in a savepoint and keep the outcome.

        Flipkart errors and user errors leave the event in error with the
        reason in words; a retryable one is tried again automatically later.
        Database concurrency errors propagate, so the whole transaction is
        retried by Odoo and nothing is half-written.
        """
        self.ensure_one()
        self.attempts += 1
        try:
            with self.env.cr.savepoint():
                result = work()
        except psycopg2.OperationalError:
            raise
        except flipkart.FlipkartError as err:
            self._fail(err.message, retryable=err.retryable, code=err.code)
        except UserError as err:
            self._fail(str(err.args[0] if err.args else err))
        except Exception as err:  # noqa: BLE001 - an event must never vanish
            _logger.exception("Flipkart event %s failed", self.id)
            self._fail(_("Unexpected error: %(error)s", error=err))
        else:
            values = {
                "last_error": False,
                "error_code": False,
                "retry_at": False,
                "processed_at": fields.Datetime.now(),
                "result": dump_payload(result) if result is not None else False,
            }
            failed = _failed_items(result)
            if not failed:
                self.write(dict(values, state="done"))
                return True
            # Some items of a batch failed: the answer is kept, the event is
            # in error naming them, and retried later if all may pass.
            self.write(values)
            codes = {item.get("code") for _key, item in failed}
            self._fail(
                "; ".join(f"{key}: {item.get('message')}" for key, item in failed),
                retryable=all(item.get("retryable") for _key, item in failed),
                code=codes.pop() if len(codes) == 1 else None,
            )
        return False

    def _item_results(self):
        """Per-item outcomes of a batch write, ``{key: {status, message}}``."""
        self.ensure_one()
        try:
            result = json.loads(self.result or "{}")
        except ValueError:
            return {}
        return result if isinstance(result, dict) else {}

    def _fail(self, message, retryable=False, code=None):
        now = fields.Datetime.now()
        for event in self:
            retry_at = False
            attempt = max(event.attempts, 1)
            if retryable and attempt <= len(AUTO_RETRY_DELAYS):
                retry_at = now + AUTO_RETRY_DELAYS[attempt - 1]
            event.write(
                {
                    "state": "error",
                    "last_error": message,
                    "error_code": code or False,
                    "retry_at": retry_at,
                }
            )

    @api.model
    @tools.ormcache()
    def _kinds(self):
        """``{kind: (model name, declaration)}`` of every event kind declared
        by the installed addons, in a ``_flipkart_event_kinds`` class
        attribute of the model that owns the flow (merged along its
        ``_inherit`` chain, so an extension only adds its own).

        A declaration is a dict of method names of that model:
        ``send(client, payload)`` sends an outbound event and returns
        Flipkart's answer as data; ``apply(event)`` applies the answer to
        the records it concerns, after every attempt (retries and dry run
        included); ``process(events)`` handles a batch of inbound events.
        Cached per registry: read only (a registry reload starts afresh).
        """
        kinds = {}
        for name in self.env.registry:
            for klass in reversed(type(self.env[name]).__mro__):
                for kind, spec in klass.__dict__.get(
                    "_flipkart_event_kinds", {}
                ).items():
                    kinds[kind] = (name, spec)
        return kinds

    def _process(self):
        """Handle each event by the declaration of its kind: inbound ones in
        one batch per processor, outbound ones by sending them (again)."""
        kinds = self._kinds()
        batches = {}
        for event in self.filtered(lambda ev: ev.direction == "inbound"):
            model, spec = kinds.get(event.kind, (None, {}))
            if not spec.get("process"):
                # Acknowledge and keep what we do not know: an unconsumed
                # event would block the rest of its group at Flipkart.
                event.write(
                    {
                        "state": "ignored",
                        "last_error": _(
                            "No handling for event type %(kind)s: stored and ignored.",
                            kind=event.kind,
                        ),
                        "processed_at": fields.Datetime.now(),
                    }
                )
                continue
            key = (model, spec["process"])
            batches[key] = batches.get(key, self.browse()) | event
        for (model, method), events in batches.items():
            self._process_isolated(getattr(self.env[model], method), events)
        for event in self.filtered(lambda ev: ev.direction == "outbound"):
            model, spec = kinds.get(event.kind, (None, {}))
            if not spec.get("send"):
                event._fail(_("No sender for %(kind)s.", kind=event.kind))
                continue
            flow = self.env[model]
            if event.account_id.dry_run:
                event.write(
                    {
                        "state": "ignored",
                        "dry_run": True,
                        "last_error": _("Dry run: computed and recorded, not sent."),
                    }
                )
            else:
                send = getattr(flow, spec["send"])
                event._run(
                    lambda ev=event, send=send: send(
                        ev.account_id._flipkart_client(), ev._payload()
                    )
                )
            if spec.get("apply"):
                getattr(flow, spec["apply"])(event)

    @api.model
    def _process_isolated(self, process, events):
        """Run a flow's processor on a batch; should it fail unexpectedly
        (a body of a shape nobody expected), run it on each event alone, so
        the bad one errors with the reason and the others go through."""
        try:
            with self.env.cr.savepoint():
                process(events)
            return
        except psycopg2.OperationalError:
            raise
        except Exception as err:  # noqa: BLE001 - one bad event fails alone
            if len(events) == 1:
                _logger.exception("Flipkart event %s failed", events.id)
                events._fail(_("Unexpected error: %(error)s", error=err))
                return
        for event in events:
            self._process_isolated(process, event)

    def write(self, vals):
        """What an event is (its account, kind, direction, payload, record)
        is written once, when the connector records it; only its outcome
        changes after."""
        changed = IDENTITY_FIELDS.intersection(vals)
        if changed:
            raise AccessError(
                _(
                    "A Flipkart event's %(fields)s cannot be changed.",
                    fields=", ".join(sorted(changed)),
                )
            )
        return super().write(vals)

    def action_retry(self):
        """Process the selected events again, whatever their state."""
        self.write({"state": "pending", "retry_at": False})
        self._process()
        return True

    @api.model
    def _due_domain(self):
        return [
            "|",
            ("state", "=", "pending"),
            "&",
            ("state", "=", "error"),
            ("retry_at", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _cron_process_events(self):
        """Process one batch of due events; the cron runs again while some remain."""
        events = self._lock_due(PROCESS_BATCH)
        events._process()
        remaining = self.search_count(self._due_domain()) if events else 0
        self.env["ir.cron"]._notify_progress(done=len(events), remaining=remaining)

    @api.model
    def _cron_purge_events(self):
        """Delete events done or ignored longer ago than their account keeps
        them, a batch per call; events in error and pending ones stay."""
        self.flush_model(["account_id", "state", "processed_at"])
        self.env["flipkart.account"].flush_model(["event_retention_days"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT event.id
                  FROM flipkart_event event
                  JOIN flipkart_account account ON account.id = event.account_id
                 WHERE account.event_retention_days > 0
                   AND event.state IN ('done', 'ignored')
                   AND COALESCE(event.processed_at, event.create_date)
                       < %s - make_interval(days => account.event_retention_days)
                 ORDER BY event.id
                 LIMIT %s
                """,
                fields.Datetime.now(),
                PURGE_BATCH,
            )
        )
        self.browse([row[0] for row in rows]).unlink()
        self.env["ir.cron"]._notify_progress(
            done=len(rows), remaining=int(len(rows) == PURGE_BATCH)
        )

    @api.model
    def _lock_due(self, limit):
        """Due events, row-locked so a second worker takes other ones."""
        query = self._search(self._due_domain(), order="id", limit=limit)
        # execute_query flushes pending writes to the fields the query reads.
        rows = self.env.execute_query(SQL("%s FOR UPDATE SKIP LOCKED", query.select()))
        return self.browse([row[0] for row in rows]).sorted("id")

    @api.model
    def _trigger_processing(self):
        self.env.ref("flipkart_connector.ir_cron_flipkart_process_events")._trigger()

    # Senders (outbound kinds) -------------------------------------------------


def _failed_items(result):
    """The failed items of a per-item result, sorted by key."""
    if not isinstance(result, dict):
        return []
    return sorted(
        (key, item)
        for key, item in result.items()
        if isinstance(item, dict) and item.get("status") == "FAILURE"
    )


def notification_key(event):
    """Idempotency key of a notification.

    Flipkart sends no event id. A redelivery repeats the same body, while
    two changes of one shipment can share a timestamp to the second, so the
    key is the type, the entity, the timestamp and a digest of the body.
    """
    entity = event.get("shipmentId") or event.get("returnId") or ""
    digest = hashlib.sha256(
        json.dumps(event, sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    return f"{event.get('eventType')}:{entity}:{event.get('timestamp')}:{digest}"


def _claimed_app_id(headers):
    """The application id a notification claims, before any verification."""
    value = headers.get("X_Authorization") or headers.get("X-Authorization") or ""
    _scheme, _sep, token = value.strip().partition(" ")
    try:
        return base64.b64decode(token.strip(), validate=True).decode().split(":")[0]
    except ValueError:  # bad base64, non-ASCII text, not UTF-8
        return None
