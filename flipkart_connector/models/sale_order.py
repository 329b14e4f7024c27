from odoo import api, fields, models

PAYMENT_TYPES = [("COD", "Cash on Delivery"), ("PREPAID", "Prepaid")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    flipkart_account_id = fields.Many2one(
        "flipkart.account",
        index=True,
        readonly=True,
        copy=False,
    )
    flipkart_location_id = fields.Many2one(
        "flipkart.location", readonly=True, copy=False
    )
    flipkart_order_id = fields.Char(
        string="Flipkart Order ID", index=True, readonly=True, copy=False
    )
    flipkart_shipment_id = fields.Char(
        string="Flipkart Shipment ID", index=True, readonly=True, copy=False
    )
    flipkart_payment_type = fields.Selection(
        PAYMENT_TYPES, string="Flipkart Payment", readonly=True, copy=False
    )
    flipkart_is_replacement = fields.Boolean(
        string="Flipkart Replacement", readonly=True, copy=False
    )
    flipkart_related_order_ids = fields.Many2many(
        "sale.order",
        compute="_compute_flipkart_related_order_ids",
        string="Same Flipkart Order",
        help="The other shipments (replacements included) of this Flipkart order.",
    )
    flipkart_related_order_count = fields.Integer(
        compute="_compute_flipkart_related_order_ids"
    )

    _sql_constraints = [
        (
            "flipkart_shipment_uniq",
            "unique(flipkart_account_id, flipkart_shipment_id)",
            "This Flipkart shipment is already imported.",
        ),
    ]

    @api.depends("flipkart_account_id", "flipkart_order_id")
    def _compute_flipkart_related_order_ids(self):
        flipkart_orders = self.filtered("flipkart_order_id")
        groups = {}
        if flipkart_orders:
            siblings = self.search(
                [
                    (
                        "flipkart_account_id",
                        "in",
                        flipkart_orders.flipkart_account_id.ids,
                    ),
                    (
                        "flipkart_order_id",
                        "in",
                        flipkart_orders.mapped("flipkart_order_id"),
                    ),
                ]
            )
            for sibling in siblings:
                key = (sibling.flipkart_account_id.id, sibling.flipkart_order_id)
                groups.setdefault(key, self.browse())
                groups[key] |= sibling
        for order in self:
            key = (order.flipkart_account_id.id, order.flipkart_order_id)
            related = groups.get(key, self.browse()) - order
            order.flipkart_related_order_ids = related
            order.flipkart_related_order_count = len(related)

    def action_view_flipkart_related_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "name": self.flipkart_order_id,
            "view_mode": "list,form",
            "domain": [("id", "in", self.flipkart_related_order_ids.ids)],
        }
