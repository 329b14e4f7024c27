from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartOrders(SmartCase):
    def smart_shipments(self, n=2, **overrides):
        return self.sandbox.add_shipments(
            n,
            status="APPROVED",
            location_id="LOC0001",
            hold=False,
            service_profile="Smart_Fulfilment",
            **overrides,
        )

    def imported(self):
        return set(self.orders().mapped("flipkart_shipment_id"))

    def test_smart_orders_are_missed_without_the_profile_and_found_with_it(self):
        smart = set(self.smart_shipments())
        Account = type(self.account)
        with patch.object(Account, "_order_service_profiles", lambda account: None):
            self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertFalse(self.imported() & smart)  # Flipkart answered NON_FBF only
        self.account.order_cursor = False
        self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertLessEqual(smart, self.imported())

    def test_a_smart_order_reserves_from_the_skus_bin(self):
        listing = self.listings[0]
        self.receive(listing.product_id, self.bins[1], 10)
        (shipment,) = self.smart_shipments(1, sku=listing.seller_sku, quantity=2)
        self.env["flipkart.shipment.import"]._refresh(self.account, [shipment])
        order = self.orders().filtered(lambda o: o.flipkart_shipment_id == shipment)
        delivery = order.picking_ids
        self.assertEqual(delivery.picking_type_id.warehouse_id, self.warehouse)
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.location_id, self.bins[1])

    def test_a_partial_pick_is_refused_not_backordered(self):
        listing = self.listings[0]
        self.receive(listing.product_id, self.bins[0], 10)
        (shipment,) = self.smart_shipments(1, sku=listing.seller_sku, quantity=3)
        self.env["flipkart.shipment.import"]._refresh(self.account, [shipment])
        delivery = (
            self.orders()
            .filtered(lambda o: o.flipkart_shipment_id == shipment)
            .picking_ids
        )
        delivery.action_assign()
        delivery.move_ids.quantity = 2
        delivery.move_ids.picked = True
        with self.assertRaisesRegex(
            UserError, r"whole orders only. Pick 3 .*\(2 picked\)"
        ):
            delivery.button_validate()
        self.assertEqual(delivery.state, "assigned")
        self.assertFalse(delivery.backorder_ids)

    def test_a_smart_pool_order_ships_from_the_pool(self):
        pool = self.env["stock.location"].create(
            {"name": "Smart Pool", "location_id": self.warehouse.view_location_id.id}
        )
        self.location.smart_root_id = pool
        pool._flipkart_import_bins(["P-01", "P-02"])
        pool_bin = pool.child_ids.filtered(lambda b: b.name == "P-02")
        listing = self.listings[0]
        # Stock in the shared warehouse (other channels') and in the pool.
        self.env["stock.quant"]._update_available_quantity(
            listing.product_id, self.stock, 50
        )
        self.receive(listing.product_id, pool_bin, 5)
        (shipment,) = self.smart_shipments(1, sku=listing.seller_sku, quantity=2)
        self.env["flipkart.shipment.import"]._refresh(self.account, [shipment])
        delivery = (
            self.orders()
            .filtered(lambda o: o.flipkart_shipment_id == shipment)
            .picking_ids
        )
        self.assertEqual(delivery.location_id, pool)
        delivery.action_assign()
        self.assertEqual(delivery.move_line_ids.location_id, pool_bin)
