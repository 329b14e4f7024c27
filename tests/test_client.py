"""The client against the sandbox over real HTTP on loopback, faults included."""

import json
from pathlib import Path
from unittest.mock import patch
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from flipkart import (
    AuthenticationError,
    ConnectionFailedError,
    FlipkartClient,
    FlipkartUnavailableError,
    InvalidRequestError,
    RateLimitedError,
    RetryPolicy,
    Timeouts,
    TokenExpiredError,
    UnexpectedAnswerError,
    endpoints,
)
from flipkart import client as client_module
from flipkart.errors import DEPENDENT_SYSTEM_CALL_FAILED
from flipkart.records import ListingsResult, Shipment, ShipmentDetails
from simulator import Sandbox, SandboxServer

SAMPLES = Path(__file__).resolve().parent / "samples"
APP, SECRET = "app-1", "secret-1"


class Sleeps(list):
    """Records the waits instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sandbox():
    sb = Sandbox(seed=3, shipments=95, listings=30, apps={APP: SECRET})
    with SandboxServer(sb) as server:
        sb.base_url = server.base_url
        yield sb


def make_client(sb, attempts=4, **kwargs):
    kwargs.setdefault("sleep", Sleeps())
    return FlipkartClient(
        sb.base_url,
        kwargs.pop("app_id", APP),
        kwargs.pop("app_secret", SECRET),
        retry=RetryPolicy(max_attempts=attempts, base=0.01, cap=0.05),
        **kwargs,
    )


def api_calls(sb, prefix="/sellers"):
    return [c for c in sb.calls if c["path"].startswith(prefix)]


# ------------------------------------------------------------------ auth


def test_client_credentials_token_and_expiry_from_response(sandbox):
    stored = []
    now = 1_000_000.0
    client = make_client(sandbox, on_token=stored.append, clock=lambda: now)
    token = client.fetch_token()
    assert token.access_token and stored == [token]
    assert token.expires_at == now + 3600  # the sandbox's expires_in
    assert sandbox.calls[0]["query"]["grant_type"] == "client_credentials"
    assert sandbox.calls[0]["query"]["scope"] == "Seller_Api"


def test_wrong_secret_is_an_authentication_error_not_retried(sandbox):
    client = make_client(sandbox, app_secret="nope")
    with pytest.raises(AuthenticationError, match="Bad credentials"):
        client.fetch_token()
    assert len(sandbox.calls) == 1


def test_authorization_code_then_refresh_rotates(sandbox):
    client = make_client(sandbox, grant="authorization_code")
    redirect = "https://odoo.example.com/flipkart/oauth"
    answer = requests.get(
        client.authorize_url(redirect, "s1"), allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302
    query = parse_qs(urlparse(answer.headers["Location"]).query)
    assert query["state"] == ["s1"]
    first = client.exchange_code(query["code"][0], redirect, "s1")
    assert first.refresh_token and first.refresh_expires_at
    second = client.refresh()
    assert second.refresh_token != first.refresh_token
    assert sandbox.calls[-1]["query"]["grant_type"] == "refresh_token"
    # The used code cannot be exchanged twice.
    with pytest.raises(AuthenticationError):
        client.exchange_code(query["code"][0], redirect, "s1")


def test_partner_app_without_authorization_says_so(sandbox):
    client = make_client(sandbox, grant="authorization_code")
    with pytest.raises(AuthenticationError, match="not authorized"):
        client.get_listings(["SKU-00001"])


def test_one_refresh_on_401_then_success(sandbox):
    client = make_client(sandbox)
    client.fetch_token()
    sandbox.revoke_tokens()
    sandbox.reset_calls()
    client.get_listings(["SKU-00001"])
    assert [c["status"] for c in sandbox.calls] == [401, 200, 200]


def test_persistent_401_stops_after_one_refresh(sandbox):
    sb = Sandbox(seed=3, shipments=1, listings=2, apps={APP: SECRET}, token_ttl=0)
    with SandboxServer(sb) as server:
        sb.base_url = server.base_url
        client = make_client(sb, refresh_margin=0)
        with pytest.raises(TokenExpiredError):
            client.get_listings(["SKU-00001"])
        assert len(api_calls(sb)) == 2
        assert len(api_calls(sb, "/oauth-service")) == 2


# --------------------------------------------------------------- retries


def test_throttling_is_retried_a_bounded_number_of_times_with_spacing(sandbox):
    sleeps = Sleeps()
    client = make_client(sandbox, attempts=4, sleep=sleeps)
    client.fetch_token()
    sandbox.faults.set(rate_429=1.0)
    with pytest.raises(RateLimitedError):
        client.get_listings(["SKU-00001"])
    assert len(api_calls(sandbox)) == 4
    assert len(sleeps) == 3
    assert all(wait > 0 for wait in sleeps)


def test_retry_after_header_is_honoured_within_the_cap():
    policy = RetryPolicy(base=0.01, cap=5)
    assert policy.delay(0, retry_after=2) >= 2
    assert policy.delay(0, retry_after=60) <= 5
    ceilings = [min(5, 0.01 * 2**n) for n in range(10)]
    for n, ceiling in enumerate(ceilings):
        assert 0 <= policy.delay(n) <= ceiling


def test_dependent_system_failure_is_retried_then_typed(sandbox):
    client = make_client(sandbox, attempts=3)
    client.fetch_token()
    sandbox.faults.set(rate_dependent=1.0)
    with pytest.raises(FlipkartUnavailableError) as caught:
        client.get_shipments(shipment_ids=["x"])
    assert caught.value.code == DEPENDENT_SYSTEM_CALL_FAILED
    assert caught.value.retryable
    assert len(api_calls(sandbox)) == 3


def test_server_errors_and_html_bodies_are_retried(sandbox):
    client = make_client(sandbox, attempts=2)
    client.fetch_token()
    sandbox.faults.set(rate_5xx=1.0)
    with pytest.raises(FlipkartUnavailableError, match="will retry"):
        client.get_listings(["SKU-00001"])
    assert len(api_calls(sandbox)) == 2


def test_validation_errors_are_not_retried(sandbox):
    client = make_client(sandbox)
    ids = ",".join(str(n) for n in range(endpoints.MAX_IDS + 1))
    with pytest.raises(InvalidRequestError):
        client.request("GET", endpoints.SHIPMENTS_BY_IDS, params={"shipmentIds": ids})
    assert len(api_calls(sandbox)) == 1


def test_connection_errors_are_retried_then_typed():
    sleeps = Sleeps()
    client = FlipkartClient(
        "http://127.0.0.1:9",
        APP,
        SECRET,
        retry=RetryPolicy(max_attempts=3, base=0.01, cap=0.02),
        sleep=sleeps,
    )
    with pytest.raises(ConnectionFailedError):
        client.fetch_token()
    assert len(sleeps) == 2


def test_listing_timeout_applies_to_listing_calls(sandbox):
    client = make_client(sandbox, attempts=1, timeouts=Timeouts(listing=0.2, order=5))
    client.fetch_token()
    sandbox.faults.set(latency=0.6)
    with pytest.raises(ConnectionFailedError):
        client.get_listings(["SKU-00001"])
    # Order calls have their own, longer timeout and still succeed.
    assert client.get_shipments(shipment_ids=["nothing"]) == []


def test_paging_under_faults_loses_no_page(sandbox):
    client = make_client(sandbox, attempts=8)
    client.fetch_token()
    sandbox.faults.set(rate_5xx=0.3, rate_429=0.1, rate_dependent=0.1)
    seen = [
        s.shipment_id
        for page in client.search_shipments(
            {"type": "preDispatch", "states": ["APPROVED"]}
        )
        for s in page.shipments
    ]
    expected = {
        sid
        for sid, sh in sandbox.shipments.items()
        if not sh.get("hold")
        and all(i["status"] == "APPROVED" for i in sh["orderItems"])
    }
    assert len(seen) == len(set(seen)), "a page was repeated"
    assert set(seen) == expected, "a page was lost"


# ---------------------------------------------------------- paging, caps


def test_shipment_paging_follows_next_page_url(sandbox):
    client = make_client(sandbox)
    pages = list(
        client.search_shipments({"type": "preDispatch", "states": ["APPROVED"]})
    )
    count = sum(len(p.shipments) for p in pages)
    assert len(pages) == -(-count // endpoints.FILTER_PAGE_SIZE)
    assert not pages[-1].has_more
    methods = [c["method"] for c in api_calls(sandbox)]
    assert methods == ["POST"] + ["GET"] * (len(pages) - 1)
    # Resuming from a page's cursor gives the pages after it.
    resumed = list(client.search_shipments({}, next_page_url=pages[0].next_page_url))
    assert [s.shipment_id for p in resumed for s in p.shipments] == [
        s.shipment_id for p in pages[1:] for s in p.shipments
    ]


def test_id_lists_are_split_to_the_documented_cap(sandbox):
    client = make_client(sandbox)
    ids = list(sandbox.shipments)[:95] + [f"missing-{n}" for n in range(155)]
    shipments = client.get_shipments(shipment_ids=ids)
    assert {s.shipment_id for s in shipments} == set(list(sandbox.shipments)[:95])
    calls = api_calls(sandbox, "/sellers/v3/shipments")
    assert len(calls) == 3
    assert all(len(c["query"]["shipmentIds"].split(",")) <= 100 for c in calls)
    details = client.get_shipment_details(list(sandbox.shipments)[:30])
    assert len(details) == 30 and details[0].delivery_address.state_code


def test_listings_get_in_tens_with_unknown_skus_as_data(sandbox):
    client = make_client(sandbox)
    skus = list(sandbox.listings)[:25] + ["NO-SUCH-SKU"]
    result = client.get_listings(skus)
    assert len(result.listings) == 25
    assert "NO-SUCH-SKU" in result.unavailable
    assert len(api_calls(sandbox, "/sellers/listings")) == 3


def test_listing_search_pages_of_500():
    sb = Sandbox(seed=4, shipments=0, listings=1200, apps={APP: SECRET})
    with SandboxServer(sb) as server:
        sb.base_url = server.base_url
        pages = list(make_client(sb).search_listings())
    assert [len(p.listings) for p in pages] == [500, 500, 200]
    assert len({r.sku for p in pages for r in p.listings}) == 1200


def test_inventory_results_per_sku_never_raise(sandbox):
    client = make_client(sandbox)
    updates = {
        sku: {
            "product_id": listing["product_id"],
            "locations": [{"id": "LOC0001", "inventory": 3}],
        }
        for sku, listing in list(sandbox.listings.items())[:12]
    }
    bad = next(iter(updates))
    updates[bad] = {
        "product_id": "WRONGFSN00000000",
        "locations": [{"id": "LOC0001", "inventory": 3}],
    }
    results = client.update_inventory(updates)
    assert len(api_calls(sandbox)) == 2
    assert not results[bad].ok and results[bad].message
    assert all(results[s].ok for s in updates if s != bad)


def test_whole_batch_failure_marks_each_sku(sandbox):
    client = make_client(sandbox, attempts=2)
    client.fetch_token()
    sandbox.faults.set(rate_5xx=1.0)
    skus = list(sandbox.listings)[:3]
    results = client.update_inventory(
        {
            s: {"product_id": sandbox.listings[s]["product_id"], "locations": []}
            for s in skus
        }
    )
    assert {r.status for r in results.values()} == {"FAILURE"}
    assert all(r.retryable for r in results.values())


# -------------------------------------------------------------- records


def test_documented_shapes_parse():
    search = json.loads((SAMPLES / "02_filter_response.from_schema.json").read_text())
    shipment = Shipment.from_json(search["shipments"][0])
    assert shipment.hold is True and shipment.order_items[0].payment_type == "COD"
    assert shipment.dispatch_by.tzinfo is not None
    details = json.loads(
        (SAMPLES / "04_shipment_details_response.from_schema.json").read_text()
    )
    parsed = ShipmentDetails.from_json(details["shipments"][0])
    assert parsed.shipment_id
    listings = json.loads(
        (SAMPLES / "11_get_listings_response.from_schema.json").read_text()
    )
    result = ListingsResult().merge(listings)
    assert result.listings["sku"].fsn == "<flipkart-product-identifier>"
    assert result.unavailable == ["<sku1>", "<sku2>"]


def test_seller_cancel_per_shipment_results_in_batches_of_25(sandbox):
    client = make_client(sandbox)
    approved = [
        sid
        for sid, sh in sandbox.shipments.items()
        if all(i["status"] == "APPROVED" for i in sh["orderItems"]) and not sh["hold"]
    ][:27]
    packed = approved.pop()
    sandbox.set_status(packed, "PACKED")
    requests_ = [
        {
            "shipmentId": sid,
            "locationId": sandbox.shipments[sid]["locationId"],
            "cancellationGroupIds": [],
            "reason": "not_enough_inventory",
        }
        for sid in [*approved, packed]
    ]
    results = client.cancel_shipments(requests_)
    assert len(api_calls(sandbox, "/sellers/v3/shipments/cancel")) == 2
    assert all(results[sid].ok for sid in approved)
    assert not results[packed].ok and "INVALID_SHIPMENTS" in results[packed].message


class _Answer:
    """A stand-in for requests' response: just its JSON."""

    def __init__(self, data):
        self.data = data
        self.status_code = 200
        self.text = ""

    def json(self):
        return self.data


def _client_answering(answers):
    client = FlipkartClient("http://127.0.0.1:9", "app", "secret")
    replies = iter(answers)
    client.request = lambda *args, **kwargs: _Answer(next(replies))
    return client


def test_a_page_of_another_shape_is_a_flipkart_error_in_words():
    client = _client_answering([{"shipments": [["not", "a", "shipment"]]}])
    with pytest.raises(UnexpectedAnswerError, match="documented shape"):
        list(client.search_shipments({"type": "preDispatch"}))
    client = _client_answering([["a", "list", "not", "an", "object"]])
    with pytest.raises(UnexpectedAnswerError):
        list(client.search_listings())


def test_paging_that_never_ends_stops():
    forever = {"shipments": [], "hasMore": True, "nextPageUrl": "/v3/shipments/p2"}
    client = _client_answering([forever] * 3)
    with pytest.raises(UnexpectedAnswerError, match="same next page twice"):
        list(client.search_shipments({"type": "preDispatch"}))
    pages = (
        {"returnItems": [], "hasMore": True, "nextUrl": f"/p{n}"} for n in range(99)
    )
    client = _client_answering(pages)
    with (
        patch.object(client_module, "MAX_PAGES", 5),
        pytest.raises(UnexpectedAnswerError, match="after 5 pages"),
    ):
        list(client.search_returns("customer_return", location_id="LOC1"))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_shipments(shipment_ids=["S1"]),
        lambda c: c.get_shipment_details(["S1"]),
        lambda c: c.get_invoices(["S1"]),
        lambda c: c.get_forms(["S1"]),
        lambda c: c.get_handover_counts("LOC1"),
        lambda c: c.get_returns(["R1"], "customer_return"),
        lambda c: c.get_listings(["SKU1"]),
    ],
    ids=["by-ids", "details", "invoices", "forms", "handover", "returns", "listings"],
)
@pytest.mark.parametrize(
    "answer",
    [
        ["a", "list", "not", "an", "object"],
        {
            "shipments": [
                {"orderItems": [{"quantity": "two"}], "subShipments": 5, "forms": 5}
            ],
            "invoices": "none",
            "vendorGroups": [7],
            "returnItems": [["R1"]],
            "available": ["SKU1"],
        },
    ],
    ids=["list", "odd-fields"],
)
def test_an_answer_of_another_shape_is_a_flipkart_error_in_words(call, answer):
    with pytest.raises(UnexpectedAnswerError, match="documented shape"):
        call(_client_answering([answer]))


def test_a_batch_answer_of_another_shape_fails_its_items_in_words():
    client = _client_answering([["not", "an", "object"]])
    results = client.pack_shipments([{"shipmentId": "S1", "locationId": "L"}])
    assert not results["S1"].ok and "documented shape" in results["S1"].message
    assert not results["S1"].retryable
