from odoo import _, models
from odoo.exceptions import UserError


class StockPickingBatch(models.Model):
    """A batch transfer is the picklist: pack, prefetch and print for it."""

    _inherit = "stock.picking.batch"

    def _flipkart_pickings(self):
        pickings = self.picking_ids.filtered("flipkart_shipment_id")
        if not pickings:
            raise UserError(_("This batch holds no Flipkart delivery."))
        return pickings

    def action_flipkart_prefetch(self):
        return self.env["flipkart.prefetch.wizard"]._open(
            self._flipkart_pickings(), batch=self
        )

    def action_flipkart_print_labels(self):
        return self._flipkart_pickings().action_flipkart_print_label()

    def action_flipkart_manifest(self):
        return self.env["flipkart.manifest.wizard"]._open(
            self._flipkart_pickings(), batch=self
        )
