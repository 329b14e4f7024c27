from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartPicklists(SmartCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset_fulfilment()
        self.sandbox.label_delay = 0.0
        self.account.write({"pack_on": "manual", "invoice_creation": "off"})

    def smart_deliveries(self, n):
        ids = self.sandbox.add_shipments(
            n,
            status="APPROVED",
            location_id="LOC0001",
            hold=False,
            dispatch_after_date=0,
            service_profile="Smart_Fulfilment",
        )
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        return self.env["stock.picking"].search(
            [
                ("flipkart_shipment_id", "in", ids),
                ("picking_type_code", "=", "outgoing"),
            ]
        )

    def test_a_batch_over_the_picklist_size_is_refused(self):
        self.account.smart_picklist_size = 2
        deliveries = self.smart_deliveries(3)
        with self.assertRaisesRegex(ValidationError, "holds 2 at most"):
            self.env["stock.picking.batch"].create(
                {"picking_ids": [Command.set(deliveries.ids)]}
            )
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(deliveries[:2].ids)]}
        )
        self.assertEqual(batch.flipkart_account_id, self.account)
        with self.assertRaisesRegex(ValidationError, "holds 2 at most"):
            deliveries[2].batch_id = batch

    def test_a_smart_delivery_packs_only_in_a_picklist(self):
        (delivery,) = self.smart_deliveries(1)
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        self.assertIn(
            "only once it is in a Flipkart picklist", delivery.flipkart_message
        )
        self.assertFalse(self.calls("/v3/shipments/labels"))
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(delivery.ids)], "flipkart_picklist_id": "PL-1"}
        )
        delivery.action_flipkart_pack()
        self.assertEqual(self.calls("/v3/shipments/labels"), 1)
        self.assertNotEqual(delivery.flipkart_state, "APPROVED")
        # One picklist id per account.
        other = self.smart_deliveries(1)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["stock.picking.batch"].create(
                {
                    "picking_ids": [Command.set(other.ids)],
                    "flipkart_picklist_id": "PL-1",
                }
            )
        self.assertEqual(batch.flipkart_picklist_id, "PL-1")

    def picked_delivery(self, quantity=3):
        return self.smart_delivery(self.bins[0], quantity, picklist="PL-P")

    def reserved_in_bin(self, delivery):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", delivery.move_ids.product_id.id),
                ("location_id", "=", self.bins[0].id),
            ]
        )
        return quants.reserved_quantity

    def test_a_cancellation_found_at_pack_lowers_the_order_and_frees_the_bin(self):
        delivery = self.picked_delivery(quantity=3)
        self.assertEqual(self.reserved_in_bin(delivery), 3)
        sid = delivery.flipkart_shipment_id
        item = self.sandbox.shipments[sid]["orderItems"][0]
        self.sandbox.cancel_items(sid, {item["orderItemId"]: 1})
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.sale_id.order_line[0].product_uom_qty, 2)
        self.assertIn(
            "cancelled 1 of 3 units before packing", delivery.message_ids[0].body
        )
        self.assertEqual(self.reserved_in_bin(delivery), 2)
        self.assertEqual(self.calls("/v3/shipments/labels"), 1)

    def test_a_whole_cancellation_found_at_pack_cancels_and_packs_nothing(self):
        delivery = self.picked_delivery(quantity=2)
        self.sandbox.cancel_items(delivery.flipkart_shipment_id)
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.sale_id.state, "cancel")
        self.assertEqual(delivery.state, "cancel")
        self.assertIn("Cancelled on Flipkart before packing", delivery.flipkart_message)
        self.assertEqual(self.reserved_in_bin(delivery), 0)
        self.assertFalse(self.calls("/v3/shipments/labels"))

    def test_handing_over_twice_dispatches_once(self):
        self.account.rtd_at = "manifest"  # ready to dispatch at handover
        delivery = self.picked_delivery(quantity=2)
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.flipkart_state, "PACKED")
        self.sandbox.reset_calls()
        delivery.batch_id.action_flipkart_smart_handover()
        delivery.batch_id.action_flipkart_smart_handover()
        self.assertEqual(self.calls("/v3/shipments/dispatch"), 1)
        self.assertEqual(delivery.flipkart_state, "READY_TO_DISPATCH")
        self.assertEqual(delivery.state, "done")
        self.assertEqual(self.in_bins(delivery.move_ids.product_id), {"B-01": 8})
