from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _flipkart_is_kit(self):
        """Whether a kit (Manufacturing's phantom bill of materials) makes
        this product: it has no stock of its own."""
        self.ensure_one()
        if "mrp.bom" not in self.env:
            return False
        return bool(
            self.env["mrp.bom"]
            .sudo()
            .search_count(
                [
                    ("type", "=", "phantom"),
                    "|",
                    ("product_id", "=", self.id),
                    "&",
                    ("product_id", "=", False),
                    ("product_tmpl_id", "=", self.product_tmpl_id.id),
                ],
                limit=1,
            )
        )
