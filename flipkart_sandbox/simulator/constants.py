"""Caps, enums and codes of the simulated API, in one place.

Values follow flipkart-api.md; where Flipkart publishes nothing (listing error
codes, throttling), the sandbox picks a value and says so.
"""

from datetime import timedelta, timezone

# Flipkart reports times in India Standard Time.
IST = timezone(timedelta(hours=5, minutes=30), "IST")

# Documented caps (flipkart-api.md §2, §4).
FILTER_PAGE_SIZE_MAX = 20  # also the default page size
SHIPMENT_IDS_MAX = 100  # by-ids and details
SHIPMENT_ACTIONS_MAX = 25  # cancel (and the sandbox helpers, by choice)
LISTING_SKUS_MAX = 10  # get listings, inventory and price updates
LISTING_SEARCH_PAGE_SIZE = 500
LABEL_ONLY_MAX = 50  # labelOnly and labelOnly/pdf
SELF_SHIP_MAX = 100  # selfShip/dispatch, delivery, deliveryAttempt
SERVICES_MAX = 100  # services/attempt|complete: undocumented, the sandbox's

# OAuth.
SCOPE = "Seller_Api"
AUTH_CODE_TTL = 600  # seconds a code from /authorize stays exchangeable

# Shipment states by filter type (flipkart-api.md §2).
PRE_DISPATCH_STATES = (
    "APPROVED",
    "PACKING_IN_PROGRESS",
    "FORM_FAILED",
    "PACKED",
    "READY_TO_DISPATCH",
)
POST_DISPATCH_STATES = ("PICKUP_COMPLETE", "SHIPPED", "DELIVERED")
FILTER_TYPE_STATES = {
    "preDispatch": PRE_DISPATCH_STATES,
    "postDispatch": POST_DISPATCH_STATES,
    "cancelled": ("CANCELLED",),
}
# filter.cancellationType -> the item's cancellationReason.
CANCELLATION_TYPES = {
    "sellerCancellation": "seller_cancellation",
    "buyerCancellation": "buyer_cancellation",
    "marketplaceCancellation": "marketplace_cancellation",
}
# Lifecycle (flipkart-api.md §3): the forward order of the states, the ones
# Sandbox.set_status may move a shipment to (with the event each one sends),
# and who may cancel until when.
STATUS_FLOW = (
    "APPROVED",
    "PACKING_IN_PROGRESS",
    "FORM_FAILED",
    "PACKED",
    "READY_TO_DISPATCH",
    "PICKUP_COMPLETE",
    "SHIPPED",
    "DELIVERED",
)
STATUS_EVENTS = {
    "PACKING_IN_PROGRESS": None,  # Flipkart sends no event for it
    "PACKED": "shipment_packed",
    "READY_TO_DISPATCH": "shipment_ready_to_dispatch",
    "PICKUP_COMPLETE": "shipment_pickup_complete",
    "SHIPPED": "shipment_shipped",
    "DELIVERED": "shipment_delivered",
}
PACKED_OR_LATER = STATUS_FLOW[STATUS_FLOW.index("PACKED") :]
# Seller cancellation only before PACKED; buyers and the marketplace until
# the shipment is shipped.
CANCELLABLE_STATES = {
    "seller": STATUS_FLOW[: STATUS_FLOW.index("PACKED")],
    "buyer": STATUS_FLOW[: STATUS_FLOW.index("SHIPPED")],
    "marketplace": STATUS_FLOW[: STATUS_FLOW.index("SHIPPED")],
}
# The sub-reason of a cancellation nobody gave one for: the sandbox's choice.
DEFAULT_CANCELLATION_SUB_REASONS = {
    "seller": "not_enough_inventory",
    "buyer": "order_placed_by_mistake",
    "marketplace": "fraud_suspected",
}
SELLER_CANCELLATION_REASONS = (
    "cannot_procure_item",
    "not_enough_inventory",
    "b2b_order",
)
SHIPMENT_TYPES = ("NORMAL", "SELF", "EXPRESS")
FILTER_SERVICE_PROFILES = ("NON_FBF", "FBF", "FBF_LITE")
DEFAULT_SERVICE_PROFILES = ("NON_FBF",)
# An item's serviceProfile as the filter names it (flipkart-api.md §7:
# Smart_Fulfilment is FBF_LITE); the filter's own values name themselves.
SERVICE_PROFILE_FILTER = {
    "Seller_Fulfilment": "NON_FBF",
    "Flipkart_Fulfilment": "FBF",
    "Smart_Fulfilment": "FBF_LITE",
}
SMART_SERVICE_PROFILE = "Smart_Fulfilment"
MARKETPLACES = ("FLIPKART", "2GUD")
TWOGUD = "2GUD"  # refurbished goods: pack requests carry purchasePrice
DISPATCH_SERVICE_TIERS = ("EXPRESS", "REGULAR")
# sort.field -> the shipment attribute it orders by.
SORT_FIELDS = {
    "dispatchByDate": "dispatchByDate",
    "dispatchAfterDate": "dispatchAfterDate",
    "orderDate": "orderDate",
    "modifiedDate": "updatedAt",
}
DEFAULT_SORT_FIELD = "dispatchByDate"
# Date-range filters -> where the date lives ("item" dates match on any item).
DATE_FILTERS = {
    "orderDate": ("item", "orderDate"),
    "cancellationDate": ("item", "cancellationDate"),
    "dispatchAfterDate": ("shipment", "dispatchAfterDate"),
    "dispatchByDate": ("shipment", "dispatchByDate"),
    "modifiedDate": ("shipment", "updatedAt"),
}
# The ids GET /v3/shipments accepts, and the item field each one matches.
SHIPMENT_ID_PARAMS = {
    "shipmentIds": None,
    "orderItemIds": "orderItemId",
    "orderIds": "orderId",
}

# Packing, labels and handover (flipkart-api.md §2, §3).
DEFAULT_LABEL_DELAY = 5.0  # seconds from POST labels to PACKED (docs: 5-10 s)
# Flipkart's own invoice numbers when the seller sends none: "FAB", a seeded
# code and a counter, 16 characters (the GST limit); the format is the
# sandbox's.
INVOICE_PREFIX = "FAB"
# The pickup window handover counts report: today, 10:00 to 18:00 IST (the
# sandbox's choice; Flipkart gives the courier's slot).
PICKUP_HOURS = (10, 18)
MANIFEST_ROWS_PER_PAGE = 40
# Where a failed state form can be fetched: a placeholder, the sandbox serves
# no forms.
FORM_LINK = "https://sandbox-api.flipkart.net/forms/{name}/{shipment_id}.pdf"
SELF_SHIPMENT_TYPE = "SELF"

# Returns (flipkart-api.md §2 "Returns list", "Return actions", §3, §5).
RETURNS_PAGE_SIZE_MAX = 25  # also the default page size of GET /v2/returns
RETURN_IDS_MAX = 25  # returnIds or trackingIds per GET /v2/returns
RETURN_ACTIONS_MAX = 100  # approve, reject, complete, pickup, pickupAttempt, cancel
RETURN_HELPERS_MAX = 25  # returns/sandbox/create_returns: the sandbox's cap
RETURN_SOURCES = ("customer_return", "courier_return")
# The return's own status and its parcel's, lower case as seen in practice (S6).
RETURN_STATUSES = ("created", "completed", "cancelled")
RETURN_SHIPMENT_STATUSES = ("start", "in_transit", "out_for_delivery", "delivered")
# The shipment states each kind of return is raised from: a buyer returns a
# delivered shipment; a courier brings back (RTO) one it has not delivered.
RETURN_SOURCE_STATES = {
    "customer_return": ("DELIVERED",),
    "courier_return": ("READY_TO_DISPATCH", "PICKUP_COMPLETE", "SHIPPED"),
}
# Reasons when none is given, and the sandbox's own choices of tracking
# prefix, courier and expected days (Flipkart publishes no list).
DEFAULT_RETURN_REASONS = {
    "customer_return": ("QUALITY_ISSUE", "NOT_AS_DESCRIBED"),
    "courier_return": ("UNDELIVERED", "BUYER_NOT_AVAILABLE"),
}
RETURN_TRACKING_PREFIX = "FMPR"  # Flipkart's reverse pickups; RTOs keep the AWB
RETURN_COURIER = "Ekart Logistics"
RETURN_EXPECTED_DAYS = {"customer_return": 7, "courier_return": 5}
RETURN_SERVICE_DAYS = 3  # serviceByDate of a self-ship return's visit
DO_NOT_EXPECT = "dnt_expect"  # in ``action``: the goods do not come back
# Events (flipkart-api.md §5); the three with a documented template carry
# attributes.status.
RETURN_EVENT_STATUSES = {
    "return_created": "RETURN_CREATED",
    "return_completed": "RETURN_COMPLETED",
    "return_cancelled": "RETURN_CANCELLED",
}
RETURN_EVENTS = frozenset(
    {
        *RETURN_EVENT_STATUSES,
        "return_item_tracking_id_update",
        "return_expected_date_changed",
        "return_picked_up",
    }
)

# Listings.
LISTING_STATUSES = ("ACTIVE", "INACTIVE")
LOCATION_STATUSES = ("ENABLED", "DISABLED")
PRICE_CURRENCY = "INR"  # the only currency price updates accept
PRICE_OPTIONAL_FIELDS = ("mop", "nlc", "dealer_price")

# Numeric listing error codes: Flipkart publishes no catalogue, so these are
# the sandbox's own (stable, so tests may assert them).
LISTING_ERROR_UNKNOWN_SKU = 1001
LISTING_ERROR_PRODUCT_MISMATCH = 1002
LISTING_ERROR_BAD_INVENTORY = 1003
LISTING_ERROR_UNKNOWN_LOCATION = 1004
LISTING_ERROR_BAD_STATUS = 1005
LISTING_ERROR_BAD_PAYLOAD = 1006
LISTING_ERROR_BAD_PRICE = 1007
LISTING_ERROR_PRICE_ABOVE_MRP = 1008
LISTING_ERROR_BAD_CURRENCY = 1009
LISTING_WARNING_INACTIVE = 2001

# Error codes of the generic {"errors": [{"errorCode", "errorMessage"}]} body.
UNPROCESSABLE_ENTITY = "UNPROCESSABLE_ENTITY"
INVALID_REQUEST_JSON = "INVALID_REQUEST_JSON"
INVALID_REQUEST_DATE_FORMAT = "INVALID_REQUEST_DATE_FORMAT"
DEPENDENT_SYSTEM_CALL_FAILED = "DEPENDENT_SYSTEM_CALL_FAILED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
REQUEST_THROTTLED = "REQUEST_THROTTLED"
NOT_FOUND = "NOT_FOUND"
OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED"  # ids not owned by the seller
# Per-shipment error codes of the action endpoints.
INVALID_SHIPMENTS = "INVALID_SHIPMENTS"
INVALID_CANCELLATION_REASON = "EMPTY_OR_INVALID_REASON_FOR_CANCELLATION"
ORDER_ITEM_PACKING_IN_PROGRESS = "ORDER_ITEM_PACKING_IN_PROGRESS"  # labels
ORDER_ITEM_NOT_PACKED = "ORDER_ITEM_NOT_PACKED"  # dispatch of an unpacked one
INVALID_REQUEST_TAX = "INVALID_REQUEST_TAX"  # labels taxItems
QUANTITY_MISMATCH_ERROR = "QUANTITY_MISMATCH_ERROR"  # self-ship invoice items
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
# A return action on a return already completed or cancelled, decided, or
# not at the step the action needs: Flipkart documents no code, the sandbox's.
INVALID_RETURN_STATE = "INVALID_RETURN_STATE"

# Push notifications (flipkart-api.md §5).
NOTIFICATION_SOURCE = "flipkart"
NOTIFICATION_VERSION = "v3"
EVENTS_WITH_LOCATION = frozenset(
    {"shipment_created", "shipment_cancelled", *RETURN_EVENTS}
)
NOTIFY_TIMEOUT = 10  # seconds per delivery attempt
NOTIFY_ATTEMPTS = 3  # Flipkart's retry policy is undocumented: the sandbox's
NOTIFY_RETRY_PAUSE = 0.2  # seconds between attempts
SHUFFLE_GATHER = 0.1  # seconds a shuffling sender collects events before sending
