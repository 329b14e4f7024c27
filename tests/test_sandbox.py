"""The Flipkart sandbox, exercised over real HTTP on loopback."""

import io
import json
import re
import socketserver
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flipkart.signature import verify
from simulator import Faults, Sandbox, SandboxServer, ShipmentError

APP = ("sandbox-app", "sandbox-secret")
T0 = 1_700_000_000.0
TOKEN_TTL = 3600
REFRESH_TTL = 180 * 86400
PRE_DISPATCH = {"type": "preDispatch", "states": ["APPROVED"]}


def make_sandbox(now, **kwargs):
    kwargs.setdefault("shipments", 0)
    kwargs.setdefault("listings", 30)
    return Sandbox(seed=1, clock=lambda: now[0], **kwargs)


@pytest.fixture
def sb(now):
    return make_sandbox(now)


def get_token(srv, **params):
    params = params or {"grant_type": "client_credentials", "scope": "Seller_Api"}
    return requests.get(
        srv.base_url + "/oauth-service/oauth/token", params=params, auth=APP, timeout=5
    )


def search_all(api, body):
    """Every page of a shipment search; returns the list of pages."""
    pages = [api.post(api.url("/v3/shipments/filter"), json=body, timeout=5)]
    while pages[-1].json()["hasMore"]:
        next_url = pages[-1].json()["nextPageUrl"]
        assert next_url.startswith("/v3/shipments/filter?next_token=")
        pages.append(api.get(api.url(next_url), timeout=5))
    assert all(page.status_code == 200 for page in pages)
    return pages


def shipment_ids(pages):
    return [s["shipmentId"] for page in pages for s in page.json()["shipments"]]


def error_code(response):
    return response.json()["errors"][0]["errorCode"]


# ------------------------------------------------------------------ OAuth


def test_client_credentials_token(srv):
    response = get_token(srv)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == TOKEN_TTL
    assert body["scope"] == "Seller_Api"


@pytest.mark.parametrize(
    "auth", [("sandbox-app", "wrong"), ("nobody", "sandbox-secret"), None]
)
def test_bad_credentials_answer_401(srv, auth):
    response = requests.get(
        srv.base_url + "/oauth-service/oauth/token",
        params={"grant_type": "client_credentials", "scope": "Seller_Api"},
        auth=auth,
        timeout=5,
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": "unauthorized",
        "error_description": "Bad credentials",
    }


def test_unknown_grant_and_missing_scope_are_400(srv):
    assert get_token(srv, grant_type="password").status_code == 400
    response = get_token(srv, grant_type="client_credentials")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def authorize(srv, redirect_uri="https://erp.example.com/flipkart/callback"):
    response = requests.get(
        srv.base_url + "/oauth-service/oauth/authorize",
        params={
            "client_id": APP[0],
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "Seller_Api",
            "state": "xyz-1",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(redirect_uri + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["xyz-1"]
    return query["code"][0]


def test_authorization_code_grant_is_single_use(srv):
    redirect_uri = "https://erp.example.com/flipkart/callback"
    code = authorize(srv, redirect_uri)
    params = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "state": "xyz-1",
    }
    response = get_token(srv, **params)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] and body["access_token"]
    assert body["refresh_token_expires_in"] == REFRESH_TTL
    again = get_token(srv, **params)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_authorization_code_needs_the_same_redirect_uri(srv):
    code = authorize(srv)
    response = get_token(
        srv,
        grant_type="authorization_code",
        code=code,
        redirect_uri="https://evil.example.com/",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_refresh_rotates_the_refresh_token(srv, sb):
    first = sb.issue_token(refresh=True)
    response = get_token(
        srv, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    reused = get_token(
        srv, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    listed = requests.get(
        srv.base_url + "/sellers/v3/shipments",
        params={"shipmentIds": "nope"},
        headers={"Authorization": "Bearer " + second["access_token"]},
        timeout=5,
    )
    assert listed.status_code == 200


def test_expired_refresh_token_is_refused(srv, sb, now):
    refresh = sb.issue_token(refresh=True)["refresh_token"]
    now[0] += REFRESH_TTL + 1
    response = get_token(srv, grant_type="refresh_token", refresh_token=refresh)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_sellers_calls_need_a_live_bearer_token(srv, api, now):
    url = api.url("/v3/shipments?shipmentIds=x")
    assert api.get(url, timeout=5).status_code == 200
    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = requests.get(url, headers=headers, timeout=5)
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_token"
    now[0] += TOKEN_TTL + 1
    expired = api.get(url, timeout=5)
    assert expired.status_code == 401
    assert expired.json()["error"] == "invalid_token"
    assert expired.json()["error_description"]


# -------------------------------------------------------------- shipments


def test_filter_pages_return_every_shipment_once(now):
    sb = make_sandbox(now)
    created = sb.add_shipments(95, status="APPROVED", hold=False)
    with SandboxServer(sb) as srv:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + sb.issue_token()["access_token"]
        session.url = lambda path: srv.base_url + "/sellers" + path
        body = {"filter": PRE_DISPATCH, "pagination": {"pageSize": 20}}
        pages = search_all(session, body)
    assert [len(p.json()["shipments"]) for p in pages] == [20, 20, 20, 20, 15]
    assert pages[-1].json()["nextPageUrl"] is None
    ids = shipment_ids(pages)
    assert len(ids) == len(set(ids)) == 95
    assert set(ids) == set(created)


def test_page_size_defaults_to_and_is_capped_at_20(sb, api):
    sb.add_shipments(25, status="APPROVED", hold=False)
    for pagination in ({}, {"pageSize": 500}):
        body = {"filter": PRE_DISPATCH, "pagination": pagination}
        page = api.post(api.url("/v3/shipments/filter"), json=body, timeout=5).json()
        assert len(page["shipments"]) == 20
        assert page["hasMore"] is True


def test_paging_is_stable_while_shipments_change(sb, api):
    sb.add_shipments(50, status="APPROVED", hold=False)
    body = {"filter": PRE_DISPATCH, "sort": {"field": "orderDate", "order": "desc"}}
    first = api.post(api.url("/v3/shipments/filter"), json=body, timeout=5).json()
    seen = [s["shipmentId"] for s in first["shipments"]]
    # Between pages: one unseen shipment gets packed, one seen one too.
    unseen = [i for i in sb.shipments if i not in seen]
    with sb.lock:
        for sid in (unseen[0], seen[0]):
            for item in sb.shipments[sid]["orderItems"]:
                item["status"] = "PACKED"
    url = first["nextPageUrl"]
    while url:
        page = api.get(api.url(url), timeout=5).json()
        seen += [s["shipmentId"] for s in page["shipments"]]
        url = page["nextPageUrl"]
    assert len(seen) == len(set(seen)) == 49
    assert unseen[0] not in seen


def test_sort_orders_by_field_then_shipment_id(sb, api):
    sb.add_shipments(30, status="APPROVED", hold=False)
    body = {"filter": PRE_DISPATCH, "sort": {"field": "dispatchByDate"}}
    pages = search_all(api, body)
    shipments = [s for p in pages for s in p.json()["shipments"]]
    keys = [(s["dispatchByDate"], s["shipmentId"]) for s in shipments]
    assert keys == sorted(keys)


def test_held_shipments_are_excluded_unless_asked(sb, api):
    held = sb.add_shipments(3, status="APPROVED", hold=True)
    free = sb.add_shipments(5, status="APPROVED", hold=False)
    default = search_all(api, {"filter": PRE_DISPATCH})
    assert set(shipment_ids(default)) == set(free)
    asked = search_all(api, {"filter": dict(PRE_DISPATCH, hold=True)})
    assert set(shipment_ids(asked)) == set(held)


def test_smart_shipments_only_when_asked_with_fbf_lite(sb, api):
    """Flipkart's search defaults to NON_FBF: Smart_Fulfilment items are
    found only by asking for FBF_LITE (flipkart-api.md §7)."""
    smart = sb.add_shipments(2, status="APPROVED", service_profile="Smart_Fulfilment")
    own = sb.add_shipments(1, status="APPROVED", service_profile="Seller_Fulfilment")
    default = set(shipment_ids(search_all(api, {"filter": PRE_DISPATCH})))
    assert not default & set(smart) and set(own) <= default
    asked = dict(PRE_DISPATCH, serviceProfiles=["FBF_LITE"])
    assert set(shipment_ids(search_all(api, {"filter": asked}))) == set(smart)


def test_a_smart_location_makes_smart_orders(now):
    sb = make_sandbox(
        now, locations=("LOC0001", "LOC0003"), smart_locations=("LOC0003",)
    )
    sb.add_shipments(20)
    for shipment in sb.shipments.values():
        profiles = {item["serviceProfile"] for item in shipment["orderItems"]}
        smart = shipment["locationId"] == "LOC0003"
        assert profiles == ({"Smart_Fulfilment"} if smart else {"NON_FBF"})


def test_filter_by_state_location_sku_and_dates(sb, api, now):
    packed = sb.add_shipments(2, status="PACKED", hold=False, location_id="LOC0002")
    sb.add_shipments(3, status="APPROVED", hold=False, location_id="LOC0001")
    sku_one = sb.add_shipments(1, status="APPROVED", hold=False, sku="SKU-00007")
    shipped = sb.add_shipments(2, status="SHIPPED", hold=False)

    def ids(filt):
        return set(shipment_ids(search_all(api, {"filter": filt})))

    assert ids({"type": "preDispatch", "states": ["PACKED"]}) == set(packed)
    assert ids({"type": "preDispatch", "locationId": "LOC0002"}) >= set(packed)
    assert ids({"type": "preDispatch", "sku": ["SKU-00007"]}) >= set(sku_one)
    assert ids({"type": "postDispatch"}) == set(shipped)
    future = {"from": "2100-01-01T00:00:00+05:30"}
    assert ids({"type": "preDispatch", "orderDate": future}) == set()
    everything = {"to": "2100-01-01T00:00:00.000+05:30"}
    assert len(ids({"type": "preDispatch", "modifiedDate": everything})) == 6


def test_cancelled_search_needs_a_cancellation_type(sb, api):
    sb.add_shipments(4, status="CANCELLED")
    url = api.url("/v3/shipments/filter")
    missing = api.post(url, json={"filter": {"type": "cancelled"}}, timeout=5)
    assert missing.status_code == 400
    found = set()
    for ctype in ("sellerCancellation", "buyerCancellation", "marketplaceCancellation"):
        filt = {"type": "cancelled", "cancellationType": ctype}
        found |= set(shipment_ids(search_all(api, {"filter": filt})))
    assert len(found) == 4


@pytest.mark.parametrize(
    "body",
    [
        {"filter": {}},
        {"filter": {"type": "preDispatch", "states": ["SHIPPED"]}},
        {"filter": PRE_DISPATCH, "sort": {"field": "price"}},
        {"filter": PRE_DISPATCH, "pagination": {"pageSize": 0}},
    ],
)
def test_invalid_filters_are_400(api, body):
    response = api.post(api.url("/v3/shipments/filter"), json=body, timeout=5)
    assert response.status_code == 400
    assert error_code(response) == "UNPROCESSABLE_ENTITY"


def test_bad_dates_and_bad_json_are_400(api):
    url = api.url("/v3/shipments/filter")
    bad_date = {"filter": dict(PRE_DISPATCH, orderDate={"from": "yesterday"})}
    response = api.post(url, json=bad_date, timeout=5)
    assert response.status_code == 400
    assert error_code(response) == "INVALID_REQUEST_DATE_FORMAT"
    response = api.post(url, data=b"{not json", timeout=5)
    assert response.status_code == 400
    assert error_code(response) == "INVALID_REQUEST_JSON"
    response = api.get(url + "?next_token=garbage!", timeout=5)
    assert response.status_code == 400


def test_shipments_by_each_kind_of_id(sb, api):
    ids = sb.add_shipments(3, status="APPROVED", hold=False)
    target = sb.shipments[ids[1]]
    item_id = target["orderItems"][0]["orderItemId"]
    order_id = target["orderItems"][0]["orderId"]
    url = api.url("/v3/shipments")
    for param, value in (
        ("shipmentIds", ids[1] + ",unknown"),
        ("orderItemIds", item_id),
        ("orderIds", order_id),
    ):
        response = api.get(url, params={param: value}, timeout=5)
        assert response.status_code == 200
        found = [s["shipmentId"] for s in response.json()["shipments"]]
        assert ids[1] in found
    shipment = api.get(url, params={"shipmentIds": ids[1]}, timeout=5).json()
    assert "deliveryAddress" not in shipment["shipments"][0]
    assert shipment["shipments"][0]["orderItems"] == target["orderItems"]


def test_shipments_by_ids_caps_and_one_kind(api):
    url = api.url("/v3/shipments")
    ids = ",".join(f"id{n}" for n in range(101))
    response = api.get(url, params={"shipmentIds": ids}, timeout=5)
    assert response.status_code == 400
    assert error_code(response) == "UNPROCESSABLE_ENTITY"
    ok = api.get(url, params={"shipmentIds": ids.rsplit(",", 1)[0]}, timeout=5)
    assert ok.status_code == 200
    both = api.get(url, params={"shipmentIds": "a", "orderIds": "b"}, timeout=5)
    assert both.status_code == 400
    assert api.get(url, timeout=5).status_code == 400


ADDRESS_KEYS = {
    "firstName",
    "lastName",
    "pinCode",
    "city",
    "state",
    "stateCode",
    "addressLine1",
    "addressLine2",
    "landmark",
    "contactNumber",
}


def test_shipment_details_shape(sb, api):
    approved = sb.add_shipments(1, status="APPROVED")[0]
    packed = sb.add_shipments(1, status="PACKED")[0]
    response = api.get(api.url(f"/v3/shipments/{approved},{packed}"), timeout=5)
    assert response.status_code == 200
    details = {s["shipmentId"]: s for s in response.json()["shipments"]}
    assert set(details) == {approved, packed}
    one = details[packed]
    assert one["orderId"].startswith("OD1")
    assert one["locationId"] in sb.locations
    assert set(one["deliveryAddress"]) == ADDRESS_KEYS
    assert set(one["billingAddress"]) == ADDRESS_KEYS
    assert re.fullmatch(r"[A-Z]{2}", one["deliveryAddress"]["stateCode"])
    assert re.fullmatch(r"\d{6}", one["deliveryAddress"]["pinCode"])
    assert set(one["buyerDetails"]) == {"firstName", "lastName"}
    assert one["sellerAddress"]["sellerName"]
    assert one["returnAddress"]["stateCode"]
    courier = one["subShipments"][0]["courierDetails"]
    assert courier["deliveryDetails"]["trackingId"]
    assert courier["deliveryDetails"]["vendorName"]
    assert details[approved]["subShipments"][0]["courierDetails"] is None
    too_many = ",".join(f"id{n}" for n in range(101))
    assert api.get(api.url(f"/v3/shipments/{too_many}"), timeout=5).status_code == 400


# --------------------------------------------------------------- listings


def test_listing_search_pages_of_500(now):
    sb = make_sandbox(now, listings=1200)
    with SandboxServer(sb) as srv:
        url = srv.base_url + "/sellers/listings/v3/search"
        headers = {"Authorization": "Bearer " + sb.issue_token()["access_token"]}
        pages, page_id = [], None
        while True:
            body = {"filters": {"listing_status": "ACTIVE"}, "page_id": page_id}
            page = requests.post(url, json=body, headers=headers, timeout=5).json()
            pages.append(page)
            if not page["has_more"]:
                break
            page_id = page["next_page_id"]
        misspelt = {"filters": {"lisitng_status": "INACTIVE"}, "page_id": None}
        inactive = requests.post(url, json=misspelt, headers=headers, timeout=5)
    assert [len(p["listings"]) for p in pages] == [500, 500, 200]
    assert pages[-1]["next_page_id"] is None
    skus = [row["sku_id"] for p in pages for row in p["listings"]]
    assert len(set(skus)) == 1200 and set(skus) == set(sb.listings)
    row = pages[0]["listings"][0]
    assert set(row) == {"listing_id", "product_id", "sku_id"}
    assert row["listing_id"].startswith("LST")
    assert inactive.json()["listings"] == []


def test_get_listings(sb, api):
    response = api.get(api.url("/listings/v3/SKU-00001,SKU-99999"), timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["unavailable"] == ["SKU-99999"]
    assert body["invalid"] == []
    listing = body["available"]["SKU-00001"]
    assert listing["product_id"] == sb.listings["SKU-00001"]["product_id"]
    assert set(listing["price"]) >= {"mrp", "selling_price", "currency"}
    assert set(listing["tax"]) >= {"hsn", "tax_code", "goods_services_rate"}
    assert listing["listing_status"] == "ACTIVE"
    assert listing["fulfillment_profile"] == "NON_FBF"
    assert {loc["id"] for loc in listing["locations"]} == set(sb.locations)
    assert set(listing["locations"][0]) == {"id", "status", "inventory"}
    eleven = ",".join(f"SKU-{n:05d}" for n in range(1, 12))
    too_many = api.get(api.url(f"/listings/v3/{eleven}"), timeout=5)
    assert too_many.status_code == 400


def inventory_update(sb, sku, inventory, **changes):
    body = {
        "product_id": sb.listings[sku]["product_id"],
        "locations": [{"id": "LOC0001", "inventory": inventory}],
    }
    body.update(changes)
    return body


def stored_inventory(sb, sku, location="LOC0001"):
    locations = sb.listings[sku]["locations"]
    return next(loc["inventory"] for loc in locations if loc["id"] == location)


def test_inventory_update_results_per_sku(sb, api):
    before = stored_inventory(sb, "SKU-00002")
    body = {
        "SKU-00001": inventory_update(sb, "SKU-00001", 77),
        "SKU-00002": inventory_update(
            sb, "SKU-00002", 5, product_id="WRONGFSN00000000"
        ),
        "SKU-00003": inventory_update(sb, "SKU-00003", -1),
        "SKU-00004": {
            "product_id": sb.listings["SKU-00004"]["product_id"],
            "locations": [{"id": "LOC9999", "inventory": 1}],
        },
        "SKU-00005": inventory_update(sb, "SKU-00005", "7"),
        "NO-SUCH-SKU": {"product_id": "X", "locations": []},
    }
    response = api.post(api.url("/listings/v3/update/inventory"), json=body, timeout=5)
    assert response.status_code == 200
    results = response.json()
    assert set(results) == set(body)
    assert results["SKU-00001"] == {
        "status": "SUCCESS",
        "errors": [],
        "attribute_errors": [],
    }
    assert stored_inventory(sb, "SKU-00001") == 77
    for sku in ("SKU-00002", "SKU-00003", "SKU-00004", "SKU-00005", "NO-SUCH-SKU"):
        assert results[sku]["status"] == "FAILURE", sku
        error = results[sku]["errors"][0]
        assert isinstance(error["code"], int)
        assert error["severity"] == "ERROR"
        assert error["description"] and "path" in error
    assert results["SKU-00002"]["errors"][0]["path"] == "product_id"
    assert stored_inventory(sb, "SKU-00002") == before


def test_inventory_update_disables_a_location_and_warns_when_inactive(sb, api):
    sb.listings["SKU-00003"]["listing_status"] = "INACTIVE"
    body = {
        "SKU-00003": {
            "product_id": sb.listings["SKU-00003"]["product_id"],
            "locations": [{"id": "LOC0002", "inventory": 0, "status": "DISABLED"}],
        }
    }
    url = api.url("/listings/v3/update/inventory")
    result = api.post(url, json=body, timeout=5).json()["SKU-00003"]
    assert result["status"] == "WARNING"
    location = next(
        loc for loc in sb.listings["SKU-00003"]["locations"] if loc["id"] == "LOC0002"
    )
    assert location == {"id": "LOC0002", "status": "DISABLED", "inventory": 0}


def test_inventory_update_caps_at_10_skus(sb, api):
    body = {
        f"SKU-{n:05d}": inventory_update(sb, f"SKU-{n:05d}", 1) for n in range(1, 12)
    }
    url = api.url("/listings/v3/update/inventory")
    assert api.post(url, json=body, timeout=5).status_code == 400


def price_update(sb, sku, mrp, selling_price, **price):
    return {
        "product_id": sb.listings[sku]["product_id"],
        "price": {
            "mrp": mrp,
            "selling_price": selling_price,
            "currency": "INR",
            **price,
        },
    }


def test_price_update_changes_the_listing_price(sb, api):
    sb.reset_calls()
    body = {
        "SKU-00001": price_update(sb, "SKU-00001", 1999, 1499, mop=1299),
        "SKU-00002": price_update(sb, "SKU-00002", 850.5, 850.5),
    }
    response = api.post(api.url("/listings/v3/update/price"), json=body, timeout=5)
    assert response.status_code == 200
    ok = {"status": "SUCCESS", "errors": [], "attribute_errors": []}
    assert response.json() == {"SKU-00001": ok, "SKU-00002": ok}
    got = api.get(api.url("/listings/v3/SKU-00001,SKU-00002"), timeout=5).json()
    first = got["available"]["SKU-00001"]["price"]
    assert first["mrp"] == 1999 and first["selling_price"] == 1499
    assert first["flipkart_selling_price"] == 1499
    assert first["mop"] == 1299 and first["currency"] == "INR"
    second = got["available"]["SKU-00002"]["price"]
    assert second["mrp"] == second["selling_price"] == 850.5
    assert sb.count(method="POST", path_prefix="/sellers/listings/v3/update/price") == 1
    call = sb.calls[0]
    assert call["path"] == "/sellers/listings/v3/update/price"
    assert call["status"] == 200


def test_price_update_warns_when_the_listing_is_inactive(sb, api):
    sb.listings["SKU-00003"]["listing_status"] = "INACTIVE"
    body = {"SKU-00003": price_update(sb, "SKU-00003", 500, 400)}
    url = api.url("/listings/v3/update/price")
    result = api.post(url, json=body, timeout=5).json()["SKU-00003"]
    assert result["status"] == "WARNING"
    assert result["errors"][0]["severity"] == "WARNING"
    assert sb.listings["SKU-00003"]["price"]["selling_price"] == 400


@pytest.mark.parametrize(
    "sku, change, path",
    [
        ("NO-SUCH-SKU", {}, "sku"),
        ("SKU-00001", {"product_id": "WRONGFSN00000000"}, "product_id"),
        ("SKU-00001", {"price": None}, "price"),
        ("SKU-00001", {"selling_price": None}, "price.selling_price"),
        ("SKU-00001", {"selling_price": 0}, "price.selling_price"),
        ("SKU-00001", {"selling_price": "900"}, "price.selling_price"),
        ("SKU-00001", {"mrp": None}, "price.mrp"),
        ("SKU-00001", {"mrp": -5}, "price.mrp"),
        ("SKU-00001", {"mrp": True}, "price.mrp"),
        ("SKU-00001", {"selling_price": 1001}, "price.selling_price"),
        ("SKU-00001", {"currency": "USD"}, "price.currency"),
        ("SKU-00001", {"currency": None}, "price.currency"),
        ("SKU-00001", {"mop": "cheap"}, "price.mop"),
    ],
)
def test_price_update_failures(sb, api, sku, change, path):
    before = dict(sb.listings["SKU-00001"]["price"])
    update = price_update(sb, "SKU-00001", 1000, 900)
    for key, value in change.items():
        if key in ("product_id", "price"):
            update[key] = value
        elif value is None:
            del update["price"][key]
        else:
            update["price"][key] = value
    url = api.url("/listings/v3/update/price")
    response = api.post(url, json={sku: update}, timeout=5)
    assert response.status_code == 200
    result = response.json()[sku]
    assert result["status"] == "FAILURE"
    assert result["attribute_errors"] == []
    [error] = result["errors"]
    assert error["severity"] == "ERROR"
    assert isinstance(error["code"], int)
    assert error["description"]
    assert error["path"] == path
    assert sb.listings["SKU-00001"]["price"] == before


def test_price_update_caps_at_10_skus(sb, api):
    before = dict(sb.listings["SKU-00001"]["price"])
    body = {
        f"SKU-{n:05d}": price_update(sb, f"SKU-{n:05d}", 1000, 900)
        for n in range(1, 12)
    }
    url = api.url("/listings/v3/update/price")
    response = api.post(url, json=body, timeout=5)
    assert response.status_code == 400
    assert error_code(response) == "UNPROCESSABLE_ENTITY"
    assert sb.listings["SKU-00001"]["price"] == before


# ----------------------------------------------------------------- faults


def test_fault_429_has_retry_after(sb, api):
    sb.faults.set(rate_429=1.0)
    response = api.get(api.url("/v3/shipments?shipmentIds=a"), timeout=5)
    assert response.status_code == 429
    assert response.headers["Retry-After"] in ("0", "1")


def test_fault_5xx_mixes_json_and_gateway_html(sb, api):
    sb.faults.set(rate_5xx=1.0)
    responses = [
        api.get(api.url("/v3/shipments?shipmentIds=a"), timeout=5) for _ in range(20)
    ]
    assert all(r.status_code >= 500 for r in responses)
    assert any("Gateway Time-out" in r.text for r in responses)
    assert any(r.headers["Content-Type"] == "application/json" for r in responses)


def test_fault_dependent_system_call_failed(sb, api):
    sb.faults.set(rate_dependent=1.0)
    response = api.get(api.url("/v3/shipments?shipmentIds=a"), timeout=5)
    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {
                "errorCode": "DEPENDENT_SYSTEM_CALL_FAILED",
                "errorMessage": "Call to dependent system failed",
            }
        ]
    }


def test_faults_spare_oauth_unless_asked(sb, srv):
    sb.faults.set(rate_429=1.0)
    assert get_token(srv).status_code == 200
    sb.faults.set(rate_429=1.0, only_paths=["/oauth-service/"])
    assert get_token(srv).status_code == 429
    sb.faults.clear()
    assert get_token(srv).status_code == 200


def test_fault_latency(sb, api):
    sb.faults.set(latency=0.2)
    started = time.monotonic()
    assert api.get(api.url("/v3/shipments?shipmentIds=a"), timeout=5).ok
    assert time.monotonic() - started >= 0.2


def test_fault_rates_are_validated():
    with pytest.raises(ValueError):
        Faults(1).set(rate_429=1.5)


def test_unknown_path_is_404_and_wrong_method_405(api):
    missing = api.get(api.url("/v9/nothing"), timeout=5)
    assert missing.status_code == 404
    assert error_code(missing) == "NOT_FOUND"
    wrong = api.delete(api.url("/v3/shipments/filter"), timeout=5)
    assert wrong.status_code == 405
    assert "POST" in wrong.headers["Allow"]


# ---------------------------------------------------------- call log etc.


def test_call_log_records_every_request(sb, api):
    sb.reset_calls()
    api.get(api.url("/v3/shipments"), params={"shipmentIds": "a,b"}, timeout=5)
    sb.faults.set(rate_429=1.0)
    api.post(api.url("/v3/shipments/filter"), json={"filter": PRE_DISPATCH}, timeout=5)
    assert sb.count() == 2
    assert sb.count(method="GET") == 1
    assert sb.count(path_prefix="/sellers/v3/shipments/filter") == 1
    first, second = sb.calls
    assert first["path"] == "/sellers/v3/shipments"
    assert first["query"] == {"shipmentIds": "a,b"}
    assert first["status"] == 200 and first["at"] == T0
    assert second["status"] == 429
    sb.reset_calls()
    assert sb.calls == []


def test_same_seed_same_data():
    def build(seed):
        return Sandbox(seed=seed, shipments=20, listings=15, clock=lambda: T0)

    one, two = build(3), build(3)
    assert one.listings == two.listings
    assert one.shipments == two.shipments
    assert one.add_shipments(2) == two.add_shipments(2)
    assert build(4).shipments != one.shipments


def test_seeded_data_is_plausible():
    sb = Sandbox(seed=5, shipments=300, listings=40, clock=lambda: T0)
    for sku, listing in sb.listings.items():
        assert re.fullmatch(r"SKU-\d{5}", sku)
        assert re.fullmatch(r"[A-Z0-9]{16}", listing["product_id"])
        assert listing["listing_id"].startswith("LST")
    item_ids = set()
    for sid, shipment in sb.shipments.items():
        assert shipment["shipmentId"] == sid
        assert 1 <= len(shipment["orderItems"]) <= 3
        for item in shipment["orderItems"]:
            assert re.fullmatch(r"OD1\d{17}", item["orderId"])
            assert re.fullmatch(r"\d{16}", item["orderItemId"])
            assert item["sku"] in sb.listings and 1 <= item["quantity"] <= 3
            assert item["paymentType"] in ("COD", "PREPAID")
            assert item["serviceProfile"] == "NON_FBF"
            price = item["priceComponents"]
            unit = sb.listings[item["sku"]]["price"]["selling_price"]
            assert price["sellingPrice"] == unit * item["quantity"]
            assert price["customerPrice"] == (
                price["sellingPrice"] - price["flipkartDiscount"]
            )
            assert price["totalPrice"] == (
                price["customerPrice"] + price["shippingCharge"]
            )
            item_ids.add(item["orderItemId"])
        assert "+05:30" in shipment["dispatchByDate"]
    assert len(item_ids) == sum(len(s["orderItems"]) for s in sb.shipments.values())
    held = sum(s["hold"] for s in sb.shipments.values())
    assert 10 <= held <= 60  # about 10 %
    states = [s["orderItems"][0]["status"] for s in sb.shipments.values()]
    assert states.count("APPROVED") > len(states) / 2
    assert len({s["deliveryAddress"]["stateCode"] for s in sb.shipments.values()}) >= 5


def test_add_shipments_overrides(sb):
    [sid] = sb.add_shipments(
        1, hold=True, location_id="LOC0002", sku="SKU-00003", quantity=2
    )
    shipment = sb.shipments[sid]
    assert shipment["hold"] is True and shipment["locationId"] == "LOC0002"
    assert [(i["sku"], i["quantity"]) for i in shipment["orderItems"]] == [
        ("SKU-00003", 2)
    ]
    with pytest.raises(TypeError):
        sb.add_shipments(1, colour="red")


def test_mounted_under_a_script_name(sb):
    """A WSGI host mounting the sandbox at /fk passes the prefix in SCRIPT_NAME."""
    captured = {}

    def start_response(status, headers):
        captured["status"] = status
        captured["headers"] = dict(headers)

    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "/fk",
        "PATH_INFO": "/oauth-service/oauth/token",
        "QUERY_STRING": "grant_type=client_credentials&scope=Seller_Api",
        "HTTP_AUTHORIZATION": "Basic c2FuZGJveC1hcHA6c2FuZGJveC1zZWNyZXQ=",
        "wsgi.input": io.BytesIO(b""),
    }
    body = b"".join(sb.wsgi_app(environ, start_response))
    assert captured["status"] == "200 OK"
    assert b"access_token" in body
    assert sb.calls[-1]["path"] == "/oauth-service/oauth/token"


def test_concurrent_requests(sb, api):
    sb.add_shipments(10, status="APPROVED", hold=False)
    url = api.url("/v3/shipments/filter")

    def call(_):
        return api.post(url, json={"filter": PRE_DISPATCH}, timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(call, range(40)))
    assert statuses == [200] * 40
    assert sb.count(method="POST") == 40


# ------------------------------------------------------ order lifecycle


def events(sb, shipment_id=None):
    return [
        e
        for e in sb.notifications
        if shipment_id is None or e["shipmentId"] == shipment_id
    ]


def event_types(sb, shipment_id):
    return [e["eventType"] for e in events(sb, shipment_id)]


def check_envelope(event, now):
    assert event["source"] == "flipkart" and event["version"] == "v3"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30", event["timestamp"])
    assert datetime.fromisoformat(event["timestamp"]).timestamp() == now
    with_location = event["eventType"] in ("shipment_created", "shipment_cancelled")
    assert ("locationId" in event) is with_location


def updated_at(sb, shipment_id):
    return datetime.fromisoformat(sb.shipments[shipment_id]["updatedAt"]).timestamp()


def test_starting_data_emits_nothing_and_new_shipments_announce_themselves(now):
    sb = make_sandbox(now, shipments=5)
    assert sb.notifications == []
    [sid] = sb.add_shipments(1, status="APPROVED")
    [created] = sb.notifications
    assert created["eventType"] == "shipment_created"
    assert created["shipmentId"] == sid
    assert created["locationId"] == sb.shipments[sid]["locationId"]
    check_envelope(created, now[0])
    attributes = created["attributes"]
    assert attributes["orderItems"] == sb.shipments[sid]["orderItems"]
    assert attributes["subShipments"] == [{"subShipmentId": "SS-1", "packages": []}]
    assert attributes["dispatchLocation"] is None
    for key in ("dispatchByDate", "dispatchAfterDate", "updatedAt", "hold", "mps"):
        assert attributes[key] == sb.shipments[sid][key]
    assert "shipmentId" not in attributes and "deliveryAddress" not in attributes


def test_hold_and_unhold(sb, api, now):
    [sid] = sb.add_shipments(1, status="APPROVED", hold=False, items=2)
    held = {"filter": dict(PRE_DISPATCH, hold=True)}
    assert shipment_ids(search_all(api, held)) == []
    now[0] += 60
    sb.hold(sid)
    assert updated_at(sb, sid) == now[0]
    assert shipment_ids(search_all(api, held)) == [sid]
    assert shipment_ids(search_all(api, {"filter": PRE_DISPATCH})) == []
    with pytest.raises(ShipmentError):
        sb.hold(sid)
    now[0] += 60
    sb.unhold(sid)
    assert shipment_ids(search_all(api, {"filter": PRE_DISPATCH})) == [sid]
    hold, unhold = events(sb, sid)[1:]
    check_envelope(unhold, now[0])
    assert hold["eventType"] == "shipment_hold"
    assert hold["attributes"] == {
        "orderItems": [
            {"orderItemId": i["orderItemId"], "holdQuantity": i["quantity"]}
            for i in sb.shipments[sid]["orderItems"]
        ]
    }
    assert unhold["eventType"] == "shipment_unhold"
    assert unhold["attributes"] == {"status": "APPROVED"}


def test_dispatch_dates_change(sb, now):
    [sid] = sb.add_shipments(1, status="APPROVED")
    before = sb.shipments[sid]["dispatchAfterDate"]
    sb.change_dispatch_dates(sid, dispatch_by=now[0] + 86400)
    shipment = sb.shipments[sid]
    assert shipment["dispatchAfterDate"] == before
    assert datetime.fromisoformat(shipment["dispatchByDate"]).timestamp() == (
        now[0] + 86400
    )
    last = events(sb, sid)[-1]
    assert last["eventType"] == "shipment_dispatch_dates_changed"
    assert last["attributes"] == {
        "dispatchAfterDate": before,
        "dispatchByDate": shipment["dispatchByDate"],
    }
    with pytest.raises(ShipmentError):  # after later than by: nothing changes
        sb.change_dispatch_dates(sid, dispatch_after=now[0] + 2 * 86400)
    assert len(events(sb, sid)) == 2


def test_partial_then_full_buyer_cancellation(sb, api, now):
    [sid] = sb.add_shipments(
        1, status="APPROVED", hold=False, skus=["SKU-00001", "SKU-00002"], quantity=3
    )
    first, second = sb.shipments[sid]["orderItems"]
    prices = dict(first["priceComponents"])
    sb.cancel_items(sid, {first["orderItemId"]: 1})
    assert first["quantity"] == 2 and first["status"] == "APPROVED"
    assert first["priceComponents"] == {
        key: round(value * 2 / 3, 2) for key, value in prices.items()
    }
    assert first["cancellationReason"] is None
    partial = events(sb, sid)[-1]
    check_envelope(partial, now[0])
    assert partial["eventType"] == "shipment_cancelled"
    assert partial["attributes"] == {
        "status": "APPROVED",
        "orderItems": [
            {
                "orderItemId": first["orderItemId"],
                "quantity": 1,
                "reason": "buyer_cancellation",
                "subReason": "order_placed_by_mistake",
            }
        ],
    }
    buyer = {"type": "cancelled", "cancellationType": "buyerCancellation"}
    assert shipment_ids(search_all(api, {"filter": buyer})) == []
    for bad in ({first["orderItemId"]: 3}, {"unknown": 1}, {}):
        with pytest.raises(ShipmentError):
            sb.cancel_items(sid, bad)
    now[0] += 60
    sb.cancel_items(sid)
    for item in (first, second):
        assert item["status"] == "CANCELLED"
        assert item["cancellationReason"] == "buyer_cancellation"
        assert item["cancellationSubReason"] == "order_placed_by_mistake"
        assert datetime.fromisoformat(item["cancellationDate"]).timestamp() == now[0]
    full = events(sb, sid)[-1]["attributes"]
    assert full["status"] == "CANCELLED"
    assert [(i["orderItemId"], i["quantity"]) for i in full["orderItems"]] == [
        (first["orderItemId"], 2),
        (second["orderItemId"], 3),
    ]
    assert shipment_ids(search_all(api, {"filter": buyer})) == [sid]
    seller = dict(buyer, cancellationType="sellerCancellation")
    assert shipment_ids(search_all(api, {"filter": seller})) == []
    assert shipment_ids(search_all(api, {"filter": PRE_DISPATCH})) == []
    with pytest.raises(ShipmentError):
        sb.cancel_items(sid)


def test_marketplace_cancels_until_shipped(sb, api):
    packed, shipped = sb.add_shipments(2, status="PACKED", hold=False)
    sb.set_status(shipped, "SHIPPED")
    sb.cancel_items(packed, by="marketplace")
    with pytest.raises(ShipmentError):
        sb.cancel_items(shipped, by="marketplace")
    with pytest.raises(ValueError):
        sb.cancel_items(shipped, by="courier")
    market = {"type": "cancelled", "cancellationType": "marketplaceCancellation"}
    assert shipment_ids(search_all(api, {"filter": market})) == [packed]


def cancel_request(shipment, reason="not_enough_inventory", groups=()):
    return {
        "shipmentId": shipment["shipmentId"],
        "locationId": shipment["locationId"],
        "cancellationGroupIds": list(groups),
        "reason": reason,
    }


def test_seller_cancel_endpoint(sb, api):
    two_items, one_item, packed = (
        sb.add_shipments(1, status="APPROVED", hold=False, items=2)
        + sb.add_shipments(1, status="APPROVED", hold=False)
        + sb.add_shipments(1, status="PACKED", hold=False)
    )
    shipments = sb.shipments
    group = shipments[two_items]["orderItems"][0]["cancellationGroupId"]
    wrong_location = dict(cancel_request(shipments[one_item]), locationId="LOC9")
    body = {
        "shipments": [
            cancel_request(shipments[two_items], groups=[group]),
            cancel_request(shipments[packed], "cannot_procure_item"),
            cancel_request(shipments[one_item], "out_of_stock"),
            wrong_location,
            dict(cancel_request(shipments[one_item]), shipmentId="unknown"),
            cancel_request(shipments[one_item], "b2b_order"),
        ]
    }
    response = api.post(api.url("/v3/shipments/cancel"), json=body, timeout=5)
    assert response.status_code == 200
    results = response.json()["shipments"]
    assert [(r["status"], r["errorCode"]) for r in results] == [
        ("SUCCESS", None),
        ("FAILURE", "INVALID_SHIPMENTS"),
        ("FAILURE", "EMPTY_OR_INVALID_REASON_FOR_CANCELLATION"),
        ("FAILURE", "INVALID_SHIPMENTS"),
        ("FAILURE", "INVALID_SHIPMENTS"),
        ("SUCCESS", None),
    ]
    assert set(results[0]) == {"shipmentId", "status", "errorCode", "errorMessage"}
    assert "PACKED" in results[1]["errorMessage"]
    cancelled, kept = shipments[two_items]["orderItems"]
    assert cancelled["status"] == "CANCELLED" and kept["status"] == "APPROVED"
    assert cancelled["cancellationReason"] == "seller_cancellation"
    assert cancelled["cancellationSubReason"] == "not_enough_inventory"
    assert shipments[packed]["orderItems"][0]["status"] == "PACKED"
    assert events(sb, two_items)[-1]["attributes"]["orderItems"] == [
        {
            "orderItemId": cancelled["orderItemId"],
            "quantity": cancelled["quantity"],
            "reason": "seller_cancellation",
            "subReason": "not_enough_inventory",
        }
    ]
    seller = {"type": "cancelled", "cancellationType": "sellerCancellation"}
    found = set(shipment_ids(search_all(api, {"filter": seller})))
    assert found == {two_items, one_item}


def test_seller_cancel_endpoint_caps(sb, api):
    [sid] = sb.add_shipments(1, status="APPROVED")
    url = api.url("/v3/shipments/cancel")
    for count in (0, 26):
        body = {"shipments": [cancel_request(sb.shipments[sid])] * count}
        response = api.post(url, json=body, timeout=5)
        assert response.status_code == 400
        assert error_code(response) == "UNPROCESSABLE_ENTITY"
    assert sb.shipments[sid]["orderItems"][0]["status"] == "APPROVED"


def test_set_status_moves_forward_with_events(sb, api):
    [sid] = sb.add_shipments(1, status="APPROVED", hold=False)
    steps = (
        "PACKING_IN_PROGRESS",
        "PACKED",
        "READY_TO_DISPATCH",
        "PICKUP_COMPLETE",
        "SHIPPED",
        "DELIVERED",
    )
    for status in steps:
        sb.set_status(sid, status)
        assert {i["status"] for i in sb.shipments[sid]["orderItems"]} == {status}
        if status == "PACKED":
            sub = sb.shipments[sid]["subShipments"][0]
            assert sub["courierDetails"]["deliveryDetails"]["trackingId"]
    assert event_types(sb, sid) == [
        "shipment_created",
        "shipment_packed",
        "shipment_ready_to_dispatch",
        "shipment_pickup_complete",
        "shipment_shipped",
        "shipment_delivered",
    ]
    assert [e["attributes"] for e in events(sb, sid)[1:]] == [
        {"status": status} for status in steps[1:]
    ]
    post = {"type": "postDispatch", "states": ["DELIVERED"]}
    assert shipment_ids(search_all(api, {"filter": post})) == [sid]
    with pytest.raises(ShipmentError):
        sb.set_status(sid, "PACKED")
    with pytest.raises(ValueError):
        sb.set_status(sid, "RETURNED")
    with pytest.raises(ShipmentError):
        sb.set_status("unknown", "PACKED")


def test_replacement_shares_the_order_id(sb, api):
    [original] = sb.add_shipments(1, status="DELIVERED", items=2)
    replacement = sb.add_replacement(original)
    old, new = sb.shipments[original], sb.shipments[replacement]
    assert replacement != original
    assert {i["orderId"] for i in new["orderItems"]} == {new["orderId"]}
    assert new["orderId"] == old["orderId"]
    assert [i["is_replacement"] for i in new["orderItems"]] == [True, True]
    assert [i["status"] for i in new["orderItems"]] == ["APPROVED", "APPROVED"]
    old_ids = {i["orderItemId"] for i in old["orderItems"]}
    assert old_ids.isdisjoint(i["orderItemId"] for i in new["orderItems"])
    assert [i["sku"] for i in new["orderItems"]] == [
        i["sku"] for i in old["orderItems"]
    ]
    assert event_types(sb, replacement) == ["shipment_created"]
    response = api.get(
        api.url("/v3/shipments"), params={"orderIds": old["orderId"]}, timeout=5
    )
    found = {s["shipmentId"] for s in response.json()["shipments"]}
    assert {original, replacement} <= found


def test_order_generator(sb):
    sb.start_generator(200, max_total=5)
    deadline = time.monotonic() + 5
    while sb.generator.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(sb.shipments) == 5
    assert {s["orderItems"][0]["status"] for s in sb.shipments.values()} == {"APPROVED"}
    assert sb.stop_generator() == 5
    assert sb.stop_generator() == 0
    with pytest.raises(TypeError):
        sb.start_generator(1, colour="red")


# ------------------------------------------------------- sandbox helpers


def helper(api, method, name, body):
    url = api.url(f"/orders/sandbox/{name}")
    response = api.request(method, url, json=body, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def statuses(answer):
    return [(r["shipmentId"], r["status"]) for r in answer["shipments"]]


def test_helper_test_orders_creates_a_shipment(sb, api, now):
    listing = sb.listings["SKU-00004"]
    body = {
        "locationId": "LOC0002",
        "orderItems": [{"listingId": listing["listing_id"], "quantity": 2}],
    }
    created = helper(api, "POST", "test_orders", body)
    shipment = sb.shipments[created["shipmentId"]]
    assert created["orderId"] == shipment["orderId"]
    [item] = shipment["orderItems"]
    assert created["orderItems"] == [
        {
            "orderItemId": item["orderItemId"],
            "listingId": listing["listing_id"],
            "sku": "SKU-00004",
            "quantity": 2,
        }
    ]
    assert shipment["locationId"] == "LOC0002" and shipment["hold"] is False
    assert item["status"] == "APPROVED" and item["quantity"] == 2
    ordered = datetime.fromisoformat(item["orderDate"]).timestamp()
    assert ordered == now[0]
    assert event_types(sb, created["shipmentId"]) == ["shipment_created"]
    url = api.url("/orders/sandbox/test_orders")
    unknown = dict(body, orderItems=[{"listingId": "LSTNOPE", "quantity": 1}])
    assert api.post(url, json=unknown, timeout=5).status_code == 400
    foreign = dict(body, locationId="LOC9")
    assert api.post(url, json=foreign, timeout=5).status_code == 403


def test_helpers_hold_dates_and_courier_steps(sb, api, now):
    a, b = sb.add_shipments(2, status="READY_TO_DISPATCH", hold=False)
    ids = {"shipmentIds": [a, b]}
    assert statuses(helper(api, "PUT", "on_hold", ids)) == [
        (a, "SUCCESS"),
        (b, "SUCCESS"),
    ]
    assert sb.shipments[a]["hold"] and sb.shipments[b]["hold"]
    helper(api, "PUT", "un_hold", {"shipmentIds": [a]})
    again = helper(api, "PUT", "un_hold", {"shipmentIds": [a, "unknown"]})
    assert statuses(again) == [(a, "FAILURE"), ("unknown", "FAILURE")]
    assert again["shipments"][0]["errorMessage"]
    slot = {"shipmentIds": [a], "dispatchByDate": "2030-01-01T10:00:00+05:30"}
    assert statuses(helper(api, "POST", "update_dispatch_slot", slot)) == [
        (a, "SUCCESS")
    ]
    assert sb.shipments[a]["dispatchByDate"] == "2030-01-01T10:00:00.000+05:30"
    url = api.url("/orders/sandbox/update_dispatch_slot")
    bad = api.post(url, json=dict(slot, dispatchByDate="soon"), timeout=5)
    assert error_code(bad) == "INVALID_REQUEST_DATE_FORMAT"
    for name, status in (
        ("pick_up_complete", "PICKUP_COMPLETE"),
        ("shipped", "SHIPPED"),
        ("delivered", "DELIVERED"),
    ):
        assert statuses(helper(api, "POST", name, {"shipmentIds": [a]})) == [
            (a, "SUCCESS")
        ]
        assert sb.shipments[a]["orderItems"][0]["status"] == status
    assert event_types(sb, a) == [
        "shipment_created",
        "shipment_hold",
        "shipment_unhold",
        "shipment_dispatch_dates_changed",
        "shipment_pickup_complete",
        "shipment_shipped",
        "shipment_delivered",
    ]
    too_many = {"shipmentIds": [a] * 26}
    response = api.put(api.url("/orders/sandbox/on_hold"), json=too_many, timeout=5)
    assert response.status_code == 400
    anonymous = requests.put(api.url("/orders/sandbox/on_hold"), timeout=5)
    assert anonymous.status_code == 401


# ---------------------------------------------------------- notifications


class _RecordingHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        with server.lock:
            server.received.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            status = server.answers.pop(0) if server.answers else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


class _Receiver(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def receiver():
    """A notification endpoint on loopback recording every request; the
    statuses in ``answers`` are answered first, then 200."""
    server = _Receiver(("127.0.0.1", 0), _RecordingHandler)
    server.lock = threading.Lock()
    server.received = []
    server.answers = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/flipkart/notifications"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def bodies(receiver):
    return [json.loads(r["body"]) for r in receiver.received]


def test_notifications_are_posted_signed(sb, receiver, now):
    [before] = sb.add_shipments(1, status="APPROVED", hold=False)
    sb.notify_to(receiver.url, *APP)
    sb.hold(before)
    [sid] = sb.add_shipments(1, status="APPROVED", hold=False)
    sb.cancel_items(sid)
    assert sb.flush_notifications(timeout=10)
    assert bodies(receiver) == sb.notifications[1:]
    assert [b["eventType"] for b in bodies(receiver)] == [
        "shipment_hold",
        "shipment_created",
        "shipment_cancelled",
    ]
    for request in receiver.received:
        assert request["path"] == "/flipkart/notifications"
        headers = request["headers"]
        assert headers["Content-Type"] == "application/json"
        assert headers["X_Authorization"].startswith("FKLOGIN ")
        signed_at = verify(headers, receiver.url, "POST", *APP, now=now[0])
        assert signed_at == int(now[0])
    assert sb.notification_failures == []
    sb.notify_to(None)
    sb.unhold(before)
    assert sb.flush_notifications(timeout=1)
    assert len(receiver.received) == 3
    assert sb.notifications[-1]["eventType"] == "shipment_unhold"


def test_notifications_duplicated_and_shuffled(sb, receiver):
    sb.notify_to(receiver.url, *APP, duplicate_rate=0.5, shuffle=True)
    created = sb.add_shipments(12, status="APPROVED")
    assert sb.flush_notifications(timeout=10)
    received = [b["shipmentId"] for b in bodies(receiver)]
    assert set(received) == set(created)
    counts = [received.count(sid) for sid in created]
    assert set(counts) == {1, 2}  # some sent twice, none lost or tripled
    first_seen = list(dict.fromkeys(received))
    assert first_seen != created  # out of order
    assert sorted(first_seen) == sorted(created)


def test_failed_deliveries_are_retried_then_dropped(sb, receiver):
    sb.notify_to(receiver.url, *APP, attempts=3, retry_pause=0.01)
    receiver.answers = [500, 503]  # fails twice, then succeeds
    [kept] = sb.add_shipments(1)
    assert sb.flush_notifications(timeout=10)
    assert [json.loads(r["body"])["shipmentId"] for r in receiver.received] == [
        kept
    ] * 3
    assert sb.notification_failures == []
    receiver.answers = [500, 500, 500]
    [lost] = sb.add_shipments(1)
    assert sb.flush_notifications(timeout=10)
    assert len(receiver.received) == 6
    [failure] = sb.notification_failures
    assert failure["event"]["shipmentId"] == lost
    assert failure["attempts"] == 3 and "500" in failure["error"]
    sb.notify_to("http://127.0.0.1:9/nowhere", *APP, attempts=2, retry_pause=0)
    sb.add_shipments(1)
    assert sb.flush_notifications(timeout=10)
    assert len(sb.notification_failures) == 2
    with pytest.raises(ValueError):
        sb.notify_to("ftp://example.com", *APP)
    with pytest.raises(ValueError):
        sb.notify_to(receiver.url, *APP, duplicate_rate=2)


def test_panel_changes_show_in_listing_reads():
    from flipkart import FlipkartClient

    sb = Sandbox(seed=2, shipments=0, listings=3, apps={"a": "s"})
    sku = next(iter(sb.listings))
    sb.change_on_panel(sku, "LOC0001", inventory=42)
    sb.change_on_panel(sku, "LOC0002", status="DISABLED")
    with SandboxServer(sb) as server:
        listing = FlipkartClient(server.base_url, "a", "s").get_listings([sku])
    locations = {loc.location_id: loc for loc in listing.listings[sku].locations}
    assert locations["LOC0001"].inventory == 42
    assert locations["LOC0002"].status == "DISABLED"
