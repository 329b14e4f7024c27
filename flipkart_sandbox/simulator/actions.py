"""Shipment actions (flipkart-api.md §2): POST /v3/shipments/cancel.

Batch actions answer HTTP 200 with one ``{shipmentId, status, errorCode,
errorMessage}`` per shipment (fixture 08); only a malformed request as a
whole is a 400. The rules themselves live in :mod:`.lifecycle`.
"""

from functools import partial

from .constants import (
    INVALID_CANCELLATION_REASON,
    SELLER_CANCELLATION_REASONS,
    SHIPMENT_ACTIONS_MAX,
)
from .lifecycle import ShipmentError, live_items
from .web import check_cap, invalid


def batch(body, key, kind, cap=SHIPMENT_ACTIONS_MAX):
    """``body[key]``: a list of 1..``cap`` (25) ``kind`` values, or a 400."""
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        raise invalid(f"{key} must be a list")
    check_cap(len(value), cap, key)
    return value


def per_shipment(actions, status_key="status"):
    """Run ``(shipmentId, action)`` pairs; a ShipmentError fails only its own.

    ``status_key``: self-ship answers name the field ``processingStatus``
    (fixture 14) where the other actions say ``status``.
    """
    results = []
    for shipment_id, action in actions:
        result = {
            "shipmentId": shipment_id,
            status_key: "SUCCESS",
            "errorCode": None,
            "errorMessage": None,
        }
        try:
            action()
        except ShipmentError as err:
            result.update(
                {status_key: "FAILURE", "errorCode": err.code, "errorMessage": str(err)}
            )
        results.append(result)
    return {"shipments": results}


def _cancel_one(sb, entry):
    reason = entry.get("reason")
    if reason not in SELLER_CANCELLATION_REASONS:
        raise ShipmentError(
            f"reason must be one of {', '.join(SELLER_CANCELLATION_REASONS)}",
            INVALID_CANCELLATION_REASON,
        )
    shipment_id = entry.get("shipmentId")
    groups = entry.get("cancellationGroupIds") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise ShipmentError("cancellationGroupIds must be a list of ids")
    with sb.lock:
        shipment = sb.get_shipment(shipment_id)
        if entry.get("locationId") != shipment["locationId"]:
            raise ShipmentError(
                f"Shipment {shipment_id} is not at location {entry.get('locationId')}"
            )
        unknown = set(groups) - {
            item["cancellationGroupId"] for item in shipment["orderItems"]
        }
        if unknown:
            raise ShipmentError(f"Unknown cancellationGroupIds: {sorted(unknown)}")
        quantities = {
            item["orderItemId"]: item["quantity"]
            for item in live_items(shipment)
            if not groups or item["cancellationGroupId"] in groups
        }
        sb.cancel_items(shipment_id, quantities, by="seller", sub_reason=reason)


def cancel(sb, req):
    """POST /sellers/v3/shipments/cancel: seller cancellation, before PACKED."""
    entries = batch(req.json_object(), "shipments", dict)
    return per_shipment(
        (entry.get("shipmentId"), partial(_cancel_one, sb, entry)) for entry in entries
    )
