"""Where Flipkart lives and how much one call may carry.

Every host, path and documented cap sits here so that nothing else in the
project builds a Flipkart URL (flipkart-api.md §0, §2, §4).
"""

import re

PRODUCTION_HOST = "https://api.flipkart.net"
SANDBOX_HOST = "https://sandbox-api.flipkart.net"

# OAuth lives outside /sellers; every order and listing path is below it.
TOKEN_PATH = "/oauth-service/oauth/token"
AUTHORIZE_PATH = "/oauth-service/oauth/authorize"
SELLERS_ROOT = "/sellers"
SCOPE = "Seller_Api"

# Order management (v3, relative to /sellers)
SHIPMENTS_FILTER = "/v3/shipments/filter"
SHIPMENTS_BY_IDS = "/v3/shipments"
SHIPMENT_DETAILS = "/v3/shipments/{ids}"
SHIPMENTS_CANCEL = "/v3/shipments/cancel"
# Fulfilment (flipkart-api.md §2): pack, documents, dispatch, handover.
SHIPMENTS_PACK = "/v3/shipments/labels"
SHIPMENT_LABELS = "/v3/shipments/{ids}/labels"
SHIPMENT_LABEL_ONLY_PDF = "/v3/shipments/{ids}/labelOnly/pdf"
SHIPMENT_INVOICES = "/v3/shipments/{ids}/invoices"
SHIPMENTS_DISPATCH = "/v3/shipments/dispatch"
HANDOVER_COUNTS = "/v3/shipments/handover/counts"
MANIFEST = "/v3/shipments/manifest"
SHIPMENT_FORMS = "/v3/shipments/{ids}/forms"
FORMS_UPDATE_ACK = "/v3/shipments/forms/updateAck"
SELF_SHIP_DISPATCH = "/v3/shipments/selfShip/dispatch"
SELF_SHIP_DELIVERY = "/v3/shipments/selfShip/delivery"
SELF_SHIP_ATTEMPT = "/v3/shipments/selfShip/deliveryAttempt"
SERVICES_ATTEMPT = "/v2/services/attempt"
SERVICES_COMPLETE = "/v2/services/complete"
PDF = "application/pdf"
# Returns (v2, relative to /sellers)
RETURNS = "/v2/returns"
RETURN_ACTIONS = {
    "approve": "/v2/returns/approve",
    "reject": "/v2/returns/reject",
    "complete": "/v2/returns/complete",
    "pickup": "/v2/returns/pickup",
    "pickup_attempt": "/v2/returns/pickupAttempt",
    "cancel": "/v2/returns/cancel",
}
RETURN_SOURCES = ("customer_return", "courier_return")

# Flipkart Smart picklists. Flipkart publishes no picklist API
# (flipkart-api.md §7): these follow the Smart proxy integrators use (seed
# 003), as the sandbox serves it; an account calls them only when set to.
SMART_PICKLISTS = "/v3/smart/picklists"
SMART_PICKLIST = "/v3/smart/picklists/{picklist_id}"
SMART_PICKLIST_ACTIONS = {
    "pack": "/v3/smart/picklists/{picklist_id}/pack",
    "confirm": "/v3/smart/picklists/{picklist_id}/confirm",
}
MAX_PICKLIST = 25  # the proxy releases picklists of 25 orders at most
# A picklist id goes into a path: no "/", "." or ".." to wander with.
SMART_PICKLIST_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Listings (v3, relative to /sellers)
LISTINGS_SEARCH = "/listings/v3/search"
LISTINGS_GET = "/listings/v3/{skus}"
LISTINGS_UPDATE_INVENTORY = "/listings/v3/update/inventory"
LISTINGS_UPDATE_PRICE = "/listings/v3/update/price"

# Documented batch caps.
MAX_IDS = 100  # shipments by ids, details, labels PDF, invoices, forms
MAX_SELF_SHIP = 100  # self-ship dispatch, delivery, delivery attempt
MAX_LISTINGS = 10  # listing get, inventory and price updates
MAX_SHIPMENT_ACTIONS = 25  # pack, ready-to-dispatch, cancel, form ACK
MAX_LABEL_ONLY = 50
MAX_RETURN_IDS = 25  # returns by ids or tracking ids; also the page size
MAX_RETURN_ACTIONS = 100
FILTER_PAGE_SIZE = 20  # v3 max is undocumented; v2 and every integrator use 20

# Which timeout a path gets: Flipkart asks for >= 10 s on listing calls and
# >= 60 s on order calls (flipkart-api.md §0).
LISTING_PREFIX = "/listings/"
