from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.pdf import merge_pdf

from .. import flipkart
from ..flipkart import const

# Ready to dispatch, or further: the RTD SLA is met (or missed) by then.
DISPATCHED = ("READY_TO_DISPATCH", *const.HANDED_OVER)
# The SLA board's "breaches within 4 hours".
SOON = timedelta(hours=4)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    flipkart_shipment_id = fields.Char(
        string="Flipkart Shipment ID", index=True, readonly=True, copy=False
    )
    flipkart_state = fields.Selection(
        const.SHIPMENT_STATES, string="Flipkart Status", readonly=True, copy=False
    )
    flipkart_hold = fields.Boolean(
        string="On Hold at Flipkart",
        readonly=True,
        copy=False,
        help="Flipkart is verifying this order: do not process it until released.",
    )
    flipkart_dispatch_after = fields.Datetime(
        string="Dispatch After", readonly=True, copy=False
    )
    flipkart_dispatch_by = fields.Datetime(
        string="Dispatch By",
        readonly=True,
        copy=False,
        index=True,
        help="Flipkart's ready-to-dispatch deadline.",
    )
    # The SLA board and the RTD breach rate (account health).
    flipkart_rtd_at = fields.Datetime(
        string="Ready to Dispatch At",
        readonly=True,
        copy=False,
        index=True,
        help="When Odoo saw this shipment ready to dispatch on Flipkart (or "
        "dispatched, for self-ship): what the RTD breach rate compares "
        "with the dispatch-by date.",
    )
    flipkart_hours_left = fields.Float(
        string="Hours Left",
        compute="_compute_flipkart_sla",
        help="Hours until the dispatch-by date; negative once breached.",
    )
    flipkart_blocker = fields.Char(
        string="Blocked By",
        compute="_compute_flipkart_sla",
        help="What stands between this delivery and its dispatch.",
    )
    flipkart_breach_soon = fields.Boolean(
        string="Breaches Within 4 Hours",
        compute="_compute_flipkart_sla",
        search="_search_flipkart_breach_soon",
    )
    flipkart_breached = fields.Boolean(
        string="Dispatch-by Breached",
        compute="_compute_flipkart_sla",
        search="_search_flipkart_breached",
    )

    flipkart_account_id = fields.Many2one(
        related="sale_id.flipkart_account_id", store=True, index=True
    )
    flipkart_location_id = fields.Many2one(related="sale_id.flipkart_location_id")
    flipkart_self_ship = fields.Boolean(
        string="Self-Ship",
        readonly=True,
        copy=False,
        help="Shipped by the seller's own courier, not Flipkart's.",
    )
    flipkart_mps = fields.Boolean(string="Multi-Package", readonly=True, copy=False)
    flipkart_sub_shipments = fields.Char(
        string="Sub-shipments", readonly=True, copy=False
    )
    flipkart_pack_queued = fields.Boolean(
        string="To Pack on Flipkart",
        readonly=True,
        copy=False,
        index=True,
        help="Waiting for the next fulfilment run to ask Flipkart to pack it.",
    )
    flipkart_packed_at = fields.Datetime(
        string="Pack Requested", readonly=True, copy=False
    )
    flipkart_label_ready = fields.Boolean(
        string="Label Ready", readonly=True, copy=False, index=True
    )
    flipkart_label_attachment_id = fields.Many2one(
        "ir.attachment", string="Flipkart Label", readonly=True, copy=False
    )
    flipkart_tracking_id = fields.Char(string="Tracking ID", readonly=True, copy=False)
    flipkart_courier = fields.Char(string="Courier", readonly=True, copy=False)
    flipkart_message = fields.Char(
        string="Flipkart Note",
        readonly=True,
        copy=False,
        help="What Flipkart said last about this delivery, in words.",
    )
    flipkart_flag = fields.Selection(
        [
            ("retry_pending", "Flipkart unavailable, will retry"),
            ("label_pending", "Label still being generated, will retry"),
            ("handover_not_validated", "Handed over, not validated"),
            ("return_cancelled_received", "Return cancelled, goods received"),
            ("return_not_received", "Returned on Flipkart, not received"),
            ("return_not_credited", "Return received, nothing to credit"),
        ],
        readonly=True,
        copy=False,
        index=True,
        help="What kind of note the Flipkart Note is, when the connector acts "
        "on it (a retry pending, a problem already flagged to a person).",
    )
    flipkart_form_names = fields.Char(
        string="Failed Forms",
        readonly=True,
        copy=False,
        help="State forms Flipkart could not generate: send their ACK number.",
    )
    flipkart_form_ack = fields.Char(
        string="Form ACK Number",
        copy=False,
        help="The acknowledgement number of the state form (e.g. e-way bill).",
    )
    flipkart_manifest_id = fields.Many2one(
        "flipkart.manifest", string="Manifest", readonly=True, copy=False
    )
    flipkart_invoice_number = fields.Char(
        string="Flipkart Invoice", readonly=True, copy=False
    )
    flipkart_invoice_date = fields.Date(readonly=True, copy=False)
    flipkart_invoice_attachment_id = fields.Many2one(
        "ir.attachment", string="Flipkart Invoice PDF", readonly=True, copy=False
    )
    flipkart_delivered_at = fields.Datetime(
        string="Delivered (Flipkart)", readonly=True, copy=False
    )
    # Return receipts ------------------------------------------------------
    flipkart_return_id = fields.Char(
        string="Flipkart Return ID", index=True, readonly=True, copy=False
    )
    flipkart_return_source = fields.Selection(
        const.RETURN_SOURCES, string="Return Source", readonly=True, copy=False
    )
    flipkart_return_state = fields.Selection(
        const.RETURN_STATES, string="Return Status", readonly=True, copy=False
    )
    flipkart_return_reason = fields.Char(
        string="Return Reason", readonly=True, copy=False
    )
    flipkart_return_sub_reason = fields.Char(
        string="Return Sub-reason", readonly=True, copy=False
    )
    flipkart_return_expected = fields.Datetime(
        string="Expected Back", readonly=True, copy=False
    )
    flipkart_return_service_id = fields.Char(
        string="Return Service ID",
        readonly=True,
        copy=False,
        help="Flipkart's service (technician visit) of a self-ship customer return.",
    )
    flipkart_credit_note_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False
    )

    _sql_constraints = [
        (
            "flipkart_return_uniq",
            "unique(flipkart_account_id, flipkart_return_id)",
            "This Flipkart return already has a receipt.",
        ),
    ]

    # Pack -------------------------------------------------------------------

    def _flipkart_pack_problem(self, now):
        """(message, keep queued) when this delivery cannot be packed now;
        (None, _) when it can; ("", _) when there is nothing to do."""
        self.ensure_one()
        if self.state == "cancel" or self.flipkart_state == "CANCELLED":
            return _("Cancelled: nothing to pack."), False
        if self.flipkart_self_ship:
            return (
                _("Self-ship: dispatch it with your courier (Self-Ship button)."),
                False,
            )
        if self.flipkart_state and self.flipkart_state != "APPROVED":
            return "", False  # already packed (or further) on Flipkart
        if self.sale_id.flipkart_gst_missing:
            return (
                _(
                    "Not packed: no GST tax on %(products)s. Flipkart would "
                    "print the customer invoice at 0 %% GST; apply GST on the "
                    "order and it will be packed.",
                    products=self.sale_id.flipkart_gst_missing,
                ),
                True,
            )
        if self.flipkart_hold:
            return (
                _("On hold at Flipkart: it will be packed once released."),
                True,
            )
        if self.flipkart_dispatch_after and self.flipkart_dispatch_after > now:
            return (
                _(
                    "Flipkart allows packing from %(when)s: it will be packed then.",
                    when=fields.Datetime.to_string(self.flipkart_dispatch_after),
                ),
                True,
            )
        return None, False

    def _flipkart_serial_numbers(self):
        """``{orderItemId: [[serial, ...]]}`` of serial-tracked products."""
        self.ensure_one()
        serials = {}
        for move in self.move_ids.filtered(
            lambda m: (
                m.sale_line_id.flipkart_order_item_id
                and m.product_id.tracking == "serial"
            )
        ):
            names = move.move_line_ids.lot_id.mapped("name")
            if names:
                item = move.sale_line_id.flipkart_order_item_id
                serials.setdefault(item, []).extend([name] for name in names)
        return serials

    def _flipkart_sub_shipments(self):
        """Dimensions of each package, for multi-package shipments."""
        self.ensure_one()
        package = self.flipkart_account_id.package_type_id
        weight = sum(m.product_id.weight * m.product_uom_qty for m in self.move_ids)
        ids = (self.flipkart_sub_shipments or "SS-1").split(",")
        return [
            {
                "subShipmentId": sub_id,
                "dimensions": {
                    "length": package.packaging_length or 0,
                    "breadth": package.width or 0,
                    "height": package.height or 0,
                    "weight": round(weight / len(ids), 3) or package.base_weight,
                },
            }
            for sub_id in ids
        ]

    def _flipkart_show_forms(self, names):
        self.ensure_one()
        self.write(
            {
                "flipkart_form_names": ", ".join(names) or False,
                "flipkart_message": _(
                    "Flipkart could not generate the state form(s) %(forms)s: "
                    "enter the ACK number and send it.",
                    forms=", ".join(names) or "?",
                ),
            }
        )

    def write(self, vals):
        # A flag describes the note it came with: a new note without one
        # (a success, another problem) ends it.
        if "flipkart_message" in vals and "flipkart_flag" not in vals:
            vals = dict(vals, flipkart_flag=False)
        unseen = self.browse()
        if vals.get("flipkart_state") in DISPATCHED:
            # First seen already dispatched (imported late): when is unknown.
            unseen = self.filtered(lambda p: not p.flipkart_state)
        result = super().write(vals)
        if vals.get("flipkart_state") in DISPATCHED:
            # When the RTD SLA was met (or missed): the breach rate's clock.
            now = fields.Datetime.now()
            for picking in self.filtered(lambda p: not p.flipkart_rtd_at):
                due = picking.flipkart_dispatch_by
                # Unknown counts as on time, never as a breach not made.
                at = min(now, due) if picking in unseen and due else now
                picking.flipkart_rtd_at = at
        return result

    def _flipkart_flag(self, flag, message, summary=None):
        """Note ``message`` as a ``flag`` on this delivery; the first time
        (not at every sync), schedule a To-Do named ``summary`` for the
        account's responsible user."""
        self.ensure_one()
        first = self.flipkart_flag != flag
        if first or self.flipkart_message != message:
            self.write({"flipkart_message": message, "flipkart_flag": flag})
        if first and summary:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                note=message,
                user_id=self.flipkart_account_id.user_id.id or self.env.uid,
            )

    def _flipkart_only(self):
        if not self.env.user.has_group("flipkart_connector.group_flipkart_user"):
            raise AccessError(_("Only Flipkart users may act on Flipkart deliveries."))
        pickings = self.filtered("flipkart_shipment_id")
        if not pickings:
            raise UserError(_("None of these transfers is a Flipkart delivery."))
        return pickings

    def action_flipkart_pack(self):
        """Pack on Flipkart now (labels and invoice follow when ready)."""
        pickings = self._flipkart_only().sudo()
        Fulfilment = self.env["flipkart.fulfilment"].sudo()
        Fulfilment._pack(pickings)
        try:
            with self.env.cr.savepoint():
                Fulfilment._collect_documents(pickings)
        except flipkart.FlipkartError as err:
            # Packed all the same: the scheduled run fetches the documents.
            pickings.write({"flipkart_message": err.message})
        return True

    def action_flipkart_fetch_documents(self):
        self.env["flipkart.fulfilment"].sudo()._collect_documents(
            self._flipkart_only().sudo()
        )
        return True

    def action_flipkart_send_form_ack(self):
        pickings = self._flipkart_only()
        missing = pickings.filtered(lambda p: not p.flipkart_form_ack)
        if missing:
            raise UserError(
                _(
                    "Enter the form ACK number first: %(names)s",
                    names=", ".join(missing.mapped("name")),
                )
            )
        self.env["flipkart.fulfilment"].sudo()._send_form_acks(pickings.sudo())
        return True

    # Print ------------------------------------------------------------------

    def action_flipkart_print_label(self):
        """Flipkart's labels, merged; Odoo's slip where the account says so."""
        pickings = self._flipkart_only()
        if not all(pickings.flipkart_account_id.mapped("use_marketplace_label")):
            return self.env.ref("stock.action_report_delivery").report_action(pickings)
        missing = pickings.filtered(lambda p: not p.flipkart_label_attachment_id)
        if missing:
            raise UserError(
                _(
                    "The Flipkart label is not ready yet for %(names)s: pack them "
                    "and wait for Label Ready.",
                    names=", ".join(missing.mapped("name")),
                )
            )
        documents = [p.flipkart_label_attachment_id.raw for p in pickings]
        return self._flipkart_download(
            merge_pdf(documents) if len(documents) > 1 else documents[0],
            _("Flipkart labels"),
        )

    def action_flipkart_reprint_label(self):
        """A fresh copy of the labels only, from Flipkart (50 a call)."""
        pickings = self._flipkart_only().filtered(
            lambda p: p.flipkart_state in ("PACKED", "READY_TO_DISPATCH")
        )
        if not pickings:
            raise UserError(_("Only packed shipments have a label to reprint."))
        documents = []
        for account in pickings.flipkart_account_id:
            ids = pickings.filtered(
                lambda p, a=account: p.flipkart_account_id == a
            ).mapped("flipkart_shipment_id")
            client = account._flipkart_client()
            try:
                documents += [
                    pdf for _batch, pdf in client.get_label_only_pdf(ids, reprint=True)
                ]
            except Exception as err:
                raise UserError(account._explain_error(err)) from err
        return self._flipkart_download(merge_pdf(documents), _("Flipkart labels"))

    def _flipkart_download(self, pdf, title):
        first = self[:1]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{title} {fields.Datetime.now():%Y%m%d-%H%M%S}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": first._name,
                "res_id": first.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    # Handover ---------------------------------------------------------------

    def _flipkart_apply_state(self, state):
        """Follow Flipkart: a parcel the courier has is a done delivery."""
        if state not in const.HANDED_OVER:
            return
        if state in ("DELIVERED", "COMPLETED"):
            self.filtered(lambda p: not p.flipkart_delivered_at).write(
                {"flipkart_delivered_at": fields.Datetime.now()}
            )
        for picking in self.filtered(lambda p: p.state not in ("done", "cancel")):
            picking._flipkart_validate_handover(state)

    def _flipkart_validate_handover(self, state):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                for move in self.move_ids.filtered(
                    lambda m: m.state not in ("done", "cancel")
                ):
                    move.quantity = move.product_uom_qty
                    move.picked = True
                self.with_context(
                    skip_backorder=True,
                    cancel_backorder=True,
                    skip_sms=True,
                    flipkart_handover=True,
                ).button_validate()
        except UserError as err:
            message = _(
                "Flipkart reports %(state)s but the delivery could not be "
                "validated: %(error)s",
                state=state,
                error=err.args[0] if err.args else err,
            )
            self._flipkart_flag(
                "handover_not_validated",
                message,
                _("Validate the Flipkart delivery"),
            )
            return
        self.message_post(
            body=_(
                "Handed over to %(courier)s (tracking %(tracking)s): validated "
                "because Flipkart reports %(state)s.",
                courier=self.flipkart_courier or _("the courier"),
                tracking=self.flipkart_tracking_id or "?",
                state=state,
            )
        )

    def _action_done(self):
        """Validating in Odoo moves stock only: it never tells Flipkart
        anything was handed over. With "pack when the pick is validated",
        the shipment is queued for packing."""
        result = super()._action_done()
        Returns = self.env["flipkart.return.import"].sudo()
        for receipt in self.sudo().filtered(lambda p: p.state == "done"):
            if receipt._flipkart_return_receipt():
                Returns._credit(receipt)
        if self.env.context.get("flipkart_handover"):
            return result
        # Any warehouse user validates; the Flipkart side is the connector's.
        for picking in self.sudo():
            delivery = picking._flipkart_delivery()
            if not delivery or picking.flipkart_return_id:
                continue
            if (
                delivery.flipkart_account_id.pack_on == "pick"
                and delivery.flipkart_state == "APPROVED"
            ):
                delivery.flipkart_pack_queued = True
            if picking == delivery and picking.flipkart_state not in const.HANDED_OVER:
                picking.message_post(
                    body=_(
                        "Validated in Odoo. Flipkart has not reported a pickup yet "
                        "(status: %(state)s); nothing was sent to Flipkart.",
                        state=picking.flipkart_state or "?",
                    )
                )
        return result

    def _flipkart_return_receipt(self):
        """The Flipkart return receipt this transfer is (or is a backorder
        of: the rest of a partly received return)."""
        self.ensure_one()
        picking = self
        while picking and not picking.flipkart_return_id:
            picking = picking.backorder_id
        return picking

    def _flipkart_delivery(self):
        """The Flipkart delivery this transfer belongs to (itself, or the
        outgoing step of a multi-step delivery)."""
        self.ensure_one()
        if self.flipkart_shipment_id:
            return self
        order = self.sudo().sale_id
        if not order.flipkart_shipment_id:
            return self.browse()
        return order.picking_ids.filtered(
            lambda p: p.flipkart_shipment_id and p.state != "cancel"
        )[:1]

    @api.model
    def _flipkart_queue_reserved(self, pickings):
        """Pack at reservation (Flipkart's PACK_IN_ACK): queue the deliveries
        whose stock is now reserved (the first step's, in multi-step
        deliveries); the fulfilment run packs them in batches."""
        due = self.browse()
        for picking in pickings.sudo().filtered(lambda p: p.state == "assigned"):
            delivery = picking._flipkart_delivery()
            if (
                delivery
                and delivery.flipkart_state == "APPROVED"
                and not delivery.flipkart_pack_queued
                and delivery.flipkart_account_id.pack_on == "reservation"
            ):
                due |= delivery
        if due:
            due.write({"flipkart_pack_queued": True})
            self.env.ref(
                "flipkart_connector.ir_cron_flipkart_fetch_documents"
            ).sudo()._trigger()

    # SLA board ------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "flipkart_dispatch_by",
        "flipkart_hold",
        "flipkart_state",
        "flipkart_label_ready",
        "flipkart_form_names",
        "state",
    )
    def _compute_flipkart_sla(self):
        now = fields.Datetime.now()
        for picking in self:
            due = picking.flipkart_dispatch_by
            open_ = picking.state not in ("done", "cancel") and (
                picking.flipkart_state not in DISPATCHED
            )
            picking.flipkart_hours_left = (
                (due - now).total_seconds() / 3600 if due else 0.0
            )
            picking.flipkart_breached = bool(open_ and due and due < now)
            picking.flipkart_breach_soon = bool(
                open_ and due and now <= due <= now + SOON
            )
            picking.flipkart_blocker = open_ and picking._flipkart_blocker() or False

    def _flipkart_blocker(self):
        if self.flipkart_hold:
            return _("On hold at Flipkart")
        if self.flipkart_form_names:
            return _("Form failed: %(forms)s", forms=self.flipkart_form_names)
        if self.flipkart_state in (False, "APPROVED") and self.state != "assigned":
            return _("No stock reserved")
        if self.flipkart_state in ("PACKING_IN_PROGRESS", "PACKED") and not (
            self.flipkart_label_ready
        ):
            return _("Label not ready")
        return False

    def _search_flipkart_breach_soon(self, operator, value):
        now = fields.Datetime.now()
        return self._flipkart_open_domain(
            operator,
            value,
            [
                ("flipkart_dispatch_by", ">=", now),
                ("flipkart_dispatch_by", "<=", now + SOON),
            ],
        )

    def _search_flipkart_breached(self, operator, value):
        return self._flipkart_open_domain(
            operator, value, [("flipkart_dispatch_by", "<", fields.Datetime.now())]
        )

    def _flipkart_open_domain(self, operator, value, dates):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(_("Search on this field with = True only."))
        domain = [
            ("flipkart_shipment_id", "!=", False),
            ("state", "not in", ("done", "cancel")),
            ("flipkart_state", "not in", DISPATCHED),
            *dates,
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.AND([domain])]
