from odoo import _, fields, models

from odoo.addons.flipkart_connector.wizards.common import reopen_action


class FlipkartAccount(models.Model):
    _inherit = "flipkart.account"

    channel_type = fields.Selection(
        selection_add=[("smart", "Flipkart Smart")],
        ondelete={"smart": "set default"},
    )
    smart_bin_column = fields.Char(
        string="Bin Code Column",
        help="The column of Flipkart's Available Bins export that holds the "
        "bin codes, as chosen at the last bin import.",
    )

    def _stock_deducts_buffer_and_pending(self):
        # Flipkart Smart gets the bin-wise stock as it is: no buffer, no
        # back-order logic (Flipkart Smart V2 configuration, item 7).
        return (
            self.channel_type != "smart" and super()._stock_deducts_buffer_and_pending()
        )

    def action_test_inventory_update(self):
        self.ensure_one()
        self._check_manager()
        wizard = self.env["flipkart.test.inventory.wizard"].create(
            {"account_id": self.id}
        )
        return reopen_action(wizard, _("Test Inventory Update"))
