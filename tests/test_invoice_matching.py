"""The pure invoice comparison (flipkart/invoice_matching.py), without Odoo."""

import unittest
from datetime import date

from flipkart import invoice_matching
from flipkart.records import Invoice


class TestInvoiceMatchingRule(unittest.TestCase):
    """The pure comparison, without a database."""

    def flipkart(self, *items, number="FK-1", day="2026-01-15"):
        return Invoice.from_json(
            {
                "shipmentId": "SH1",
                "invoiceNumber": number,
                "invoiceDate": day,
                "orderItems": [
                    {
                        "orderItemId": item_id,
                        "invoiceAmount": amount,
                        "taxRate": rate,
                        "taxDetails": {
                            "igstRate": rate if split == "IGST" else 0,
                            "cgstRate": rate / 2 if split == "CGST+SGST" else 0,
                            "sgstRate": rate / 2 if split == "CGST+SGST" else 0,
                        },
                    }
                    for item_id, amount, rate, split in items
                ],
            }
        )

    @staticmethod
    def line(item_id, amount, rate=18.0, kinds=("igst",)):
        return invoice_matching.OdooLine(item_id, amount, rate, frozenset(kinds))

    def test_match_within_rounding(self):
        invoice = self.flipkart(("A", 500.0, 18, "IGST"), ("B", 240.0, 18, "IGST"))
        lines = [self.line("A", 500.4), self.line("B", 200.0), self.line(None, 40.0)]
        self.assertEqual(
            invoice_matching.differences(
                invoice,
                lines,
                740.4,
                reference="FK-1",
                invoice_date=date(2026, 1, 15),
            ),
            [],
        )

    def test_total_and_item_amount(self):
        invoice = self.flipkart(("A", 600.0, 18, "IGST"))
        found = invoice_matching.differences(invoice, [self.line("A", 500.0)], 500.0)
        self.assertEqual(
            found,
            [
                "Total: Flipkart ₹600.00, Odoo ₹500.00.",
                "Order item A: Flipkart ₹600.00, Odoo ₹500.00.",
            ],
        )

    def test_shipping_is_shared_between_items(self):
        invoice = self.flipkart(("A", 540.0, 18, "IGST"), ("B", 300.0, 18, "IGST"))
        lines = [self.line("A", 500.0), self.line("B", 300.0), self.line(None, 40.0)]
        self.assertEqual(invoice_matching.differences(invoice, lines, 840.0), [])
        # More than the whole shipping charge on one item is wrong.
        invoice = self.flipkart(("A", 560.0, 18, "IGST"), ("B", 280.0, 18, "IGST"))
        found = invoice_matching.differences(invoice, lines, 840.0)
        self.assertEqual(
            found,
            [
                "Order item A: Flipkart ₹560.00, Odoo ₹500.00 "
                "(+ up to ₹40.00 shipping).",
                "Order item B: Flipkart ₹280.00, Odoo ₹300.00 "
                "(+ up to ₹40.00 shipping).",
            ],
        )

    def test_rate_and_split(self):
        invoice = self.flipkart(("A", 500.0, 12, "CGST+SGST"))
        found = invoice_matching.differences(
            invoice, [self.line("A", 500.0, 18.0, ("igst",))], 500.0
        )
        self.assertEqual(
            found,
            [
                "Order item A: GST rate Flipkart 12%, Odoo 18%.",
                "Order item A: Flipkart charges CGST+SGST, Odoo IGST.",
            ],
        )
        untaxed = self.flipkart(("A", 500.0, 0, ""))
        self.assertEqual(
            invoice_matching.differences(
                untaxed, [self.line("A", 500.0, 0.0, ())], 500.0
            ),
            [],
        )

    def test_items_on_one_side_only(self):
        invoice = self.flipkart(("A", 500.0, 18, "IGST"), ("B", 100.0, 18, "IGST"))
        lines = [self.line("A", 500.0), self.line("C", 100.0)]
        self.assertEqual(
            invoice_matching.differences(invoice, lines, 600.0),
            [
                "Order item B: on Flipkart's invoice (₹100.00), not on the Odoo "
                "invoice.",
                "Order item C: on the Odoo invoice (₹100.00), not on Flipkart's "
                "invoice.",
            ],
        )

    def test_number_and_date(self):
        invoice = self.flipkart(("A", 500.0, 18, "IGST"))
        found = invoice_matching.differences(
            invoice,
            [self.line("A", 500.0)],
            500.0,
            reference="OTHER",
            invoice_date=date(2026, 1, 14),
        )
        self.assertEqual(
            found,
            [
                "Invoice number: Flipkart FK-1, Odoo OTHER.",
                "Invoice date: Flipkart 2026-01-15, Odoo 2026-01-14.",
            ],
        )
        # Not given by Flipkart: nothing to compare.
        bare = self.flipkart(("A", 500.0, 18, "IGST"), number="", day=None)
        self.assertEqual(
            invoice_matching.differences(
                bare, [self.line("A", 500.0)], 500.0, reference="X", invoice_date=False
            ),
            [],
        )

    def test_translation_function_gets_named_placeholders(self):
        calls = []

        def translate(text, **params):
            calls.append(params)
            return "[" + text % params + "]"

        invoice = self.flipkart(("A", 600.0, 18, "IGST"))
        found = invoice_matching.differences(
            invoice, [self.line("A", 500.0)], 500.0, _=translate
        )
        self.assertEqual(found[0], "[Total: Flipkart ₹600.00, Odoo ₹500.00.]")
        self.assertEqual(calls[0], {"flipkart": "600.00", "odoo": "500.00"})

    def test_a_rate_checked_elsewhere_is_not_compared_but_its_split_is(self):
        invoice = self.flipkart(("A", 500.0, 3.21, "IGST"))
        lines = [self.line("A", 500.0, rate=18.0)]
        self.assertTrue(invoice_matching.differences(invoice, lines, 500.0))
        self.assertEqual(
            invoice_matching.differences(
                invoice, lines, 500.0, rate_checked_elsewhere={"A"}
            ),
            [],
        )
        split = [self.line("A", 500.0, rate=18.0, kinds=("cgst", "sgst"))]
        self.assertTrue(
            invoice_matching.differences(
                invoice, split, 500.0, rate_checked_elsewhere={"A"}
            )
        )
        # No GST at all (no margin): no split to compare.
        untaxed = self.flipkart(("A", 500.0, 0, "IGST"))
        self.assertEqual(
            invoice_matching.differences(
                untaxed, lines, 500.0, rate_checked_elsewhere={"A"}
            ),
            [],
        )
