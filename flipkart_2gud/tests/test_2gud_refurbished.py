from odoo.tests import Form, tagged

from .common import TwoGudCase


@tagged("post_install", "-at_install")
class TestRefurbishedAtPack(TwoGudCase):
    def serial_product(self, listing, costs):
        """The listing's product made refurbished, serial-tracked and valued
        per serial; one unit in stock per ``{serial: cost}``."""
        product = listing.product_id
        product.write(
            {"tracking": "serial", "lot_valuated": True, "flipkart_refurbished": True}
        )
        stock = self.warehouse.lot_stock_id
        lots = self.env["stock.lot"]
        for name, cost in costs.items():
            lot = self.env["stock.lot"].create(
                {"name": name, "product_id": product.id, "company_id": self.company.id}
            )
            self.env["stock.quant"]._update_available_quantity(
                product, stock, 1, lot_id=lot
            )
            lot.with_context(disable_auto_svl=True).standard_price = cost
            lots |= lot
        return lots

    def test_the_serial_shipped_carries_its_own_purchase_cost(self):
        listing = self.listings[0]
        cheap, dear = self.serial_product(listing, {"RF-001": 700.0, "RF-002": 900.0})
        delivery = self.order_of(listing)
        delivery.action_assign()
        delivery.move_line_ids.lot_id = dear
        delivery.action_flipkart_pack()
        entry = self.sent_pack()
        (tax,) = entry["taxItems"]
        self.assertEqual(tax["purchasePrice"], 900.0)
        self.assertEqual(entry["serialNumbers"][0]["serialNumbers"], [["RF-002"]])
        self.assertNotEqual(delivery.flipkart_state, "APPROVED", "2GUD accepted it")
        self.assertNotEqual(cheap, dear)

    def test_a_missing_cost_blocks_the_pack_with_a_message(self):
        listing = self.listings[1]
        (lot,) = self.serial_product(listing, {"RF-010": 0.0})
        delivery = self.order_of(listing)
        delivery.action_assign()
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        self.assertIn("2GUD needs the purchase cost", delivery.flipkart_message)
        self.assertIn("RF-010", delivery.flipkart_message)
        self.assertFalse(self.calls("POST", "/v3/shipments/labels"))
        self.assertEqual(delivery.flipkart_state, "APPROVED")
        # Costed, it packs.
        lot.with_context(disable_auto_svl=True).standard_price = 450.0
        delivery.action_flipkart_pack()
        self.assertEqual(self.sent_pack()["taxItems"][0]["purchasePrice"], 450.0)

    def test_a_refurbished_category_uses_the_products_cost(self):
        listing = self.listings[2]
        category = self.env["product.category"].create({"name": "Refurbished phones"})
        with Form(category) as form:
            form.flipkart_refurbished = True
        listing.product_id.write({"categ_id": category.id, "standard_price": 321.5})
        delivery = self.order_of(listing, quantity=2)
        delivery.action_flipkart_pack()
        self.assertEqual(self.sent_pack()["taxItems"][0]["purchasePrice"], 321.5)

    def test_goods_that_are_not_refurbished_carry_no_purchase_price(self):
        self.account.channel_type = "seller_v3"
        listing = self.listings[3]
        listing.product_id.flipkart_refurbished = True
        delivery = self.order_of(listing)
        delivery.action_flipkart_pack()
        self.assertNotIn("purchasePrice", self.sent_pack()["taxItems"][0])
