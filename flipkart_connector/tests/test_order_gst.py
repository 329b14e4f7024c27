from odoo.tests import tagged

from .common import GstCase


@tagged("post_install", "-at_install")
class TestOrderWithoutGst(GstCase):
    def test_order_says_it_has_no_gst_and_is_never_packed(self):
        order = self.import_order(self.skus[0])
        # The order is there (its stock is reserved), but says what is wrong.
        self.assertEqual(order.state, "sale")
        self.assertFalse(self.item_line(order).tax_id)
        self.assertEqual(order.flipkart_gst_missing, f"Product {self.skus[0]}")
        self.assertTrue(
            any("No GST tax found" in m.body for m in order.message_ids),
            "the order's chatter says so",
        )
        event = self.gst_event(order)
        self.assertEqual(event.state, "error")
        self.assertIn("No GST tax found", event.last_error)
        self.assertFalse(event.retry_at, "a person fixes it: no automatic retry")
        # Packing would make Flipkart print a 0 % GST invoice: refused.
        picking = order.picking_ids
        self.sandbox.reset_calls()
        picking.action_flipkart_pack()
        self.assertEqual(self.pack_calls(), 0)
        self.assertIn("no GST tax", picking.flipkart_message)
        self.assertTrue(picking.flipkart_pack_queued)
        self.assertFalse(picking.flipkart_state != "APPROVED")
        # The scheduled packing of queued deliveries refuses it too.
        self.env["flipkart.fulfilment"]._cron_fetch_documents()
        self.assertEqual(self.pack_calls(), 0)
        self.assertFalse(
            self.env["flipkart.event"].search(
                [("account_id", "=", self.account.id), ("kind", "=", "pack")]
            )
        )
        # Listed by the order filter.
        self.assertIn(
            order,
            self.env["sale.order"].search([("flipkart_gst_missing", "!=", False)]),
        )

    def test_gst_applied_once_the_company_has_it_then_packed(self):
        order = self.import_order(self.skus[1])
        event = self.gst_event(order)
        # Retrying before anything changed keeps the event in error.
        event.action_retry()
        self.assertEqual(event.state, "error")
        self.assertIn("No GST tax found", event.last_error)
        self.env["account.chart.template"].try_loading(
            "in", company=self.company, install_demo=False
        )
        event.action_retry()
        self.assertEqual(event.state, "done")
        taxes = self.item_line(order).tax_id
        self.assertEqual(sum(taxes.flatten_taxes_hierarchy().mapped("amount")), 18)
        self.assertTrue(taxes.price_include, "Flipkart's prices include GST")
        self.assertFalse(order.flipkart_gst_missing)
        # Now it packs, with the rate Flipkart prints on the invoice.
        self.sandbox.reset_calls()
        order.picking_ids.action_flipkart_pack()
        self.assertEqual(self.pack_calls(), 1)
        pack = self.env["flipkart.event"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "pack")]
        )
        rates = [
            item["taxRate"]
            for shipment in pack._payload()["shipments"]
            for item in shipment["taxItems"]
        ]
        self.assertEqual(rates, [18.0])

    def test_apply_gst_button_on_the_order(self):
        order = self.import_order(self.skus[2])
        action = order.action_flipkart_apply_gst()
        self.assertEqual(action["params"]["type"], "warning", "still no GST: said")
        self.env["account.chart.template"].try_loading(
            "in", company=self.company, install_demo=False
        )
        self.assertIs(order.action_flipkart_apply_gst(), True)
        self.assertFalse(order.flipkart_gst_missing)
        self.assertEqual(self.gst_event(order).state, "done")


@tagged("post_install", "-at_install")
class TestZeroRatedGoods(GstCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "in", company=cls.company, install_demo=False
        )

    def test_zero_rate_from_flipkart_is_nil_rated_gst(self):
        # Books: Flipkart gives 0 %, a real rate, not a missing one.
        self.listings[0].tax_rate = 0.0
        order = self.import_order(self.skus[0])
        taxes = self.item_line(order).tax_id
        self.assertTrue(taxes)
        self.assertEqual(sum(taxes.flatten_taxes_hierarchy().mapped("amount")), 0)
        self.assertFalse(order.flipkart_gst_missing)
        self.assertFalse(self.gst_event(order))

    def test_unknown_rate_without_product_tax_is_missing(self):
        self.listings[1].write({"tax_rate": 0.0, "tax_rate_known": False})
        self.listings[1].product_id.taxes_id = False
        order = self.import_order(self.skus[1])
        self.assertTrue(order.flipkart_gst_missing)
        self.assertEqual(self.gst_event(order).state, "error")
