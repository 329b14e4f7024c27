from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_stock_move_values(self, *args):
        """A Smart order of a Smart pool ships from the pool, never from the
        shared warehouse's stock the other channels sell."""
        move_values = super()._get_stock_move_values(*args)
        group = args[-1].get("group_id")  # the procurement's values
        location = group and group.sale_id.flipkart_location_id
        if location and location.account_id.channel_type == "smart":
            root = location._stock_root()
            if move_values.get("location_id") == location.warehouse_id.lot_stock_id.id:
                move_values["location_id"] = root.id
        return move_values
