"""Returns (flipkart-api.md §2 "Returns list", "Return actions", §3, §5).

A return (``returnId``) takes back some quantity of one order item of one
shipment: a buyer's (``customer_return``, from a DELIVERED shipment) or a
courier's that could not deliver (``courier_return``, RTO, from a shipment
ready to dispatch, picked up or shipped). Its ``status`` goes created ->
completed or cancelled; its parcel's ``shipmentStatus`` start -> in_transit
-> out_for_delivery -> delivered (both lower case, as seen in practice).

Flipkart moves returns on its side (:meth:`Returns.create_return`,
:meth:`Returns.return_picked_up`, ... and the sandbox helper endpoints);
each change moves ``updatedDate`` to the sandbox clock and emits the
documented ``return_*`` notification. Sellers of self-ship shipments act on
their returns through ``POST /v2/returns/approve|reject|complete|pickup|
pickupAttempt|cancel``; ``GET /v2/returns`` lists them, 25 a page.

Field names: ``GET /v2/returns`` items follow fixture 10 (the kind is
``type``), ``return_created`` items follow its template (the kind is
``source``); both carry ``action`` (``dnt_expect``: the goods do not come
back). ``sandbox.returns`` keeps both names and the sandbox's own records
(``approval``, ``pickupDate``).
"""

import random
import string
from copy import deepcopy
from functools import partial

from .actions import batch
from .constants import (
    DEFAULT_RETURN_REASONS,
    DO_NOT_EXPECT,
    INVALID_REQUEST_DATE_FORMAT,
    INVALID_RETURN_STATE,
    INVALID_SHIPMENTS,
    OPERATION_NOT_ALLOWED,
    RETURN_ACTIONS_MAX,
    RETURN_COURIER,
    RETURN_EVENT_STATUSES,
    RETURN_EXPECTED_DAYS,
    RETURN_IDS_MAX,
    RETURN_SERVICE_DAYS,
    RETURN_SOURCE_STATES,
    RETURN_SOURCES,
    RETURN_TRACKING_PREFIX,
    RETURNS_PAGE_SIZE_MAX,
    SELF_SHIPMENT_TYPE,
    UNPROCESSABLE_ENTITY,
)
from .fulfilment import courier_vendor, ist_day, parse_day, required_day
from .lifecycle import ShipmentError, live_items, shipment_status
from .times import as_epoch, epoch, iso
from .web import (
    ApiError,
    date_param,
    decode_cursor,
    encode_cursor,
    invalid,
    parse_id_list,
)

RETURNS_PATH = "/v2/returns"  # nextUrl is relative to /sellers
DAY = 86400.0

# GET /v2/returns items: fixture 10's fields, plus ``action``.
LIST_FIELDS = (
    "orderItemId",
    "locationId",
    "orderId",
    "quantity",
    "orderDate",
    "createdDate",
    "courierName",
    "sellerId",
    "returnId",
    "status",
    "type",
    "reason",
    "subReason",
    "trackingId",
    "shipmentStatus",
    "shipmentId",
    "comments",
    "updatedDate",
    "approvedOn",
    "expectedDate",
    "serviceProfile",
    "services",
    "action",
)
SERVICE_FIELDS = ("serviceFulfilmentId", "description", "serviceByDate", "createdAt")
# return_created items: the template's fields (fixture 12).
CREATED_FIELDS = (
    "returnId",
    "orderItemId",
    "source",
    "action",
    "quantity",
    "orderDate",
    "createdDate",
    "updatedDate",
    "courierName",
    "reason",
    "subReason",
    "trackingId",
    "shipmentId",
    "comments",
    "completionDate",
    "replacementOrderItemId",
    "productId",
    "listingId",
    "expectedDate",
)
RETURN_OVERRIDES = frozenset(
    {"action", "tracking_id", "courier_name", "expected_date", "comments", "tech_visit"}
)
QUERY_PARAMS = (
    "source",
    "modifiedAfter",
    "modifiedBefore",
    "createdAfter",
    "createdBefore",
    "locationId",
    "returnIds",
    "trackingIds",
    "pageSize",
    "page_size",
)
# query parameter -> (return field, lower bound?)
DATE_PARAMS = {
    "modifiedAfter": ("updatedDate", True),
    "modifiedBefore": ("updatedDate", False),
    "createdAfter": ("createdDate", True),
    "createdBefore": ("createdDate", False),
}


class ReturnError(ShipmentError):
    """A return change Flipkart would refuse; ``code`` is the per-return
    errorCode the return actions answer with."""

    def __init__(self, message, code=INVALID_RETURN_STATE):
        super().__init__(message, code)


class ReturnIds:
    """Seeded return, tracking and service ids, from their own random stream:
    making returns never changes the shipments a seed gives."""

    def __init__(self, seed):
        self.rng = random.Random(f"returns:{seed}")
        self.seen = set()

    def _digits(self, n):
        return str(self.rng.randint(1, 9)) + "".join(
            self.rng.choice(string.digits) for _ in range(n - 1)
        )

    def return_id(self):
        """16 digits (the sandbox's format; Flipkart documents none)."""
        value = self._digits(16)
        while value in self.seen:
            value = self._digits(16)
        self.seen.add(value)
        return value

    def tracking_id(self):
        return RETURN_TRACKING_PREFIX + self._digits(10)

    def service_id(self):
        return "SF" + self._digits(16)


# ------------------------------------------------------------------ views


def list_view(ret):
    """The return as ``GET /v2/returns`` shows it."""
    view = {key: deepcopy(ret.get(key)) for key in LIST_FIELDS}
    view["services"] = [
        {key: service.get(key) for key in SERVICE_FIELDS}
        for service in ret.get("services") or ()
    ]
    return view


def created_item(ret):
    """The return as the ``return_created`` event shows it."""
    return {key: ret.get(key) for key in CREATED_FIELDS}


def _item_event(ret, **fields):
    """Attributes of the return events without a template: the order item and
    the fields that changed."""
    return {"returnItems": [{"orderItemId": ret["orderItemId"], **fields}]}


def _status_event(event_type, items):
    return {"status": RETURN_EVENT_STATUSES[event_type], "returnItems": items}


def _required_text(entry, key):
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReturnError(f"{key} is required", UNPROCESSABLE_ENTITY)
    return value.strip()


# --------------------------------------------------------------- the mixin


class Returns:
    """Sandbox methods of returns; they need what
    :class:`~.lifecycle.ShipmentLifecycle` needs plus ``returns``,
    ``return_pickup_attempts`` and ``_return_ids``."""

    def reset_returns(self):
        """Forget every return and pickup attempt (e.g. after a test restored
        ``shipments`` to an earlier copy). Ids stay unique afterwards."""
        with self.lock:
            self.returns.clear()
            self.return_pickup_attempts.clear()

    def get_return(self, return_id):
        """The live return dict, or ReturnError (UNPROCESSABLE_ENTITY)."""
        ret = self.returns.get(return_id)
        if ret is None:
            raise ReturnError(
                f"Return {return_id} does not exist for seller {self.seller_id}",
                UNPROCESSABLE_ENTITY,
            )
        return ret

    def _change_return(self, return_id, event_type, apply):
        """The one way a return changes: ``apply(ret)`` checks (raising
        before touching anything), changes it and returns the event's
        attributes; then ``updatedDate`` moves and the event is emitted."""
        with self.lock:
            ret = self.get_return(return_id)
            attributes = apply(ret)
            ret["updatedDate"] = iso(self.clock())
            if event_type:
                self._emit(event_type, ret, attributes)

    def _returned_quantity(self, order_item_id):
        return sum(
            ret["quantity"]
            for ret in self.returns.values()
            if ret["orderItemId"] == order_item_id and ret["status"] != "cancelled"
        )

    # ------------------------------------------------------ Flipkart's side

    def create_return(
        self,
        shipment_id,
        order_item_id=None,
        quantity=None,
        source="customer_return",
        reason=None,
        sub_reason=None,
        **overrides,
    ):
        """A new return of ``quantity`` (default: all not yet returned) of
        ``order_item_id`` (default: the first live item); event
        return_created; returns its returnId.

        Customer returns need a DELIVERED shipment, courier returns (RTO)
        one READY_TO_DISPATCH, PICKUP_COMPLETE or SHIPPED. Overrides:
        ``action`` (e.g. "refund_dnt_expect": no parcel comes back, no
        expectedDate), ``tracking_id``, ``courier_name``, ``expected_date``
        (epoch, datetime or ISO), ``comments``, ``tech_visit`` (self-ship
        customer returns, default True: a service item
        ``services[{serviceFulfilmentId, serviceByDate}]``).
        """
        unknown = set(overrides) - RETURN_OVERRIDES
        if unknown:
            raise TypeError(f"unknown return overrides: {sorted(unknown)}")
        if source not in RETURN_SOURCES:
            raise ReturnError(
                f"source must be one of {', '.join(RETURN_SOURCES)}",
                UNPROCESSABLE_ENTITY,
            )
        with self.lock:
            shipment = self.get_shipment(shipment_id)
            item = self._returnable_item(shipment, order_item_id, source)
            quantity = self._return_quantity(item, quantity)
            ret = self._new_return(shipment, item, quantity, source, overrides)
            ret["reason"] = reason or DEFAULT_RETURN_REASONS[source][0]
            ret["subReason"] = sub_reason or (
                None if reason else DEFAULT_RETURN_REASONS[source][1]
            )
            self.returns[ret["returnId"]] = ret
            self._emit(
                "return_created",
                ret,
                _status_event("return_created", [created_item(ret)]),
            )
            return ret["returnId"]

    def _returnable_item(self, shipment, order_item_id, source):
        sid = shipment["shipmentId"]
        items = live_items(shipment)
        if not items:
            raise ReturnError(f"Shipment {sid} is cancelled", INVALID_SHIPMENTS)
        status = shipment_status(shipment)
        if status not in RETURN_SOURCE_STATES[source]:
            raise ReturnError(
                f"Shipment {sid} is {status}: a {source} needs "
                f"{' or '.join(RETURN_SOURCE_STATES[source])}",
                INVALID_SHIPMENTS,
            )
        if order_item_id is None:
            return items[0]
        for item in items:
            if item["orderItemId"] == order_item_id:
                return item
        raise ReturnError(
            f"Order item {order_item_id} is not a live item of shipment {sid}",
            UNPROCESSABLE_ENTITY,
        )

    def _return_quantity(self, item, quantity):
        left = item["quantity"] - self._returned_quantity(item["orderItemId"])
        if left < 1:
            raise ReturnError(
                f"Order item {item['orderItemId']} is already wholly returned"
            )
        if quantity is None:
            return left
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise ReturnError("quantity must be an integer", UNPROCESSABLE_ENTITY)
        if not 1 <= quantity <= left:
            raise ReturnError(
                f"quantity {quantity} of order item {item['orderItemId']} must be "
                f"between 1 and {left} (not yet returned)",
                UNPROCESSABLE_ENTITY,
            )
        return quantity

    def _new_return(self, shipment, item, quantity, source, overrides):
        now = self.clock()
        when = iso(now)
        self_ship = shipment.get("shipmentType") == SELF_SHIPMENT_TYPE
        action = overrides.get("action")
        tech_visit = overrides.get("tech_visit")
        if tech_visit and not (self_ship and source == "customer_return"):
            raise ReturnError(
                "tech_visit is for customer returns of self-ship shipments",
                UNPROCESSABLE_ENTITY,
            )
        tracking, courier = self._return_courier(shipment, source, self_ship)
        expected = None
        if overrides.get("expected_date") is not None:
            expected = iso(as_epoch(overrides["expected_date"]))
        elif not (action and DO_NOT_EXPECT in action):
            expected = iso(now + RETURN_EXPECTED_DAYS[source] * DAY)
        services = []
        if self_ship and source == "customer_return" and tech_visit is not False:
            services.append(
                {
                    "serviceFulfilmentId": self._return_ids.service_id(),
                    "description": "Technician visit",
                    "serviceByDate": iso(now + RETURN_SERVICE_DAYS * DAY),
                    "createdAt": when,
                }
            )
        return {
            "returnId": self._return_ids.return_id(),
            "orderItemId": item["orderItemId"],
            "orderId": item["orderId"],
            "shipmentId": shipment["shipmentId"],
            "locationId": shipment["locationId"],
            "sellerId": self.seller_id,
            "quantity": quantity,
            "orderDate": item["orderDate"],
            "createdDate": when,
            "updatedDate": when,
            "status": "created",
            "type": source,
            "source": source,
            "action": action,
            "reason": None,
            "subReason": None,
            "trackingId": overrides.get("tracking_id", tracking),
            "courierName": overrides.get("courier_name", courier),
            "shipmentStatus": "start",
            "expectedDate": expected,
            "comments": overrides.get("comments"),
            "approvedOn": None,
            "completionDate": None,
            "replacementOrderItemId": None,
            "productId": item.get("fsn"),
            "listingId": item.get("listingId"),
            "serviceProfile": item.get("serviceProfile"),
            "services": services,
            # The sandbox's records of the seller's actions.
            "approval": None,
            "pickupDate": None,
        }

    def _return_courier(self, shipment, source, self_ship):
        """(trackingId, courierName): an RTO comes back under the forward
        AWB; Flipkart's reverse pickup gets a new one; a self-ship customer
        return is picked up by the seller (none)."""
        if source == "courier_return":
            for sub in shipment.get("subShipments") or ():
                leg = (sub.get("courierDetails") or {}).get("deliveryDetails") or {}
                if leg.get("trackingId"):
                    return leg["trackingId"], courier_vendor(shipment)
        if self_ship:
            return None, None
        return self._return_ids.tracking_id(), RETURN_COURIER

    def update_return_tracking(self, return_id, tracking_id, courier_name=None):
        """A new tracking id (and courier; None keeps it); event
        return_item_tracking_id_update."""

        def apply(ret):
            _require_open(ret)
            if not isinstance(tracking_id, str) or not tracking_id.strip():
                raise ReturnError("tracking_id is required", UNPROCESSABLE_ENTITY)
            ret["trackingId"] = tracking_id.strip()
            if courier_name:
                ret["courierName"] = courier_name
            return _item_event(
                ret, trackingId=ret["trackingId"], courierName=ret["courierName"]
            )

        self._change_return(return_id, "return_item_tracking_id_update", apply)

    def change_return_expected_date(self, return_id, date):
        """A new expectedDate (epoch, datetime or ISO); event
        return_expected_date_changed."""
        if date is None:
            raise ValueError("date is required")

        def apply(ret):
            _require_open(ret)
            ret["expectedDate"] = iso(as_epoch(date))
            return _item_event(ret, expectedDate=ret["expectedDate"])

        self._change_return(return_id, "return_expected_date_changed", apply)

    def return_picked_up(self, return_id, pickup_date=None):
        """The parcel is picked up (shipmentStatus in_transit); event
        return_picked_up."""

        def apply(ret):
            return self._pick_up(ret, pickup_date)

        self._change_return(return_id, "return_picked_up", apply)

    def _pick_up(self, ret, pickup_date):
        _require_open(ret)
        if ret.get("action") and DO_NOT_EXPECT in ret["action"]:
            raise ReturnError(f"Return {ret['returnId']} is not coming back")
        if ret["shipmentStatus"] != "start":
            raise ReturnError(
                f"Return {ret['returnId']} is already {ret['shipmentStatus']}"
            )
        ret["shipmentStatus"] = "in_transit"
        ret["pickupDate"] = pickup_date or iso(self.clock())
        return _item_event(ret, shipmentStatus="in_transit")

    def return_out_for_delivery(self, return_id):
        """The parcel is on its way to the seller (shipmentStatus
        out_for_delivery); Flipkart documents no event for it."""

        def apply(ret):
            _require_open(ret)
            if ret["shipmentStatus"] != "in_transit":
                raise ReturnError(
                    f"Return {return_id} is {ret['shipmentStatus']}, not in_transit"
                )
            ret["shipmentStatus"] = "out_for_delivery"

        self._change_return(return_id, None, apply)

    def complete_return(self, return_id):
        """The return is completed (status completed; shipmentStatus
        delivered unless its action says it does not come back); event
        return_completed."""
        self._change_return(return_id, "return_completed", self._complete)

    def _complete(self, ret):
        _require_open(ret)
        ret["status"] = "completed"
        ret["completionDate"] = iso(self.clock())
        if not (ret.get("action") and DO_NOT_EXPECT in ret["action"]):
            ret["shipmentStatus"] = "delivered"
        return _status_event("return_completed", [{"orderItemId": ret["orderItemId"]}])

    def cancel_return(self, return_id):
        """The return is cancelled (status cancelled; its quantity can be
        returned again); event return_cancelled."""
        self._change_return(return_id, "return_cancelled", self._cancel)

    def _cancel(self, ret):
        _require_open(ret)
        ret["status"] = "cancelled"
        return _status_event("return_cancelled", [{"orderItemId": ret["orderItemId"]}])

    # ------------------------------------------------------ self-ship side

    def _self_ship_return(self, ret, location_id, source=None):
        """At the seller's given location, of a self-ship shipment, of
        ``source`` (None: any), still open."""
        rid = ret["returnId"]
        if location_id not in self.locations:
            raise ReturnError(
                f"Location {location_id} does not belong to seller {self.seller_id}",
                OPERATION_NOT_ALLOWED,
            )
        if ret["locationId"] != location_id:
            raise ReturnError(
                f"Return {rid} is not at location {location_id}", UNPROCESSABLE_ENTITY
            )
        shipment = self.shipments.get(ret["shipmentId"]) or {}
        if shipment.get("shipmentType") != SELF_SHIPMENT_TYPE:
            raise ReturnError(
                f"Return {rid} is of a {shipment.get('shipmentType')} shipment, not "
                "self-ship: Flipkart handles it",
                OPERATION_NOT_ALLOWED,
            )
        if source and ret["source"] != source:
            raise ReturnError(
                f"Return {rid} is a {ret['source']}: this needs a {source}",
                UNPROCESSABLE_ENTITY,
            )
        _require_open(ret)

    def _decide(self, entry, location_id, decision):
        rid = entry.get("returnId")

        def apply(ret):
            self._self_ship_return(ret, location_id, "customer_return")
            if ret["approval"]:
                raise ReturnError(
                    f"Return {rid} is already {ret['approval']['decision']}"
                )
            service_id = _required_text(entry, "serviceFulfilmentId")
            known = [s["serviceFulfilmentId"] for s in ret["services"]]
            if known and service_id not in known:
                raise ReturnError(
                    f"Return {rid} has no service {service_id}", UNPROCESSABLE_ENTITY
                )
            comments = _required_text(entry, "comments")
            if decision == "rejected":
                required_day(entry, "serviceDate")
            elif entry.get("serviceDate") is not None:
                parse_day(entry["serviceDate"], "serviceDate")
            now = iso(self.clock())
            ret["approval"] = {
                "decision": decision,
                "serviceFulfilmentId": service_id,
                "serviceDate": entry.get("serviceDate"),
                "comments": comments,
                "decidedOn": now,
            }
            ret["comments"] = comments
            if decision == "approved":
                ret["approvedOn"] = now

        self._change_return(rid, None, apply)

    def approve_return(self, entry, location_id):
        """One entry ``{returnId, serviceFulfilmentId, serviceDate,
        comments}`` of ``returns/approve``: the decision is kept in
        ``approval`` and ``approvedOn`` set; no event (none documented)."""
        self._decide(entry, location_id, "approved")

    def reject_return(self, entry, location_id):
        """One entry of ``returns/reject`` (serviceDate required): the
        decision is kept in ``approval``; the return stays created (what
        Flipkart does next is undocumented); no event."""
        self._decide(entry, location_id, "rejected")

    def _pickup_day(self, ret, entry, key="pickupDate"):
        day = required_day(entry, key)
        if day > ist_day(self.clock()):
            raise ReturnError(
                f"{key} must not be after today", INVALID_REQUEST_DATE_FORMAT
            )
        if day < ist_day(epoch(ret["createdDate"])):
            raise ReturnError(
                f"{key} is before the return was created", INVALID_REQUEST_DATE_FORMAT
            )
        return day

    def _approved(self, ret, location_id):
        self._self_ship_return(ret, location_id, "customer_return")
        decision = (ret["approval"] or {}).get("decision")
        if decision != "approved":
            raise ReturnError(
                f"Return {ret['returnId']} is "
                f"{decision or 'not approved yet'}: approve it first"
            )

    def return_pickup(self, entry, location_id):
        """One entry ``{returnId, pickupDate}`` of ``returns/pickup``: the
        seller picked the approved return up (shipmentStatus in_transit);
        event return_picked_up."""
        rid = entry.get("returnId")

        def apply(ret):
            self._approved(ret, location_id)
            self._pickup_day(ret, entry)
            return self._pick_up(ret, entry["pickupDate"])

        self._change_return(rid, "return_picked_up", apply)

    def return_pickup_attempt(self, entry, location_id):
        """One entry ``{returnId, pickupDate, newPickupDate, reason}`` of
        ``returns/pickupAttempt``: a failed pickup, added to
        ``return_pickup_attempts[returnId]``; no event."""
        rid = entry.get("returnId")

        def apply(ret):
            self._approved(ret, location_id)
            if ret["shipmentStatus"] != "start":
                raise ReturnError(f"Return {rid} is already {ret['shipmentStatus']}")
            day = self._pickup_day(ret, entry)
            if required_day(entry, "newPickupDate") < day:
                raise ReturnError(
                    "newPickupDate is before pickupDate", INVALID_REQUEST_DATE_FORMAT
                )
            self.return_pickup_attempts.setdefault(rid, []).append(
                {
                    "pickupDate": entry["pickupDate"],
                    "newPickupDate": entry["newPickupDate"],
                    "reason": entry.get("reason"),
                }
            )

        self._change_return(rid, None, apply)

    def self_ship_complete_return(self, return_id, location_id):
        """One id of ``returns/complete``: a self-ship return (not a rejected
        one) is completed, as :meth:`complete_return`."""

        def apply(ret):
            self._self_ship_return(ret, location_id)
            if (ret["approval"] or {}).get("decision") == "rejected":
                raise ReturnError(f"Return {return_id} was rejected")
            return self._complete(ret)

        self._change_return(return_id, "return_completed", apply)

    def self_ship_cancel_return(self, return_id, location_id):
        """One id of ``returns/cancel``: a self-ship RTO (courier_return) is
        cancelled, as :meth:`cancel_return`."""

        def apply(ret):
            self._self_ship_return(ret, location_id, "courier_return")
            return self._cancel(ret)

        self._change_return(return_id, "return_cancelled", apply)


def _require_open(ret):
    if ret["status"] != "created":
        raise ReturnError(f"Return {ret['returnId']} is {ret['status']}")


# ------------------------------------------------------------------ query


class ReturnQuery:
    """The validated query of ``GET /v2/returns`` (kept raw for next_token)."""

    def __init__(self, params):
        self.raw = {key: params[key] for key in QUERY_PARAMS if key in params}
        self.ids = self._ids()
        source = self.raw.get("source")
        # Legacy docs make source mandatory; integrators look returns up by
        # id without it (flipkart-api.md S6), so ids may go without.
        if source is None and self.ids is None:
            raise invalid(
                f"source is required: {' or '.join(RETURN_SOURCES)}",
            )
        if source is not None and source not in RETURN_SOURCES:
            raise invalid(f"source must be {' or '.join(RETURN_SOURCES)}")
        self.source = source
        self.location = self.raw.get("locationId") or None
        self.ranges = [
            (field, low, date_param(self.raw[name], name))
            for name, (field, low) in DATE_PARAMS.items()
            if self.raw.get(name)
        ]
        self.page_size = self._page_size()

    def _ids(self):
        given = [name for name in ("returnIds", "trackingIds") if name in self.raw]
        if len(given) > 1:
            raise invalid("Give returnIds or trackingIds, not both")
        if not given:
            return None
        field = "returnId" if given[0] == "returnIds" else "trackingId"
        return field, frozenset(
            parse_id_list(self.raw[given[0]], RETURN_IDS_MAX, given[0])
        )

    def _page_size(self):
        value = self.raw.get("pageSize", self.raw.get("page_size"))
        if value is None:
            return RETURNS_PAGE_SIZE_MAX
        try:
            size = int(value)
        except ValueError:
            size = 0
        if size < 1:
            raise invalid("pageSize must be a positive integer")
        return min(size, RETURNS_PAGE_SIZE_MAX)

    def matches(self, ret):
        if self.source and ret["source"] != self.source:
            return False
        if self.location and ret["locationId"] != self.location:
            return False
        if self.ids is not None:
            field, wanted = self.ids
            if ret.get(field) not in wanted:
                return False
        for field, low, bound in self.ranges:
            value = epoch(ret[field])
            if (value < bound) if low else (value > bound):
                return False
        return True

    @staticmethod
    def sort_key(ret):
        return (epoch(ret["updatedDate"]), ret["returnId"])


def _page(sb, query, after=None):
    if query.location and query.location not in sb.locations:
        raise ApiError(
            403,
            OPERATION_NOT_ALLOWED,
            f"Location {query.location} does not belong to seller {sb.seller_id}",
        )
    with sb.lock:
        rows = sorted(
            (
                (query.sort_key(ret), ret)
                for ret in sb.returns.values()
                if query.matches(ret)
            ),
            key=lambda row: row[0],
        )
        if after is not None:
            rows = [row for row in rows if row[0] > after]
        page = rows[: query.page_size]
        items = [list_view(ret) for _key, ret in page]
    has_more = len(rows) > len(page)
    next_url = None
    if has_more:
        token = encode_cursor({"query": query.raw, "after": list(page[-1][0])})
        next_url = f"{RETURNS_PATH}?next_token={token}"
    return {"hasMore": has_more, "nextUrl": next_url, "returnItems": items}


def list_returns(sb, req):
    """GET /sellers/v2/returns (first page) or ?next_token= (the next)."""
    token = req.query.get("next_token")
    if token is None:
        return _page(sb, ReturnQuery(req.query))
    data = decode_cursor(token, "next_token")
    after, raw = data.get("after"), data.get("query")
    if not (isinstance(after, list) and len(after) == 2 and isinstance(raw, dict)):
        raise invalid("Invalid next_token")
    return _page(sb, ReturnQuery(raw), tuple(after))


# ---------------------------------------------------------------- actions

# action -> (body key of the batch, Sandbox method)
ACTIONS = {
    "approve": ("returns", "approve_return"),
    "reject": ("returns", "reject_return"),
    "pickup": ("returns", "return_pickup"),
    "pickupAttempt": ("returns", "return_pickup_attempt"),
    "complete": ("returnIds", "self_ship_complete_return"),
    "cancel": ("returnIds", "self_ship_cancel_return"),
}


def per_return(actions):
    """Run ``(returnId, action)`` pairs; a ShipmentError fails only its own."""
    results = []
    for return_id, action in actions:
        result = {
            "returnId": return_id,
            "processingStatus": "SUCCESS",
            "errorCode": None,
            "errorMessage": None,
        }
        try:
            action()
        except ShipmentError as err:
            result.update(
                processingStatus="FAILURE", errorCode=err.code, errorMessage=str(err)
            )
        results.append(result)
    return {"returns": results}


def return_action(sb, req, action):
    """POST /sellers/v2/returns/approve | reject | complete | pickup |
    pickupAttempt | cancel (self-ship returns, at most 100)."""
    body = req.json_object()
    location = body.get("locationId")
    if not isinstance(location, str) or not location:
        raise invalid("locationId is required")
    key, name = ACTIONS[action]
    method = getattr(sb, name)
    if key == "returnIds":
        ids = batch(body, key, str, RETURN_ACTIONS_MAX)
        return per_return((rid, partial(method, rid, location)) for rid in ids)
    entries = batch(body, key, dict, RETURN_ACTIONS_MAX)
    return per_return(
        (entry.get("returnId"), partial(method, entry, location)) for entry in entries
    )
