from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .common import selected_pickings

ACTIONS = [
    ("dispatch", "Dispatch"),
    ("attempt", "Failed Delivery Attempt"),
    ("delivery", "Delivered"),
    ("service_attempt", "Service Attempt"),
    ("service_complete", "Service Complete"),
]


class FlipkartSelfShipWizard(models.TransientModel):
    """Tell Flipkart what the seller's own courier did (self-ship)."""

    _name = "flipkart.self.ship.wizard"
    _description = "Flipkart Self-Ship"

    action = fields.Selection(ACTIONS, required=True, default="dispatch")
    picking_ids = fields.Many2many("stock.picking", required=True)
    courier_name = fields.Char(string="Courier")
    courier_code = fields.Char(help="Flipkart's code of the delivery partner.")
    tracking_id = fields.Char(string="Tracking ID")
    dispatch_date = fields.Datetime(default=fields.Datetime.now)
    tentative_delivery_date = fields.Date()
    invoice_number = fields.Char(
        help="Your invoice number; the order's posted invoice when empty."
    )
    invoice_date = fields.Date()
    delivery_date = fields.Datetime(default=fields.Datetime.now)
    attempt_reason = fields.Char(string="Reason")
    attempt_sub_reason = fields.Char(string="Sub-reason")
    new_delivery_date = fields.Date(string="Next Attempt On")

    @api.model
    def default_get(self, fields_list):
        return selected_pickings(self, super().default_get(fields_list))

    def action_send(self):
        self.ensure_one()
        pickings = self.picking_ids.filtered("flipkart_self_ship")
        if not pickings:
            raise UserError(_("None of these deliveries is a self-ship shipment."))
        required = {
            "dispatch": ("courier_name", "courier_code", "tentative_delivery_date"),
            "attempt": ("attempt_reason", "new_delivery_date"),
            "delivery": ("delivery_date",),
        }.get(self.action, ())
        missing = [self._fields[name].string for name in required if not self[name]]
        if missing:
            raise UserError(_("Fill in: %(fields)s", fields=", ".join(missing)))
        self.env["flipkart.fulfilment"].sudo()._self_ship(
            self.action, pickings.sudo(), self
        )
        return {"type": "ir.actions.act_window_close"}
