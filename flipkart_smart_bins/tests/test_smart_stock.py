from odoo.tests import Form, tagged

from .common import SmartCase

UPDATE = "/listings/v3/update/inventory"


@tagged("post_install", "-at_install")
class TestSmartStock(SmartCase):
    def test_smart_push_sends_bin_stock_without_buffer(self):
        listing = self.listings[0]
        self.account.inventory_buffer = 5
        listing.product_id.product_tmpl_id.write(
            {"flipkart_buffer_override": True, "flipkart_buffer": 3}
        )
        self.receive(listing.product_id, self.bins[0], 12)
        # Stock of another warehouse is not Flipkart Smart's.
        other = self.env["stock.warehouse"].create(
            {"name": "Common", "code": "CMN", "company_id": self.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            listing.product_id, other.lot_stock_id, 40
        )
        self.Inventory._push(self.account, listing_ids=listing.ids)
        self.assertEqual(self.flipkart_stock(listing)["inventory"], 12)
        self.assertEqual(self.line(listing).pushed_quantity, 12)
        ledger = listing.ledger_ids[:1]
        self.assertEqual((ledger.buffer, ledger.pending_quantity), (0, 0))

    def test_test_inventory_update_sends_exactly_one_sku(self):
        listing = self.listings[1]
        self.receive(listing.product_id, self.bins[1], 7)
        action = self.account.action_test_inventory_update()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        form = Form(wizard)
        form.listing_id = listing
        wizard = form.save()
        Event = self.env["flipkart.event"]
        before = Event.search([("kind", "=", "inventory_update")])
        self.sandbox.reset_calls()
        wizard.action_send()
        self.assertEqual(self.calls(UPDATE), 1)
        sent = Event.search([("kind", "=", "inventory_update")]) - before
        self.assertEqual(list(sent._payload()), [listing.seller_sku])
        self.assertEqual(self.flipkart_stock(listing)["inventory"], 7)
        self.assertIn("7 sent, Flipkart answered Success", wizard.result)
