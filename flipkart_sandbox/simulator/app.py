"""The sandbox: its state, and the WSGI application that routes requests to it.

Request life: record -> faults (Seller API paths only) -> due label
generations settle (``Sandbox.settle``) -> bearer token check
(``/sellers/...``) -> route -> handler. Handlers take ``(sandbox, request,
**path_params)`` and return a JSON-able dict or a :class:`Response`; they
raise :class:`HttpError` for error answers.
"""

import logging
import re
import threading
import time

from . import (
    actions,
    helpers,
    listings,
    oauth,
    packing,
    picklists,
    returns,
    selfship,
    shipments,
)
from .constants import (
    DEFAULT_LABEL_DELAY,
    INTERNAL_SERVER_ERROR,
    MARKETPLACES,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
)
from .data import DataFactory
from .faults import Faults
from .fulfilment import Fulfilment, InvoiceNumbers
from .generator import OrderGenerator
from .lifecycle import ShipmentLifecycle
from .notifications import Notifier, Receiver
from .oauth import TokenStore
from .picklists import SmartPicklists
from .returns import ReturnIds, Returns
from .selfship import SelfShip
from .web import ApiError, HttpError, Request, Response, error_response, json_response

_logger = logging.getLogger(__name__)

DEFAULT_APPS = {"sandbox-app": "sandbox-secret"}
SELLERS_PREFIX = "/sellers/"
HELPERS = "/sellers/orders/sandbox/"
RETURN_HELPERS = "/sellers/returns/sandbox/"
RETURN_ACTIONS = "approve|reject|complete|pickupAttempt|pickup|cancel"
V3 = "/sellers/v3/shipments/"
IDS = V3 + "(?P<ids>[^/]+)"
PICKLISTS = "/sellers/v3/smart/picklists"
PICKLIST = PICKLISTS + "/(?P<picklist_id>[^/]+)"

# (method, path pattern, handler); the first match wins, so fixed paths come
# before the "{ids}" patterns they would also match.
ROUTES = (
    ("GET", "/oauth-service/oauth/token", oauth.token),
    ("GET", "/oauth-service/oauth/authorize", oauth.authorize),
    ("POST", "/sellers/v3/shipments/filter", shipments.search),
    ("GET", "/sellers/v3/shipments/filter", shipments.search_next),
    ("GET", "/sellers/v3/shipments", shipments.by_ids),
    ("POST", "/sellers/v3/shipments/cancel", actions.cancel),
    ("POST", V3 + "labels", packing.pack),
    ("POST", V3 + "dispatch", packing.dispatch),
    ("POST", V3 + "forms/updateAck", packing.update_ack),
    ("GET", V3 + "handover/counts", packing.handover_counts),
    ("POST", V3 + "manifest", packing.manifest),
    ("POST", V3 + "selfShip/dispatch", selfship.dispatch),
    ("POST", V3 + "selfShip/delivery", selfship.delivery),
    ("POST", V3 + "selfShip/deliveryAttempt", selfship.delivery_attempt),
    ("GET", "/sellers/v3/shipments/(?P<ids>[^/]+)", shipments.details),
    ("GET", IDS + "/labels", packing.labels),
    ("POST", IDS + "/labelOnly/pdf", packing.label_only_pdf),
    ("POST", IDS + "/labelOnly", packing.label_only),
    ("GET", IDS + "/invoices", packing.invoices),
    ("GET", IDS + "/forms", packing.forms),
    ("POST", IDS + "/forms", packing.forms),
    ("POST", V3 + "(?P<shipment_id>[^/]+)/update", selfship.tracking_update),
    (
        "POST",
        "/sellers/v2/services/(?P<action>attempt|complete)",
        selfship.services,
    ),
    ("POST", PICKLISTS, picklists.create),
    ("GET", PICKLIST, picklists.get),
    ("POST", PICKLIST + "/pack", picklists.pack),
    ("POST", PICKLIST + "/confirm", picklists.confirm),
    ("GET", "/sellers/v2/returns", returns.list_returns),
    (
        "POST",
        f"/sellers/v2/returns/(?P<action>{RETURN_ACTIONS})",
        returns.return_action,
    ),
    ("POST", "/sellers/listings/v3/search", listings.search),
    ("POST", "/sellers/listings/v3/update/inventory", listings.update_inventory),
    ("POST", "/sellers/listings/v3/update/price", listings.update_price),
    ("GET", "/sellers/listings/v3/(?P<skus>[^/]+)", listings.get),
    ("POST", HELPERS + "test_orders", helpers.test_orders),
    ("PUT", HELPERS + "(?P<action>on_hold|un_hold)", helpers.hold),
    ("POST", HELPERS + "update_dispatch_slot", helpers.update_dispatch_slot),
    (
        "POST",
        HELPERS + "(?P<action>pick_up_complete|shipped|delivered)",
        helpers.set_status,
    ),
    ("POST", RETURN_HELPERS + "create_returns", helpers.create_returns),
    ("POST", RETURN_HELPERS + "return_events", helpers.return_events),
)
_COMPILED = tuple((m, re.compile(p), h) for m, p, h in ROUTES)


def _match(method, path):
    """(handler, path params) or raise 404 / 405."""
    allowed = set()
    for route_method, pattern, handler in _COMPILED:
        found = pattern.fullmatch(path)
        if found is None:
            continue
        if route_method == method:
            return handler, found.groupdict()
        allowed.add(route_method)
    if allowed:
        raise ApiError(
            405,
            METHOD_NOT_ALLOWED,
            f"{method} is not allowed on {path}",
            headers=(("Allow", ", ".join(sorted(allowed))),),
        )
    raise ApiError(404, NOT_FOUND, f"No resource at {path}")


class Sandbox(ShipmentLifecycle, Fulfilment, SelfShip, Returns, SmartPicklists):
    """A stateful, seeded simulator of Flipkart's Seller API.

    ``listings`` (sku -> listing) and ``shipments`` (shipmentId -> shipment)
    are the live state, in the API's own field names; tests may read and
    change them (hold ``sandbox.lock`` when a server is running). Changes
    made through the methods (see :class:`ShipmentLifecycle`,
    :class:`Fulfilment`, :class:`SelfShip`) also emit Flipkart's
    notifications.

    Fulfilment state, all public:

    - ``marketplace``: ``FLIPKART``, or ``2GUD`` (refurbished listings; a
      pack request must give each item's ``purchasePrice``).
    - ``label_lag``: 2GUD's known error, off by default: for these seconds
      after a shipment is PACKED its labels answer 400 INVALID_SHIPMENTS
      "Invalid shipment Ids passed" (the label is still being generated);
      ``packed_at``: shipmentId -> when it became PACKED.
    - ``margin_scheme``: off by default; on, an item packed with its
      ``purchasePrice`` is invoiced with GST on its margin only.
    - ``label_delay``: seconds (sandbox clock) from an accepted pack to its
      labels; ``packing``: shipmentId -> when its labels are due;
      :meth:`settle` makes the due ones PACKED or FORM_FAILED.
    - ``invoices``: shipmentId -> invoice (documented JSON shape), made at
      pack or self-ship dispatch; tests may change them.
    - ``form_failures``: shipmentId -> form names the label generation fails
      on (:meth:`fail_forms`).
    - ``manifests``: every manifest handed out (vendorGroupCode, locationId,
      shipmentIds, createdAt).
    - ``delivery_attempts``: shipmentId -> failed self-ship delivery attempts;
      ``self_ship_dispatches``: shipmentId -> the dispatch details given.
    - ``picklists``: picklistId -> Flipkart Smart picklist (see
      :mod:`.picklists`).
    - :meth:`reset_fulfilment` forgets all of these (and the returns).

    Returns (see :class:`~.returns.Returns`), none at construction:

    - ``returns``: returnId -> return (the fields of GET /v2/returns plus
      ``source``, the return_created fields and the sandbox's ``approval``
      and ``pickupDate``); :meth:`create_return` and the other return
      methods change them and emit the ``return_*`` notifications.
    - ``return_pickup_attempts``: returnId -> failed self-ship pickups.
    - :meth:`reset_returns` forgets both.
    """

    def __init__(
        self,
        seed=1,
        shipments=50,
        listings=100,
        locations=("LOC0001", "LOC0002"),
        apps=None,
        seller_id="SANDBOXSELLER",
        token_ttl=3600,
        refresh_ttl=180 * 86400,
        clock=time.time,
        label_delay=DEFAULT_LABEL_DELAY,
        smart_locations=(),
        marketplace="FLIPKART",
    ):
        if not locations:
            raise ValueError("at least one location is required")
        if marketplace not in MARKETPLACES:
            raise ValueError(f"marketplace must be one of {', '.join(MARKETPLACES)}")
        self.marketplace = marketplace
        self.seed = seed
        self.clock = clock
        self.locations = tuple(locations)
        self.seller_id = seller_id
        self.lock = threading.RLock()
        self.faults = Faults(seed)
        self.tokens = TokenStore(
            DEFAULT_APPS if apps is None else apps, clock, token_ttl, refresh_ttl
        )
        self.calls = []
        self.notifier = Notifier(clock, seed)
        self.generator = None
        self._factory = DataFactory(seed, self.locations, smart_locations, marketplace)
        self.listings = self._factory.listings(listings)
        self.location_addresses = self._factory.location_addresses(
            f"{seller_id.title()} Retail Pvt Ltd"
        )
        self.shipments = {}
        self.label_delay = float(label_delay)
        self.label_lag = 0.0
        self.margin_scheme = False
        self.packed_at = {}
        self.packing = {}
        self.invoices = {}
        self.form_failures = {}
        self.manifests = []
        self.delivery_attempts = {}
        self.self_ship_dispatches = {}
        self.picklists = {}
        self._invoice_numbers = InvoiceNumbers(seed)
        self.returns = {}
        self.return_pickup_attempts = {}
        self._return_ids = ReturnIds(seed)
        # The starting data predates the sandbox: no shipment_created for it.
        for shipment in self._new_shipments(shipments, {}):
            self.shipments[shipment["shipmentId"]] = shipment

    @property
    def apps(self):
        return self.tokens.apps

    # ------------------------------------------------------------ state

    def add_shipments(self, n, **overrides):
        """Create ``n`` new shipments now, each with a shipment_created event;
        returns their ids.

        Overrides (see ``data.SHIPMENT_OVERRIDES``): hold, location_id, sku,
        skus, lines ([(sku, quantity)]), items, quantity, status, payment_type,
        order_id, order_date, dispatch_after_date, dispatch_by_date,
        service_profile, shipment_type ("SELF" for self-ship), mps (True or
        a package count: that many sub-shipments), services (True: a service
        item ``services[{serviceFulfilmentId, serviceByDate}]`` to complete
        after delivery).
        """
        with self.lock:
            new = self._new_shipments(n, overrides)
            for shipment in new:
                self._announce(shipment)
            return [shipment["shipmentId"] for shipment in new]

    def _new_shipments(self, n, overrides):
        if n and not self.listings:
            raise ValueError("shipments need listings")
        with self.lock:
            now = self.clock()
            return [
                self._factory.shipment(self.listings, now, **overrides)
                for _ in range(n)
            ]

    def start_generator(self, rate_per_second, max_total=1000, **overrides):
        """Add new orders on a daemon thread (APPROVED unless ``status`` is
        overridden) until :meth:`stop_generator` or ``max_total`` orders."""
        self.stop_generator()
        overrides.setdefault("status", "APPROVED")
        self.generator = OrderGenerator(self, rate_per_second, max_total, overrides)
        self.generator.start()

    def stop_generator(self):
        """Stop the order generator; returns how many orders it added."""
        generator, self.generator = self.generator, None
        return generator.stop() if generator is not None else 0

    # ---------------------------------------------------- notifications

    @property
    def notifications(self):
        """Every event emitted, oldest first (sent or not)."""
        return self.notifier.events

    @property
    def notification_failures(self):
        """Events dropped after the last failed delivery attempt."""
        return self.notifier.failures

    def notify_to(
        self,
        url,
        app_id=None,
        app_secret=None,
        duplicate_rate=0.0,
        shuffle=False,
        **retry,
    ):
        """POST every later event to ``url`` (None stops), signed with the app
        (default: the first app). ``duplicate_rate`` sends that share of the
        events twice; ``shuffle`` reorders queued events. ``retry``:
        ``attempts`` (3) and ``retry_pause`` (seconds) per event."""
        receiver = None
        if url is not None:
            app_id = app_id or next(iter(self.apps))
            if app_secret is None:
                app_secret = self.apps[app_id]
            receiver = Receiver(
                url, app_id, app_secret, duplicate_rate, shuffle, **retry
            )
        self.notifier.deliver_to(receiver)

    def flush_notifications(self, timeout=10):
        """Wait until every queued event was delivered or dropped; False if
        ``timeout`` seconds were not enough."""
        return self.notifier.flush(timeout)

    def issue_token(self, app_id=None, refresh=False):
        """A valid token response (dict) without an HTTP round trip."""
        return self.tokens.issue(app_id or next(iter(self.apps)), with_refresh=refresh)

    def revoke_tokens(self):
        """Invalidate every access token, as if Flipkart had expired them."""
        self.tokens.revoke_all()

    # ------------------------------------------------------------ call log

    def count(self, method=None, path_prefix=None):
        with self.lock:
            return sum(
                1
                for call in self.calls
                if (method is None or call["method"] == method.upper())
                and (path_prefix is None or call["path"].startswith(path_prefix))
            )

    def reset_calls(self):
        with self.lock:
            self.calls.clear()

    def change_on_panel(self, sku, location_id, inventory=None, status=None):
        """What a seller does by hand on Flipkart's panel: set a listing's
        stock or status (ENABLED / DISABLED) at one location."""
        with self.lock:
            listing = self.listings[sku]
            location = next(
                (loc for loc in listing["locations"] if loc["id"] == location_id),
                None,
            )
            if location is None:
                location = {"id": location_id, "status": "ENABLED", "inventory": 0}
                listing["locations"].append(location)
            if inventory is not None:
                location["inventory"] = int(inventory)
            if status is not None:
                location["status"] = status

    def _record(self, req, status):
        call = {
            "method": req.method,
            "path": req.path,
            "query": req.query,
            "status": status,
            "at": self.clock(),
        }
        with self.lock:
            self.calls.append(call)

    # ------------------------------------------------------------ WSGI

    def wsgi_app(self, environ, start_response):
        req = Request(environ)
        response = self._respond(req)
        self._record(req, response.status)
        start_response(response.status_line, response.headers)
        return [response.body]

    __call__ = wsgi_app

    def _respond(self, req):
        delay, fault = self.faults.draw(req.path)
        if delay:
            time.sleep(delay)
        if fault is not None:
            return fault
        try:
            self.settle()
            if req.path.startswith(SELLERS_PREFIX):
                self.tokens.check_access(req.bearer_token())
            handler, params = _match(req.method, req.path)
            result = handler(self, req, **params)
        except HttpError as err:
            return err.response
        except Exception:  # a sandbox bug: answer like a server would, and log it
            _logger.exception("sandbox failed on %s %s", req.method, req.path)
            return error_response(500, INTERNAL_SERVER_ERROR, "Sandbox internal error")
        return result if isinstance(result, Response) else json_response(result)
