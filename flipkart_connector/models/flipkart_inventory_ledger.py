from odoo import fields, models

LEDGER_STATES = [
    ("pending", "Sending"),
    ("SUCCESS", "Success"),
    ("WARNING", "Warning"),
    ("FAILURE", "Failure"),
    ("dry_run", "Dry run"),
]


class FlipkartInventoryLedger(models.Model):
    """Every quantity sent to Flipkart, with why it was that number and what
    Flipkart answered: the answer to "why does Flipkart show 3?"."""

    _name = "flipkart.inventory.ledger"
    _description = "Flipkart Stock Ledger"
    _order = "id desc"
    _rec_name = "listing_id"

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    listing_id = fields.Many2one(
        "flipkart.listing", required=True, index=True, ondelete="cascade"
    )
    location_id = fields.Many2one("flipkart.location", required=True)
    product_id = fields.Many2one("product.product", index=True)
    event_id = fields.Many2one("flipkart.event", index=True, ondelete="set null")
    reason = fields.Selection(
        [("push", "Push"), ("reconciliation", "Reconciliation fix")],
        default="push",
        required=True,
    )
    free_quantity = fields.Float(
        string="Free in Odoo", help="On hand minus reserved in the warehouse."
    )
    pending_quantity = fields.Float(
        string="Pending Orders",
        help="Accepted on Flipkart, not yet an order in Odoo.",
    )
    buffer = fields.Float(string="Safety Buffer")
    quantity = fields.Integer(string="Sent", help="Floored at 0.")
    disabled = fields.Boolean(help="The location was sent as DISABLED.")
    state = fields.Selection(LEDGER_STATES, default="pending", required=True)
    message = fields.Text(string="Flipkart's Answer")
