from odoo.tests import tagged

from .common import TwoGudCase


@tagged("post_install", "-at_install")
class TestMarginScheme(TwoGudCase):
    """Refurbished goods sold under the GST margin scheme (Rule 32(5))."""

    def setUp(self):
        super().setUp()
        self.account.write({"invoice_creation": "post", "twogud_margin_scheme": True})

    def packed_and_invoiced(self, listing):
        """A 2GUD order of ``listing`` bought at 60 % of its price, packed;
        its Odoo invoice."""
        delivery = self.order_of(listing)
        line = delivery.sale_id.order_line.filtered("flipkart_order_item_id")
        listing.product_id.write(
            {
                "flipkart_refurbished": True,
                "standard_price": round(line.price_total / line.product_uom_qty * 0.6),
            }
        )
        delivery.action_flipkart_pack()
        return delivery.sale_id.invoice_ids

    def test_full_value_gst_on_flipkarts_invoice_is_flagged_with_the_difference(self):
        move = self.packed_and_invoiced(self.listings[0])
        self.assertEqual(move.state, "draft", "a mismatch is never posted")
        self.assertTrue(move.flipkart_invoice_mismatch)
        reason = move.flipkart_mismatch_reason
        self.assertIn("(margin scheme): Flipkart's invoice charges GST", reason)
        self.assertIn("more.", reason)
        # Only the margin rule speaks: the full-value rate is not "wrong".
        self.assertNotIn("GST rate Flipkart", reason)
        self.assertIn("margin", move.flipkart_margin_note)
        self.assertTrue(move.activity_ids, "the accountant gets a To-Do")

    def test_an_invoice_taxing_the_margin_matches_and_is_posted(self):
        self.sandbox.margin_scheme = True
        try:
            move = self.packed_and_invoiced(self.listings[1])
        finally:
            self.sandbox.margin_scheme = False
        self.assertFalse(move.flipkart_invoice_mismatch, move.flipkart_mismatch_reason)
        self.assertEqual(move.state, "posted")
        self.assertIn("GST on the margin", move.flipkart_margin_note)

    def test_without_the_margin_scheme_the_usual_check_stands(self):
        self.account.twogud_margin_scheme = False
        move = self.packed_and_invoiced(self.listings[2])
        self.assertFalse(move.flipkart_margin_note)
        self.assertFalse(move.flipkart_invoice_mismatch, move.flipkart_mismatch_reason)
        self.assertEqual(move.state, "posted")

    def test_an_accountant_checks_again_without_flipkart_rights(self):
        move = self.packed_and_invoiced(self.listings[3])
        accountant = self.seller_user(
            "fk_2gud_accountant", "account.group_account_invoice"
        )
        self.env.invalidate_all()
        move.with_user(accountant).action_flipkart_check_invoice()
        self.assertTrue(move.flipkart_invoice_mismatch)
        self.assertIn("margin", move.with_user(accountant).flipkart_margin_note)
