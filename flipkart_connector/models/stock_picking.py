from odoo import fields, models

SHIPMENT_STATES = [
    ("APPROVED", "Approved"),
    ("PACKING_IN_PROGRESS", "Packing in progress"),
    ("PACKED", "Packed"),
    ("FORM_FAILED", "Form failed"),
    ("READY_TO_DISPATCH", "Ready to dispatch"),
    ("PICKUP_COMPLETE", "Picked up"),
    ("SHIPPED", "Shipped"),
    ("DELIVERED", "Delivered"),
    ("CANCELLED", "Cancelled"),
    ("RETURN_REQUESTED", "Return requested"),
    ("RETURNED", "Returned"),
    ("COMPLETED", "Completed"),
]


class StockPicking(models.Model):
    _inherit = "stock.picking"

    flipkart_shipment_id = fields.Char(
        string="Flipkart Shipment ID", index=True, readonly=True, copy=False
    )
    flipkart_state = fields.Selection(
        SHIPMENT_STATES, string="Flipkart Status", readonly=True, copy=False
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
