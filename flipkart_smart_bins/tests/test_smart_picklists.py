from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.flipkart_connector.tests.common import shown_on_form

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

    # Picklist endpoints -------------------------------------------------------

    def endpoint_batch(self, *quantities):
        self.account.write(
            {"rtd_at": "manifest", "smart_picklist_release": "endpoints"}
        )
        deliveries = self.env["stock.picking"]
        for quantity in quantities:
            deliveries |= self.smart_delivery(self.bins[0], quantity)
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(deliveries.ids)]}
        )
        return batch, deliveries

    def rtd_notifications(self, deliveries):
        ids = set(deliveries.mapped("flipkart_shipment_id"))
        return [
            e["shipmentId"]
            for e in self.sandbox.notifications
            if e["eventType"] == "shipment_ready_to_dispatch" and e["shipmentId"] in ids
        ]

    def test_picklist_endpoints_release_at_pack_and_hand_over_once(self):
        batch, deliveries = self.endpoint_batch(2, 1)
        self.assertIn("Release Picklist", shown_on_form(batch, "//header/button"))
        self.sandbox.reset_calls()
        deliveries.action_flipkart_pack()
        # Released through the endpoints first, then packed.
        picklist = self.sandbox.picklists[batch.flipkart_picklist_id]
        self.assertEqual(
            set(picklist["shipmentIds"]), set(deliveries.mapped("flipkart_shipment_id"))
        )
        self.assertEqual(self.calls("/v3/smart/picklists"), 1)
        self.assertEqual(set(deliveries.mapped("flipkart_state")), {"PACKED"})
        self.assertNotIn("Release Picklist", shown_on_form(batch, "//header/button"))
        batch.action_flipkart_smart_handover()
        batch.action_flipkart_smart_handover()
        self.assertEqual(picklist["status"], "CONFIRMED")
        self.assertEqual(self.calls("/pack"), 1)
        self.assertEqual(self.calls("/confirm"), 1)
        self.assertFalse(self.calls("/v3/shipments/dispatch"))
        self.assertEqual(len(self.rtd_notifications(deliveries)), 2)
        self.assertEqual(
            set(deliveries.mapped("flipkart_state")), {"READY_TO_DISPATCH"}
        )
        self.assertEqual(set(deliveries.mapped("state")), {"done"})
        self.assertEqual(
            self.env["flipkart.event"]
            .search([("res_model", "=", batch._name), ("res_id", "=", batch.id)])
            .mapped("kind"),
            [
                "smart_picklist_confirm",
                "smart_picklist_pack",
                "smart_picklist_release",
            ],
        )

    def test_a_picklist_refused_by_flipkart_says_why_on_the_batch(self):
        batch, deliveries = self.endpoint_batch(1, 1)
        held = deliveries[1].flipkart_shipment_id
        self.sandbox.hold(held)
        batch.action_flipkart_release_picklist()
        self.assertFalse(batch.flipkart_picklist_id)
        self.assertIn("is on hold", batch.flipkart_picklist_message)
        self.assertFalse(self.sandbox.picklists)
        self.sandbox.reset_calls()
        deliveries[0].action_flipkart_pack()
        self.assertIn(
            f"Flipkart refused the picklist of {batch.name}",
            deliveries[0].flipkart_message,
        )
        self.assertIn("is on hold", deliveries[0].flipkart_message)
        # Packing again does not send the refused release again...
        self.assertFalse(self.calls("/v3/smart/picklists"))
        # ...Release Picklist does, once Flipkart has released the order.
        self.sandbox.unhold(held)
        batch.action_flipkart_release_picklist()
        self.assertTrue(batch.flipkart_picklist_id)
        self.assertFalse(batch.flipkart_picklist_message)
        self.assertEqual(self.calls("/v3/smart/picklists"), 1)
        # Handed over before packing: refused, nothing dispatched.
        batch.action_flipkart_smart_handover()
        self.assertIn("not packed yet", batch.flipkart_picklist_message)
        self.assertFalse(self.calls("/confirm"))
        self.assertEqual(set(deliveries.mapped("state")), {"assigned"})

    def test_a_handover_acts_on_the_batchs_own_picklist_only(self):
        batch, (delivery,) = self.endpoint_batch(1)
        with self.assertRaisesRegex(UserError, "has no Flipkart picklist"):
            batch.action_flipkart_smart_handover()
        (stranger,) = self.sandbox.add_shipments(
            1,
            status="APPROVED",
            location_id="LOC0001",
            hold=False,
            dispatch_after_date=0,
            service_profile="Smart_Fulfilment",
        )
        other = self.sandbox.release_picklist("LOC0001", [stranger])
        self.sandbox.reset_calls()
        batch.flipkart_picklist_id = other["picklistId"]
        batch.action_flipkart_smart_handover()
        self.assertIn("not in this batch", batch.flipkart_picklist_message)
        batch.flipkart_picklist_id = "../picklists"
        batch.action_flipkart_smart_handover()
        self.assertIn("not a picklist id", batch.flipkart_picklist_message)
        self.assertFalse(self.calls("/pack") or self.calls("/confirm"))
        self.assertEqual(delivery.state, "assigned")

    def test_manual_picklists_are_released_on_the_smart_panel(self):
        (delivery,) = self.smart_deliveries(1)
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(delivery.ids)]}
        )
        self.assertNotIn("Release Picklist", shown_on_form(batch, "//header/button"))
        with self.assertRaisesRegex(UserError, "Smart panel"):
            batch.action_flipkart_release_picklist()
        self.assertFalse(self.sandbox.picklists)
        outsider = new_test_user(
            self.env, login="fk_smart_outsider", groups="stock.group_stock_user"
        )
        batch.flipkart_picklist_id = "PL-X"
        with self.assertRaisesRegex(AccessError, "release or hand over"):
            batch.with_user(outsider).action_flipkart_smart_handover()

    def test_the_account_form_sets_the_smart_options(self):
        with Form(self.account) as form:
            form.smart_picklist_release = "endpoints"
            form.smart_picklist_size = 10
        self.assertEqual(self.account.smart_picklist_release, "endpoints")
        self.assertEqual(self.account.smart_picklist_size, 10)
