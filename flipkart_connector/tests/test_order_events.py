from odoo.tests import tagged

from ..models.flipkart_event import notification_key
from .common import FlipkartOrderCase


@tagged("post_install", "-at_install")
class TestOrderEvents(FlipkartOrderCase):
    """Notifications: stored, then processed by re-reading the shipment."""

    def _deliver(self, *events):
        """Store events as the notification route would, then process them."""
        Event = self.env["flipkart.event"]
        stored = Event.browse()
        for event in events:
            stored |= Event._record(
                self.account,
                kind=event["eventType"],
                direction="inbound",
                key=notification_key(event),
                payload=event,
            )
        Event._cron_process_events()
        return stored

    def _order(self, shipment_id):
        return self.orders().filtered(lambda o: o.flipkart_shipment_id == shipment_id)

    def _new_shipment(self, **overrides):
        self.sandbox.notifications.clear()
        shipment_id = self.sandbox.add_shipments(1, location_id="LOC0001", **overrides)[
            0
        ]
        return shipment_id, list(self.sandbox.notifications)

    def test_created_twice_and_out_of_order_gives_one_order(self):
        shipment_id, created = self._new_shipment()
        self.sandbox.hold(shipment_id)
        hold = [
            e for e in self.sandbox.notifications if e["eventType"] == "shipment_hold"
        ]
        # The hold arrives before the creation, and the creation twice.
        events = self._deliver(*hold, *created, *created)
        self.assertEqual(len(self._order(shipment_id)), 1)
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertTrue(self._order(shipment_id).picking_ids.flipkart_hold)

    def test_hold_and_unhold(self):
        shipment_id, created = self._new_shipment()
        self._deliver(*created)
        picking = self._order(shipment_id).picking_ids
        self.assertFalse(picking.flipkart_hold)
        self.sandbox.notifications.clear()
        self.sandbox.hold(shipment_id)
        self._deliver(*self.sandbox.notifications)
        self.assertTrue(picking.flipkart_hold)
        self.sandbox.notifications.clear()
        self.sandbox.unhold(shipment_id)
        self._deliver(*self.sandbox.notifications)
        self.assertFalse(picking.flipkart_hold)

    def test_partial_then_full_cancellation(self):
        shipment_id, created = self._new_shipment(quantity=3)
        self._deliver(*created)
        order = self._order(shipment_id)
        line = order.order_line.filtered("flipkart_order_item_id")[0]
        self.assertEqual(line.product_uom_qty, 3)
        self.sandbox.notifications.clear()
        self.sandbox.cancel_items(shipment_id, {line.flipkart_order_item_id: 1})
        self._deliver(*self.sandbox.notifications)
        self.assertEqual(line.product_uom_qty, 2)
        move = order.picking_ids.move_ids.filtered(
            lambda m: m.sale_line_id == line and m.state != "cancel"
        )
        self.assertEqual(sum(move.mapped("product_uom_qty")), 2)
        self.assertEqual(order.state, "sale")
        self.sandbox.notifications.clear()
        self.sandbox.cancel_items(shipment_id, by="marketplace")
        events = self._deliver(*self.sandbox.notifications)
        self.assertEqual(order.state, "cancel", events.mapped("last_error"))
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})

    def test_dispatch_dates_change(self):
        shipment_id, created = self._new_shipment()
        self._deliver(*created)
        picking = self._order(shipment_id).picking_ids
        before = picking.flipkart_dispatch_by
        self.sandbox.notifications.clear()
        self.sandbox.change_dispatch_dates(
            shipment_id, dispatch_by=self.clock() + 5 * 86400
        )
        self._deliver(*self.sandbox.notifications)
        self.assertGreater(picking.flipkart_dispatch_by, before)

    def test_panel_status_changes_converge_by_the_sync_cron(self):
        self.env["flipkart.shipment.import"]._pull(self.account)
        shipment_id = self.orders()[0].flipkart_shipment_id
        self.sandbox.set_status(shipment_id, "PACKED")  # done on the seller panel
        self.env["flipkart.shipment.import"]._cron_sync_shipments()
        self.assertEqual(self._order(shipment_id).picking_ids.flipkart_state, "PACKED")

    def test_replacement_is_linked_to_the_original(self):
        shipment_id, created = self._new_shipment()
        self._deliver(*created)
        self.sandbox.notifications.clear()
        replacement_id = self.sandbox.add_replacement(shipment_id)
        self._deliver(*self.sandbox.notifications)
        original, replacement = self._order(shipment_id), self._order(replacement_id)
        self.assertTrue(replacement.flipkart_is_replacement)
        self.assertEqual(replacement.client_order_ref, original.client_order_ref)
        self.assertEqual(original.flipkart_related_order_ids, replacement)
        self.assertEqual(replacement.flipkart_related_order_ids, original)

    def test_unknown_shipment_is_an_error_in_words(self):
        events = self._deliver(
            {
                "eventType": "shipment_packed",
                "shipmentId": "NO-SUCH-SHIPMENT",
                "timestamp": "2026-11-23T10:00:00+05:30",
                "attributes": {"status": "PACKED"},
            }
        )
        self.assertEqual(events.state, "error")
        self.assertIn("NO-SUCH-SHIPMENT", events.last_error)

    def test_an_event_reads_in_words_and_leads_to_its_order(self):
        """Sales > Flipkart > Monitoring > Events, as a person reads it."""
        shipment_id, created = self._new_shipment()
        self.sandbox.hold(shipment_id)
        events = self._deliver(*created, *self.sandbox.notifications[len(created) :])
        order = self._order(shipment_id)
        for event in events:
            self.assertEqual(event.record_ref, order, event.kind)
        hold = events.filtered(lambda e: e.kind == "shipment_hold")
        self.assertEqual(hold.kind_name, "Shipment hold")
        self.assertEqual(hold.display_name, f"Shipment hold ({shipment_id})")
        # The list opens on every event (not on errors only), and the
        # payload viewer asks for a mode Odoo 18's code editor has.
        action = self.env.ref("flipkart_connector.flipkart_event_action")
        self.assertNotIn("search_default", action.context or "")
        form = self.env["flipkart.event"].get_views([(False, "form")])
        arch = form["views"]["form"]["arch"]
        self.assertIn("'mode': 'javascript'", arch)
        self.assertNotIn("'mode': 'js'", arch)
