"""Flipkart's terms, in one place: states, sources, actions, reasons.

Pure data, no Odoo inside. The Odoo side builds its selections and domains
from these; ``endpoints`` holds the paths that go with them.
"""

# Shipment (order item) states, in the order a shipment moves through
# them (flipkart-api.md §2); CANCELLED can happen at any point before
# dispatch and comes last.
SHIPMENT_STATES = [
    ("APPROVED", "Approved"),
    ("PACKING_IN_PROGRESS", "Packing in progress"),
    ("FORM_FAILED", "Form failed"),
    ("PACKED", "Packed"),
    ("READY_TO_DISPATCH", "Ready to dispatch"),
    ("PICKUP_COMPLETE", "Picked up"),
    ("SHIPPED", "Shipped"),
    ("DELIVERED", "Delivered"),
    ("RETURN_REQUESTED", "Return requested"),
    ("RETURNED", "Returned"),
    ("COMPLETED", "Completed"),
    ("CANCELLED", "Cancelled"),
]
# The live states, least advanced first.
STATE_ORDER = [code for code, _label in SHIPMENT_STATES if code != "CANCELLED"]


def _from_to(first, last):
    return tuple(STATE_ORDER[STATE_ORDER.index(first) : STATE_ORDER.index(last) + 1])


# Pre-dispatch: the states an order is imported in.
ORDER_IMPORT_STATES = _from_to("APPROVED", "READY_TO_DISPATCH")
# Flipkart is still making the documents (or needs a form ACK).
GENERATING = ("PACKING_IN_PROGRESS", "FORM_FAILED")
# The courier has the parcel: the delivery has left the warehouse.
HANDED_OVER = (*_from_to("PICKUP_COMPLETE", "DELIVERED"), "COMPLETED")
# The shipment's label and invoice exist.
LABEL_STATES = (*_from_to("PACKED", "READY_TO_DISPATCH"), *HANDED_OVER)
# Nothing more will change on the seller's side before a return.
CLOSED_STATES = ("SHIPPED", "DELIVERED", "CANCELLED", "COMPLETED", "RETURNED")


def shipment_state(items_statuses):
    """One state for a shipment from its items' statuses: the least advanced
    live one, else CANCELLED (False when there are no items)."""
    live = [status for status in items_statuses if status != "CANCELLED"]
    if not live:
        return "CANCELLED" if items_statuses else False
    known = [status for status in live if status in STATE_ORDER]
    return min(known, key=STATE_ORDER.index) if known else live[0]


# Returns (flipkart-api.md §3).
RETURN_SOURCES = [
    ("customer_return", "Customer return"),
    ("courier_return", "Courier return (RTO)"),
]
RETURN_STATES = [
    ("created", "Created"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]
# What a self-ship seller may do with a return.
RETURN_ACTIONS = [
    ("approve", "Approve (after technician visit)"),
    ("reject", "Reject"),
    ("pickup", "Reverse pickup done"),
    ("pickup_attempt", "Reverse pickup attempt failed"),
    ("complete", "Acknowledge (complete)"),
    ("cancel", "Cancel return (RTO)"),
]

# A cancellation reason that counts against the seller.
SELLER_CANCELLATION = "seller_cancellation"
# Reasons a seller may give to cancel (flipkart-api.md §2).
SELLER_CANCEL_REASONS = [
    ("cannot_procure_item", "Cannot procure the item"),
    ("not_enough_inventory", "Not enough inventory"),
    ("b2b_order", "B2B order"),
]

# Flipkart's push notifications (flipkart-api.md §5), by what they name.
SHIPMENT_NOTIFICATIONS = (
    "shipment_created",
    "shipment_hold",
    "shipment_unhold",
    "shipment_packed",
    "shipment_ready_to_dispatch",
    "shipment_pickup_complete",
    "shipment_shipped",
    "shipment_delivered",
    "shipment_dispatch_dates_changed",
    "shipment_cancelled",
    "shipment_form_failed",
)
RETURN_NOTIFICATIONS = (
    "return_created",
    "return_item_tracking_id_update",
    "return_expected_date_changed",
    "return_picked_up",
    "return_completed",
    "return_cancelled",
)

# How an event's kind reads in Odoo where "shipment created" (the key with
# its underscores as spaces) would not say enough.
KIND_LABELS = {
    "shipment_import": "Shipment waiting to be imported",
    "return_import": "Return waiting to be imported",
    "order_gst_missing": "Order without GST",
    "unknown_notification": "Notification of a type not handled",
    "malformed": "Unreadable notification",
    "inventory_update": "Stock update",
    "ready_to_dispatch": "Ready to dispatch",
    "cancel": "Seller cancellation",
}


def kind_label(kind):
    """``kind`` in words: its label, else the key with spaces."""
    kind = kind or ""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()
