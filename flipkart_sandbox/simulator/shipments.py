"""Shipment search, by-ids and details endpoints (flipkart-api.md §2, §3).

Paging is keyset-based: the opaque ``next_token`` carries the query and the
sort key of the last shipment sent, so a page never repeats or skips a
shipment even when others change state between pages (a shipment whose sort
date itself moves may, as on any live system, show up again).
"""

from copy import deepcopy

from .constants import (
    CANCELLATION_TYPES,
    DATE_FILTERS,
    DEFAULT_SERVICE_PROFILES,
    DEFAULT_SORT_FIELD,
    DISPATCH_SERVICE_TIERS,
    FILTER_PAGE_SIZE_MAX,
    FILTER_SERVICE_PROFILES,
    FILTER_TYPE_STATES,
    OPERATION_NOT_ALLOWED,
    SERVICE_PROFILE_FILTER,
    SHIPMENT_ID_PARAMS,
    SHIPMENT_IDS_MAX,
    SHIPMENT_TYPES,
    SORT_FIELDS,
)
from .times import epoch
from .web import (
    ApiError,
    date_param,
    decode_cursor,
    encode_cursor,
    invalid,
    parse_id_list,
)

FILTER_PATH = "/v3/shipments/filter"  # nextPageUrl is relative to /sellers
_MISSING = 1e18  # sorts shipments without the sort date last

_SEARCH_FIELDS = (
    "shipmentId",
    "dispatchByDate",
    "dispatchAfterDate",
    "updatedAt",
    "locationId",
    "hold",
    "mps",
    "packagingPolicy",
    "subShipments",
    "orderItems",
    "forms",
    "shipmentType",
)


# ------------------------------------------------------------------ query


def _enum_list(filt, name, allowed, default):
    value = filt.get(name)
    if value is None:
        return frozenset(default)
    if not isinstance(value, list) or not all(v in allowed for v in value):
        raise invalid(f"filter.{name} must be a list of {', '.join(allowed)}")
    return frozenset(value or default)


def _date_range(filt, name):
    value = filt.get(name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid(f"filter.{name} must be an object with from/to")
    return tuple(
        date_param(value.get(end), f"filter.{name}.{end}") for end in ("from", "to")
    )


def _optional_bool(filt, name, default=None):
    value = filt.get(name, default)
    if value is not None and not isinstance(value, bool):
        raise invalid(f"filter.{name} must be true or false")
    return value


def _in_range(value, bounds):
    low, high = bounds
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


class ShipmentQuery:
    """A validated filter + sort + page size."""

    def __init__(self, filt, sort, page_size):
        if not isinstance(filt, dict):
            raise invalid("filter must be an object")
        kind = filt.get("type")
        if kind not in FILTER_TYPE_STATES:
            raise invalid(
                "filter.type is required: preDispatch, postDispatch or cancelled"
            )
        self.raw = {"filter": filt, "sort": sort, "pageSize": page_size}
        states = FILTER_TYPE_STATES[kind]
        self.states = _enum_list(filt, "states", states, states)
        self.service_profiles = _enum_list(
            filt, "serviceProfiles", FILTER_SERVICE_PROFILES, DEFAULT_SERVICE_PROFILES
        )
        self.shipment_types = _enum_list(filt, "shipmentTypes", SHIPMENT_TYPES, ())
        # Accepted and checked; the sandbox's shipments carry no service tier.
        _enum_list(filt, "dispatchServiceTiers", DISPATCH_SERVICE_TIERS, ())
        self.cancellation_reason = self._cancellation_reason(filt, kind)
        # hold defaults to false; a cancelled shipment is reported held or not.
        self.hold = _optional_bool(filt, "hold", None if kind == "cancelled" else False)
        self.mps = _optional_bool(filt, "mps")
        self.location = filt.get("locationId") or None
        skus = filt.get("sku") or []
        if isinstance(skus, str):
            skus = [skus]
        if not isinstance(skus, list) or not all(isinstance(s, str) for s in skus):
            raise invalid("filter.sku must be a list of SKUs")
        self.skus = frozenset(skus)
        self.item_ranges, self.shipment_ranges = [], []
        for name, (level, field) in DATE_FILTERS.items():
            bounds = _date_range(filt, name)
            if bounds is not None:
                target = self.item_ranges if level == "item" else self.shipment_ranges
                target.append((field, bounds))
        self._compile_sort(sort)
        self.page_size = self._page_size(page_size)

    @staticmethod
    def _cancellation_reason(filt, kind):
        """The item cancellationReason a cancelled search wants (None otherwise)."""
        if kind != "cancelled":
            return None
        ctype = filt.get("cancellationType")
        if ctype not in CANCELLATION_TYPES:
            raise invalid(
                "filter.cancellationType is required for type cancelled: "
                + ", ".join(CANCELLATION_TYPES)
            )
        return CANCELLATION_TYPES[ctype]

    @staticmethod
    def _page_size(value):
        """Default and cap 20; v3 documents no maximum, every integrator uses 20."""
        if value is None:
            return FILTER_PAGE_SIZE_MAX
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise invalid("pagination.pageSize must be a positive integer")
        return min(value, FILTER_PAGE_SIZE_MAX)

    def _compile_sort(self, sort):
        sort = sort or {}
        if not isinstance(sort, dict):
            raise invalid("sort must be an object")
        field = sort.get("field") or DEFAULT_SORT_FIELD
        order = sort.get("order") or "asc"
        if field not in SORT_FIELDS or order not in ("asc", "desc"):
            raise invalid(
                f"sort.field must be one of {', '.join(SORT_FIELDS)}; "
                "sort.order asc or desc"
            )
        self.sort_field = SORT_FIELDS[field]
        self.descending = order == "desc"

    def _shipment_ok(self, sh):
        if self.hold is not None and bool(sh.get("hold")) != self.hold:
            return False
        if self.location and sh.get("locationId") != self.location:
            return False
        if self.mps is not None and bool(sh.get("mps")) != self.mps:
            return False
        if self.shipment_types and sh.get("shipmentType") not in self.shipment_types:
            return False
        return all(
            _in_range(epoch(sh.get(field)), bounds)
            for field, bounds in self.shipment_ranges
        )

    def _item_ok(self, item):
        if item.get("status") not in self.states:
            return False
        profile = item.get("serviceProfile")
        if SERVICE_PROFILE_FILTER.get(profile, profile) not in self.service_profiles:
            return False
        if self.skus and item.get("sku") not in self.skus:
            return False
        if (
            self.cancellation_reason
            and item.get("cancellationReason") != self.cancellation_reason
        ):
            return False
        return all(
            _in_range(epoch(item.get(field)), bounds)
            for field, bounds in self.item_ranges
        )

    def matches(self, sh):
        return self._shipment_ok(sh) and any(
            self._item_ok(item) for item in sh.get("orderItems") or ()
        )

    def sort_key(self, sh):
        """(date, shipmentId): the requested date first, the id breaks ties."""
        if self.sort_field == "orderDate":
            dates = [epoch(i.get("orderDate")) for i in sh.get("orderItems") or ()]
            value = min((d for d in dates if d is not None), default=None)
        else:
            value = epoch(sh.get(self.sort_field))
        if value is None:
            value = _MISSING
        elif self.descending:
            value = -value
        return (value, sh["shipmentId"])


# ------------------------------------------------------------------ views


def search_view(sh):
    """The shipment as search and by-ids return it (no addresses)."""
    view = {key: sh.get(key) for key in _SEARCH_FIELDS}
    view["subShipments"] = [
        {"subShipmentId": sub.get("subShipmentId"), "packages": sub.get("packages", [])}
        for sub in sh.get("subShipments") or ()
    ]
    return view


def _return_address(seller):
    return {
        "firstName": seller.get("sellerName", ""),
        "lastName": "",
        **{k: seller.get(k, "") for k in ("pinCode", "city", "state", "stateCode")},
        **{k: seller.get(k, "") for k in ("addressLine1", "addressLine2", "landmark")},
        "contactNumber": seller.get("contactNumber", ""),
    }


def details_view(sb, sh):
    """The shipment as GET /v3/shipments/{ids} returns it (addresses, courier)."""
    seller = sb.location_addresses.get(sh.get("locationId"), {})
    billing = sh.get("billingAddress") or {}
    return {
        "orderId": sh.get("orderId"),
        "shipmentId": sh["shipmentId"],
        "locationId": sh.get("locationId"),
        "orderItems": sh.get("orderItems"),
        "weighingRequired": sh.get("weighingRequired", False),
        "deliveryAddress": sh.get("deliveryAddress"),
        "billingAddress": billing,
        "buyerDetails": {
            "firstName": billing.get("firstName"),
            "lastName": billing.get("lastName"),
        },
        "sellerAddress": dict(seller),
        "returnAddress": _return_address(seller),
        "subShipments": [
            {
                "subShipmentId": sub.get("subShipmentId"),
                "courierDetails": sub.get("courierDetails"),
                "shipmentDimensions": sub.get("shipmentDimensions"),
            }
            for sub in sh.get("subShipments") or ()
        ],
    }


# --------------------------------------------------------------- handlers


def _page(sb, query, after=None):
    with sb.lock:
        rows = [
            (query.sort_key(sh), sh)
            for sh in sb.shipments.values()
            if query.matches(sh)
        ]
        rows.sort(key=lambda row: row[0])
        if after is not None:
            rows = [row for row in rows if row[0] > after]
        page = rows[: query.page_size]
        shipments = [deepcopy(search_view(sh)) for _, sh in page]
    has_more = len(rows) > len(page)
    next_url = None
    if has_more:
        token = encode_cursor({**query.raw, "after": list(page[-1][0])})
        next_url = f"{FILTER_PATH}?next_token={token}"
    return {"hasMore": has_more, "nextPageUrl": next_url, "shipments": shipments}


def search(sb, req):
    """POST /sellers/v3/shipments/filter."""
    body = req.json_object()
    pagination = body.get("pagination") or {}
    if not isinstance(pagination, dict):
        raise invalid("pagination must be an object")
    query = ShipmentQuery(
        body.get("filter"), body.get("sort"), pagination.get("pageSize")
    )
    if query.location and query.location not in sb.locations:
        # A location of another seller is refused, as Flipkart does for ids
        # the seller does not own.
        raise ApiError(
            403,
            OPERATION_NOT_ALLOWED,
            f"Location {query.location} does not belong to seller {sb.seller_id}",
        )
    return _page(sb, query)


def search_next(sb, req):
    """GET /sellers/v3/shipments/filter?next_token=..."""
    token = req.query.get("next_token")
    if not token:
        raise invalid("next_token is required")
    data = decode_cursor(token, "next_token")
    after = data.get("after")
    if not (isinstance(after, list) and len(after) == 2):
        raise invalid("Invalid next_token")
    query = ShipmentQuery(data.get("filter"), data.get("sort"), data.get("pageSize"))
    return _page(sb, query, tuple(after))


def _find(sb, param, ids):
    """Shipments by shipment, order item or order ids (unknown ids are skipped)."""
    field = SHIPMENT_ID_PARAMS[param]
    if field is None:
        return [sb.shipments[i] for i in ids if i in sb.shipments]
    wanted = set(ids)
    return [
        sh
        for sh in sb.shipments.values()
        if any(item.get(field) in wanted for item in sh.get("orderItems") or ())
    ]


def by_ids(sb, req):
    """GET /sellers/v3/shipments?shipmentIds= | orderItemIds= | orderIds=."""
    given = [name for name in SHIPMENT_ID_PARAMS if name in req.query]
    if len(given) != 1:
        raise invalid(
            "Exactly one of shipmentIds, orderItemIds or orderIds is required"
        )
    param = given[0]
    ids = parse_id_list(req.query[param], SHIPMENT_IDS_MAX, param)
    with sb.lock:
        found = [deepcopy(search_view(sh)) for sh in _find(sb, param, ids)]
    return {"shipments": found}


def details(sb, req, ids):
    """GET /sellers/v3/shipments/{shipmentIds}."""
    wanted = parse_id_list(ids, SHIPMENT_IDS_MAX, "shipmentIds")
    with sb.lock:
        found = [
            deepcopy(details_view(sb, sb.shipments[i]))
            for i in wanted
            if i in sb.shipments
        ]
    return {"shipments": found}
