from odoo import fields, models


class FlipkartSmartAssignment(models.Model):
    """The one bin a SKU lives in, per Smart root (Flipkart Smart keeps a SKU
    in one bin only; a bin holds several SKUs).

    Written only by the check that runs when stock moves are done, with one
    upsert on the unique (product, root): of two transactions putting the
    same SKU into two bins at once, the database lets one commit.
    """

    _name = "flipkart.smart.assignment"
    _description = "Flipkart Smart: Bin of a SKU"
    _order = "root_id, bin_id, product_id"
    _rec_name = "bin_id"

    product_id = fields.Many2one(
        "product.product", required=True, readonly=True, ondelete="cascade"
    )
    root_id = fields.Many2one(
        "stock.location",
        string="Smart Root",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    bin_id = fields.Many2one(
        "stock.location",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)

    _sql_constraints = [
        (
            "product_root_uniq",
            "unique(product_id, root_id)",
            "A SKU lives in one bin of a Flipkart Smart root.",
        ),
    ]
