from odoo import fields, models


class FakeBom(models.Model):
    """Stand-in for Manufacturing's bill of materials: the fields the kit
    check reads (Manufacturing is not installed in the test databases)."""

    _name = "mrp.bom"
    _description = "Bill of Materials (test stand-in)"

    product_tmpl_id = fields.Many2one("product.template")
    product_id = fields.Many2one("product.product")
    type = fields.Selection(
        [("normal", "Manufacture"), ("phantom", "Kit")], default="normal"
    )
