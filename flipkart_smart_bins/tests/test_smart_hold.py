import time
from datetime import UTC, timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartHold(SmartCase):
    def held_delivery(self):
        listing = self.listings[0]
        self.receive(listing.product_id, self.bins[0], 10)
        (shipment,) = self.sandbox.add_shipments(
            1,
            status="APPROVED",
            location_id="LOC0001",
            hold=True,
            sku=listing.seller_sku,
            quantity=2,
            service_profile="Smart_Fulfilment",
            dispatch_by_date=time.time() - 3600,
        )
        self.refresh(shipment)
        return shipment, self.env["stock.picking"].search(
            [
                ("flipkart_shipment_id", "=", shipment),
                ("picking_type_code", "=", "outgoing"),
            ]
        )

    def refresh(self, shipment):
        self.env["flipkart.shipment.import"]._refresh(self.account, [shipment])

    def test_held_then_released_is_due_two_days_later_unless_flipkart_says(self):
        shipment, delivery = self.held_delivery()
        self.assertTrue(delivery.flipkart_hold)
        delivery.action_assign()
        self.assertFalse(delivery.move_line_ids)  # held: nothing reserved
        self.sandbox.unhold(shipment)
        before = fields.Datetime.now()
        self.refresh(shipment)
        self.assertFalse(delivery.flipkart_hold)
        self.assertGreaterEqual(delivery.flipkart_released_at, before)
        due = delivery.flipkart_dispatch_by
        self.assertAlmostEqual(
            (due - delivery.flipkart_released_at).total_seconds(), 2 * 86400, delta=5
        )
        # The next sync (Flipkart still shows its old date) keeps the deadline.
        self.refresh(shipment)
        self.assertEqual(delivery.flipkart_dispatch_by, due)
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.location_id, self.bins[0])
        # A date Flipkart gives later wins.
        later = fields.Datetime.now().replace(microsecond=0) + timedelta(days=3)
        self.sandbox.change_dispatch_dates(
            shipment, dispatch_by=later.replace(tzinfo=UTC).timestamp()
        )
        self.refresh(shipment)
        self.assertEqual(delivery.flipkart_dispatch_by, later)

    def test_a_release_written_with_a_text_date(self):
        """Dates written as text (imports, other modules) are dates too."""
        _shipment, delivery = self.held_delivery()
        delivery.write({"flipkart_hold": False, "flipkart_dispatch_by": "2000-01-01"})
        self.assertGreater(delivery.flipkart_dispatch_by, fields.Datetime.now())
