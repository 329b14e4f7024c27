from odoo import api, models


class FlipkartFulfilment(models.AbstractModel):
    _inherit = "flipkart.fulfilment"

    @api.model
    def _pack_entry(self, picking, location):
        """2GUD: each refurbished item carries the purchase cost of the unit
        shipped (``taxItems[].purchasePrice``, "refurbished only")."""
        entry = super()._pack_entry(picking, location)
        if picking.flipkart_account_id.channel_type == "2gud":
            prices, _missing = picking._flipkart_purchase_prices()
            for tax in entry["taxItems"]:
                if tax["orderItemId"] in prices:
                    tax["purchasePrice"] = prices[tax["orderItemId"]]
        return entry
