"""Pure mapping functions: Flipkart client records -> ORM values.

No Odoo import: they take the client's typed records and return plain
dicts, so they are tested on their own and used by the models.
"""


def listing_values(listing):
    """Values of a ``flipkart.listing`` from a client ``Listing``."""
    return {
        "fsn": listing.fsn or False,
        "listing_id": listing.listing_id or False,
        "listing_status": listing.status
        if listing.status in ("ACTIVE", "INACTIVE")
        else False,
        "fulfillment_profile": listing.fulfillment_profile or False,
        "mrp": listing.mrp,
        "selling_price": listing.selling_price,
        "hsn": listing.hsn or False,
        "tax_rate": listing.tax_rate or 0.0,
        "title": (listing.raw or {}).get("product_title") or False,
    }


def listing_location_values(listing_location):
    """Values of a ``flipkart.listing.location`` from a ``ListingLocation``."""
    return {
        "flipkart_status": listing_location.status or False,
        "flipkart_inventory": listing_location.inventory,
    }


def price_payload(fsn, mrp, selling_price):
    """One SKU's entry of a price update (flipkart-api.md §4)."""
    return {
        "product_id": fsn,
        "price": {"mrp": mrp, "selling_price": selling_price, "currency": "INR"},
    }


def changed_values(record_values, new_values):
    """The subset of ``new_values`` that differs from ``record_values``."""
    return {
        key: value
        for key, value in new_values.items()
        if record_values.get(key) != value
    }
