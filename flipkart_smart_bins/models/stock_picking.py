from odoo import api, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    @api.constrains("batch_id")
    def _check_flipkart_picklist_batch(self):
        self.batch_id._check_flipkart_picklist()

    def _flipkart_pack_problem(self, now):
        problem, keep_queued = super()._flipkart_pack_problem(now)
        if (
            problem is None
            and self.flipkart_account_id.channel_type == "smart"
            and not self.batch_id.flipkart_picklist_id
        ):
            return (
                self.env._(
                    "Flipkart Smart packs a shipment only once it is in a "
                    "Flipkart picklist: put the delivery in a batch and enter "
                    "the picklist id released on Flipkart's Smart panel."
                ),
                True,
            )
        return problem, keep_queued
