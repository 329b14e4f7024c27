"""Listing search, get, inventory and price update endpoints (flipkart-api.md §4).

Both updates answer HTTP 200 with a result per SKU; a SKU fails as a whole
(nothing of it is stored) when any part of its update is wrong.
"""

import math
from copy import deepcopy

from .constants import (
    LISTING_ERROR_BAD_CURRENCY,
    LISTING_ERROR_BAD_INVENTORY,
    LISTING_ERROR_BAD_PAYLOAD,
    LISTING_ERROR_BAD_PRICE,
    LISTING_ERROR_BAD_STATUS,
    LISTING_ERROR_PRICE_ABOVE_MRP,
    LISTING_ERROR_PRODUCT_MISMATCH,
    LISTING_ERROR_UNKNOWN_LOCATION,
    LISTING_ERROR_UNKNOWN_SKU,
    LISTING_SEARCH_PAGE_SIZE,
    LISTING_SKUS_MAX,
    LISTING_STATUSES,
    LISTING_WARNING_INACTIVE,
    LOCATION_STATUSES,
    PRICE_CURRENCY,
    PRICE_OPTIONAL_FIELDS,
)
from .web import check_cap, decode_cursor, encode_cursor, invalid, parse_id_list

SKU_MAX_LENGTH = 64


def search(sb, req):
    """POST /sellers/listings/v3/search: 500 listings a page, by SKU."""
    body = req.json_object()
    filters = body.get("filters") or {}
    if not isinstance(filters, dict):
        raise invalid("filters must be an object")
    # The schema page spells it "lisitng_status"; accept both.
    status = filters.get("listing_status", filters.get("lisitng_status"))
    if status is not None and status not in LISTING_STATUSES:
        raise invalid(f"listing_status must be one of {', '.join(LISTING_STATUSES)}")
    after = None
    if body.get("page_id"):
        after = decode_cursor(str(body["page_id"]), "page_id").get("after")
        if not isinstance(after, str):
            raise invalid("Invalid page_id")
    with sb.lock:
        skus = sorted(
            sku
            for sku, listing in sb.listings.items()
            if (status is None or listing.get("listing_status") == status)
            and (after is None or sku > after)
        )
        page = [
            {
                "listing_id": sb.listings[sku].get("listing_id"),
                "product_id": sb.listings[sku].get("product_id"),
                "sku_id": sku,
            }
            for sku in skus[:LISTING_SEARCH_PAGE_SIZE]
        ]
    has_more = len(skus) > len(page)
    next_page_id = encode_cursor({"after": page[-1]["sku_id"]}) if has_more else None
    return {"listings": page, "has_more": has_more, "next_page_id": next_page_id}


def _valid_sku(sku):
    return len(sku) <= SKU_MAX_LENGTH and sku.isprintable()


def get(sb, req, skus):
    """GET /sellers/listings/v3/{skus}: at most 10 SKUs."""
    wanted = parse_id_list(skus, LISTING_SKUS_MAX, "SKUs")
    available, unavailable, bad = {}, [], []
    with sb.lock:
        for sku in wanted:
            if not _valid_sku(sku):
                bad.append(sku)
            elif sku in sb.listings:
                available[sku] = deepcopy(sb.listings[sku])
            else:
                unavailable.append(sku)
    return {"available": available, "unavailable": unavailable, "invalid": bad}


def _error(code, description, path, severity="ERROR"):
    return {
        "severity": severity,
        "code": code,
        "description": description,
        "path": path,
    }


def _result(status, errors=()):
    return {"status": status, "errors": list(errors), "attribute_errors": []}


def _location_change(sb, n, loc, errors):
    """(id, inventory or None, status or None) of one location entry, or None."""
    path = f"locations[{n}]"
    if not isinstance(loc, dict):
        errors.append(_error(LISTING_ERROR_BAD_PAYLOAD, "Not an object", path))
        return None
    before = len(errors)
    location_id = loc.get("id")
    if location_id not in sb.locations:
        errors.append(
            _error(
                LISTING_ERROR_UNKNOWN_LOCATION,
                f"Unknown location id {location_id!r}",
                f"{path}.id",
            )
        )
    inventory, status = loc.get("inventory"), loc.get("status")
    well_typed = isinstance(inventory, int) and not isinstance(inventory, bool)
    if (inventory is not None or status is None) and not (
        well_typed and inventory >= 0
    ):
        errors.append(
            _error(
                LISTING_ERROR_BAD_INVENTORY,
                "Inventory must be an integer >= 0",
                f"{path}.inventory",
            )
        )
    if status is not None and status not in LOCATION_STATUSES:
        errors.append(
            _error(
                LISTING_ERROR_BAD_STATUS,
                f"Status must be one of {', '.join(LOCATION_STATUSES)}",
                f"{path}.status",
            )
        )
    return (location_id, inventory, status) if len(errors) == before else None


def _inventory_changes(sb, update, errors):
    """Check an inventory update; returns what stores it on a listing."""
    locations = update.get("locations")
    if not isinstance(locations, list) or not locations:
        errors.append(
            _error(LISTING_ERROR_BAD_PAYLOAD, "At least one location", "locations")
        )
        locations = []
    changes = [_location_change(sb, n, loc, errors) for n, loc in enumerate(locations)]

    def apply(listing):
        by_id = {loc["id"]: loc for loc in listing.setdefault("locations", [])}
        for location_id, inventory, status in changes:
            loc = by_id.get(location_id)
            if loc is None:
                loc = {"id": location_id, "status": "ENABLED", "inventory": 0}
                listing["locations"].append(loc)
                by_id[location_id] = loc
            if inventory is not None:
                loc["inventory"] = inventory
            if status is not None:
                loc["status"] = status

    return apply


def _positive_number(value):
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _price_changes(sb, update, errors):
    """Check a price update; returns what stores it on a listing."""
    price = update.get("price")
    if not isinstance(price, dict):
        errors.append(_error(LISTING_ERROR_BAD_PAYLOAD, "Not an object", "price"))
        return None
    new = {}
    for field in ("mrp", "selling_price", *PRICE_OPTIONAL_FIELDS):
        value = price.get(field)
        if field in PRICE_OPTIONAL_FIELDS and value is None:
            continue
        if _positive_number(value):
            new[field] = value
        else:
            errors.append(
                _error(
                    LISTING_ERROR_BAD_PRICE,
                    f"{field} must be a number > 0",
                    f"price.{field}",
                )
            )
    if "mrp" in new and "selling_price" in new and new["selling_price"] > new["mrp"]:
        errors.append(
            _error(
                LISTING_ERROR_PRICE_ABOVE_MRP,
                "selling_price must not exceed mrp",
                "price.selling_price",
            )
        )
    if price.get("currency") != PRICE_CURRENCY:
        errors.append(
            _error(
                LISTING_ERROR_BAD_CURRENCY,
                f"currency must be {PRICE_CURRENCY}",
                "price.currency",
            )
        )

    def apply(listing):
        stored = listing.setdefault("price", {})
        stored.update(new, currency=PRICE_CURRENCY)
        if "flipkart_selling_price" in stored:
            stored["flipkart_selling_price"] = new["selling_price"]

    return apply


def _update_one(sb, sku, update, check, what):
    """One SKU's result; ``check(sb, update, errors)`` validates the
    endpoint's own part of ``update`` and returns a function storing it."""
    listing = sb.listings.get(sku)
    if listing is None:
        return _result(
            "FAILURE",
            [_error(LISTING_ERROR_UNKNOWN_SKU, f"No listing for SKU {sku!r}", "sku")],
        )
    if not isinstance(update, dict):
        return _result(
            "FAILURE", [_error(LISTING_ERROR_BAD_PAYLOAD, "Not an object", "")]
        )
    errors = []
    if update.get("product_id") != listing.get("product_id"):
        errors.append(
            _error(
                LISTING_ERROR_PRODUCT_MISMATCH,
                "product_id does not match the SKU's FSN",
                "product_id",
            )
        )
    apply = check(sb, update, errors)
    if errors:
        return _result("FAILURE", errors)
    apply(listing)
    if listing.get("listing_status") != "ACTIVE":
        warning = _error(
            LISTING_WARNING_INACTIVE,
            f"{what} stored; the listing is not active",
            "listing_status",
            severity="WARNING",
        )
        return _result("WARNING", [warning])
    return _result("SUCCESS")


def _update(sb, req, check, what):
    """The shared body of the update endpoints: at most 10 SKUs, each with
    its own SUCCESS / FAILURE / WARNING result."""
    body = req.json_object()
    check_cap(len(body), LISTING_SKUS_MAX, "SKUs")
    with sb.lock:
        return {
            sku: _update_one(sb, sku, update, check, what)
            for sku, update in body.items()
        }


def update_inventory(sb, req):
    """POST /sellers/listings/v3/update/inventory: {sku: {product_id, locations}}."""
    return _update(sb, req, _inventory_changes, "Inventory")


def update_price(sb, req):
    """POST /sellers/listings/v3/update/price: {sku: {product_id, price}}."""
    return _update(sb, req, _price_changes, "Price")
