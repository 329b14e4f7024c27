"""What a push notification must look like to be stored (flipkart-api.md §5).

Flipkart's signature covers the headers, not the body: a body is untrusted
and only a hint to re-read the shipment or return from Flipkart. One whose
fields have the wrong types is refused (400) before it is stored for
processing, so the processors only ever see the documented shape.
"""

from .const import RETURN_NOTIFICATIONS, SHIPMENT_NOTIFICATIONS


def _is_id(value):
    return isinstance(value, str | int) and not isinstance(value, bool) and value != ""


def shape_problem(event):
    """Why ``event`` (a decoded body) is not a documented notification, in
    words; None when it is (or when its type is not one the connector
    handles: those are stored and ignored)."""
    if not isinstance(event, dict):
        return "the body is not a JSON object"
    kind = event.get("eventType")
    if not isinstance(kind, str) or not kind:
        return "no eventType"
    if kind not in SHIPMENT_NOTIFICATIONS + RETURN_NOTIFICATIONS:
        return None
    attributes = event.get("attributes", {})
    if not isinstance(attributes, dict):
        return "attributes is not an object"
    for name in ("orderItems", "returnItems"):
        items = attributes.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return f"attributes.{name} is not a list of objects"
    for name in ("shipmentId", "returnId", "locationId"):
        if event.get(name) is not None and not _is_id(event[name]):
            return f"{name} is not an id"
    if kind in SHIPMENT_NOTIFICATIONS and not _is_id(event.get("shipmentId")):
        return "no shipmentId"
    if kind in RETURN_NOTIFICATIONS and not (
        _is_id(event.get("returnId")) or attributes.get("returnItems")
    ):
        return "no returnId"
    return None
