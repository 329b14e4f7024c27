from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..flipkart.const import RETURN_ACTIONS
from .common import selected_pickings

REQUIRED = {
    "approve": ("service_date",),
    "reject": ("service_date",),
    "pickup": ("pickup_date",),
    "pickup_attempt": ("pickup_date", "new_pickup_date", "reason"),
}


class FlipkartReturnActionWizard(models.TransientModel):
    """Tell Flipkart what happened to a self-ship return."""

    _name = "flipkart.return.action.wizard"
    _description = "Flipkart Self-Ship Return Action"

    action = fields.Selection(RETURN_ACTIONS, required=True, default="approve")
    picking_ids = fields.Many2many("stock.picking", string="Returns", required=True)
    service_date = fields.Datetime(default=fields.Datetime.now)
    comments = fields.Char()
    pickup_date = fields.Datetime(default=fields.Datetime.now)
    new_pickup_date = fields.Date(string="Next Pickup On")
    reason = fields.Char()

    @api.model
    def default_get(self, fields_list):
        return selected_pickings(self, super().default_get(fields_list))

    def action_send(self):
        self.ensure_one()
        receipts = self.picking_ids.filtered(
            lambda p: p.flipkart_return_id and p.flipkart_self_ship
        )
        if not receipts:
            raise UserError(_("None of these is a self-ship Flipkart return."))
        missing = [
            self._fields[name].string
            for name in REQUIRED.get(self.action, ())
            if not self[name]
        ]
        if missing:
            raise UserError(_("Fill in: %(fields)s", fields=", ".join(missing)))
        self.env["flipkart.return.import"].sudo()._send_actions(
            self.action, receipts.sudo(), self
        )
        return {"type": "ir.actions.act_window_close"}
