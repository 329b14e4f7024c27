from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        """Reserving stock may make a Flipkart shipment ready to pack."""
        result = super()._action_assign(force_qty=force_qty)
        pickings = self.picking_id.sudo().filtered(
            lambda p: p.sale_id.flipkart_shipment_id
        )
        if pickings:
            self.env["stock.picking"]._flipkart_queue_reserved(pickings)
        return result
