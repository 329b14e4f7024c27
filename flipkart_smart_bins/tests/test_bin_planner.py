import base64

from odoo.tests import tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestBinPlanner(SmartCase):
    def setUp(self):
        super().setUp()
        self.bins.write({"flipkart_bin_capacity": 100})
        mapped = self.listings[:2]
        self.receive(mapped[0].product_id, self.bins[0], 95)
        self.receive(mapped[1].product_id, self.bins[1], 30)
        self.receive(self.product, self.bins[1], 20)
        self.env.flush_all()

    def planner(self, domain=()):
        return self.env["flipkart.smart.bin.report"].search(
            [("root_id", "=", self.root.id), *domain]
        )

    def test_each_bin_with_units_skus_and_fill(self):
        rows = {row.bin_id.name: row for row in self.planner()}
        self.assertEqual(
            [
                (rows[n].units, rows[n].sku_count, rows[n].fill)
                for n in ("B-01", "B-02", "B-03")
            ],
            [(95, 1, 95), (50, 2, 50), (0, 0, 0)],
        )
        self.assertEqual(self.planner([("fill", ">=", 90)]).bin_id, self.bins[0])
        self.assertEqual(self.planner([("units", "=", 0)]).bin_id, self.bins[2])

    def test_nearly_full_bins_warn_the_responsible_once(self):
        # 145 units of 300: 51 % free; the warning threshold at 60 %.
        self.account.smart_free_alert = 60
        Account = self.env["flipkart.account"]
        Account._cron_smart_capacity_alert()
        Account._cron_smart_capacity_alert()
        activities = self.account.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertIn("155 units of room left out of 300", activities.note)
        self.account.smart_free_alert = 50
        activities.unlink()
        Account._cron_smart_capacity_alert()
        self.assertFalse(self.account.activity_ids)

    def test_bin_stock_export_for_the_smart_panel(self):
        action = self.account.action_export_bin_stock()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        lines = base64.b64decode(attachment.datas).decode().splitlines()
        skus = self.listings[:2].mapped("seller_sku")
        self.assertEqual(
            lines,
            ["Bin,Seller SKU,Quantity", f"B-01,{skus[0]},95", f"B-02,{skus[1]},30"],
        )
