from odoo import fields, models

from .flipkart_inventory import CAUSES


class FlipkartInventoryDifference(models.Model):
    """A listing whose stock on Flipkart differs from what Odoo would send,
    and why (from the last reconciliation of its account)."""

    _name = "flipkart.inventory.difference"
    _description = "Flipkart Stock Difference"
    _order = "account_id, cause, listing_id"
    _rec_name = "listing_id"

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    listing_id = fields.Many2one(
        "flipkart.listing", required=True, index=True, ondelete="cascade"
    )
    location_id = fields.Many2one("flipkart.location", required=True)
    product_id = fields.Many2one("product.product")
    flipkart_quantity = fields.Integer(string="On Flipkart")
    odoo_quantity = fields.Integer(string="Odoo Would Send")
    cause = fields.Selection(CAUSES, required=True, index=True)
    fixed = fields.Boolean(
        string="Pushed Again", help="The reconciliation pushed Odoo's quantity."
    )
