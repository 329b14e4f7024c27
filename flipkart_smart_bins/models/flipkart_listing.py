from odoo import api, models
from odoo.exceptions import ValidationError


class FlipkartListing(models.Model):
    _inherit = "flipkart.listing"

    @api.constrains("product_id", "account_id")
    def _check_smart_physical_product(self):
        """Flipkart Smart takes physical stock only: no virtual bundles
        (Flipkart Smart V2 configuration, item 6)."""
        for listing in self.filtered(
            lambda rec: rec.product_id and rec.account_id.channel_type == "smart"
        ):
            product = listing.product_id
            if product.type == "combo" or product._flipkart_is_kit():
                problem = self.env._(
                    "it is a bundle made of other products (kit or combo)"
                )
            elif not product.is_storable:
                problem = self.env._("its stock is not tracked")
            else:
                continue
            raise ValidationError(
                self.env._(
                    "Flipkart Smart listing %(sku)s cannot be mapped to "
                    "%(product)s: %(problem)s. Flipkart Smart sells physical "
                    "stock from its bins only; map a storable product (a "
                    "physical bundle has its own product and stock).",
                    sku=listing.seller_sku,
                    product=product.display_name,
                    problem=problem,
                )
            )
