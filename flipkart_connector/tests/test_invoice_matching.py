import io
from datetime import date

from lxml import etree
from reportlab.pdfgen import canvas

from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..flipkart import invoice_matching
from ..flipkart.records import Invoice
from .common import FlipkartOrderCase

SELLER_STATE = "KA"  # the test warehouse's state


def _pdf(text):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def invoice_json(shipment, number, day, rate=18.0, inter=None, amounts=None):
    """Flipkart's invoice of a sandbox shipment, in its documented shape: each
    live item invoiced at its selling price plus shipping, GST at ``rate``,
    IGST when delivered outside the seller's state."""
    if inter is None:
        inter = shipment["deliveryAddress"]["stateCode"] != SELLER_STATE
    items = []
    for item in shipment["orderItems"]:
        if item["status"] == "CANCELLED":
            continue
        prices = item["priceComponents"]
        item_id = item["orderItemId"]
        items.append(
            {
                "orderItemId": item_id,
                "invoiceAmount": (amounts or {}).get(
                    item_id, round(prices["sellingPrice"] + prices["shippingCharge"], 2)
                ),
                "taxRate": rate,
                "serialNumbers": [],
                "taxDetails": {
                    "cgstRate": 0.0 if inter else rate / 2,
                    "sgstRate": 0.0 if inter else rate / 2,
                    "igstRate": rate if inter else 0.0,
                },
            }
        )
    return {
        "shipmentId": shipment["shipmentId"],
        "invoiceNumber": number,
        "invoiceDate": day,
        "orderItems": items,
    }


@tagged("post_install", "-at_install")
class TestInvoiceMatching(FlipkartOrderCase):
    """Flipkart's invoice received for imported orders (Karnataka seller)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            login="fk_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.account.write({"accountant_id": cls.accountant.id})
        # Stock is invoiced as delivered; Flipkart invoices at packing.
        cls.env["flipkart.listing"].search(
            [("account_id", "=", cls.account.id)]
        ).product_id.invoice_policy = "delivery"
        cls.env["flipkart.shipment.import"]._pull(cls.account)
        cls.pdf = _pdf("Flipkart invoice FAB-TEST-0001")

    def setUp(self):
        super().setUp()
        self.account.invoice_creation = "draft"

    def order(self, inter=None, shipping=None):
        """An imported order, delivered across states or not, with or
        without a shipping charge."""
        for order in self.orders().sorted("id"):
            shipment = self.shipment(order)
            is_inter = shipment["deliveryAddress"]["stateCode"] != SELLER_STATE
            charged = any(
                i["priceComponents"]["shippingCharge"] for i in shipment["orderItems"]
            )
            if order.state == "sale" and (
                (inter is None or is_inter == inter)
                and (shipping is None or charged == shipping)
            ):
                return order
        self.fail(f"no imported order with inter={inter}, shipping={shipping}")

    def shipment(self, order):
        return self.sandbox.shipments[order.flipkart_shipment_id]

    def invoice(self, order, number="FAB-TEST-0001", day="2026-01-15", **options):
        return Invoice.from_json(
            invoice_json(self.shipment(order), number, day, **options)
        )

    def receive(self, order, invoice, pdf=None):
        return order._flipkart_invoice_received(invoice, pdf=pdf or self.pdf)

    def items(self, order):
        return [
            i["orderItemId"]
            for i in self.shipment(order)["orderItems"]
            if i["status"] != "CANCELLED"
        ]

    def mismatches(self):
        """Invoices the search filter "Flipkart invoice mismatches" lists."""
        Move = self.env["account.move"]
        arch = etree.fromstring(Move.get_view(view_type="search")["arch"])
        [node] = arch.xpath("//filter[@name='flipkart_invoice_mismatch']")
        return Move.search(safe_eval(node.get("domain")))

    # Matching -----------------------------------------------------------------

    def assert_mirrors(self, move, order, invoice):
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.ref, invoice.invoice_number)
        self.assertEqual(move.invoice_date, date(2026, 1, 15))
        self.assertEqual(move.flipkart_shipment_id, order.flipkart_shipment_id)
        self.assertEqual(move.flipkart_account_id, self.account)
        self.assertEqual(move.journal_id.type, "sale")
        self.assertEqual(move.journal_id.company_id, self.company)
        self.assertEqual(move.partner_id, order.partner_invoice_id)
        self.assertAlmostEqual(move.amount_total, invoice.total, places=2)
        self.assertAlmostEqual(move.amount_total, order.amount_total, places=2)
        self.assertAlmostEqual(move.amount_tax, order.amount_tax, places=2)
        # Linked the Odoo way: the order counts everything invoiced.
        self.assertEqual(order.invoice_ids, move)
        self.assertEqual(move.invoice_line_ids.sale_line_ids, order.order_line)
        for line in order.order_line:
            self.assertEqual(line.qty_invoiced, line.product_uom_qty)
            self.assertEqual(line.invoice_lines.tax_ids, line.tax_id)
        attachment = move.message_main_attachment_id
        self.assertEqual(
            attachment.name, f"Flipkart invoice {invoice.invoice_number}.pdf"
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(attachment.raw, self.pdf)
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (move._name, move.id)
        )
        self.assertFalse(move.flipkart_invoice_mismatch, move.flipkart_mismatch_reason)
        self.assertFalse(move.activity_ids)
        # Told in the chatter, without Odoo trying to import the PDF.
        note = move.message_ids.filtered(lambda m: attachment in m.attachment_ids)
        self.assertIn(invoice.invoice_number, str(note.body))
        bodies = " ".join(str(body) for body in move.message_ids.mapped("body"))
        self.assertNotIn("from the attachment", bodies)

    def test_matching_invoice_mirrors_flipkart_in_draft(self):
        for inter, shipping in ((False, None), (True, True)):
            with self.subTest(inter=inter, shipping=shipping):
                order = self.order(inter=inter, shipping=shipping)
                invoice = self.invoice(order)
                move = self.receive(order, invoice)
                self.assert_mirrors(move, order, invoice)
                self.assertEqual(move.state, "draft")
                kinds = set(
                    move.invoice_line_ids.tax_ids.flatten_taxes_hierarchy().mapped(
                        "l10n_in_tax_type"
                    )
                )
                self.assertEqual(kinds, {"igst"} if inter else {"cgst", "sgst"})
                self.assertEqual(
                    invoice_matching.invoice_payload(invoice),
                    invoice_json(self.shipment(order), "FAB-TEST-0001", "2026-01-15"),
                )

    def test_post_mode_posts_a_matching_invoice(self):
        self.account.invoice_creation = "post"
        order = self.order(inter=True, shipping=True)
        invoice = self.invoice(order)
        move = self.receive(order, invoice)
        self.assertEqual(move.state, "posted")
        self.assert_mirrors(move, order, invoice)
        self.assertEqual(order.invoice_count, 1)

    def test_off_mode_creates_no_invoice(self):
        self.account.invoice_creation = "off"
        order = self.order()
        move = self.receive(order, self.invoice(order))
        self.assertFalse(move)
        self.assertFalse(order.invoice_ids)

    def test_received_twice_is_one_invoice(self):
        order = self.order(inter=True)
        move = self.receive(order, self.invoice(order))
        # Flipkart regenerated the invoice: the draft takes the new number.
        again = self.receive(
            order, self.invoice(order, number="FAB-TEST-0002", day="2026-01-16")
        )
        self.assertEqual(again, move)
        self.assertEqual(order.invoice_ids, move)
        self.assertEqual(move.ref, "FAB-TEST-0002")
        self.assertEqual(move.invoice_date, date(2026, 1, 16))
        self.assertEqual(
            move.message_main_attachment_id.name, "Flipkart invoice FAB-TEST-0002.pdf"
        )
        self.assertFalse(move.flipkart_invoice_mismatch)
        # Once posted, it is only re-checked: a new number is a difference.
        move.action_post()
        total = move.amount_total
        self.receive(order, self.invoice(order, number="FAB-TEST-0003"))
        self.assertEqual(order.invoice_ids, move)
        self.assertEqual(move.ref, "FAB-TEST-0002")
        self.assertEqual(move.amount_total, total)
        self.assertEqual(move.flipkart_invoice_number, "FAB-TEST-0003")
        self.assertTrue(move.flipkart_invoice_mismatch)
        self.assertIn("FAB-TEST-0003", move.flipkart_mismatch_reason)

    def test_invoice_made_by_hand_is_adopted(self):
        order = self.order()
        order.order_line.product_id.invoice_policy = "order"
        order.order_line._compute_qty_to_invoice()
        manual = order._create_invoices()
        move = self.receive(order, self.invoice(order))
        self.assertEqual(move, manual)
        self.assertEqual(order.invoice_ids, manual)
        self.assertEqual(move.ref, "FAB-TEST-0001")

    # Mismatches ---------------------------------------------------------------

    def test_wrong_total_is_flagged_and_not_posted(self):
        self.account.invoice_creation = "post"
        order = self.order(inter=True, shipping=True)
        first, *_others = self.items(order)
        invoice = self.invoice(order)
        wrong = invoice_json(self.shipment(order), "FAB-TEST-0001", "2026-01-15")
        wrong["orderItems"][0]["invoiceAmount"] += 100
        move = self.receive(order, Invoice.from_json(wrong))
        self.assertEqual(move.state, "draft", "a mismatch is never posted")
        self.assertTrue(move.flipkart_invoice_mismatch)
        reason = move.flipkart_mismatch_reason
        self.assertIn(f"Total: Flipkart ₹{invoice.total + 100:.2f}", reason)
        self.assertIn(f"Odoo ₹{move.amount_total:.2f}", reason)
        self.assertIn(f"Order item {first}", reason)
        self.assertIn(move, self.mismatches())
        activity = move.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn(first, str(activity.note))
        self.assertIn(first, str(move.message_ids[:1].body))
        # The same mismatch again: no second activity, no second message.
        messages = len(move.message_ids)
        self.receive(order, Invoice.from_json(wrong))
        self.assertEqual(len(move.activity_ids), 1)
        self.assertEqual(len(move.message_ids), messages)
        # Flipkart corrects its invoice: cleared, the activity done, posted.
        self.receive(order, invoice)
        self.assertFalse(move.flipkart_invoice_mismatch)
        self.assertFalse(move.flipkart_mismatch_reason)
        self.assertFalse(move.activity_ids)
        self.assertNotIn(move, self.mismatches())
        self.assertEqual(move.state, "posted")

    def test_wrong_rate_and_split_are_flagged(self):
        order = self.order(inter=False)
        [item] = self.items(order)[:1]
        # Flipkart charged 12% IGST where Odoo has 18% CGST+SGST.
        move = self.receive(order, self.invoice(order, rate=12.0, inter=True))
        self.assertTrue(move.flipkart_invoice_mismatch)
        reason = move.flipkart_mismatch_reason
        self.assertIn(f"Order item {item}: GST rate Flipkart 12%, Odoo 18%.", reason)
        self.assertIn(
            f"Order item {item}: Flipkart charges IGST, Odoo CGST+SGST.", reason
        )
        self.assertNotIn("Total", reason, "the amounts themselves agree")
        self.assertIn(move, self.mismatches())
        self.assertEqual(move.activity_ids.user_id, self.accountant)

    def test_only_the_split_differs(self):
        order = self.order(inter=True)
        move = self.receive(order, self.invoice(order, inter=False))
        self.assertTrue(move.flipkart_invoice_mismatch)
        self.assertIn(
            "Flipkart charges CGST+SGST, Odoo IGST.", move.flipkart_mismatch_reason
        )
        self.assertNotIn("GST rate", move.flipkart_mismatch_reason)

    def test_without_accountant_the_responsible_is_told(self):
        self.account.accountant_id = False
        order = self.order()
        move = self.receive(order, self.invoice(order, rate=5.0))
        self.assertEqual(move.activity_ids.user_id, self.account.user_id)

    def test_check_button_rechecks_from_stored_data(self):
        order = self.order(inter=True, shipping=False)
        move = self.receive(order, self.invoice(order))
        self.assertFalse(move.flipkart_invoice_mismatch)
        line = move.invoice_line_ids.filtered("sale_line_ids")[0]
        item = line.sale_line_ids.flipkart_order_item_id
        move.invoice_line_ids = [(1, line.id, {"price_unit": line.price_unit + 50})]
        self.assertFalse(move.flipkart_invoice_mismatch, "only checked on demand")
        move.with_user(self.accountant).action_flipkart_check_invoice()
        self.assertTrue(move.flipkart_invoice_mismatch)
        self.assertIn(f"Order item {item}", move.flipkart_mismatch_reason)
        self.assertEqual(move.activity_ids.user_id, self.accountant)
        # The accountant's form shows the differences.
        form = Form(move.with_user(self.accountant))
        self.assertEqual(form.flipkart_mismatch_reason, move.flipkart_mismatch_reason)
