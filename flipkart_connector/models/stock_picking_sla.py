"""The SLA board's view of a Flipkart delivery: when it was ready to
dispatch, how long is left before its dispatch-by date, what blocks it."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.osv import expression

from ..flipkart import const

# Ready to dispatch, or further: the RTD SLA is met (or missed) by then.
DISPATCHED = ("READY_TO_DISPATCH", *const.HANDED_OVER)
SOON = timedelta(hours=4)


class StockPicking(models.Model):
    _inherit = "stock.picking"

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

    def write(self, vals):
        result = super().write(vals)
        if vals.get("flipkart_state") in DISPATCHED:
            self.filtered(lambda p: not p.flipkart_rtd_at).write(
                {"flipkart_rtd_at": fields.Datetime.now()}
            )
        return result

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
