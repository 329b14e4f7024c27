from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    flipkart_order_item_id = fields.Char(index=True, readonly=True, copy=False)
    flipkart_cancellation_group_id = fields.Char(
        readonly=True,
        copy=False,
        help="Flipkart cancels this group of items together.",
    )
    flipkart_account_id = fields.Many2one(
        related="order_id.flipkart_account_id", store=True, precompute=True
    )

    _sql_constraints = [
        (
            "flipkart_order_item_uniq",
            "unique(flipkart_account_id, flipkart_order_item_id)",
            "This Flipkart order item is already imported.",
        ),
    ]
