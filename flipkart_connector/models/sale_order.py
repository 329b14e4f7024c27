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
    flipkart_cancel_reason = fields.Char(
        string="Flipkart Cancellation", readonly=True, copy=False
    )
    flipkart_seller_cancelled = fields.Boolean(
        string="Cancelled by Seller",
        readonly=True,
        copy=False,
        help="Counts against the seller cancellation rate on Flipkart.",
    )
    flipkart_pending_stock = fields.Boolean(
        string="Pending Stock",
        readonly=True,
        copy=False,
        help="Ordered although the stock last pushed to Flipkart was 0. "
        "Flipkart usually cancels such orders itself (no penalty).",
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

    def action_flipkart_seller_cancel(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_seller_cancel_wizard_action"
        )
        action["context"] = {"default_order_id": self.id}
        return action

    def action_view_flipkart_related_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "name": self.flipkart_order_id,
            "view_mode": "list,form",
            "domain": [("id", "in", self.flipkart_related_order_ids.ids)],
        }
