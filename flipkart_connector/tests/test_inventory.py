import math

from odoo.tests import new_test_user, tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestInventoryQuantities(InventoryCase):
    def test_formula_reservations_pending_buffer_floor(self):
        first, second = self.listings[:2]
        self.set_stock(first, 10)
        self.reserve(first, 3)
        # A shipment accepted on Flipkart but not imported (its import is
        # waiting as an event) still takes stock.
        shipment = self.sandbox.add_shipments(
            1, status="APPROVED", location_id="LOC0001", lines=[(first.seller_sku, 2)]
        )[0]
        self.env["flipkart.event"]._record(
            self.account,
            kind="shipment_import",
            direction="inbound",
            key=f"import:{shipment}",
            payload=self.sandbox.shipments[shipment],
        )._fail("waiting")
        self.account.inventory_buffer = 1
        result = self.Inventory._compute(self.account)
        line = result[(first.id, self.location.id)]
        self.assertEqual(
            (line.free, line.pending, line.buffer, line.quantity), (7, 2, 1, 4)
        )
        # A product's own buffer wins; the quantity never goes below 0.
        first.product_id.write({"flipkart_buffer_override": True, "flipkart_buffer": 9})
        line = self.Inventory._compute(self.account)[(first.id, self.location.id)]
        self.assertEqual((line.buffer, line.quantity), (9, 0))
        # No stock at all: 0, not negative.
        self.assertEqual(result[(second.id, self.location.id)].quantity, 0)
        # Stock elsewhere (another warehouse) does not count.
        other = self.env["stock.warehouse"].create(
            {"name": "Other", "code": "OTH", "company_id": self.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            second.product_id, other.lot_stock_id, 50
        )
        line = self.Inventory._compute(self.account)[(second.id, self.location.id)]
        self.assertEqual(line.quantity, 0)

    def test_unmapped_listings_are_not_computed(self):
        self.listings[0].product_id = False
        result = self.Inventory._compute(self.account)
        self.assertNotIn((self.listings[0].id, self.location.id), result)
        self.assertEqual(len(result), len(self.listings) - 1)


@tagged("post_install", "-at_install")
class TestPendingDemand(InventoryCase):
    def test_an_unreadable_waiting_shipment_stops_nothing(self):
        good, bad = (dict(s) for s in list(self.sandbox.shipments.values())[:2])
        for shipment, quantity in ((good, 2), (bad, "two")):
            shipment["orderItems"] = [
                dict(shipment["orderItems"][0], status="APPROVED", quantity=quantity)
            ]
            self.env["flipkart.event"]._record(
                self.account,
                kind="shipment_import",
                direction="inbound",
                key=f"import:{shipment['shipmentId']}",
                payload=shipment,
            )._fail("SKU not mapped")
        logger = "odoo.addons.flipkart_connector.models.flipkart_inventory"
        with self.assertLogs(logger, "WARNING"):
            demand = self.Inventory._pending_demand(self.account)
        item = good["orderItems"][0]
        self.assertEqual(demand, {(item["sku"], good["locationId"]): 2})


@tagged("post_install", "-at_install")
class TestInventoryPush(InventoryCase):
    def test_delta_push_in_batches_of_ten(self):
        first = self.listings[0]
        self.set_stock(first, 12)
        sent = self.Inventory._push(self.account)
        self.assertEqual(len(sent), len(self.listings))
        self.assertEqual(
            self.calls("/listings/v3/update/inventory"),
            math.ceil(len(self.listings) / 10),
        )
        self.assertEqual(self.flipkart_stock(first)["inventory"], 12)
        line = self.line(first)
        self.assertEqual((line.pushed_quantity, line.push_state), (12, "SUCCESS"))
        ledger = first.ledger_ids
        self.assertEqual(len(ledger), 1)
        self.assertEqual(
            (ledger.free_quantity, ledger.quantity, ledger.state), (12, 12, "SUCCESS")
        )
        # Nothing changed: nothing sent.
        self.sandbox.reset_calls()
        self.assertEqual(self.Inventory._push(self.account), [])
        self.assertEqual(self.calls("/listings/v3/update/inventory"), 0)
        # One product changes: one SKU, one call.
        self.reserve(first, 5)
        self.assertEqual(self.Inventory._push(self.account), [first.seller_sku])
        self.assertEqual(self.calls("/listings/v3/update/inventory"), 1)
        self.assertEqual(self.flipkart_stock(first)["inventory"], 7)
        # A full push sends everything again.
        self.sandbox.reset_calls()
        self.assertEqual(
            len(self.Inventory._push(self.account, full=True)), len(self.listings)
        )

    def test_failures_and_warnings_are_recorded_and_retried(self):
        bad, inactive = self.listings[:2]
        bad.fsn = "WRONGFSN000000"
        with self.sandbox.lock:
            self.sandbox.listings[inactive.seller_sku]["listing_status"] = "INACTIVE"
        self.Inventory._push(self.account)
        self.assertEqual(self.line(bad).push_state, "FAILURE")
        self.assertIn("product_id", self.line(bad).push_message)
        self.assertEqual(bad.ledger_ids.state, "FAILURE")
        self.assertEqual(self.line(inactive).push_state, "WARNING")
        # Not confirmed by Flipkart: sent again next time; the others not.
        self.sandbox.reset_calls()
        self.assertEqual(self.Inventory._push(self.account), [bad.seller_sku])

    def test_disabled_location(self):
        self.location.inventory_status = "DISABLED"
        first = self.listings[0]
        self.set_stock(first, 5)
        self.Inventory._push(self.account)
        self.assertEqual(self.flipkart_stock(first)["status"], "DISABLED")
        self.assertTrue(self.line(first).pushed_disabled)
        self.assertTrue(first.ledger_ids.disabled)

    def test_dry_run_computes_and_records_only(self):
        self.account.dry_run = True
        self.set_stock(self.listings[0], 4)
        before = self.flipkart_stock(self.listings[0])["inventory"]
        self.Inventory._push(self.account)
        self.assertEqual(self.calls("/listings/v3/update/inventory"), 0)
        self.assertEqual(self.flipkart_stock(self.listings[0])["inventory"], before)
        self.assertEqual(set(self.listings.ledger_ids.mapped("state")), {"dry_run"})
        self.assertEqual(self.listings[0].ledger_ids.quantity, 4)

    def test_push_from_the_product(self):
        first = self.listings[0]
        self.set_stock(first, 3)
        user = new_test_user(
            self.env,
            "fk_stock_user",
            groups="stock.group_stock_user,flipkart_connector.group_flipkart_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        first.product_id.product_tmpl_id.with_user(
            user
        ).action_flipkart_push_inventory()
        self.assertEqual(self.calls("/listings/v3/update/inventory"), 1)
        self.assertEqual(self.flipkart_stock(first)["inventory"], 3)

    def test_old_ledger_rows_go(self):
        self.set_stock(self.listings[0], 2)
        self.Inventory._push(self.account)
        ledger = self.listings[0].ledger_ids
        self.env.cr.execute(
            "UPDATE flipkart_inventory_ledger SET create_date = now() - interval "
            "'100 days' WHERE id = %s",
            [ledger.id],
        )
        self.Inventory._vacuum_ledger()
        self.assertFalse(ledger.exists())
        self.assertTrue(self.listings[1].ledger_ids)

    def test_scheduled_push_only_for_accounts_that_sync(self):
        self.account.inventory_sync = False
        self.env["flipkart.inventory"]._cron_push_inventory()
        self.assertEqual(self.calls("/listings/v3/update/inventory"), 0)
        self.account.inventory_sync = True
        self.env["flipkart.inventory"]._cron_push_inventory()
        self.assertTrue(self.calls("/listings/v3/update/inventory"))


@tagged("post_install", "-at_install")
class TestInventoryReconciliation(InventoryCase):
    def test_each_difference_has_its_cause(self):
        (
            panel,
            pending,
            failed,
            inactive,
            disabled,
            unmapped,
            *rest,
        ) = self.listings
        for listing in self.listings:
            self.set_stock(listing, 5)
        failed.fsn = "WRONGFSN000000"
        self.Inventory._push(self.account, full=True)
        self.sandbox.change_on_panel(panel.seller_sku, "LOC0001", inventory=40)
        self.sandbox.change_on_panel(inactive.seller_sku, "LOC0001", inventory=1)
        self.sandbox.change_on_panel(disabled.seller_sku, "LOC0001", status="DISABLED")
        self.sandbox.change_on_panel(unmapped.seller_sku, "LOC0001", inventory=8)
        with self.sandbox.lock:
            self.sandbox.listings[inactive.seller_sku]["listing_status"] = "INACTIVE"
        self.set_stock(pending, 2)  # changed in Odoo, not pushed yet
        unmapped.product_id = False
        self.sandbox.reset_calls()
        differences = self.Inventory._reconcile(self.account, fix=False)
        self.assertEqual(
            self.calls("/listings/v3/"), math.ceil(len(self.listings) / 10)
        )
        causes = {d.listing_id: d.cause for d in differences}
        self.assertEqual(
            causes,
            {
                panel: "panel_change",
                pending: "push_pending",
                failed: "push_failed",
                inactive: "listing_inactive",
                disabled: "location_disabled",
                unmapped: "unmapped",
            },
        )
        by_listing = {d.listing_id: d for d in differences}
        self.assertEqual(
            (by_listing[panel].flipkart_quantity, by_listing[panel].odoo_quantity),
            (40, 5),
        )
        self.assertIn("6 difference(s)", self.account.message_ids[0].body)
        # Fixing pushes what a push can fix.
        failed.fsn = self.sandbox.listings[failed.seller_sku]["product_id"]
        self.Inventory._reconcile(self.account, fix=True)
        self.assertEqual(self.flipkart_stock(panel)["inventory"], 5)
        self.assertEqual(self.flipkart_stock(pending)["inventory"], 7)
        remaining = self.Inventory._reconcile(self.account, fix=False)
        self.assertEqual(
            set(remaining.mapped("cause")),
            {"listing_inactive", "location_disabled", "unmapped"},
        )

    def test_scheduled_reconciliation_and_button(self):
        self.account.inventory_reconciliation = True
        self.env["flipkart.inventory"]._cron_reconcile_inventory()
        self.assertTrue(self.account.inventory_reconciled_at)
        action = self.account.action_reconcile_inventory()
        self.assertEqual(action["res_model"], "flipkart.inventory.difference")
