"""The pure mapping functions (flipkart/mapping.py), without Odoo."""

import unittest

from flipkart import mapping
from flipkart.records import Listing


class TestMapping(unittest.TestCase):
    """The pure mapping functions, without a database."""

    def test_listing_values(self):
        listing = Listing.from_json(
            "SKU-1",
            {
                "listing_id": "LST1",
                "product_id": "FSN1",
                "product_title": "Mug",
                "price": {"mrp": 500, "selling_price": 450},
                "tax": {"hsn": "6912", "goods_services_rate": 12},
                "listing_status": "PAUSED",
                "fulfillment_profile": "NON_FBF",
            },
        )
        values = mapping.listing_values(listing)
        self.assertEqual(values["fsn"], "FSN1")
        self.assertEqual(values["mrp"], 500)
        self.assertEqual(values["selling_price"], 450)
        self.assertEqual(values["tax_rate"], 12)
        self.assertEqual(values["title"], "Mug")
        self.assertFalse(values["listing_status"], "an unknown status is not stored")

    def test_price_payload_and_changes(self):
        self.assertEqual(
            mapping.price_payload("FSN1", 500.0, 450.0),
            {
                "product_id": "FSN1",
                "price": {"mrp": 500.0, "selling_price": 450.0, "currency": "INR"},
            },
        )
        self.assertEqual(
            mapping.changed_values({"a": 1, "b": 2}, {"a": 1, "b": 3}), {"b": 3}
        )
