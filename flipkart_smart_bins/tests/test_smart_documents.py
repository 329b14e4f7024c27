from odoo.tests import tagged

from odoo.addons.flipkart_connector.tests.common import pdf_pages

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartDocuments(SmartCase):
    """Flipkart Smart's one document (label and invoice on one page) on the
    delivery and the Odoo invoice; the invoice matched as for other orders."""

    def setUp(self):
        super().setUp()
        self.sandbox.reset_fulfilment()
        self.sandbox.label_delay = 0.0
        self.account.write({"pack_on": "manual", "invoice_creation": "post"})

    def packed(self):
        delivery = self.smart_delivery(self.bins[0], 2, picklist="PL-D")
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        return delivery

    def test_the_consolidated_document_is_on_the_delivery_and_the_invoice(self):
        delivery = self.packed()
        label = delivery.flipkart_label_attachment_id
        (page,) = pdf_pages(label)
        self.assertIn("Flipkart Smart shipping label and tax invoice", page)
        self.assertIn("Tax Invoice", page)
        # The invoice's PDF is that document: its data is read (one call),
        # no second PDF downloaded.
        self.assertEqual(self.calls("/invoices"), 1)
        self.assertEqual(delivery.flipkart_invoice_attachment_id.raw, label.raw)
        move = delivery.sale_id.invoice_ids
        self.assertEqual(move.state, "posted", move.flipkart_mismatch_reason)
        self.assertEqual(move.ref, delivery.flipkart_invoice_number)
        self.assertEqual(move.message_main_attachment_id.raw, label.raw)
        self.assertFalse(move.flipkart_invoice_mismatch)

    def test_a_smart_invoice_that_differs_is_flagged_not_posted(self):
        delivery = self.smart_delivery(self.bins[0], 2, picklist="PL-M")
        sid = delivery.flipkart_shipment_id
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        move = delivery.sale_id.invoice_ids
        self.assertEqual(move.state, "posted")
        # Flipkart invoices another amount for the next Smart order.
        other = self.smart_delivery(self.bins[0], 1, picklist="PL-N")
        original = self.sandbox._invoice

        def dearer(shipment, *args, **kwargs):
            invoice = original(shipment, *args, **kwargs)
            invoice["orderItems"][0]["invoiceAmount"] += 100
            return invoice

        self.sandbox._invoice = dearer
        try:
            other.action_flipkart_pack()
        finally:
            del self.sandbox._invoice
        wrong = other.sale_id.invoice_ids
        self.assertEqual(wrong.state, "draft", "a mismatch is never posted")
        self.assertTrue(wrong.flipkart_invoice_mismatch)
        self.assertIn("Total", wrong.flipkart_mismatch_reason)
        self.assertNotEqual(sid, other.flipkart_shipment_id)

    def test_only_the_deliverys_own_label_stands_for_its_invoice(self):
        delivery = self.packed()
        sid = delivery.flipkart_shipment_id
        stranger = self.env["ir.attachment"].create(
            {
                "name": "Someone else's.pdf",
                "raw": b"%PDF-1.4 someone else's document",
                "res_model": "res.partner",
                "res_id": self.env.user.partner_id.id,
            }
        )
        delivery.flipkart_label_attachment_id = stranger
        client = self.account._flipkart_client()
        (invoice,) = client.get_invoices([sid])
        self.sandbox.reset_calls()
        documents = self.env["flipkart.fulfilment"]._invoice_documents(
            client, {sid: invoice}, {sid: delivery}
        )
        self.assertNotEqual(documents[sid], stranger.raw)
        self.assertTrue(documents[sid].startswith(b"%PDF"))
        self.assertEqual(self.calls("/invoices"), 1, "Flipkart's invoice PDF instead")
