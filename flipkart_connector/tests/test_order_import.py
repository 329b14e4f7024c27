from dataclasses import replace
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError
from psycopg2.errors import LockNotAvailable

from odoo import Command
from odoo.modules.registry import Registry
from odoo.tests import Form, get_db_name, tagged
from odoo.tools import mute_logger

from ..flipkart.records import Shipment
from .common import APP_SECRET, FlipkartOrderCase


@tagged("post_install", "-at_install")
class TestOrderPull(FlipkartOrderCase):
    def test_pull_imports_every_shipment_once(self):
        expected = self.expected_ids()
        self.assertTrue(expected)
        counts = self.env["flipkart.shipment.import"]._pull(self.account)
        orders = self.orders()
        self.assertEqual(set(orders.mapped("flipkart_shipment_id")), expected)
        self.assertEqual(counts["created"], len(expected))
        self.assertTrue(self.account.order_cursor)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        # Details: one call per 100 new shipments at most.
        self.assertLessEqual(
            len(
                [
                    c
                    for c in self.sandbox.calls
                    if c["path"].count("/") == 4
                    and c["path"].startswith("/sellers/v3/shipments/")
                    and not c["path"].endswith("filter")
                ]
            ),
            4,
        )
        # Again: nothing new.
        self.assertEqual(
            self.env["flipkart.shipment.import"]._pull(self.account)["created"], 0
        )
        self.assertEqual(len(self.orders()), len(expected))

    def test_order_carries_flipkart_data(self):
        self.env["flipkart.shipment.import"]._pull(self.account)
        order = self.orders()[0]
        shipment = Shipment.from_json(
            self.sandbox.shipments[order.flipkart_shipment_id]
        )
        item = shipment.order_items[0]
        self.assertEqual(order.client_order_ref, item.order_id)
        self.assertEqual(order.flipkart_order_id, item.order_id)
        self.assertEqual(order.warehouse_id, self.warehouse)
        self.assertEqual(order.flipkart_payment_type, item.payment_type)
        line = order.order_line.filtered(
            lambda rec: rec.flipkart_order_item_id == item.order_item_id
        )
        self.assertEqual(line.product_uom_qty, item.quantity)
        self.assertAlmostEqual(
            line.price_unit, item.price.selling_price / item.quantity
        )
        # Flipkart's prices include GST: the line total is Flipkart's price.
        self.assertAlmostEqual(line.price_total, item.price.selling_price, places=2)
        self.assertEqual(len(line.tax_id), 1)
        self.assertTrue(line.tax_id.price_include)
        delivery = order.partner_shipping_id
        self.assertEqual(delivery.country_id, self.env.ref("base.in"))
        self.assertTrue(delivery.state_id)
        in_state = delivery.state_id == self.env.ref("base.state_in_ka")
        self.assertEqual(line.tax_id.amount_type == "group", in_state)
        picking = order.picking_ids
        self.assertEqual(picking.flipkart_shipment_id, order.flipkart_shipment_id)
        self.assertEqual(picking.flipkart_state, "APPROVED")
        self.assertEqual(
            picking.flipkart_dispatch_by.isoformat()[:16],
            shipment.dispatch_by.replace(tzinfo=None).isoformat()[:16],
        )

    def test_gst_from_the_product_when_the_listing_has_no_rate(self):
        sku = next(iter(self.sandbox.listings))
        listing = self.env["flipkart.listing"].search(
            [("account_id", "=", self.account.id), ("seller_sku", "=", sku)]
        )
        listing.tax_rate = 0.0  # not pulled yet
        tax = self.env.ref(f"account.{self.company.id}_igst_sale_12")
        listing.product_id.taxes_id = tax
        ids = self.sandbox.add_shipments(
            1, status="APPROVED", location_id="LOC0001", lines=[(sku, 1)]
        )
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        line = self.orders().order_line.filtered("flipkart_order_item_id")
        self.assertEqual(
            sum(line.tax_id.flatten_taxes_hierarchy().mapped("amount")), 12
        )
        self.assertTrue(line.tax_id.price_include)

    def test_cron_first_pull_then_nightly_resweep(self):
        Orders = self.env["flipkart.shipment.import"]
        Orders._cron_import_orders()
        self.assertEqual(len(self.orders()), len(self.expected_ids()))
        first_cursor = self.account.order_cursor
        self.assertTrue(self.account.order_resweep_at)
        # A shipment changed long ago that no window saw: the next day's
        # first run re-reads the last days and finds it.
        late = self.sandbox.add_shipments(1, location_id="LOC0001", hold=False)[0]
        with self.sandbox.lock:
            self.sandbox.shipments[late]["updatedAt"] = "2020-01-01T00:00:00+05:30"
        Orders._cron_import_orders()
        self.assertNotIn(late, self.orders().mapped("flipkart_shipment_id"))
        self.sandbox.shipments[late]["updatedAt"] = first_cursor.isoformat() + "+00:00"
        self.account.order_cursor = first_cursor + timedelta(days=1)
        self.account.order_resweep_at = first_cursor - timedelta(days=1)
        Orders._cron_import_orders()
        self.assertIn(late, self.orders().mapped("flipkart_shipment_id"))

    def test_held_shipment_is_marked_on_the_delivery(self):
        held = self.sandbox.add_shipments(1, hold=True, location_id="LOC0001")[0]
        self.env["flipkart.shipment.import"]._pull(self.account)
        picking = (
            self.orders().filtered(lambda o: o.flipkart_shipment_id == held).picking_ids
        )
        self.assertTrue(picking.flipkart_hold)

    def test_unmapped_sku_waits_in_an_event_then_imports(self):
        listing = self.env["flipkart.listing"].search(
            [("account_id", "=", self.account.id)], limit=1
        )
        product = listing.product_id
        listing.product_id = False
        new_id = self.sandbox.add_shipments(
            1, location_id="LOC0001", sku=listing.seller_sku
        )[0]
        self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertNotIn(new_id, self.orders().mapped("flipkart_shipment_id"))
        event = self.env["flipkart.event"].search(
            [("idempotency_key", "=", f"import:{new_id}")]
        )
        self.assertEqual(event.state, "error")
        self.assertIn(f"SKU {listing.seller_sku} is not mapped", event.last_error)
        self.assertTrue(event.retry_at, "retried by the events cron")
        listing.product_id = product
        event.action_retry()
        self.assertEqual(event.state, "done", event.last_error)
        self.assertIn(new_id, self.orders().mapped("flipkart_shipment_id"))

    def test_one_account_failing_does_not_stop_the_others(self):
        self.sandbox.tokens.apps["second-app"] = APP_SECRET
        second = self.account.copy(
            {
                "name": "Second",
                "app_id": "second-app",
                "app_secret": APP_SECRET,
                "location_ids": False,
            }
        )
        second.location_ids = [
            Command.create(
                {"flipkart_location_id": "LOC0001", "warehouse_id": self.warehouse.id}
            )
        ]
        Import = type(self.env["flipkart.shipment.import"])
        original = Import._sync_pages

        def broken_for_the_first(self_, account, client, start):
            if account == self.account:
                raise KeyError("a bug or an odd answer")
            return original(self_, account, client, start)

        with (
            patch.object(Import, "_sync_pages", broken_for_the_first),
            mute_logger("odoo.addons.flipkart_connector.utils"),
        ):
            self.env["flipkart.shipment.import"]._cron_import_orders()
        self.assertIn("failed unexpectedly", self.account.message_ids[0].body)
        # The second account still pulled its window (its SKUs are not
        # mapped here, so its shipments wait as events).
        self.assertTrue(second.order_cursor)
        self.assertIn("Order import:", second.message_ids[0].body)
        self.assertFalse(self.account.order_cursor, "the failed one did not move")

    def test_a_shipment_without_items_waits_alone(self):
        ids = self.sandbox.add_shipments(3, status="APPROVED", location_id="LOC0001")
        with self.sandbox.lock:
            self.sandbox.shipments[ids[1]]["orderItems"] = []
        summary = self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        self.assertEqual(
            {o.flipkart_shipment_id for o in summary["created"]}, {ids[0], ids[2]}
        )
        self.assertIn("without any item", summary["failed"][ids[1]])
        event = self.env["flipkart.event"].search(
            [("idempotency_key", "=", f"import:{ids[1]}")]
        )
        self.assertEqual(event.state, "error")

    def test_unmapped_location_is_explained(self):
        self.account.location_ids.active = False
        self.env["flipkart.location"].create(
            {
                "account_id": self.account.id,
                "flipkart_location_id": "LOC0002",
                "warehouse_id": self.warehouse.id,
            }
        )
        shipment = Shipment.from_json(next(iter(self.sandbox.shipments.values())))
        shipment.location_id = "LOC0009"
        summary = self.env["flipkart.shipment.import"]._import(self.account, [shipment])
        self.assertIn("LOC0009 is not mapped", summary["failed"][shipment.shipment_id])

    def test_crash_between_pages_resumes_without_loss_or_duplicate(self):
        # Several batches of 100 shipments.
        self.sandbox.add_shipments(150, location_id="LOC0001", hold=False)
        expected = self.expected_ids()
        Import = type(self.env["flipkart.shipment.import"])
        original = Import._import
        calls = []

        def crash_on_second_page(self_, account, shipments, details=None):
            calls.append(len(shipments))
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return original(self_, account, shipments, details)

        # (Not assertRaises: it would roll back the first page, which a
        # scheduled run has committed.)
        with (
            patch.object(Import, "_import", crash_on_second_page),
            patch.object(Import, "_sync", replace(Import._sync, batch=100)),
        ):
            try:
                self.env["flipkart.shipment.import"]._pull(self.account)
            except RuntimeError as crash:
                self.assertEqual(str(crash), "worker killed")
        self.assertEqual(len(calls), 2)
        self.assertFalse(self.account.order_cursor, "the cursor did not move")
        first_page = len(self.orders())
        self.assertTrue(0 < first_page < len(expected))
        self.env["flipkart.shipment.import"]._pull(self.account)
        orders = self.orders()
        self.assertEqual(len(orders), len(expected))
        self.assertEqual(set(orders.mapped("flipkart_shipment_id")), expected)

    def test_fetch_wizard_by_order_id(self):
        sid = sorted(self.expected_ids())[0]
        order_id = self.sandbox.shipments[sid]["orderItems"][0]["orderId"]
        form = Form(self.env["flipkart.fetch.orders.wizard"])
        form.account_id = self.account
        form.ids_text = f"{order_id}\n"
        wizard = form.save()
        wizard.action_fetch()
        self.assertIn("imported", wizard.result)
        self.assertIn(sid, self.orders().mapped("flipkart_shipment_id"))


@tagged("post_install", "-at_install")
class TestExactlyOnce(FlipkartOrderCase):
    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_second_order_for_a_shipment(self):
        self.env["flipkart.shipment.import"]._pull(self.account)
        order = self.orders()[0]
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            order.copy(
                {
                    "flipkart_account_id": self.account.id,
                    "flipkart_shipment_id": order.flipkart_shipment_id,
                    "order_line": [
                        Command.create(
                            {"product_id": order.order_line[0].product_id.id}
                        )
                    ],
                }
            )

    def test_a_second_worker_waits_for_the_shipment_lock(self):
        """Two workers importing one shipment are serialized, not doubled."""
        Import = self.env["flipkart.shipment.import"]
        shipment_id = sorted(self.expected_ids())[0]
        with self.registry.cursor() as other:
            key = f"flipkart.shipment:{self.account.id}:{shipment_id}"
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key]
            )
            with self.cr.savepoint():
                self.cr.execute("SET LOCAL lock_timeout = '200ms'")
                with self.assertRaises(LockNotAvailable), mute_logger("odoo.sql_db"):
                    Import._lock(self.account, [shipment_id])
            other.rollback()
        Import._lock(self.account, [shipment_id])  # free again


@tagged("post_install", "-at_install")
class TestOnePullAtATime(FlipkartOrderCase):
    def test_a_pull_while_another_runs_for_the_account_is_skipped(self):
        key = f"flipkart.sync:flipkart.shipment.import:{self.account.id}"
        with Registry(get_db_name()).cursor() as other:
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key]
            )
            self.sandbox.reset_calls()
            counts = self.env["flipkart.shipment.import"]._pull(self.account)
            self.assertFalse(any(counts.values()))
            self.assertFalse(self.sandbox.calls, "nothing asked of Flipkart")
            self.assertIn("already running", self.account.message_ids[0].body)
            # Another stream of the same account is not held up.
            self.assertTrue(self.env["flipkart.listing.sync"]._sync_lock(self.account))
            other.rollback()
        counts = self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertTrue(counts["created"])
