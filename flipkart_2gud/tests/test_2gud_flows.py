"""Everything a Flipkart account does, done by a 2GUD account against the
sandbox serving 2GUD: its listings are refurbished and every pack request
must carry each item's purchase price, or 2GUD refuses it."""

import copy

from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.flipkart_connector.tests.common import (
    InventoryCase,
    ReturnCase,
    pdf_pages,
)

from .common import TwoGudCase

COST = 100.0
PACK = "/v3/shipments/labels"
INVENTORY = "/sellers/listings/v3/update/inventory"


def refurbish(products, cost=COST):
    """What a 2GUD seller sells: refurbished goods with a purchase cost."""
    products.write({"flipkart_refurbished": True, "standard_price": cost})


class RefurbishedCase(TwoGudCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        refurbish(cls.listings.product_id)

    def assert_priced(self, pickings):
        """Every item of every delivery went to 2GUD with its purchase price."""
        events = self.env["flipkart.event"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "pack")]
        )
        sent = {
            entry["shipmentId"]: entry
            for event in events
            for entry in event._payload()["shipments"]
        }
        for picking in pickings:
            taxes = sent[picking.flipkart_shipment_id]["taxItems"]
            self.assertEqual({tax["purchasePrice"] for tax in taxes}, {COST})

    def attachment_of(self, action):
        return self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )


@tagged("post_install", "-at_install")
class Test2GudListingsAndOrders(RefurbishedCase):
    def unmapped_skus(self):
        """What the Unmapped SKUs list shows of this account."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_listing_action_unmapped"
        )
        self.assertEqual(safe_eval(action["context"]), {"search_default_unmapped": 1})
        Listing = self.env["flipkart.listing"]
        arch = etree.fromstring(Listing.get_view(view_type="search")["arch"])
        (unmapped,) = arch.xpath("//filter[@name='unmapped']")
        return Listing.search(
            safe_eval(unmapped.get("domain")) + [("account_id", "=", self.account.id)]
        )

    def test_sku_pull_then_mapping_from_the_unmapped_list_imports_its_orders(self):
        sku, fsn = "2GUD-RFB-MOB-IPH12-64GB-BLK", "MOBFWQ6BXGJCEYNY"
        with self.sandbox.lock:
            listing = copy.deepcopy(self.sandbox.listings[self.listings[0].seller_sku])
            listing.update(product_id=fsn, listing_id=f"LST{fsn}RF2GUD")
            self.sandbox.listings[sku] = listing
        counts = self.env["flipkart.listing.sync"]._pull(self.account)
        self.assertEqual(counts["created"], 1)
        pulled = self.unmapped_skus()
        self.assertEqual(pulled.seller_sku, sku)
        self.assertEqual(pulled.fsn, fsn)
        self.assertEqual(pulled.listing_id, f"LST{fsn}RF2GUD")
        self.assertTrue(pulled.title.startswith("Refurbished "))
        self.assertFalse(pulled.product_id)
        # 2GUD's order of the unmapped SKU waits for its product.
        ids = self.sandbox.add_shipments(
            1, status="APPROVED", location_id="LOC0001", sku=sku, hold=False
        )
        self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertNotIn(ids[0], self.orders().mapped("flipkart_shipment_id"))
        event = self.env["flipkart.event"].search(
            [("idempotency_key", "=", f"import:{ids[0]}")]
        )
        self.assertIn(f"SKU {sku} is not mapped", event.last_error)
        # Mapped from the Unmapped SKUs list: it leaves the list.
        product = self.env["product.product"].create(
            {"name": "iPhone 12 64 GB (refurbished)", "is_storable": True}
        )
        refurbish(product, cost=31000.0)
        with Form(pulled) as form:
            form.product_id = product
        self.assertEqual(pulled.mapping_source, "manual")
        self.assertFalse(self.unmapped_skus())
        event.action_retry()
        self.assertEqual(event.state, "done", event.last_error)
        order = self.orders().filtered(lambda o: o.flipkart_shipment_id == ids[0])
        self.assertEqual(order.order_line.product_id, product)
        # ... and it packs with that product's cost.
        order.picking_ids.action_flipkart_pack()
        (tax,) = self.sent_pack()["taxItems"]
        self.assertEqual(tax["purchasePrice"], 31000.0)
        self.assertEqual(order.picking_ids.flipkart_state, "READY_TO_DISPATCH")

    def test_order_pull_imports_every_2gud_shipment_once(self):
        expected = self.expected_ids()
        self.assertTrue(expected)
        counts = self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertEqual(counts["created"], len(expected))
        orders = self.orders()
        self.assertEqual(set(orders.mapped("flipkart_shipment_id")), expected)
        self.assertEqual(set(orders.mapped("state")), {"sale"})
        self.assertEqual(
            set(orders.picking_ids.mapped("flipkart_shipment_id")), expected
        )
        products = orders.order_line.filtered("flipkart_order_item_id").product_id
        self.assertTrue(all(products.mapped("flipkart_refurbished")))
        again = self.env["flipkart.shipment.import"]._pull(self.account)
        self.assertEqual(again["created"], 0)
        self.assertEqual(len(self.orders()), len(expected))

    def test_fetch_orders_by_order_id(self):
        sid = sorted(self.expected_ids())[0]
        order_id = self.sandbox.shipments[sid]["orderItems"][0]["orderId"]
        form = Form(self.env["flipkart.fetch.orders.wizard"])
        form.account_id = self.account
        form.ids_text = order_id
        wizard = form.save()
        wizard.action_fetch()
        self.assertIn("1 imported", wizard.result)
        order = self.orders()
        self.assertEqual(order.flipkart_shipment_id, sid)
        self.assertEqual(order.flipkart_order_id, order_id)


@tagged("post_install", "-at_install")
class Test2GudFulfilment(RefurbishedCase):
    def test_pack_invoice_and_label(self):
        self.account.invoice_creation = "post"
        pickings = self.shipments(2)
        self.sandbox.reset_calls()
        pickings.action_flipkart_pack()
        self.assertEqual(self.calls("POST", PACK), 1)
        self.assert_priced(pickings)
        for picking in pickings:
            self.assertEqual(picking.flipkart_state, "READY_TO_DISPATCH")
            self.assertEqual(self.flipkart_status(picking), {"READY_TO_DISPATCH"})
            self.assertTrue(picking.flipkart_tracking_id)
            self.assertTrue(picking.flipkart_label_ready)
            pages = pdf_pages(picking.flipkart_label_attachment_id)
            self.assertTrue(any(picking.flipkart_shipment_id in p for p in pages))
            invoice = picking.sale_id.invoice_ids
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.ref, picking.flipkart_invoice_number)
            flipkart = self.sandbox.invoices[picking.flipkart_shipment_id]
            self.assertAlmostEqual(
                invoice.amount_total,
                sum(i["invoiceAmount"] for i in flipkart["orderItems"]),
                places=2,
            )
        pages = pdf_pages(self.attachment_of(pickings.action_flipkart_print_label()))
        self.assertEqual(len(pages), 4)  # a label and an invoice each

    def test_label_prefetch(self):
        pickings = self.shipments(2)
        uncosted = self.shipments(1)
        uncosted.move_ids.product_id.standard_price = 0.0
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [(6, 0, (pickings | uncosted).ids)]}
        )
        self.sandbox.label_delay = 600
        form = Form.from_action(self.env, batch.action_flipkart_prefetch())
        wizard = form.save()
        self.assertEqual(len(wizard.line_ids), 3)
        wizard.action_start()
        self.assertEqual((wizard.ready_count, wizard.failed_count), (0, 1))
        self.assertIn("2GUD needs the purchase cost", uncosted.flipkart_message)
        self.assertEqual(self.flipkart_status(uncosted), {"APPROVED"})
        self.assert_priced(pickings)
        self.clock.offset = 700
        wizard.action_refresh()
        self.assertEqual(wizard.ready_count, 2)
        self.assertTrue(all(pickings.mapped("flipkart_invoice_number")))
        self.assertEqual(len(pdf_pages(self.attachment_of(wizard.action_print()))), 4)

    def test_self_ship(self):
        picking = self.shipments(1, shipment_type="SELF")
        self.assertTrue(picking.flipkart_self_ship)
        # The seller's own courier: nothing to pack on 2GUD.
        self.sandbox.reset_calls()
        picking.action_flipkart_pack()
        self.assertEqual(self.calls("POST", PACK), 0)
        self.assertIn("Self-ship", picking.flipkart_message)
        self.submit_wizard(
            "flipkart.self.ship.wizard",
            picking,
            action="dispatch",
            courier_name="Delhivery",
            courier_code="DELHIVERY",
            tracking_id="DLV2GUD1",
            tentative_delivery_date="2099-01-01",
            invoice_number="INV/2GUD/1",
            invoice_date=self.env.cr.now().date(),
        )
        self.assertEqual(picking.flipkart_state, "SHIPPED", picking.flipkart_message)
        self.assertEqual(self.flipkart_status(picking), {"SHIPPED"})
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            self.sandbox.self_ship_dispatches[picking.flipkart_shipment_id][
                "trackingId"
            ],
            "DLV2GUD1",
        )
        self.submit_wizard("flipkart.self.ship.wizard", picking, action="delivery")
        self.assertEqual(picking.flipkart_state, "DELIVERED")
        self.assertEqual(self.flipkart_status(picking), {"DELIVERED"})

    def test_manifest_download(self):
        self.account.rtd_at = "manifest"
        pickings = self.shipments(3)
        pickings.action_flipkart_pack()
        self.assert_priced(pickings)
        self.assertEqual(set(pickings.mapped("flipkart_state")), {"PACKED"})
        wizard = Form(self.env["flipkart.manifest.wizard"])
        self.assertEqual(wizard.account_id, self.account)
        wizard = wizard.save()
        wizard.action_load_couriers()
        self.assertEqual(set(pickings.mapped("flipkart_state")), {"READY_TO_DISPATCH"})
        self.assertEqual(sum(wizard.line_ids.mapped("count")), 3)
        manifests = self.env["flipkart.manifest"]
        for line in wizard.line_ids:
            wizard.vendor_line_id = line
            manifests |= manifests.browse(wizard.action_download()["res_id"])
        self.assertEqual(manifests.picking_ids, pickings)
        handed = {sid for m in self.sandbox.manifests for sid in m["shipmentIds"]}
        self.assertEqual(handed, set(pickings.mapped("flipkart_shipment_id")))
        for manifest in manifests:
            text = "".join(pdf_pages(manifest.attachment_id))
            for picking in manifest.picking_ids:
                self.assertIn(picking.flipkart_shipment_id, text)


@tagged("post_install", "-at_install")
class Test2GudReturns(RefurbishedCase, ReturnCase):
    def test_customer_return_received_and_credited(self):
        sku = self.listings[0].seller_sku
        delivery = self.delivered(lines=[(sku, 2)])
        self.assert_priced(delivery)
        item = delivery.sale_id.order_line.filtered("flipkart_order_item_id")
        return_id = self.sandbox.create_return(
            delivery.flipkart_shipment_id,
            order_item_id=item.flipkart_order_item_id,
            quantity=1,
            reason="damaged",
        )
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.assertEqual(receipt.flipkart_return_id, return_id)
        self.assertEqual(receipt.return_id, delivery)
        self.assertEqual(receipt.move_ids.product_id, self.listings[0].product_id)
        self.assertEqual(receipt.move_ids.product_uom_qty, 1)
        self.assertEqual(receipt.flipkart_return_reason, "damaged")
        self.receive(receipt)
        credit = receipt.flipkart_credit_note_id
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(
            credit.reversed_entry_id,
            delivery.sale_id.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice"
            ),
        )


@tagged("post_install", "-at_install")
class Test2GudInventory(RefurbishedCase, InventoryCase):
    def test_inventory_update(self):
        first = self.listings[0]
        self.set_stock(first, 12)
        self.sandbox.reset_calls()
        sent = self.Inventory._push(self.account)
        self.assertEqual(len(sent), len(self.listings))
        self.assertEqual(self.sandbox.count("POST", INVENTORY), 2)  # 10 a call
        self.assertEqual(self.flipkart_stock(first)["inventory"], 12)
        self.assertEqual(self.line(first).push_state, "SUCCESS")
        self.assertEqual(first.ledger_ids.state, "SUCCESS")
        # A 2GUD order reserves two: only that SKU is sent again.
        self.order_of(first, quantity=2).action_assign()
        self.assertEqual(self.Inventory._push(self.account), [first.seller_sku])
        self.assertEqual(self.flipkart_stock(first)["inventory"], 10)

    def test_daily_reconciliation(self):
        self.account.write(
            {"inventory_reconciliation": True, "inventory_reconciliation_fix": True}
        )
        first = self.listings[0]
        self.set_stock(first, 5)
        self.Inventory._push(self.account, full=True)
        self.sandbox.change_on_panel(first.seller_sku, "LOC0001", inventory=40)
        self.env["flipkart.inventory"]._cron_reconcile_inventory()
        self.assertTrue(self.account.inventory_reconciled_at)
        difference = self.env["flipkart.inventory.difference"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(difference.listing_id, first)
        self.assertEqual(difference.cause, "panel_change")
        self.assertEqual(
            (difference.flipkart_quantity, difference.odoo_quantity), (40, 5)
        )
        self.assertTrue(difference.fixed)
        self.assertEqual(self.flipkart_stock(first)["inventory"], 5)
