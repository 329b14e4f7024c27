"""Flipkart's sandbox-only helpers (flipkart-api.md §2, "Sandbox helpers").

Flipkart documents their paths and requests, not their answers. Here the
shipment helpers answer like the batch actions (one ``{shipmentId, status,
errorCode, errorMessage}`` per shipment) and ``test_orders`` with the ids of
the shipment it created; ``returns/sandbox/create_returns`` answers one
``{shipmentId, orderItemId, returnId, status, errorCode, errorMessage}`` per
return asked for, ``returns/sandbox/return_events`` ``{returnId, event,
status}`` (a refusal is a 400). Each one calls the Sandbox's Python API.
"""

from functools import partial

from .actions import batch, per_shipment
from .constants import OPERATION_NOT_ALLOWED, RETURN_HELPERS_MAX
from .lifecycle import ShipmentError
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


# ------------------------------------------------------------------ returns


def _create_one(sb, entry, result):
    result["returnId"] = sb.create_return(
        entry.get("shipmentId"),
        entry.get("orderItemId"),
        entry.get("quantity"),
        entry.get("source") or "customer_return",
        entry.get("reason"),
        entry.get("subReason"),
        **({"action": entry["action"]} if entry.get("action") else {}),
    )


def create_returns(sb, req):
    """POST /sellers/returns/sandbox/create_returns {returns[{shipmentId,
    orderItemId, quantity, source, reason}]}: one return each (orderItemId
    and quantity may be left out: the first item, all of it)."""
    entries = batch(req.json_object(), "returns", dict, RETURN_HELPERS_MAX)
    results = []
    for entry in entries:
        result = {
            "shipmentId": entry.get("shipmentId"),
            "orderItemId": entry.get("orderItemId"),
            "returnId": None,
            "status": "SUCCESS",
            "errorCode": None,
            "errorMessage": None,
        }
        try:
            with sb.lock:
                _create_one(sb, entry, result)
                if result["orderItemId"] is None:
                    ret = sb.returns[result["returnId"]]
                    result["orderItemId"] = ret["orderItemId"]
        except ShipmentError as err:
            result.update(status="FAILURE", errorCode=err.code, errorMessage=str(err))
        results.append(result)
    return {"returns": results}


def _expected_date(body):
    value = date_param(body.get("expectedDate"), "expectedDate")
    if value is None:
        raise invalid("expectedDate is required for expected_date_changed")
    return value


# event -> how it is applied: (sandbox, return id, request body)
RETURN_EVENTS = {
    "picked_up": lambda sb, rid, body: sb.return_picked_up(rid),
    "out_for_delivery": lambda sb, rid, body: sb.return_out_for_delivery(rid),
    "completed": lambda sb, rid, body: sb.complete_return(rid),
    "cancelled": lambda sb, rid, body: sb.cancel_return(rid),
    "tracking_id_update": lambda sb, rid, body: sb.update_return_tracking(
        rid, body.get("trackingId"), body.get("courierName")
    ),
    "expected_date_changed": lambda sb, rid, body: sb.change_return_expected_date(
        rid, _expected_date(body)
    ),
}


def return_events(sb, req):
    """POST /sellers/returns/sandbox/return_events {returnId, event, ...}:
    picked_up, out_for_delivery, completed, cancelled, tracking_id_update
    (trackingId, courierName) or expected_date_changed (expectedDate)."""
    body = req.json_object()
    return_id, event = body.get("returnId"), body.get("event")
    if not isinstance(return_id, str) or not return_id:
        raise invalid("returnId is required")
    if event not in RETURN_EVENTS:
        raise invalid(f"event must be one of {', '.join(RETURN_EVENTS)}")
    try:
        RETURN_EVENTS[event](sb, return_id, body)
    except ShipmentError as err:
        raise ApiError(400, err.code, str(err)) from err
    return {"returnId": return_id, "event": event, "status": "SUCCESS"}
