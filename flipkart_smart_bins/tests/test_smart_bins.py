from odoo_test_helper import FakeModelLoader

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestOneBinPerSku(SmartCase):
    def test_receipt_into_a_second_bin_is_refused(self):
        bin1, bin2 = self.bins[:2]
        self.receive(self.product, bin1, 5)
        with self.refused(r"Smart Kettle is in bin B-01 \(5.0 units\).*go to bin B-02"):
            self.receive(self.product, bin2, 3)
        self.assertEqual(self.in_bins(self.product), {"B-01": 5})

    def test_inventory_adjustment_into_a_second_bin_is_refused(self):
        bin1, bin2 = self.bins[:2]
        self.receive(self.product, bin1, 5)
        quant = (
            self.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.product.id,
                    "location_id": bin2.id,
                    "inventory_quantity": 2,
                }
            )
        )
        with self.refused("one bin"):
            quant.action_apply_inventory()
        self.assertEqual(self.in_bins(self.product), {"B-01": 5})

    def test_moving_the_whole_stock_to_another_bin_passes(self):
        bin1, bin2 = self.bins[:2]
        self.receive(self.product, bin1, 5)
        self.transfer(self.product, bin1, bin2, 5)
        self.assertEqual(self.in_bins(self.product), {"B-02": 5})
        assignment = self.env["flipkart.smart.assignment"].search(
            [("product_id", "=", self.product.id)]
        )
        self.assertEqual(assignment.bin_id, bin2)
        # From now on the SKU lives in B-02: putaway sends it there.
        receipt = self.receive(self.product, self.root, 1)
        self.assertEqual(receipt.move_line_ids.location_dest_id, bin2)

    def test_splitting_a_sku_over_two_bins_is_refused(self):
        bin1, bin2 = self.bins[:2]
        self.receive(self.product, bin1, 5)
        with self.refused("move all of it to B-02"):
            self.transfer(self.product, bin1, bin2, 2)
        self.assertEqual(self.in_bins(self.product), {"B-01": 5})

    def test_a_new_sku_goes_to_the_emptiest_bin_and_skips_full_ones(self):
        other = self.env["product.product"].create(
            {"name": "Other", "is_storable": True}
        )
        self.receive(other, self.bins[0], 40)
        self.bins[1].flipkart_bin_capacity = 10
        self.receive(
            self.env["product.product"].create({"name": "Third", "is_storable": True}),
            self.bins[1],
            10,
        )
        # B-01 holds 40 of 1,500, B-02 is full, B-03 is empty.
        receipt = self.receive(self.product, self.root, 4)
        self.assertEqual(receipt.move_line_ids.location_dest_id.name, self.bins[2].name)


@tagged("post_install", "-at_install")
class TestBinCapacity(SmartCase):
    def test_a_full_bin_refuses_one_more_unit(self):
        bin1 = self.bins[0]
        self.assertEqual(bin1.flipkart_bin_capacity, 1500)
        other = self.env["product.product"].create(
            {"name": "Other", "is_storable": True}
        )
        self.receive(self.product, bin1, 1000)
        self.receive(other, bin1, 500)
        with self.refused("B-01 would hold 1501.0 units, 1500 at most"):
            self.receive(other, bin1, 1)
        self.assertEqual(self.in_bins(other), {"B-01": 500})

    def test_ordinary_locations_are_not_checked(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf", "location_id": self.warehouse.view_location_id.id}
        )
        self.receive(self.product, shelf, 5000)
        self.assertFalse(
            self.env["flipkart.smart.assignment"].search(
                [("product_id", "=", self.product.id)]
            )
        )


@tagged("post_install", "-at_install")
class TestSmartRoot(SmartCase):
    def test_root_inside_a_warehouse_stock_is_refused(self):
        shelf = self.env["stock.location"].create(
            {"name": "Shelf 9", "location_id": self.stock.id}
        )
        with self.assertRaisesRegex(
            ValidationError, "where the orders of every channel"
        ):
            self.location.smart_root_id = shelf

    def test_a_pool_beside_the_stock_is_a_smart_root(self):
        pool = self.env["stock.location"].create(
            {"name": "Smart Pool", "location_id": self.warehouse.view_location_id.id}
        )
        self.location.smart_root_id = pool
        self.assertTrue(pool.flipkart_smart_root)
        self.assertFalse(self.root.flipkart_smart_root)
        self.assertEqual(self.location._stock_root(), pool)

    def test_a_smart_warehouse_ships_nothing_else(self):
        other = self.account.copy(
            {"name": "Seller", "app_id": "other", "channel_type": "seller_v3"}
        )
        with self.assertRaisesRegex(ValidationError, "kept for Flipkart Smart"):
            self.env["flipkart.location"].create(
                {
                    "account_id": other.id,
                    "flipkart_location_id": "LOC0009",
                    "warehouse_id": self.warehouse.id,
                }
            )


@tagged("post_install", "-at_install")
class TestNoVirtualBundles(SmartCase):
    def test_a_combo_or_an_untracked_product_cannot_map(self):
        listing = self.listings[0]
        choice = self.env["product.combo"].create(
            {
                "name": "Cups",
                "combo_item_ids": [(0, 0, {"product_id": self.product.id})],
            }
        )
        combo = self.env["product.product"].create(
            {"name": "Combo", "type": "combo", "combo_ids": [(6, 0, choice.ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "bundle made of other products"):
            listing.product_id = combo
        service = self.env["product.product"].create(
            {"name": "Gift wrap", "type": "consu"}
        )
        with self.assertRaisesRegex(ValidationError, "not tracked"):
            listing.product_id = service
        listing.product_id = self.product


@tagged("post_install", "-at_install")
class TestNoKits(SmartCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "mrp.bom" not in cls.env:
            # An addon of its own, as Manufacturing would be.
            cls.loader = FakeModelLoader(cls.env, "odoo.addons.flipkart_test_mrp")
            cls.loader.backup_registry()
            from .fake_mrp import FakeBom

            cls.loader.update_registry((FakeBom,))
            cls.addClassCleanup(cls.loader.restore_registry)

    def test_a_kit_cannot_map_to_a_smart_listing(self):
        kit = self.env["product.product"].create(
            {"name": "Kettle + Cups", "is_storable": True}
        )
        self.env["mrp.bom"].create(
            {"product_tmpl_id": kit.product_tmpl_id.id, "type": "phantom"}
        )
        with self.assertRaisesRegex(ValidationError, "kit or combo"):
            self.listings[0].product_id = kit
        # A physical bundle, with stock of its own, maps.
        self.env["mrp.bom"].search(
            [("product_tmpl_id", "=", kit.product_tmpl_id.id)]
        ).type = "normal"
        self.listings[0].product_id = kit
