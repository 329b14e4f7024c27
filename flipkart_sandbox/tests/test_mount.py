from odoo import Command
from odoo.tests import HttpCase, tagged

from ..simulator import Sandbox


@tagged("post_install", "-at_install")
class TestSimulatorMount(HttpCase):
    def test_an_account_connects_through_the_mount(self):
        """Over real HTTP: the account's client calls this Odoo, whose
        /flipkart_sandbox route answers as Flipkart."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        account = self.env["flipkart.account"].create(
            {
                "name": "Through the mount",
                "environment": "sandbox",
                "api_base_url": self.base_url() + "/flipkart_sandbox",
                "app_id": "sandbox-app",
                "app_secret": "sandbox-secret",
                "location_ids": [
                    Command.create(
                        {
                            "flipkart_location_id": "LOC0001",
                            "warehouse_id": warehouse.id,
                        }
                    )
                ],
            }
        )
        account.action_test_connection()
        self.assertEqual(account.connection_state, "ok", account.connection_message)

    def test_demo_seller_is_indian_and_its_products_are_its_listings(self):
        account = self.env.ref(
            "flipkart_sandbox.flipkart_account_sandbox_demo", raise_if_not_found=False
        )
        if not account:
            self.skipTest("installed without demo data")
        company = account.company_id
        self.assertEqual(company.country_id.code, "IN")
        self.assertEqual(company.currency_id.name, "INR")
        self.assertEqual(set(account.location_ids.warehouse_id.company_id), {company})
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, company)
        self.assertEqual(admin.lang, "en_IN")
        # Each demo product is what the simulator lists under its SKU.
        listings = Sandbox(seed=1, shipments=0, listings=5).listings
        for sku, listing in listings.items():
            product = self.env["product.product"].search([("default_code", "=", sku)])
            self.assertEqual(product.name, listing["product_title"])
            self.assertEqual(product.l10n_in_hsn_code, listing["tax"]["hsn"])

    def test_demo_has_a_smart_account_with_stocked_bins(self):
        account = self.env.ref(
            "flipkart_sandbox.flipkart_account_smart_demo", raise_if_not_found=False
        )
        if not account:
            self.skipTest("installed without demo data")
        self.assertEqual(account.channel_type, "smart")
        root = account.location_ids.smart_root_id
        self.assertEqual(root.warehouse_id.code, "SMT")
        self.assertEqual(len(root.child_ids), 20)
        assignments = self.env["flipkart.smart.assignment"].search(
            [("root_id", "=", root.id)]
        )
        self.assertEqual(len(assignments), 5)  # five SKUs, one bin each
        self.assertEqual(len(assignments.bin_id), 5)

    def test_the_demo_smart_account_releases_picklists_through_the_mount(self):
        account = self.env.ref(
            "flipkart_sandbox.flipkart_account_smart_demo", raise_if_not_found=False
        )
        if not account:
            self.skipTest("installed without demo data")
        self.assertEqual(account.smart_picklist_release, "endpoints")
        account.api_base_url = self.base_url() + "/flipkart_sandbox"
        account.action_pull_listings()
        self.env["flipkart.shipment.import"]._pull(account)
        deliveries = self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", account.id),
                ("picking_type_code", "=", "outgoing"),
                ("flipkart_state", "=", "APPROVED"),
                ("flipkart_hold", "=", False),
            ],
            limit=account.smart_picklist_size,
        )
        self.assertTrue(deliveries, "the demo's Smart location has orders")
        batch = (
            self.env["stock.picking.batch"]
            .with_company(account.company_id)
            .create({"picking_ids": [Command.set(deliveries.ids)]})
        )
        batch.action_flipkart_release_picklist()
        self.assertFalse(batch.flipkart_picklist_message)
        self.assertTrue(batch.flipkart_picklist_id.startswith("PL"))

    def test_the_demo_2gud_account_sells_refurbished_serials_through_its_host(self):
        account = self.env.ref(
            "flipkart_sandbox.flipkart_account_2gud_demo", raise_if_not_found=False
        )
        if not account:
            self.skipTest("installed without demo data")
        account.api_base_url = self.base_url() + "/flipkart_sandbox_2gud"
        account.action_test_connection()
        self.assertEqual(account.connection_state, "ok", account.connection_message)
        account.action_pull_listings()
        self.assertEqual(
            set(account.listing_ids.product_id.mapped("default_code")),
            {"RFB-00001", "RFB-00002", "RFB-00003"},
        )
        self.env["flipkart.shipment.import"]._pull(account)
        delivery = self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", account.id),
                ("picking_type_code", "=", "outgoing"),
                ("flipkart_state", "=", "APPROVED"),
                ("flipkart_hold", "=", False),
                ("state", "=", "assigned"),
            ],
            limit=1,
        )
        self.assertTrue(delivery, "the 2GUD sandbox has orders, some reserved")
        serials = delivery.move_line_ids.lot_id
        self.assertTrue(serials, "refurbished units are serial-tracked")
        delivery.action_flipkart_pack()
        self.assertIn(
            delivery.flipkart_state,
            ("PACKING_IN_PROGRESS", "PACKED"),
            delivery.flipkart_message,
        )
        event = self.env["flipkart.event"].search(
            [("account_id", "=", account.id), ("kind", "=", "pack")], limit=1
        )
        (entry,) = event._payload()["shipments"]
        costs = serials.with_company(account.company_id).mapped("standard_price")
        self.assertEqual(
            entry["taxItems"][0]["purchasePrice"], round(sum(costs) / len(costs), 2)
        )
