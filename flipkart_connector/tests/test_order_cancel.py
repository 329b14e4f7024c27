from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import FlipkartOrderCase


@tagged("post_install", "-at_install")
class TestSellerCancellation(FlipkartOrderCase):
    def setUp(self):
        super().setUp()
        self.shipment_id = self.sandbox.add_shipments(
            1, location_id="LOC0001", hold=False, items=2
        )[0]
        self.env["flipkart.shipment.import"]._pull(self.account)
        self.order = self.orders().filtered(
            lambda o: o.flipkart_shipment_id == self.shipment_id
        )

    def _wizard(self, keep=()):
        form = Form(
            self.env["flipkart.seller.cancel.wizard"].with_context(
                default_order_id=self.order.id
            )
        )
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                line.to_cancel = line.sale_line_id not in keep
        return form.save()

    def test_odoo_s_cancel_is_not_a_way_around_flipkart(self):
        """Cancelling in Odoo alone would leave Flipkart expecting the
        shipment: the standard Cancel is hidden and refused for it."""
        with self.assertRaisesRegex(UserError, "Cancel on Flipkart"):
            self.order.action_cancel()
        self.assertEqual(self.order.state, "sale")
        arch = self.order.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(
            arch,
            r'name="action_cancel"[^>]*invisible="[^"]*'
            r"\(flipkart_shipment_id and state == 'sale'\)",
        )
        # Once Flipkart cancelled it, Odoo follows (and Odoo's Cancel is
        # no longer refused for an order Flipkart does not expect).
        self.sandbox.cancel_items(self.shipment_id)
        self.env["flipkart.shipment.import"]._refresh(self.account, [self.shipment_id])
        self.assertEqual(self.order.state, "cancel")

    def test_full_seller_cancellation(self):
        wizard = self._wizard()
        wizard.action_cancel_on_flipkart()
        items = self.sandbox.shipments[self.shipment_id]["orderItems"]
        self.assertEqual({i["status"] for i in items}, {"CANCELLED"})
        self.assertEqual(self.order.state, "cancel")
        self.assertTrue(self.order.flipkart_seller_cancelled)
        self.assertIn("Cancelled on Flipkart by the seller", wizard.result)
        event = self.env["flipkart.event"].search([("kind", "=", "cancel")])
        self.assertEqual(event.state, "done")
        self.assertEqual(event.record_ref, self.order)

    def test_partial_seller_cancellation(self):
        lines = self.order.order_line.filtered("flipkart_order_item_id")
        self.assertEqual(len(lines), 2)
        self._wizard(keep=lines[1]).action_cancel_on_flipkart()
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(lines[0].product_uom_qty, 0)
        self.assertGreater(lines[1].product_uom_qty, 0)

    def test_refused_once_packed(self):
        self.sandbox.set_status(self.shipment_id, "PACKED")
        self.env["flipkart.shipment.import"]._cron_sync_shipments()
        with self.assertRaisesRegex(UserError, "before the shipment is packed"):
            self._wizard().action_cancel_on_flipkart()

    def test_dry_run_sends_nothing(self):
        self.account.dry_run = True
        self.sandbox.reset_calls()
        wizard = self._wizard()
        wizard.action_cancel_on_flipkart()
        self.assertEqual(self.sandbox.count("POST", "/sellers/v3/shipments/cancel"), 0)
        self.assertEqual(self.order.state, "sale")
        self.assertIn("Dry run", wizard.result)


@tagged("post_install", "-at_install")
class TestZeroInventoryOrders(FlipkartOrderCase):
    def test_pending_stock_then_marketplace_cancel(self):
        sku = next(iter(self.sandbox.listings))
        listing = self.env["flipkart.listing"].search([("seller_sku", "=", sku)])
        self.env["flipkart.listing.location"].create(
            {
                "listing_id": listing.id,
                "location_id": self.account.location_ids.id,
                "pushed_quantity": 0,
                "pushed_at": fields.Datetime.now(),
            }
        )
        shipment_id = self.sandbox.add_shipments(1, location_id="LOC0001", sku=sku)[0]
        self.env["flipkart.shipment.import"]._pull(self.account)
        order = self.orders().filtered(lambda o: o.flipkart_shipment_id == shipment_id)
        self.assertTrue(order.flipkart_pending_stock)
        self.sandbox.cancel_items(shipment_id, by="marketplace")
        self.env["flipkart.shipment.import"]._cron_sync_shipments()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.flipkart_seller_cancelled)
        self.assertIn("marketplace", order.flipkart_cancel_reason)
