"""Fulfilment on Flipkart: pack, labels, ready to dispatch, invoices.

Set-based: every step takes many deliveries and talks to Flipkart in the
documented batches (25 to pack or dispatch, 100 to read states, labels and
invoices). Writes go through the account's outbound gate, so each one is a
``flipkart.event`` with its answer, retried when Flipkart was down; the
``_after_<kind>`` methods apply the answers to the deliveries, on the first
attempt and on every retry alike.
"""

import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import flipkart
from ..flipkart import const, mapping
from ..flipkart import endpoints as ep
from ..flipkart.batching import chunked
from ..flipkart.pdf_pages import split_pages
from ..utils import each_account, gst_rate, item_outcomes

_logger = logging.getLogger(__name__)

UNAVAILABLE = "Flipkart unavailable, will retry."
# Deliveries handled per account and run; the cron runs again while more wait.
DOCUMENT_BATCH = 500


class FlipkartFulfilment(models.AbstractModel):
    _name = "flipkart.fulfilment"
    _description = "Flipkart Fulfilment"

    # Every write of this flow: how it is sent, how Flipkart's answer is applied.
    _flipkart_event_kinds = {
        "pack": {"send": "_send_pack", "apply": "_after_pack"},
        "ready_to_dispatch": {
            "send": "_send_ready_to_dispatch",
            "apply": "_after_ready_to_dispatch",
        },
        "form_ack": {"send": "_send_form_ack", "apply": "_after_form_ack"},
        "self_ship_dispatch": {
            "send": "_send_self_ship_dispatch",
            "apply": "_after_self_ship_dispatch",
        },
        "self_ship_delivery": {
            "send": "_send_self_ship_delivery",
            "apply": "_after_self_ship_delivery",
        },
        "self_ship_attempt": {
            "send": "_send_self_ship_attempt",
            "apply": "_after_self_ship_attempt",
        },
        "service_attempt": {
            "send": "_send_service_attempt",
            "apply": "_after_service_attempt",
        },
        "service_complete": {
            "send": "_send_service_complete",
            "apply": "_after_service_complete",
        },
    }

    # Sending ------------------------------------------------------------------

    @api.model
    def _send_pack(self, client, payload):
        return item_outcomes(client.pack_shipments(payload["shipments"]))

    @api.model
    def _send_ready_to_dispatch(self, client, payload):
        return item_outcomes(
            client.mark_ready_to_dispatch(payload["locationId"], payload["shipmentIds"])
        )

    @api.model
    def _send_form_ack(self, client, payload):
        return item_outcomes(client.update_form_acks(payload["shipments"]))

    @api.model
    def _send_self_ship_dispatch(self, client, payload):
        return item_outcomes(client.self_ship_dispatch(payload["shipments"]))

    @api.model
    def _send_self_ship_delivery(self, client, payload):
        return item_outcomes(client.self_ship_delivery(payload["shipments"]))

    @api.model
    def _send_self_ship_attempt(self, client, payload):
        return item_outcomes(client.self_ship_delivery_attempt(payload["shipments"]))

    @api.model
    def _send_service_attempt(self, client, payload):
        return item_outcomes(client.service_attempt(payload["services"]))

    @api.model
    def _send_service_complete(self, client, payload):
        return item_outcomes(client.service_complete(payload["services"]))

    # Helpers ------------------------------------------------------------------

    @api.model
    def _by_account(self, pickings, size):
        """``(account, location, pickings)`` in chunks of ``size``."""
        groups = {}
        for picking in pickings:
            key = (picking.flipkart_account_id, picking.sale_id.flipkart_location_id)
            groups.setdefault(key, []).append(picking.id)
        for (account, location), ids in groups.items():
            for batch in chunked(ids, size):
                yield account, location, self.env["stock.picking"].browse(batch)

    @api.model
    def _pickings(self, account, shipment_ids):
        return self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", account.id),
                ("flipkart_shipment_id", "in", list(shipment_ids)),
                ("picking_type_code", "=", "outgoing"),
                ("state", "!=", "cancel"),
            ]
        )

    @api.model
    def _send(self, account, kind, payload, pickings):
        key = f"{kind}:{pickings[:1].flipkart_shipment_id}:{uuid.uuid4().hex}"
        return account._send_outbound(kind, key, payload, record=pickings[:1])

    # Pack ---------------------------------------------------------------------

    @api.model
    def _pack(self, pickings):
        """Ask Flipkart to pack what may be packed; say why for the rest."""
        now = fields.Datetime.now()
        ready = self.env["stock.picking"]
        for picking in pickings.filtered("flipkart_shipment_id"):
            problem, keep_queued = picking._flipkart_pack_problem(now)
            if problem is None:
                ready |= picking
            elif problem:
                picking.write(
                    {"flipkart_message": problem, "flipkart_pack_queued": keep_queued}
                )
            else:
                picking.flipkart_pack_queued = False
        for account, location, batch in self._by_account(
            ready, ep.MAX_SHIPMENT_ACTIONS
        ):
            payload = {
                "shipments": [self._pack_entry(picking, location) for picking in batch]
            }
            self._send(account, "pack", payload, batch)
        return ready

    @api.model
    def _pack_entry(self, picking, location):
        """One shipment of a pack request (flipkart-api.md §2, labels)."""
        order = picking.sale_id
        lines = order.order_line.filtered(
            lambda line: line.flipkart_order_item_id and line.product_uom_qty > 0
        )
        entry = {
            "shipmentId": picking.flipkart_shipment_id,
            "locationId": location.flipkart_location_id,
            "taxItems": [
                {
                    "orderItemId": line.flipkart_order_item_id,
                    "taxRate": gst_rate(line.tax_id),
                    "quantity": int(line.product_uom_qty),
                }
                for line in lines
            ],
        }
        serials = picking._flipkart_serial_numbers()
        if serials:
            entry["serialNumbers"] = [
                {"orderItemId": item_id, "serialNumbers": numbers}
                for item_id, numbers in serials.items()
            ]
        invoice = order._flipkart_posted_invoice()
        if invoice:
            # The seller invoiced in Odoo first: Flipkart prints that number.
            entry["invoices"] = [
                {
                    "orderId": order.flipkart_order_id,
                    "invoiceNumber": invoice.name,
                    "invoiceDate": fields.Date.to_string(invoice.invoice_date),
                }
            ]
        if picking.flipkart_mps:
            entry["subShipments"] = picking._flipkart_sub_shipments()
        return entry

    @api.model
    def _after_pack(self, event):
        payload = event._payload()
        ids = [s["shipmentId"] for s in payload.get("shipments", [])]
        pickings = self._pickings(event.account_id, ids)
        refused = self._apply_results(
            event,
            pickings,
            {
                "flipkart_state": "PACKING_IN_PROGRESS",
                "flipkart_packed_at": fields.Datetime.now(),
                "flipkart_label_ready": False,
            },
            _("Flipkart refused to pack"),
        )
        pickings.write({"flipkart_pack_queued": False})
        if refused:
            # Why? Cancelled, held or already packed: re-read and say so.
            sent = {
                entry["shipmentId"]: sum(
                    item.get("quantity") or 0 for item in entry.get("taxItems", [])
                )
                for entry in payload.get("shipments", [])
            }
            self._explain(event.account_id, refused, sent)

    @api.model
    def _apply_results(self, event, pickings, done_values, refusal):
        """Write each delivery's outcome of a batch write; return the refused."""
        if event.state == "ignored":
            pickings.write({"flipkart_message": _("Dry run: recorded, not sent.")})
            return pickings.browse()
        results = event._item_results()
        refused = pickings.browse()
        for picking in pickings:
            result = results.get(picking.flipkart_shipment_id)
            if result is None:
                # The whole call failed (e.g. the token): the event says why.
                picking.flipkart_message = event.last_error or refusal
            elif result.get("status") != "FAILURE":
                picking.write(dict(done_values, flipkart_message=False))
            elif result.get("retryable"):
                picking.write(
                    {
                        "flipkart_message": _(UNAVAILABLE),
                        "flipkart_flag": "retry_pending",
                    }
                )
            else:
                picking.flipkart_message = f"{refusal}: {result.get('message')}"
                refused |= picking
        return refused

    @api.model
    def _explain(self, account, pickings, sent):
        """Re-read refused shipments; a cancellation is applied and said.

        ``sent``: the quantity each shipment's pack asked for. Compared with
        what Flipkart now expects, not with the order before the re-read: a
        notification processed meanwhile may have lowered it already.
        """
        try:
            self.env["flipkart.shipment.import"]._refresh(
                account, pickings.mapped("flipkart_shipment_id")
            )
        except flipkart.FlipkartError as err:
            _logger.info("Flipkart: could not re-read refused shipments: %s", err)
            if err.retryable:
                # Why is unknown while Flipkart is down (a part cancelled, a
                # hold): packed again on a later run, re-read then if refused.
                pickings.write({"flipkart_pack_queued": True})
            return
        for picking in pickings:
            if picking.flipkart_state == "CANCELLED" or picking.state == "cancel":
                picking.flipkart_message = _(
                    "Cancelled on Flipkart (%(reason)s): the order was cancelled "
                    "in Odoo.",
                    reason=picking.sale_id.flipkart_cancel_reason or "?",
                )
            elif picking.flipkart_state in const.GENERATING + const.LABEL_STATES:
                picking.flipkart_message = False  # already packed: nothing wrong
            elif picking.flipkart_hold:
                picking.flipkart_message = _(
                    "On hold at Flipkart: it will be packed once released."
                )
                picking.flipkart_pack_queued = True
            elif sum(picking.sale_id.order_line.mapped("product_uom_qty")) < sent.get(
                picking.flipkart_shipment_id, 0
            ):
                picking.write(
                    {
                        "flipkart_message": _(
                            "Flipkart cancelled part of this shipment: the order "
                            "was lowered to match; it will be packed again."
                        ),
                        "flipkart_pack_queued": True,
                    }
                )

    # Documents ----------------------------------------------------------------

    @api.model
    def _collect_documents(self, pickings):
        """Bring the given deliveries as far as Flipkart allows: read their
        states, attach labels, dispatch where due, and fetch invoices."""
        pickings = pickings.filtered(
            lambda p: p.flipkart_shipment_id and p.state != "cancel"
        )
        for account in pickings.flipkart_account_id:
            mine = pickings.filtered(lambda p, a=account: p.flipkart_account_id == a)
            for step in (
                self._read_states,
                self._fetch_labels,
                self._dispatch_due,
                self._fetch_invoices,
            ):
                try:
                    step(account, mine)
                except flipkart.FlipkartError as err:
                    if not err.retryable:
                        raise
                    _logger.info("Flipkart %s: %s", account.name, err.message)
                    mine.filtered(lambda p: not p.flipkart_label_ready).write(
                        {
                            "flipkart_message": _(UNAVAILABLE),
                            "flipkart_flag": "retry_pending",
                        }
                    )
                    break
                self.env["flipkart.account"]._commit_progress()

    @api.model
    def _read_states(self, account, pickings):
        """Re-read the shipments still being packed (100 a call)."""
        waiting = pickings.filtered(lambda p: p.flipkart_state in const.GENERATING)
        if not waiting:
            return
        Import = self.env["flipkart.shipment.import"]
        shipments = account._flipkart_client().get_shipments(
            shipment_ids=waiting.mapped("flipkart_shipment_id")
        )
        Import._import(account, shipments)
        failed = waiting.filtered(lambda p: p.flipkart_state == "FORM_FAILED")
        unnamed = failed.filtered(lambda p: not p.flipkart_form_names)
        forms = {}
        if unnamed:
            forms = account._flipkart_client().get_forms(
                unnamed.mapped("flipkart_shipment_id")
            )
        for picking in failed:
            names = [f.name for f in forms.get(picking.flipkart_shipment_id, [])]
            picking._flipkart_show_forms(
                names or (picking.flipkart_form_names or "").split(", ")
            )

    @api.model
    def _fetch_labels(self, account, pickings):
        """Tracking ids and label PDFs of the packed ones (100 a call)."""
        packed = pickings.filtered(
            lambda p: (
                p.flipkart_state in const.LABEL_STATES
                and not p.flipkart_label_ready
                and not p.flipkart_self_ship
            )
        )
        if not packed:
            return
        client = account._flipkart_client()
        by_id = {p.flipkart_shipment_id: p for p in packed}
        for details in client.get_shipment_details(list(by_id)):
            picking = by_id.get(details.shipment_id)
            if picking:
                picking.write(
                    {
                        "flipkart_tracking_id": ", ".join(details.tracking_ids)
                        or False,
                        "flipkart_courier": details.courier or False,
                    }
                )
        if not account.use_marketplace_label:
            # Odoo's own slip is printed: Flipkart's PDF is not needed.
            packed.write({"flipkart_label_ready": True, "flipkart_message": False})
            return
        for batch, pdf in client.get_labels_pdf(list(by_id)):
            needles = {
                i: [i, *(by_id[i].flipkart_tracking_id or "").split(", ")]
                for i in batch
            }
            documents = self._split(
                pdf, needles, lambda sid: client.get_labels_pdf([sid])
            )
            for shipment_id in batch:
                picking = by_id[shipment_id]
                picking.write(
                    {
                        "flipkart_label_attachment_id": self._attach(
                            picking, documents[shipment_id], _("Flipkart label")
                        ).id,
                        "flipkart_label_ready": True,
                        "flipkart_message": False,
                    }
                )

    @api.model
    def _split(self, pdf, needles, fetch_one):
        """``{key: pdf}`` cut out of a merged PDF by the texts each page
        shows; a shipment no page names is fetched alone (``fetch_one``),
        never given the whole batch."""
        documents = split_pages(pdf, needles)
        for key in needles:
            if key not in documents:
                documents[key] = next(iter(fetch_one(key)))[1]
        return documents

    @api.model
    def _attach(self, picking, data, title):
        return self.env["ir.attachment"].create(
            {
                "name": f"{title} {picking.flipkart_shipment_id}.pdf",
                "raw": data,
                "mimetype": "application/pdf",
                "res_model": "stock.picking",
                "res_id": picking.id,
            }
        )

    @api.model
    def _dispatch_due(self, account, pickings):
        if account.rtd_at == "pack":
            self._ready_to_dispatch(pickings)

    @api.model
    def _ready_to_dispatch(self, pickings):
        """Mark packed shipments ready to dispatch, 25 a call per location."""
        due = pickings.filtered(
            lambda p: (
                p.flipkart_state == "PACKED"
                and p.flipkart_label_ready
                and not p.flipkart_self_ship
                # Flipkart refuses it while held; done when released
                and not p.flipkart_hold
                # its failed event retries itself: no second one meanwhile
                and p.flipkart_flag != "retry_pending"
            )
        )
        for account, location, batch in self._by_account(due, ep.MAX_SHIPMENT_ACTIONS):
            payload = {
                "locationId": location.flipkart_location_id,
                "shipmentIds": batch.mapped("flipkart_shipment_id"),
            }
            self._send(account, "ready_to_dispatch", payload, batch)
        return due

    @api.model
    def _after_ready_to_dispatch(self, event):
        pickings = self._pickings(event.account_id, event._payload()["shipmentIds"])
        self._apply_results(
            event,
            pickings,
            {"flipkart_state": "READY_TO_DISPATCH"},
            _("Flipkart refused ready to dispatch"),
        )

    @api.model
    def _fetch_invoices(self, account, pickings):
        """Flipkart's invoice data and PDF (100 a call), then the Odoo invoice."""
        due = pickings.filtered(
            lambda p: (
                not p.flipkart_invoice_number
                and (
                    p.flipkart_label_ready
                    or (p.flipkart_self_ship and p.flipkart_state in const.HANDED_OVER)
                )
            )
        )
        if not due:
            return
        client = account._flipkart_client()
        by_id = {p.flipkart_shipment_id: p for p in due}
        invoices = {
            inv.shipment_id: inv
            for inv in client.get_invoices(list(by_id))
            if inv.shipment_id in by_id
        }
        invoiced = [i for i in by_id if i in invoices]
        documents = self._invoice_documents(
            client, {i: invoices[i] for i in invoiced}, by_id
        )
        for shipment_id in invoiced:
            picking, invoice = by_id[shipment_id], invoices[shipment_id]
            try:
                with self.env.cr.savepoint():
                    picking.write(
                        {
                            "flipkart_invoice_number": invoice.invoice_number or False,
                            "flipkart_invoice_date": invoice.invoice_date or False,
                            "flipkart_invoice_attachment_id": self._attach(
                                picking, documents[shipment_id], _("Flipkart invoice")
                            ).id,
                        }
                    )
                    if account.invoice_creation != "off":
                        # Flipkart invoiced: the invoice follows, whoever
                        # packed (a warehouse user may not create invoices).
                        picking.sale_id.sudo()._flipkart_invoice_received(
                            invoice, documents[shipment_id]
                        )
            except (UserError, ValidationError) as err:
                picking.flipkart_message = _(
                    "Flipkart invoice %(number)s could not be recorded: %(error)s",
                    number=invoice.invoice_number,
                    error=err.args[0] if err.args else err,
                )

    @api.model
    def _invoice_documents(self, client, invoices, pickings):
        """``{shipment id: invoice PDF}`` for ``invoices`` (shipment id ->
        ``Invoice``; ``pickings``: shipment id -> delivery), 100 a call."""
        documents = {}
        for batch, pdf in client.get_invoices_pdf(list(invoices)):
            needles = {i: [i, invoices[i].invoice_number] for i in batch}
            documents.update(
                self._split(pdf, needles, lambda sid: client.get_invoices_pdf([sid]))
            )
        return documents

    # Forms --------------------------------------------------------------------

    @api.model
    def _send_form_acks(self, pickings):
        for account, _location, batch in self._by_account(
            pickings, ep.MAX_SHIPMENT_ACTIONS
        ):
            payload = {
                "shipments": [
                    {
                        "shipmentId": p.flipkart_shipment_id,
                        "forms": [
                            {"name": name.strip(), "ackNumber": p.flipkart_form_ack}
                            for name in (p.flipkart_form_names or "").split(",")
                            if name.strip()
                        ],
                    }
                    for p in batch
                ]
            }
            self._send(account, "form_ack", payload, batch)

    @api.model
    def _after_form_ack(self, event):
        ids = [s["shipmentId"] for s in event._payload()["shipments"]]
        pickings = self._pickings(event.account_id, ids)
        self._apply_results(
            event,
            pickings,
            {"flipkart_form_names": False},
            _("Flipkart refused the form ACK"),
        )

    # Self-ship ----------------------------------------------------------------

    @api.model
    def _self_ship(self, action, pickings, values):
        """Send a self-ship step for ``pickings`` (100 a call); ``values``
        holds what the user entered (the self-ship wizard)."""
        kind, key, build = {
            "dispatch": ("self_ship_dispatch", "shipments", self._dispatch_entry),
            "attempt": ("self_ship_attempt", "shipments", self._attempt_entry),
            "delivery": ("self_ship_delivery", "shipments", self._delivered_entry),
            "service_attempt": ("service_attempt", "services", self._delivered_entry),
            "service_complete": ("service_complete", "services", self._delivered_entry),
        }[action]
        for account, location, batch in self._by_account(pickings, ep.MAX_SELF_SHIP):
            entries = []
            for picking in batch:
                entry = build(picking, location, values)
                if entry:
                    entries.append(entry)
            if entries:
                self._send(account, kind, {key: entries}, batch)

    @api.model
    def _dispatch_entry(self, picking, location, values):
        order = picking.sale_id
        invoice = order._flipkart_posted_invoice()
        number = (
            values.invoice_number or invoice.name or picking.flipkart_invoice_number
        )
        day = (
            values.invoice_date or invoice.invoice_date or picking.flipkart_invoice_date
        )
        if not number or not day:
            picking.flipkart_message = _(
                "Flipkart needs the invoice number and date to dispatch: post the "
                "customer invoice or enter them."
            )
            return None
        serials = picking._flipkart_serial_numbers()
        return {
            "shipmentId": picking.flipkart_shipment_id,
            "locationId": location.flipkart_location_id,
            "dispatchDate": mapping.flipkart_time(
                values.dispatch_date or fields.Datetime.now()
            ),
            "tentativeDeliveryDate": mapping.flipkart_time(
                values.tentative_delivery_date
            ),
            "deliveryPartner": values.courier_name,
            "deliveryPartnerCode": values.courier_code,
            "trackingId": values.tracking_id or "",
            "invoice": {
                "invoiceNumber": number,
                "invoiceDate": fields.Date.to_string(day),
                "items": [
                    dict(
                        {
                            "orderItemId": line.flipkart_order_item_id,
                            "quantity": int(line.product_uom_qty),
                        },
                        **(
                            {"serialNumbers": serials[line.flipkart_order_item_id]}
                            if line.flipkart_order_item_id in serials
                            else {}
                        ),
                    )
                    for line in order.order_line
                    if line.flipkart_order_item_id and line.product_uom_qty
                ],
            },
        }

    @api.model
    def _attempt_entry(self, picking, location, values):
        return {
            "shipmentId": picking.flipkart_shipment_id,
            "locationId": location.flipkart_location_id,
            "deliveryDate": mapping.flipkart_time(
                values.delivery_date or fields.Datetime.now()
            ),
            "failureAttributes": {
                "reason": values.attempt_reason,
                "subReason": values.attempt_sub_reason or "",
                "newDeliveryDate": mapping.flipkart_time(values.new_delivery_date),
            },
        }

    @api.model
    def _delivered_entry(self, picking, location, values):
        return {
            "shipmentId": picking.flipkart_shipment_id,
            "locationId": location.flipkart_location_id,
            "deliveryDate": mapping.flipkart_time(
                values.delivery_date or fields.Datetime.now()
            ),
        }

    @api.model
    def _after_self_ship_dispatch(self, event):
        entries = {e["shipmentId"]: e for e in event._payload()["shipments"]}
        pickings = self._pickings(event.account_id, entries)
        for picking in pickings:
            entry = entries[picking.flipkart_shipment_id]
            picking.write(
                {
                    "flipkart_courier": entry["deliveryPartner"],
                    "flipkart_tracking_id": entry["trackingId"] or False,
                }
            )
        self._follow_results(
            event, pickings, "SHIPPED", _("Flipkart refused the dispatch")
        )

    @api.model
    def _after_self_ship_delivery(self, event):
        ids = [e["shipmentId"] for e in event._payload()["shipments"]]
        pickings = self._pickings(event.account_id, ids)
        self._follow_results(
            event, pickings, "DELIVERED", _("Flipkart refused the delivery")
        )

    @api.model
    def _follow_results(self, event, pickings, state, refusal):
        """A self-ship step Flipkart accepted moves the delivery to ``state``
        (and validates it, as a handover would)."""
        done = pickings - self._apply_results(
            event, pickings, {"flipkart_state": state}, refusal
        )
        done.filtered(lambda p: p.flipkart_state == state)._flipkart_apply_state(state)

    @api.model
    def _after_self_ship_attempt(self, event):
        entries = {e["shipmentId"]: e for e in event._payload()["shipments"]}
        template = _(
            "Delivery attempt failed (%(reason)s); next attempt on %(date)s. "
            "Sent to Flipkart."
        )
        self._note_results(
            event,
            entries,
            lambda entry: (
                template
                % {
                    "reason": entry["failureAttributes"]["reason"],
                    "date": entry["failureAttributes"]["newDeliveryDate"][:10],
                }
            ),
            _("Flipkart refused the delivery attempt"),
        )

    @api.model
    def _after_service_attempt(self, event):
        entries = {e["shipmentId"]: e for e in event._payload()["services"]}
        self._note_results(
            event,
            entries,
            _("Service attempt sent to Flipkart."),
            _("Flipkart refused the service attempt"),
        )

    @api.model
    def _after_service_complete(self, event):
        entries = {e["shipmentId"]: e for e in event._payload()["services"]}
        self._note_results(
            event,
            entries,
            _("Service completion sent to Flipkart."),
            _("Flipkart refused the service completion"),
        )

    @api.model
    def _note_results(self, event, entries, note, refusal):
        """Results that change no state: a chatter note on success (``note``
        is a text, or a function of the entry sent)."""
        pickings = self._pickings(event.account_id, entries)
        refused = self._apply_results(event, pickings, {}, refusal)
        if event.state == "ignored":
            return
        results = event._item_results()
        for picking in pickings - refused:
            if results.get(picking.flipkart_shipment_id, {}).get("status") not in (
                None,
                "FAILURE",
            ):
                entry = entries[picking.flipkart_shipment_id]
                picking.message_post(body=note(entry) if callable(note) else note)

    # Scheduled action -----------------------------------------------------------

    @api.model
    def _document_candidates(self, account):
        """Deliveries with something left to do on Flipkart's side."""
        return self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", account.id),
                ("picking_type_code", "=", "outgoing"),
                ("state", "!=", "cancel"),
                "|",
                "|",
                "|",
                ("flipkart_pack_queued", "=", True),
                ("flipkart_state", "in", const.GENERATING),
                "&",
                "&",
                ("flipkart_state", "in", ("PACKED", "READY_TO_DISPATCH")),
                ("flipkart_label_ready", "=", False),
                ("flipkart_self_ship", "=", False),
                "&",
                ("flipkart_invoice_number", "=", False),
                "|",
                ("flipkart_label_ready", "=", True),
                ("flipkart_state", "in", const.HANDED_OVER),
            ],
            order="flipkart_dispatch_by, id",
            limit=DOCUMENT_BATCH,
        )

    @api.model
    def _cron_fetch_documents(self):
        """Pack what is queued, then collect labels and invoices, per account."""
        done = []

        def fetch(account):
            pickings = self._document_candidates(account)
            try:
                self._pack(pickings.filtered("flipkart_pack_queued"))
                account._commit_progress()
                self._collect_documents(pickings)
            except flipkart.FlipkartError as err:
                _logger.warning(
                    "Flipkart documents for %s: %s", account.name, err.message
                )
                return
            account._commit_progress()
            done.append(len(pickings))

        accounts = self.env["flipkart.account"].search([("order_sync", "=", True)])
        each_account(accounts, self.env._("Packing and documents"), fetch)
        # The next run, 5 minutes on, takes what is left: a delivery Flipkart
        # keeps refusing must not make this run loop.
        self.env["ir.cron"]._notify_progress(done=sum(done), remaining=0)
