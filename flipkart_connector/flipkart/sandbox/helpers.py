"""Flipkart's sandbox-only helpers (flipkart-api.md §2, "Sandbox helpers").

Flipkart documents their paths and requests, not their answers. Here the
shipment helpers answer like the batch actions (one ``{shipmentId, status,
errorCode, errorMessage}`` per shipment) and ``test_orders`` with the ids of
the shipment it created. Each one calls the Sandbox's Python API.
"""

from functools import partial

from .actions import batch, per_shipment
from .constants import OPERATION_NOT_ALLOWED
from .times import iso
from .web import ApiError, date_param, invalid

HOLD_ACTIONS = {"on_hold": "hold", "un_hold": "unhold"}
STATUS_ACTIONS = {
    "pick_up_complete": "PICKUP_COMPLETE",
    "shipped": "SHIPPED",
    "delivered": "DELIVERED",
}


def _order_lines(sb, items):
    """[(sku, quantity)] of ``orderItems[{listingId, quantity}]``, or a 400."""
    skus = {listing["listing_id"]: sku for sku, listing in sb.listings.items()}
    lines = []
    for item in items:
        sku = skus.get(item.get("listingId"))
        quantity = item.get("quantity", 1)
        if sku is None:
            raise invalid(f"Unknown listingId {item.get('listingId')!r}")
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise invalid(f"quantity of {item['listingId']} must be a positive integer")
        lines.append((sku, quantity))
    return lines


def test_orders(sb, req):
    """POST /sellers/orders/sandbox/test_orders: one new, actionable shipment."""
    body = req.json_object()
    location = body.get("locationId")
    if location not in sb.locations:
        raise ApiError(
            403,
            OPERATION_NOT_ALLOWED,
            f"Location {location} does not belong to seller {sb.seller_id}",
        )
    with sb.lock:
        lines = _order_lines(sb, batch(body, "orderItems", dict))
        now = sb.clock()
        [shipment_id] = sb.add_shipments(
            1,
            lines=lines,
            location_id=location,
            status="APPROVED",
            hold=False,
            order_date=now,
            dispatch_after_date=now,
        )
        shipment = sb.shipments[shipment_id]
        return {
            "shipmentId": shipment_id,
            "orderId": shipment["orderId"],
            "locationId": location,
            "orderItems": [
                {
                    "orderItemId": item["orderItemId"],
                    "listingId": item["listingId"],
                    "sku": item["sku"],
                    "quantity": item["quantity"],
                }
                for item in shipment["orderItems"]
            ],
            "orderDate": iso(now),
        }


def _each(ids, method, *args):
    return per_shipment((sid, partial(method, sid, *args)) for sid in ids)


def hold(sb, req, action):
    """PUT /sellers/orders/sandbox/on_hold | un_hold {shipmentIds}."""
    ids = batch(req.json_object(), "shipmentIds", str)
    return _each(ids, getattr(sb, HOLD_ACTIONS[action]))


def update_dispatch_slot(sb, req):
    """POST /sellers/orders/sandbox/update_dispatch_slot {shipmentIds,
    dispatchAfterDate, dispatchByDate} (either date may be left out)."""
    body = req.json_object()
    ids = batch(body, "shipmentIds", str)
    after = date_param(body.get("dispatchAfterDate"), "dispatchAfterDate")
    by = date_param(body.get("dispatchByDate"), "dispatchByDate")
    if after is None and by is None:
        raise invalid("dispatchAfterDate or dispatchByDate is required")
    return _each(ids, sb.change_dispatch_dates, after, by)


def set_status(sb, req, action):
    """POST /sellers/orders/sandbox/pick_up_complete | shipped | delivered."""
    ids = batch(req.json_object(), "shipmentIds", str)
    return _each(ids, sb.set_status, STATUS_ACTIONS[action])
