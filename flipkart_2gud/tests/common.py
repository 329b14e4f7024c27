from odoo.addons.flipkart_connector.tests.common import FulfilmentCase


class TwoGudCase(FulfilmentCase):
    """The test seller's account on 2GUD, against the sandbox as 2GUD: its
    listings are refurbished, its pack requests need purchase prices."""

    sandbox_options = {"shipments": 30, "listings": 20, "marketplace": "2GUD"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.channel_type = "2gud"
        cls.listings = cls.env["flipkart.listing"].search(
            [("account_id", "=", cls.account.id)], order="seller_sku"
        )

    def order_of(self, listing, quantity=1):
        """A new 2GUD order of ``quantity`` of ``listing``; its delivery."""
        return self.shipments(1, sku=listing.seller_sku, quantity=quantity)

    def sent_pack(self):
        """The taxItems and serial numbers of the last pack request sent."""
        event = self.env["flipkart.event"].search(
            [("account_id", "=", self.account.id), ("kind", "=", "pack")],
            order="id desc",
            limit=1,
        )
        (entry,) = event._payload()["shipments"]
        return entry
