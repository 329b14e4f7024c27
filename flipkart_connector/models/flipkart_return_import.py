"""Flipkart returns into Odoo return receipts, exactly once.

A Flipkart return (one order item of one shipment, a quantity) becomes a
receipt returning that item from the shipment's delivery, made by Odoo's own
return wizard so stock, valuation and the sale order's delivered quantities
follow. Receipts are left for the warehouse to receive: never done here.
What cannot be matched (the shipment is not in Odoo, more is returned than
was delivered) is kept as a ``flipkart.event`` in error that says why.
"""

import logging
import uuid
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.osv import expression
from odoo.tools.translate import LazyTranslate

from ..flipkart import const, mapping
from ..flipkart import endpoints as ep
from ..utils import each_account, item_outcomes, lock_keys
from .flipkart_sync import SyncStream

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class ReturnProblem(Exception):
    """A return that cannot become a receipt yet, in words."""


class FlipkartReturnImport(models.AbstractModel):
    _name = "flipkart.return.import"
    _inherit = "flipkart.sync"
    _description = "Flipkart Return Import"
    # One page of returns (25) per transaction.
    _sync = SyncStream(
        _lt("Return import"),
        _lt("return"),
        "return",
        first_window=timedelta(days=30),
        batch=25,
        event_kind="return_import",
    )

    # Inbound: return notifications and waiting returns re-read the return;
    # outbound: the self-ship return actions.
    _flipkart_event_kinds = {
        **{
            kind: {"process": "_process_events"}
            for kind in (*const.RETURN_NOTIFICATIONS, "return_import")
        },
        "return_action": {
            "send": "_send_return_action",
            "apply": "_after_return_action",
        },
    }

    # Pull -----------------------------------------------------------------------

    @api.model
    def _cron_import_returns(self):
        accounts = self.env["flipkart.account"].search([("return_sync", "=", True)])
        each_account(accounts, str(self._sync.label), self._pull)

    def _sync_pages(self, account, client, start):
        """Returns of both sources, per location, 25 a page."""
        for location in account.location_ids.filtered("active"):
            for source in ep.RETURN_SOURCES:
                yield from (
                    page.returns
                    for page in client.search_returns(
                        source,
                        location_id=location.flipkart_location_id,
                        modified_after=mapping.flipkart_time(start),
                    )
                )

    def _sync_import(self, account, items, run):
        return self._import(account, items)

    # Import ---------------------------------------------------------------------

    @api.model
    def _import(self, account, returns):
        """Create or update the receipts of ``returns``; a summary dict."""
        summary = {"created": [], "updated": [], "failed": {}, "skipped": []}
        groups = {}
        for item in returns:
            groups.setdefault(item.return_id, []).append(item)
        if not groups:
            return summary
        lock_keys(self.env, "flipkart.return", account, list(groups))
        Picking = self.env["stock.picking"]
        receipts = {
            p.flipkart_return_id: p
            for p in Picking.search(
                [
                    ("flipkart_account_id", "=", account.id),
                    ("flipkart_return_id", "in", list(groups)),
                ]
            )
        }
        deliveries = {}
        for picking in Picking.search(
            [
                ("flipkart_account_id", "=", account.id),
                ("picking_type_code", "=", "outgoing"),
                (
                    "flipkart_shipment_id",
                    "in",
                    list({i.shipment_id for items in groups.values() for i in items}),
                ),
                ("state", "!=", "cancel"),
            ]
        ):
            deliveries[picking.flipkart_shipment_id] = picking
        for return_id, items in groups.items():
            receipt = receipts.get(return_id)
            try:
                if receipt:
                    self._update(receipt, items)
                    summary["updated"].append(receipt)
                    continue
                first = items[0]
                if first.status == "cancelled" or (
                    first.status == "completed" and not account.pull_completed_returns
                ):
                    summary["skipped"].append(return_id)
                    continue
                with self.env.cr.savepoint():
                    receipt = self._create_receipt(
                        account, deliveries.get(first.shipment_id), items
                    )
                summary["created"].append(receipt)
            except ReturnProblem as problem:
                summary["failed"][return_id] = str(problem)
        self._record_outcomes(account, groups, summary["failed"])
        return summary

    @api.model
    def _create_receipt(self, account, delivery, items):
        first = items[0]
        if not delivery:
            raise ReturnProblem(
                _(
                    "Return %(ret)s is for Flipkart shipment %(ship)s, which is "
                    "not in Odoo (sold before go-live, or not imported yet). It "
                    "is linked once the order is imported, or on Retry.",
                    ret=first.return_id,
                    ship=first.shipment_id,
                )
            )
        if delivery.state != "done":
            raise ReturnProblem(
                _(
                    "Return %(ret)s: delivery %(delivery)s is not done in Odoo "
                    "yet, so nothing can be returned from it. Validate it, then "
                    "Retry.",
                    ret=first.return_id,
                    delivery=delivery.name,
                )
            )
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({"picking_id": delivery.id})
        )
        wanted = {}
        for item in items:
            wanted[item.order_item_id] = (
                wanted.get(item.order_item_id, 0) + item.quantity
            )
        for order_item_id, quantity in wanted.items():
            lines = wizard.product_return_moves.filtered(
                lambda line, oid=order_item_id: (
                    line.move_id.sale_line_id.flipkart_order_item_id == oid
                )
            )
            returnable = sum(lines.mapped(lambda line: _returnable(line.move_id)))
            if not lines:
                raise ReturnProblem(
                    _(
                        "Return %(ret)s names order item %(item)s, which delivery "
                        "%(delivery)s does not hold.",
                        ret=first.return_id,
                        item=order_item_id,
                        delivery=delivery.name,
                    )
                )
            if quantity > returnable:
                raise ReturnProblem(
                    _(
                        "Return %(ret)s: Flipkart returns %(qty)s of order item "
                        "%(item)s but only %(left)s delivered are not returned "
                        "yet. Refused; check it with Flipkart.",
                        ret=first.return_id,
                        qty=quantity,
                        item=order_item_id,
                        left=returnable,
                    )
                )
            for line in lines:
                line.quantity = min(quantity, _returnable(line.move_id))
                quantity -= line.quantity
        receipt = wizard._create_return()
        values = self._values(items)
        values.update(
            {
                "flipkart_return_id": first.return_id,
                "flipkart_self_ship": delivery.flipkart_self_ship,
                "flipkart_return_service_id": (first.service_ids or [False])[0],
            }
        )
        location = account.return_location_id
        if location:
            values["location_dest_id"] = location.id
            # The receipt is already reserved: its lines carry the old place.
            receipt.move_ids.write({"location_dest_id": location.id})
            receipt.move_line_ids.write({"location_dest_id": location.id})
        receipt.write(values)
        receipt.message_post(
            body=_(
                "Flipkart %(kind)s %(ret)s: %(reason)s.",
                kind=dict(receipt._fields["flipkart_return_source"].selection).get(
                    receipt.flipkart_return_source, ""
                ),
                ret=first.return_id,
                reason=" / ".join(p for p in (first.reason, first.sub_reason) if p)
                or "?",
            )
        )
        self._apply_state(receipt, first.status)
        return receipt

    @api.model
    def _values(self, items):
        first = items[0]
        return {
            "flipkart_return_source": first.source
            if first.source in ep.RETURN_SOURCES
            else False,
            "flipkart_return_state": first.status
            if first.status in ("created", "completed", "cancelled")
            else False,
            "flipkart_return_reason": first.reason or False,
            "flipkart_return_sub_reason": first.sub_reason or False,
            "flipkart_tracking_id": first.tracking_id or False,
            "flipkart_courier": first.courier or False,
            "flipkart_return_expected": first.expected_date
            and first.expected_date.replace(tzinfo=None),
        }

    @api.model
    def _update(self, receipt, items):
        values = self._values(items)
        changed = {k: v for k, v in values.items() if receipt[k] != v}
        if changed:
            receipt.write(changed)
        self._apply_state(receipt, items[0].status)

    @api.model
    def _apply_state(self, receipt, status):
        """Cancelled or completed on Flipkart: follow, or flag for a person."""
        if status == "cancelled" and receipt.state not in ("done", "cancel"):
            receipt.action_cancel()
            receipt.message_post(body=_("Return cancelled on Flipkart."))
        elif status == "cancelled" and receipt.state == "done":
            receipt._flipkart_flag(
                "return_cancelled_received",
                _(
                    "Flipkart cancelled this return, but the goods were "
                    "received: check with Flipkart."
                ),
                _("Check the Flipkart return"),
            )
        elif status == "completed" and receipt.state not in ("done", "cancel"):
            receipt._flipkart_flag(
                "return_not_received",
                _("Flipkart says returned; not received."),
                _("Check the Flipkart return"),
            )

    @api.model
    def _record_outcomes(self, account, groups, failed):
        self._sync_record_outcomes(
            account,
            {
                return_id: (
                    _return_key(items[0]),
                    {"returnItems": [i.raw for i in items]},
                )
                for return_id, items in groups.items()
            },
            failed,
        )

    # Re-reading -------------------------------------------------------------------

    @api.model
    def _refresh(self, account, return_ids, sources=ep.RETURN_SOURCES):
        """Re-read returns by id (25 a call per source) and import them."""
        client = account._flipkart_client()
        found = []
        wanted = set(return_ids)
        for source in sources:
            if not wanted:
                break
            batch = client.get_returns(sorted(wanted), source)
            found += batch
            wanted -= {r.return_id for r in batch}
        summary = self._import(account, found)
        summary["missing"] = sorted(wanted)
        return summary

    @api.model
    def _link_waiting(self, account, shipment_ids):
        """Returns that waited for these shipments' orders: try them now."""
        if not shipment_ids:
            return
        waiting = self.env["flipkart.event"].search(
            [
                ("account_id", "=", account.id),
                ("kind", "=", "return_import"),
                ("state", "=", "error"),
            ]
            + expression.OR(
                [
                    [("idempotency_key", "=like", f"return:{sid}:%")]
                    for sid in shipment_ids
                ]
            )
        )
        if waiting:
            waiting.action_retry()

    @api.model
    def _process_events(self, events):
        """Return notifications and waiting returns: re-read each named
        return (25 a call) and converge; the events say how it went."""
        self._sync_process_events(events)

    def _sync_event_ids(self, payload):
        if not isinstance(payload, dict):
            return set()
        ids = {str(i["returnId"]) for i in _return_items(payload) if i.get("returnId")}
        if payload.get("returnId"):
            ids.add(str(payload["returnId"]))
        return ids

    def _sync_refresh(self, account, ids, events):
        # The sources the events name first; the search stops once all are found.
        named = {
            i.get("source") or i.get("type")
            for event in events
            if isinstance(event._payload(), dict)
            for i in _return_items(event._payload())
        }
        return self._refresh(
            account,
            ids,
            tuple(s for s in ep.RETURN_SOURCES if s in named)
            + tuple(s for s in ep.RETURN_SOURCES if s not in named),
        )

    # Receiving ------------------------------------------------------------------

    @api.model
    def _credit(self, receipt):
        """The credit note of a received return: the received items of a
        customer return, at their invoiced prices and taxes; the whole
        invoice for a courier return (the parcel never reached the buyer)."""
        # The warehouse receives; the credit note follows for the accountant
        # (a warehouse user has no right to create it).
        flipkart_return = receipt._flipkart_return_receipt()
        order = receipt.sale_id.sudo()
        invoices = order.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.state != "cancel"
        )
        courier = flipkart_return.flipkart_return_source == "courier_return"
        if courier and flipkart_return != receipt:
            return self.env["account.move"]  # the whole invoice is reversed
        if courier:
            invoices.filtered(lambda m: m.state == "draft").button_cancel()
        posted = invoices.filtered(lambda m: m.state == "posted")
        if not posted:
            if not courier:
                receipt._flipkart_flag(
                    "return_not_credited",
                    _(
                        "Return received, but the order has no posted invoice "
                        "to credit."
                    ),
                    _("Check the Flipkart return"),
                )
            return self.env["account.move"]
        credit = posted[:1]._reverse_moves(
            [
                {
                    "ref": _(
                        "Flipkart return %(ret)s of %(inv)s",
                        ret=flipkart_return.flipkart_return_id,
                        inv=posted[:1].ref or posted[:1].name,
                    ),
                    "invoice_date": fields.Date.context_today(self),
                }
            ]
        )
        if not courier:
            received = {}
            for move in receipt.move_ids.filtered(lambda m: m.state == "done"):
                line = move.origin_returned_move_id.sale_line_id
                received[line] = received.get(line, 0.0) + move.quantity
            commands = []
            for line in credit.invoice_line_ids.filtered(
                lambda move_line: move_line.display_type == "product"
            ):
                quantity = received.get(line.sale_line_ids[:1], 0.0)
                if quantity:
                    commands.append(Command.update(line.id, {"quantity": quantity}))
                else:
                    commands.append(Command.delete(line.id))
            credit.write({"invoice_line_ids": commands})
        if flipkart_return.flipkart_account_id.return_credit_note == "post":
            # A refusal to post (lock date...) must not stop the receiving.
            credit._flipkart_post()
        receipt.flipkart_credit_note_id = credit
        receipt.message_post(
            body=_(
                "Credit note %(note)s for the returned items.",
                note=credit.name or _("(draft)"),
            )
        )
        return credit

    # Self-ship return actions ---------------------------------------------------

    @api.model
    def _send_actions(self, action, receipts, values):
        """Approve, reject, confirm or attempt a reverse pickup, acknowledge
        (complete) or cancel self-ship returns (100 a call, per location)."""
        for account, location, batch in self.env["flipkart.fulfilment"]._by_account(
            receipts, ep.MAX_RETURN_ACTIONS
        ):
            entries = [self._action_entry(action, r, values) for r in batch]
            payload = {
                "action": action,
                "locationId": location.flipkart_location_id,
                "returns": entries,
            }
            first = batch[0].flipkart_return_id
            key = f"return_action:{action}:{first}:{uuid.uuid4().hex}"
            account._send_outbound("return_action", key, payload, record=batch[0])

    @api.model
    def _action_entry(self, action, receipt, values):
        if action in ("complete", "cancel"):
            return receipt.flipkart_return_id
        entry = {"returnId": receipt.flipkart_return_id}
        if action in ("approve", "reject"):
            entry.update(
                serviceFulfilmentId=receipt.flipkart_return_service_id or "",
                serviceDate=mapping.flipkart_time(values.service_date),
                comments=values.comments or "",
            )
        elif action == "pickup":
            entry["pickupDate"] = mapping.flipkart_time(values.pickup_date)
        elif action == "pickup_attempt":
            entry.update(
                pickupDate=mapping.flipkart_time(values.pickup_date),
                newPickupDate=mapping.flipkart_time(values.new_pickup_date),
                reason=values.reason or "",
            )
        return entry

    @api.model
    def _send_return_action(self, client, payload):
        return item_outcomes(
            client.return_action(
                payload["action"], payload["locationId"], payload["returns"]
            )
        )

    @api.model
    def _after_return_action(self, event):
        payload = event._payload()
        action = payload["action"]
        ids = [e if isinstance(e, str) else e["returnId"] for e in payload["returns"]]
        receipts = self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", event.account_id.id),
                ("flipkart_return_id", "in", ids),
            ]
        )
        if event.state == "ignored":
            receipts.write({"flipkart_message": _("Dry run: recorded, not sent.")})
            return
        results = event._item_results()
        label = dict(const.RETURN_ACTIONS)[action]
        for receipt in receipts:
            result = results.get(receipt.flipkart_return_id)
            if result is None or result.get("status") == "FAILURE":
                receipt.flipkart_message = _(
                    "Flipkart refused %(action)s: %(why)s",
                    action=label,
                    why=(result or {}).get("message") or event.last_error or "?",
                )
                continue
            receipt.flipkart_message = False
            receipt.message_post(body=_("%(action)s sent to Flipkart.", action=label))
            if action == "complete":
                receipt.flipkart_return_state = "completed"
            elif action == "cancel":
                receipt.flipkart_return_state = "cancelled"
                self._apply_state(receipt, "cancelled")


def _returnable(move):
    """Quantity of a delivered move not returned yet."""
    returned = sum(
        m.product_uom_qty for m in move.returned_move_ids if m.state != "cancel"
    )
    return move.quantity - returned


def _return_items(payload):
    """The return items a notification or a waiting event names (only the
    well-formed ones: a body's shape is never trusted)."""
    container = payload.get("attributes") or payload
    items = container.get("returnItems") if isinstance(container, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _return_key(item):
    return f"return:{item.shipment_id}:{item.return_id}"
