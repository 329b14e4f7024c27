from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSmartInstall(TransactionCase):
    def test_smart_channel_type(self):
        """Installing the addon adds the Flipkart Smart channel to accounts."""
        field = self.env["flipkart.account"]._fields["channel_type"]
        self.assertIn("smart", dict(field.selection))
        self.assertIn("stock_picking_batch", self.env.registry._init_modules)
        account = self.env["flipkart.account"].create(
            {"name": "Smart", "channel_type": "smart", "app_id": "smart-app"}
        )
        self.assertEqual(account.channel_type, "smart")
        self.assertEqual(account.api_base_url, "https://api.flipkart.net")
