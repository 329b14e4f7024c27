from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    flipkart_refurbished = fields.Boolean(
        string="Refurbished (2GUD)",
        help="Products of this category are refurbished: on 2GUD, their pack "
        "request carries the purchase cost of the unit shipped.",
    )
    flipkart_margin_scheme = fields.Boolean(
        string="Margin Scheme (2GUD)",
        help="Refurbished products of this category are sold under the GST "
        "margin scheme (Rule 32(5)): their 2GUD invoices are checked against "
        "the GST on the margin. Also settable for a whole 2GUD account.",
    )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    flipkart_refurbished = fields.Boolean(
        string="Refurbished (2GUD)",
        help="Refurbished goods: on 2GUD, the pack request carries the "
        "purchase cost of the unit shipped (the serial's or lot's own cost "
        "when the product is valued by lot or serial, else the product's "
        "cost). Also set by the product category.",
    )

    def _flipkart_is_refurbished(self):
        self.ensure_one()
        return self.flipkart_refurbished or self.categ_id.flipkart_refurbished
