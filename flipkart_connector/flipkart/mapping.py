"""Pure mapping functions: Flipkart client records -> ORM values.

No Odoo import: they take the client's typed records and return plain
dicts, so they are tested on their own and used by the models.
"""

from datetime import datetime, time, timezone

from . import const


def flipkart_time(value):
    """Flipkart's ISO 8601 with offset, from Odoo's naive UTC (a date means
    its start); None for no value."""
    if not value:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    return value.replace(tzinfo=timezone.utc).isoformat()


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
        # 0 % is a real GST rate (books): tell it from "not given".
        "tax_rate_known": listing.tax_rate is not None,
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


# Orders ----------------------------------------------------------------------


def shipment_state(shipment):
    """One state for a shipment: its least advanced live item, else CANCELLED."""
    return const.shipment_state([item.status for item in shipment.order_items])


def cancellation_reason(shipment):
    """Flipkart's reason(s) for the cancelled items, joined."""
    reasons = sorted(
        {i.cancellation_reason for i in shipment.order_items if i.cancellation_reason}
    )
    return ", ".join(reasons)


def partner_values(address, country_id, state_id):
    """A customer or delivery contact from a Flipkart address."""
    return {
        "name": address.name or "Flipkart customer",
        "street": address.line1 or False,
        "street2": ", ".join(p for p in (address.line2, address.landmark) if p)
        or False,
        "city": address.city or False,
        "zip": address.pin_code or False,
        "phone": address.phone or False,
        "country_id": country_id,
        "state_id": state_id,
    }


def unit_price(item):
    """GST-inclusive unit price of an order item.

    ``sellingPrice`` is the seller's price for the line, the amount the
    seller invoices (Flipkart-funded discounts, ``flipkartDiscount``, are
    settled by Flipkart and do not lower it; ``customerPrice`` is what the
    buyer paid after them). v3 prices are line totals, hence the division.
    """
    if not item.quantity:
        return item.price.selling_price
    return item.price.selling_price / item.quantity


def order_line_values(item, product_id, tax_ids):
    return {
        "product_id": product_id,
        "name": item.title or item.sku,
        "product_uom_qty": item.quantity,
        "price_unit": unit_price(item),
        "tax_id": [(6, 0, tax_ids)],
        "flipkart_order_item_id": item.order_item_id,
        "flipkart_cancellation_group_id": item.cancellation_group_id or False,
    }


def shipping_line_values(shipment, product_id, tax_ids):
    """The shipping charge the buyer paid, as one line, or None."""
    charge = sum(i.price.shipping_charge for i in shipment.order_items)
    if not charge:
        return None
    return {
        "product_id": product_id,
        "name": "Flipkart shipping charge",
        "product_uom_qty": 1,
        "price_unit": charge,
        "tax_id": [(6, 0, tax_ids)],
    }
