from odoo import _, fields, models
from odoo.exceptions import AccessError


class ProductTemplate(models.Model):
    _inherit = "product.template"

    flipkart_listing_count = fields.Integer(compute="_compute_flipkart_listing_count")
    flipkart_buffer_override = fields.Boolean(
        string="Own Flipkart Buffer",
        help="Use this product's safety buffer instead of the account's.",
    )
    flipkart_buffer = fields.Integer(
        string="Flipkart Safety Buffer",
        help="Units of this product kept back from Flipkart.",
    )

    def _compute_flipkart_listing_count(self):
        counts = dict(
            self.env["flipkart.listing"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.flipkart_listing_count = sum(
                counts.get(variant, 0) for variant in template.product_variant_ids
            )

    def action_view_flipkart_listings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_listing_action"
        )
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        action["context"] = {"search_default_group_account": 1}
        return action

    def action_flipkart_push_inventory(self):
        """Send this product's stock to Flipkart now, on every account."""
        if not self.env.user.has_group("flipkart_connector.group_flipkart_user"):
            raise AccessError(_("Only Flipkart users may push stock to Flipkart."))
        listings = (
            self.env["flipkart.listing"]
            .sudo()
            .search(
                [
                    ("product_id.product_tmpl_id", "in", self.ids),
                    ("account_id.active", "=", True),
                    # An account without Inventory Sync keeps its stock as is.
                    ("account_id.inventory_sync", "=", True),
                    ("company_id", "in", self.env.companies.ids),
                ]
            )
        )
        # The connector's bookkeeping (ledger, events) is not the user's.
        Inventory = self.env["flipkart.inventory"].sudo()
        for account in listings.account_id:
            Inventory._push(
                account,
                full=True,
                listing_ids=listings.filtered(
                    lambda listing, acc=account: listing.account_id == acc
                ).ids,
            )
        return True
