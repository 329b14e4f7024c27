from lxml import etree

from odoo.tests import tagged

from .common import FlipkartSandboxCase

SEARCH = "/sellers/listings/v3/search"
DETAILS_PREFIX = "/sellers/listings/v3/SKU"
PRICE = "/sellers/listings/v3/update/price"


@tagged("post_install", "-at_install")
class TestListingPull(FlipkartSandboxCase):
    sandbox_options = {"shipments": 0, "listings": 1000}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Listing = cls.env["flipkart.listing"]
        # 300 of the 1,000 SKUs exist in Odoo under the same Internal Reference
        # (above the SKUs the demo products use).
        cls.known_skus = [f"SKU-{n:05d}" for n in range(101, 401)]
        cls.products = cls.env["product.product"].create(
            [
                {"name": f"Product {sku}", "default_code": sku, "list_price": 999.0}
                for sku in cls.known_skus
            ]
        )

    def account_column_hidden(self):
        arch = etree.fromstring(self.Listing.get_view(view_type="list")["arch"])
        (column,) = arch.xpath("/list/field[@name='account_id']")
        return column.get("column_invisible") == "True"

    def test_account_column_only_with_several_accounts(self):
        self.assertTrue(self.account_column_hidden())
        self.account.copy({"name": "Second", "app_id": "second-app"})
        self.assertFalse(self.account_column_hidden())

    def _listings(self):
        return self.Listing.search([("account_id", "=", self.account.id)])

    def test_pull_creates_maps_and_does_not_duplicate(self):
        listings = self.pull_listings()
        self.assertEqual(len(listings), 1000)
        self.assertLessEqual(self.sandbox.count("POST", SEARCH), 2)
        self.assertEqual(self.sandbox.count("GET", DETAILS_PREFIX), 100)
        mapped = listings.filtered("product_id")
        self.assertEqual(sorted(mapped.mapped("seller_sku")), self.known_skus)
        self.assertEqual(set(mapped.mapped("mapping_source")), {"auto"})
        for listing in mapped[:5]:
            self.assertEqual(listing.product_id.default_code, listing.seller_sku)
        unmapped = self.Listing.search(
            [("account_id", "=", self.account.id), ("product_id", "=", False)]
        )
        self.assertEqual(len(unmapped), 700)
        sample = listings[0]
        expected = self.sandbox.listings[sample.seller_sku]
        self.assertEqual(sample.fsn, expected["product_id"])
        self.assertEqual(sample.mrp, expected["price"]["mrp"])
        self.assertEqual(sample.tax_rate, expected["tax"]["goods_services_rate"])
        self.assertEqual(
            sample.location_line_ids.location_id.flipkart_location_id, "LOC0001"
        )
        # Flipkart's stock at the account's locations, on the list itself.
        (at_loc1,) = (
            loc["inventory"] for loc in expected["locations"] if loc["id"] == "LOC0001"
        )
        self.assertEqual(sample.flipkart_inventory, at_loc1)
        self.assertIn("1000 listings (1000 new)", self.account.message_ids[0].body)
        # A second pull creates nothing new.
        self.sandbox.reset_calls()
        again = self.pull_listings()
        self.assertEqual(again, listings)
        self.assertEqual(len(self._listings()), 1000)
        self.assertIn("(0 new)", self.account.message_ids[0].body)

    def test_person_mapping_is_never_overwritten(self):
        self.pull_listings()
        listing = self._listings().filtered(lambda rec: rec.seller_sku == "SKU-00101")
        other = self.products[-1]
        listing.product_id = other
        self.assertEqual(listing.mapping_source, "manual")
        self.pull_listings()
        self.assertEqual(listing.product_id, other)
        self.assertEqual(listing.mapping_source, "manual")

    def test_vanished_listing_is_marked_not_deleted(self):
        self.pull_listings()
        with self.sandbox.lock:
            self.sandbox.listings.pop("SKU-00002")
        self.pull_listings()
        gone = self._listings().filtered(lambda rec: rec.seller_sku == "SKU-00002")
        self.assertTrue(gone.missing_on_flipkart)

    def test_mapping_by_barcode_and_off(self):
        self.account.sku_mapping = "barcode"
        self.products[0].barcode = "SKU-00900"
        listings = self.pull_listings()
        mapped = listings.filtered("product_id")
        self.assertEqual(mapped.mapped("seller_sku"), ["SKU-00900"])
        self.account.sku_mapping = "off"
        self.Listing.search([]).unlink()
        self.assertFalse(self.pull_listings().filtered("product_id"))

    def test_flipkart_down_is_reported_on_the_account(self):
        self.sandbox.faults.set(rate_5xx=1.0)
        with self.assertLogs(
            "odoo.addons.flipkart_connector.models.flipkart_sync", "WARNING"
        ):
            self.assertFalse(self.pull_listings())
        self.assertIn("SKU pull stopped", self.account.message_ids[0].body)

    def test_bulk_mapping_by_csv_import(self):
        self.pull_listings()
        product = self.products[0]
        csv = (
            "account_id,seller_sku,product_id\n"
            f"{self.account.name},SKU-00500,{product.display_name}\n"
            f"{self.account.name},SKU-00501,{product.display_name}\n"
        ).encode()
        importer = self.env["base_import.import"].create(
            {"res_model": "flipkart.listing", "file": csv, "file_type": "text/csv"}
        )
        result = importer.execute_import(
            ["account_id", "seller_sku", "product_id"],
            ["account_id", "seller_sku", "product_id"],
            {"has_headers": True, "quoting": '"', "separator": ","},
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(len(self._listings()), 1000, "import mapped, not duplicated")
        imported = self._listings().filtered(
            lambda rec: rec.seller_sku in ("SKU-00500", "SKU-00501")
        )
        self.assertEqual(imported.product_id, product)
        self.assertEqual(set(imported.mapped("mapping_source")), {"manual"})

    def test_scheduled_sync_waits_for_the_from_date(self):
        Sync = self.env["flipkart.listing.sync"]
        self.account.sku_pull_from = "2999-01-01 00:00:00"
        Sync._cron_pull_listings()
        self.assertFalse(self._listings())
        self.account.sku_pull_from = "2020-01-01 00:00:00"
        Sync._cron_pull_listings()
        self.assertEqual(len(self._listings()), 1000)

    def test_product_shows_its_listings(self):
        self.pull_listings()
        template = self.products[0].product_tmpl_id
        self.assertEqual(template.flipkart_listing_count, 1)
        action = template.action_view_flipkart_listings()
        self.assertEqual(self.Listing.search(action["domain"]).seller_sku, "SKU-00101")


@tagged("post_install", "-at_install")
class TestPricePush(FlipkartSandboxCase):
    sandbox_options = {"shipments": 0, "listings": 130}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        skus = [f"SKU-{n:05d}" for n in range(101, 126)]
        cls.env["product.product"].create(
            [
                {
                    "name": sku,
                    "default_code": sku,
                    "list_price": cls.sandbox.listings[sku]["price"]["mrp"],
                }
                for sku in skus
            ]
        )
        cls.account.sku_sync_push = True
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "Flipkart prices", "company_id": cls.company.id}
        )
        cls.account.price_pricelist_id = cls.pricelist

    def setUp(self):
        super().setUp()
        self.listings = self.pull_listings().filtered("product_id")
        # Make Odoo agree with Flipkart, so only later changes are sent.
        for listing in self.listings:
            listing.selling_price = listing.product_id.lst_price
        self.sandbox.reset_calls()

    def test_only_changed_prices_in_batches_of_ten(self):
        self.assertEqual(
            self.env["flipkart.listing.sync"]._push_prices(self.account), 0
        )
        self.assertEqual(self.sandbox.count("POST", PRICE), 0)
        changed = self.listings[:12]
        for product in changed.product_id:
            product.lst_price += 100
        self.assertEqual(
            self.env["flipkart.listing.sync"]._push_prices(self.account), 12
        )
        calls = [c for c in self.sandbox.calls if c["path"] == PRICE]
        self.assertEqual(len(calls), 2)
        for listing in changed:
            self.assertEqual(
                listing.price_push_state, "SUCCESS", listing.price_push_message
            )
            stored = self.sandbox.listings[listing.seller_sku]["price"]
            self.assertEqual(stored["mrp"], listing.product_id.lst_price)
            self.assertEqual(listing.mrp, listing.product_id.lst_price)
        # Nothing changed since: nothing sent.
        self.assertEqual(
            self.env["flipkart.listing.sync"]._push_prices(self.account), 0
        )

    def test_failed_sku_keeps_flipkart_reason(self):
        bad, good = self.listings[:2]
        bad.fsn = "WRONGFSN00000000"
        (bad | good).product_id.lst_price = 2000
        self.env["flipkart.listing.sync"]._push_prices(self.account)
        self.assertEqual(good.price_push_state, "SUCCESS")
        self.assertEqual(bad.price_push_state, "FAILURE")
        self.assertTrue(bad.price_push_message)
        event = self.env["flipkart.event"].search(
            [("kind", "=", "price_update"), ("account_id", "=", self.account.id)]
        )
        self.assertEqual(event.state, "error")
        self.assertIn(bad.seller_sku, event.last_error)

    def test_dry_run_sends_nothing(self):
        self.account.dry_run = True
        self.listings[:3].product_id.lst_price = 3000
        self.assertEqual(
            self.env["flipkart.listing.sync"]._push_prices(self.account), 3
        )
        self.assertEqual(self.sandbox.count("POST", PRICE), 0)
        self.assertIn("Dry run", self.listings[0].price_push_message)
