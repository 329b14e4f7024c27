from odoo.tests import tagged

from .common import TwoGudCase


@tagged("post_install", "-at_install")
class Test2GudKnownErrors(TwoGudCase):
    """2GUD's "Common Issues and errors" (seed 000), handled."""

    def costed(self, listing):
        listing.product_id.write({"flipkart_refurbished": True, "standard_price": 99.0})
        return listing

    def test_invalid_shipments_while_the_label_generates_is_retried_quietly(self):
        self.sandbox.label_lag = 60
        delivery = self.order_of(self.costed(self.listings[0]))
        delivery.action_flipkart_pack()
        self.assertEqual(delivery.flipkart_state, "PACKED")
        self.assertFalse(delivery.flipkart_label_ready)
        self.assertEqual(
            delivery.flipkart_message,
            "Label generation in progress on 2GUD, will retry.",
        )
        self.assertNotEqual(delivery.flipkart_flag, "error")
        # 2GUD finishes the label: the scheduled run attaches it.
        self.clock.offset = 61
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(delivery.flipkart_label_ready)
        self.assertTrue(delivery.flipkart_label_attachment_id)
        self.assertFalse(delivery.flipkart_message)
