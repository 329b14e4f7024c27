import re

from odoo import _, fields, models
from odoo.exceptions import UserError

from .. import flipkart
from .common import reopen_action


class FlipkartFetchOrdersWizard(models.TransientModel):
    """Fetch given Flipkart orders or shipments now (a missed or urgent one)."""

    _name = "flipkart.fetch.orders.wizard"
    _description = "Fetch Flipkart Orders"

    account_id = fields.Many2one("flipkart.account", required=True)
    id_type = fields.Selection(
        [("order", "Order IDs"), ("shipment", "Shipment IDs")],
        string="IDs Are",
        default="order",
        required=True,
    )
    ids_text = fields.Text(
        string="IDs", required=True, help="One per line, or separated by commas."
    )
    result = fields.Text(readonly=True)

    def action_fetch(self):
        self.ensure_one()
        ids = [part for part in re.split(r"[\s,;]+", self.ids_text or "") if part]
        if not ids:
            raise UserError(_("Enter at least one id."))
        key = "order_ids" if self.id_type == "order" else "shipment_ids"
        try:
            shipments = self.account_id._flipkart_client().get_shipments(**{key: ids})
        except flipkart.FlipkartError as err:
            raise UserError(self.account_id._explain_error(err)) from err
        summary = self.env["flipkart.shipment.import"]._import(
            self.account_id, shipments
        )
        lines = [
            _(
                "%(found)s shipment(s) found: %(created)s imported, %(updated)s "
                "updated.",
                found=len(shipments),
                created=len(summary["created"]),
                updated=len(summary["updated"]),
            )
        ]
        lines += [f"{sid}: {reason}" for sid, reason in summary["failed"].items()]
        self.result = "\n".join(lines)
        return reopen_action(self)
