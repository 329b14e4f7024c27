from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import Form, tagged

from .common import TwoGudCase


@tagged("post_install", "-at_install")
class Test2GudKnownErrors(TwoGudCase):
    """2GUD's "Common Issues and errors" (seed 000), handled."""

    def costed(self, listing):
        listing.product_id.write({"flipkart_refurbished": True, "standard_price": 99.0})
        return listing

    def test_invalid_shipments_while_the_label_generates_is_retried_quietly(self):
        self.sandbox.label_lag = 60
        delivery = self.order_of(self.costed(self.listings[0]))
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.flipkart_state, "PACKED")
        self.assertFalse(delivery.flipkart_label_ready)
        self.assertEqual(
            delivery.flipkart_message,
            "Label generation in progress on 2GUD, will retry.",
        )
        self.assertNotEqual(delivery.flipkart_flag, "error")
        # 2GUD finishes the label: the scheduled run attaches it.
        self.clock.offset = 61
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(delivery.flipkart_label_ready)
        self.assertTrue(delivery.flipkart_label_attachment_id)
        self.assertFalse(delivery.flipkart_message)

    def test_dependent_system_failures_end_in_words_for_flipkarts_api_team(self):
        delivery = self.order_of(self.costed(self.listings[1]))
        self.sandbox.faults.set(
            rate_dependent=1.0, only_paths="/sellers/v3/shipments/labels"
        )
        delivery.action_flipkart_pack()
        event = self.env["flipkart.event"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "pack")]
        )
        # Retried with back-off: while retries remain, no banner.
        self.assertTrue(event.retry_at)
        self.assertFalse(self.account.twogud_support_note)
        while event.retry_at:
            event.action_retry()
        self.account.invalidate_recordset(["twogud_support_note"])
        note = self.account.twogud_support_note
        self.assertIn(delivery.flipkart_shipment_id, note)
        self.assertIn("Call to dependent system failed", note)
        self.assertIn("Seller ID: TESTSELLER", note)
        action = self.account.action_twogud_write_to_support()
        self.assertTrue(
            action["url"].startswith("mailto:seller-api-queries@flipkart.com")
        )
        self.assertIn(delivery.flipkart_shipment_id, action["url"])
        # Flipkart back: a retry clears it.
        self.sandbox.faults.clear()
        event.action_retry()
        self.account.invalidate_recordset(["twogud_support_note"])
        self.assertFalse(self.account.twogud_support_note)

    def test_an_order_after_zero_stock_is_closed_when_2gud_cancels_it(self):
        listing = self.listings[2]
        self.account.inventory_sync = True
        self.env["flipkart.inventory"]._push(self.account, full=True)
        self.assertEqual(
            self.sandbox.listings[listing.seller_sku]["locations"][0]["inventory"], 0
        )
        delivery = self.order_of(listing)
        order = delivery.sale_id
        self.assertTrue(order.flipkart_pending_stock, "an expected 2GUD cancellation")
        self.sandbox.cancel_items(delivery.flipkart_shipment_id, by="marketplace")
        self.env["flipkart.shipment.import"]._cron_sync_shipments()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(delivery.state, "cancel")
        self.assertFalse(order.flipkart_seller_cancelled)
        self.assertIn("marketplace", order.flipkart_cancel_reason)

    def test_the_prefetch_window_counts_a_label_on_its_way_as_no_failure(self):
        self.sandbox.label_lag = 60
        pickings = self.order_of(self.costed(self.listings[3])) | self.order_of(
            self.costed(self.listings[4])
        )
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(pickings.ids)]}
        )
        wizard = Form.from_action(self.env, batch.action_flipkart_prefetch()).save()
        wizard.action_start()
        self.assertEqual(set(pickings.mapped("flipkart_flag")), {"label_pending"})
        self.assertEqual((wizard.ready_count, wizard.failed_count), (0, 0))
        self.clock.offset = 61
        wizard.action_refresh()
        self.assertEqual((wizard.ready_count, wizard.failed_count), (2, 0))

    def test_a_label_missing_for_hours_is_said_as_a_problem(self):
        self.sandbox.label_lag = 6 * 3600
        delivery = self.order_of(self.costed(self.listings[5]))
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.flipkart_flag, "label_pending")
        with freeze_time(fields.Datetime.now() + timedelta(hours=3)):
            self.clock.offset = 3 * 3600
            self.Fulfilment._cron_fetch_documents()
        self.assertFalse(delivery.flipkart_flag)
        self.assertIn("for over two hours", delivery.flipkart_message)
        self.assertFalse(delivery.flipkart_label_ready)
