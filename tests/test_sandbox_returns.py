"""The Flipkart sandbox's returns, over real HTTP on loopback: the Python
API and its notifications, GET /v2/returns with its filters and paging, the
sandbox helpers and the self-ship return actions."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from simulator import ReturnError, Sandbox, ShipmentError
from simulator.times import iso

APP = ("sandbox-app", "sandbox-secret")
SAMPLES = Path(__file__).resolve().parent / "samples"
T0 = 1_700_000_000.0  # 2023-11-15 03:43:20 IST
TODAY = "2023-11-15"
YESTERDAY = "2023-11-14"
TOMORROW = "2023-11-16"
LOC, OTHER_LOC = "LOC0001", "LOC0002"
ENVELOPE = {"eventType", "source", "version", "timestamp", "returnId", "locationId"}


@pytest.fixture
def sb(now):
    return Sandbox(
        seed=1, shipments=0, listings=30, clock=lambda: now[0], token_ttl=10 * 86400
    )


# ---------------------------------------------------------------- helpers


def shipments(sb, n=1, status="DELIVERED", **overrides):
    """``n`` shipments at LOC0001 in ``status`` (one item of 3 by default)."""
    overrides.setdefault("location_id", LOC)
    overrides.setdefault("hold", False)
    overrides.setdefault("items", 1)
    overrides.setdefault("quantity", 3)
    return sb.add_shipments(n, status=status, **overrides)


def returns_of(sb, n, now, **create):
    """``n`` customer returns, one second apart, of new delivered shipments."""
    ids = []
    for sid in shipments(sb, n):
        now[0] += 1
        ids.append(sb.create_return(sid, **create))
    return ids


def sample(name):
    return json.loads((SAMPLES / name).read_text())


def get(api, path="/v2/returns", status=200, **params):
    response = api.get(api.url(path), params=params, timeout=5)
    assert response.status_code == status, response.text
    return response.json()


def post(api, path, body, status=200):
    response = api.post(api.url(path), json=body, timeout=5)
    assert response.status_code == status, response.text
    return response.json()


def every_page(api, **params):
    """The pages of a listing, following nextUrl while hasMore."""
    pages = [get(api, **params)]
    while pages[-1]["hasMore"]:
        next_url = pages[-1]["nextUrl"]
        assert next_url.startswith("/v2/returns?next_token=")
        pages.append(get(api, next_url))
    assert pages[-1]["nextUrl"] is None
    return pages


def listed_ids(pages):
    return [item["returnId"] for page in pages for item in page["returnItems"]]


def error(response_json):
    [err] = response_json["errors"]
    return err["errorCode"]


def return_events(sb, rid):
    return [
        (e["eventType"], e["attributes"])
        for e in sb.notifications
        if e.get("returnId") == rid
    ]


def outcome(answer):
    return {
        r["returnId"]: (r["processingStatus"], r["errorCode"])
        for r in answer["returns"]
    }


def act(api, action, body, status=200):
    return post(api, f"/v2/returns/{action}", body, status)


# ------------------------------------------------------------ Python API


def test_no_returns_at_start_and_returns_leave_seeded_data_alone(now):
    def build():
        return Sandbox(seed=7, shipments=20, listings=20, clock=lambda: now[0])

    first, second = build(), build()
    assert first.returns == {} and first.return_pickup_attempts == {}
    assert first.shipments == second.shipments
    delivered = shipments(first, 2)
    shipments(second, 2)
    first.create_return(delivered[0])
    first.create_return(delivered[1], source="customer_return", quantity=1)
    # Returns draw from their own stream: later shipments are the same.
    assert shipments(first, 3) == shipments(second, 3)
    # And the same seed gives the same return ids.
    third = build()
    shipments(third, 2)
    assert third.create_return(delivered[0]) == next(iter(first.returns))


def test_customer_return_defaults_fields_and_event(sb, now):
    [sid] = shipments(sb)
    shipment = sb.shipments[sid]
    [item] = shipment["orderItems"]
    now[0] += 60
    rid = sb.create_return(sid)
    ret = sb.returns[rid]
    assert ret["returnId"] == rid and rid.isdigit() and len(rid) == 16
    assert {
        key: ret[key]
        for key in (
            "orderItemId",
            "orderId",
            "shipmentId",
            "locationId",
            "quantity",
            "status",
            "type",
            "source",
            "shipmentStatus",
            "sellerId",
            "serviceProfile",
            "services",
            "action",
        )
    } == {
        "orderItemId": item["orderItemId"],
        "orderId": shipment["orderId"],
        "shipmentId": sid,
        "locationId": LOC,
        "quantity": 3,
        "status": "created",
        "type": "customer_return",
        "source": "customer_return",
        "shipmentStatus": "start",
        "sellerId": "SANDBOXSELLER",
        "serviceProfile": "NON_FBF",
        "services": [],
        "action": None,
    }
    assert ret["createdDate"] == ret["updatedDate"] == "2023-11-15T03:44:20.000+05:30"
    assert ret["expectedDate"] == "2023-11-22T03:44:20.000+05:30"
    assert ret["trackingId"].startswith("FMPR") and ret["courierName"]
    assert ret["reason"] and ret["subReason"]
    [event] = [e for e in sb.notifications if e.get("returnId") == rid]
    assert set(event) == ENVELOPE | {"attributes"}
    assert event["eventType"] == "return_created"
    assert (event["source"], event["version"]) == ("flipkart", "v3")
    assert event["timestamp"] == "2023-11-15T03:44:20+05:30"
    assert event["locationId"] == LOC
    template = sample("12_notification_return_created.event_structure.json")
    assert set(event) - {"version"} == set(template)
    assert event["attributes"]["status"] == template["attributes"]["status"]
    [created] = event["attributes"]["returnItems"]
    assert set(created) == set(template["attributes"]["returnItems"][0])
    assert created["source"] == "customer_return"
    assert (created["productId"], created["listingId"]) == (
        item["fsn"],
        item["listingId"],
    )


def test_create_return_refusals(sb):
    delivered, shipped, approved = (
        shipments(sb)[0],
        shipments(sb, status="SHIPPED")[0],
        shipments(sb, status="APPROVED")[0],
    )
    with pytest.raises(ReturnError, match="needs DELIVERED"):
        sb.create_return(shipped)
    with pytest.raises(ReturnError, match="courier_return needs"):
        sb.create_return(delivered, source="courier_return")
    for source in ("customer_return", "courier_return"):
        with pytest.raises(ReturnError):
            sb.create_return(approved, source=source)
    with pytest.raises(ReturnError, match="source must be"):
        sb.create_return(delivered, source="rto")
    with pytest.raises(ShipmentError, match="does not exist"):
        sb.create_return("no-such-shipment")
    with pytest.raises(ReturnError, match="not a live item"):
        sb.create_return(delivered, order_item_id="123")
    for quantity in (0, 4, True, "1"):
        with pytest.raises(ReturnError) as caught:
            sb.create_return(delivered, quantity=quantity)
        assert caught.value.code == "UNPROCESSABLE_ENTITY"
    with pytest.raises(TypeError, match="unknown return overrides"):
        sb.create_return(delivered, colour="red")
    with pytest.raises(ReturnError, match="tech_visit"):
        sb.create_return(delivered, tech_visit=True)
    sb.cancel_items(approved)
    with pytest.raises(ReturnError, match="is cancelled"):
        sb.create_return(approved)
    assert sb.returns == {}  # nothing was made by a refused call
    # The quantity left is what live returns have not taken.
    first = sb.create_return(delivered, quantity=2)
    with pytest.raises(ReturnError, match="between 1 and 1"):
        sb.create_return(delivered, quantity=2)
    second = sb.create_return(delivered)
    assert sb.returns[second]["quantity"] == 1
    with pytest.raises(ReturnError, match="already wholly returned"):
        sb.create_return(delivered)
    sb.cancel_return(first)
    assert sb.returns[sb.create_return(delivered)]["quantity"] == 2
    assert isinstance(ReturnError("x"), ValueError)


def test_courier_return_comes_back_under_the_forward_awb(sb):
    for status in ("READY_TO_DISPATCH", "PICKUP_COMPLETE", "SHIPPED"):
        [sid] = shipments(sb, status=status)
        details = sb.shipments[sid]["subShipments"][0]["courierDetails"]
        rid = sb.create_return(sid, source="courier_return")
        ret = sb.returns[rid]
        assert (ret["type"], ret["source"]) == ("courier_return", "courier_return")
        assert ret["trackingId"] == details["deliveryDetails"]["trackingId"]
        assert ret["courierName"] == details["deliveryDetails"]["vendorName"]
        assert ret["reason"] == "UNDELIVERED"
        assert ret["expectedDate"] is not None


def test_return_moves_on_with_events_and_updated_dates(sb, now):
    [sid] = shipments(sb)
    rid = sb.create_return(sid, reason="DAMAGED_PRODUCT", sub_reason="BROKEN")
    item_id = sb.returns[rid]["orderItemId"]
    assert (sb.returns[rid]["reason"], sb.returns[rid]["subReason"]) == (
        "DAMAGED_PRODUCT",
        "BROKEN",
    )

    def step(call, *args):
        before = sb.returns[rid]["updatedDate"]
        now[0] += 10
        call(rid, *args)
        assert sb.returns[rid]["updatedDate"] > before

    step(sb.update_return_tracking, "FMPR0000000001", "Delhivery")
    step(sb.change_return_expected_date, "2023-11-20T10:00:00+05:30")
    step(sb.return_picked_up)
    step(sb.return_out_for_delivery)
    step(sb.complete_return)
    ret = sb.returns[rid]
    assert (ret["trackingId"], ret["courierName"]) == ("FMPR0000000001", "Delhivery")
    assert ret["expectedDate"] == "2023-11-20T10:00:00.000+05:30"
    assert (ret["status"], ret["shipmentStatus"]) == ("completed", "delivered")
    assert ret["completionDate"] == ret["updatedDate"]
    assert return_events(sb, rid)[1:] == [
        (
            "return_item_tracking_id_update",
            {
                "returnItems": [
                    {
                        "orderItemId": item_id,
                        "trackingId": "FMPR0000000001",
                        "courierName": "Delhivery",
                    }
                ]
            },
        ),
        (
            "return_expected_date_changed",
            {
                "returnItems": [
                    {
                        "orderItemId": item_id,
                        "expectedDate": "2023-11-20T10:00:00.000+05:30",
                    }
                ]
            },
        ),
        (
            "return_picked_up",
            {"returnItems": [{"orderItemId": item_id, "shipmentStatus": "in_transit"}]},
        ),
        # out_for_delivery has no documented event
        (
            "return_completed",
            {"status": "RETURN_COMPLETED", "returnItems": [{"orderItemId": item_id}]},
        ),
    ]
    template = sample("12_notification_return_completed.event_structure.json")
    event = sb.notifications[-1]
    assert set(event) - {"version"} == set(template)
    assert event["returnId"] == rid and event["locationId"] == LOC
    # A completed return takes no more changes, and sends nothing.
    count = len(sb.notifications)
    for call, args in (
        (sb.cancel_return, ()),
        (sb.complete_return, ()),
        (sb.return_picked_up, ()),
        (sb.update_return_tracking, ("X1",)),
        (sb.change_return_expected_date, (T0,)),
    ):
        with pytest.raises(ReturnError) as caught:
            call(rid, *args)
        assert caught.value.code == "INVALID_RETURN_STATE"
    assert len(sb.notifications) == count
    with pytest.raises(ReturnError, match="does not exist"):
        sb.complete_return("404")


def test_cancel_return_event_and_picked_up_order(sb):
    [sid] = shipments(sb)
    rid = sb.create_return(sid)
    with pytest.raises(ReturnError, match="not in_transit"):
        sb.return_out_for_delivery(rid)
    sb.return_picked_up(rid)
    with pytest.raises(ReturnError, match="already in_transit"):
        sb.return_picked_up(rid)
    sb.cancel_return(rid)
    assert sb.returns[rid]["status"] == "cancelled"
    event = sb.notifications[-1]
    template = sample("12_notification_return_cancelled.event_structure.json")
    assert set(event) - {"version"} == set(template)
    assert event["attributes"] == {
        "status": "RETURN_CANCELLED",
        "returnItems": [{"orderItemId": sb.returns[rid]["orderItemId"]}],
    }


def test_goods_not_expected_back(sb):
    [sid] = shipments(sb)
    rid = sb.create_return(sid, action="refund_dnt_expect", comments="lost")
    ret = sb.returns[rid]
    assert (ret["action"], ret["expectedDate"], ret["comments"]) == (
        "refund_dnt_expect",
        None,
        "lost",
    )
    assert sb.notifications[-1]["attributes"]["returnItems"][0]["action"] == (
        "refund_dnt_expect"
    )
    with pytest.raises(ReturnError, match="not coming back"):
        sb.return_picked_up(rid)
    sb.complete_return(rid)
    assert (ret["status"], ret["shipmentStatus"]) == ("completed", "start")


def test_return_ids_are_unique(sb, now):
    ids = returns_of(sb, 40, now)
    assert len(set(ids)) == 40 == len(sb.returns)


def test_return_events_reach_a_receiver_or_fail_cleanly(sb):
    # Nothing listens on port 9 of loopback: the event is dropped, recorded.
    sb.notify_to("http://127.0.0.1:9/notify", attempts=1, retry_pause=0)
    [sid] = shipments(sb)
    rid = sb.create_return(sid)
    assert sb.flush_notifications(10)
    sb.notify_to(None)
    failed = [f["event"] for f in sb.notification_failures]
    assert [(e["eventType"], e.get("returnId")) for e in failed][-1] == (
        "return_created",
        rid,
    )


def test_reset_returns_and_reset_fulfilment(sb, now):
    ids = returns_of(sb, 2, now)
    sb.return_pickup_attempts[ids[0]] = [{"pickupDate": TODAY}]
    sb.reset_returns()
    assert sb.returns == {} and sb.return_pickup_attempts == {}
    again = returns_of(sb, 1, now)
    assert again[0] not in ids  # ids stay unique after a reset
    sb.reset_fulfilment()
    assert sb.returns == {}


# ------------------------------------------------------- GET /v2/returns


def test_listing_needs_a_known_source(sb, api, now):
    returns_of(sb, 1, now)
    assert error(get(api, status=400)) == "UNPROCESSABLE_ENTITY"
    assert error(get(api, status=400, source="rto")) == "UNPROCESSABLE_ENTITY"
    assert len(get(api, source="customer_return")["returnItems"]) == 1
    assert get(api, source="courier_return") == {
        "hasMore": False,
        "nextUrl": None,
        "returnItems": [],
    }


def test_listed_return_shape(sb, api, now):
    [rid] = returns_of(sb, 1, now)
    answer = get(api, source="customer_return")
    documented = sample("10_returns_v2_response.from_schema.json")
    assert set(answer) == set(documented)
    [item] = answer["returnItems"]
    assert set(item) == set(documented["returnItems"][0]) | {"action"}
    ret = sb.returns[rid]
    assert {key: item[key] for key in item if key != "services"} == {
        key: ret[key] for key in item if key != "services"
    }
    assert item["status"] == "created" and item["type"] == "customer_return"


def test_paging_over_more_than_25_returns(sb, api, now):
    ids = returns_of(sb, 60, now)
    pages = every_page(api, source="customer_return")
    assert [len(page["returnItems"]) for page in pages] == [25, 25, 10]
    assert listed_ids(pages) == ids  # oldest change first, none twice
    token = parse_qs(urlsplit(pages[0]["nextUrl"]).query)["next_token"][0]
    assert token  # an opaque token
    assert error(get(api, next_token="garbage!", status=400)) == "UNPROCESSABLE_ENTITY"
    # Exactly 25 left: no further page.
    sb.reset_returns()
    returns_of(sb, 25, now)
    assert [
        len(p["returnItems"]) for p in every_page(api, source="customer_return")
    ] == [25]


def test_paging_neither_skips_nor_repeats_unchanged_returns(sb, api, now):
    ids = returns_of(sb, 30, now)
    first = get(api, source="customer_return", pageSize=10)
    assert listed_ids([first]) == ids[:10]
    # Meanwhile a return already listed and one not listed yet change, and
    # a new one comes.
    now[0] += 5
    sb.update_return_tracking(ids[3], "FMPR1111111111")
    sb.update_return_tracking(ids[20], "FMPR2222222222")
    [late] = returns_of(sb, 1, now)
    rest = [first]
    while rest[-1]["hasMore"]:
        rest.append(get(api, rest[-1]["nextUrl"]))
    seen = listed_ids(rest)
    assert all(len(page["returnItems"]) <= 10 for page in rest)
    unchanged = [rid for rid in ids if rid not in (ids[3], ids[20])]
    assert sorted(rid for rid in seen if rid in unchanged) == sorted(unchanged)
    assert all(seen.count(rid) == 1 for rid in unchanged)
    assert seen[-3:] == [ids[3], ids[20], late]  # changed ones move last


def test_page_size_parameter(sb, api, now):
    returns_of(sb, 30, now)
    answer = get(api, source="customer_return", pageSize=10)
    assert len(answer["returnItems"]) == 10 and answer["hasMore"]
    # The next page keeps the page size.
    assert len(get(api, answer["nextUrl"])["returnItems"]) == 10
    assert len(get(api, source="customer_return", page_size=5)["returnItems"]) == 5
    assert len(get(api, source="customer_return", pageSize=100)["returnItems"]) == 25
    for bad in ("0", "-1", "ten"):
        get(api, source="customer_return", pageSize=bad, status=400)


def test_listing_filters(sb, api, now):
    early = returns_of(sb, 3, now)
    [rto_shipment] = shipments(sb, status="SHIPPED")
    now[0] += 1
    rto = sb.create_return(rto_shipment, source="courier_return")
    [other] = shipments(sb, location_id=OTHER_LOC)
    now[0] += 1
    elsewhere = sb.create_return(other)
    now[0] += 100
    middle = T0 + 50  # after every creation above
    late = returns_of(sb, 2, now)
    now[0] += 100
    sb.update_return_tracking(early[0], "FMPR3333333333")  # modified late

    def ids(**params):
        return set(listed_ids(every_page(api, **params)))

    customer = set(early) | {elsewhere} | set(late)
    assert ids(source="customer_return") == customer
    assert ids(source="courier_return") == {rto}
    assert ids(source="customer_return", locationId=OTHER_LOC) == {elsewhere}
    assert ids(source="customer_return", locationId=LOC) == customer - {elsewhere}
    created_before = ids(
        source="customer_return", createdBefore="2023-11-15T03:44:10+05:30"
    )
    assert created_before == set(early) | {elsewhere}
    assert created_before == ids(source="customer_return", createdBefore=iso(middle))
    assert ids(source="customer_return", createdAfter=iso(middle)) == set(late)
    assert ids(source="customer_return", modifiedAfter=iso(now[0] - 1)) == {early[0]}
    assert ids(
        source="customer_return",
        modifiedAfter=iso(middle),
        modifiedBefore=iso(now[0] - 1),
    ) == set(late)
    assert ids(
        source="customer_return",
        createdAfter=iso(middle),
        modifiedBefore=iso(now[0] - 1),
    ) == set(late)
    answer = get(api, source="customer_return", modifiedAfter="yesterday", status=400)
    assert error(answer) == "INVALID_REQUEST_DATE_FORMAT"
    answer = get(api, source="customer_return", locationId="LOC9999", status=403)
    assert error(answer) == "OPERATION_NOT_ALLOWED"


def test_listing_by_return_or_tracking_ids_and_caps(sb, api, now):
    ids = returns_of(sb, 30, now)
    wanted = ids[:3]
    answer = get(api, returnIds=",".join(wanted))  # no source needed
    assert listed_ids([answer]) == wanted
    answer = get(api, source="courier_return", returnIds=",".join(wanted))
    assert answer["returnItems"] == []
    tracking = [sb.returns[rid]["trackingId"] for rid in ids[5:7]]
    answer = get(api, source="customer_return", trackingIds=",".join(tracking))
    assert listed_ids([answer]) == ids[5:7]
    assert get(api, returnIds=",".join(ids[:25]))["hasMore"] is False
    for param, values in (
        ("returnIds", ids[:26]),
        ("trackingIds", [sb.returns[rid]["trackingId"] for rid in ids[:26]]),
    ):
        answer = get(api, status=400, **{param: ",".join(values)})
        assert error(answer) == "UNPROCESSABLE_ENTITY"
    get(api, returnIds=ids[0], trackingIds=tracking[0], status=400)
    get(api, returnIds=" , ", status=400)


# -------------------------------------------------------- sandbox helpers


def test_helper_create_returns(sb, api):
    [delivered] = shipments(sb)
    [shipped] = shipments(sb, status="SHIPPED")
    item = sb.shipments[delivered]["orderItems"][0]["orderItemId"]
    answer = post(
        api,
        "/returns/sandbox/create_returns",
        {
            "returns": [
                {
                    "shipmentId": delivered,
                    "orderItemId": item,
                    "quantity": 1,
                    "source": "customer_return",
                    "reason": "WRONG_PRODUCT",
                },
                {"shipmentId": shipped, "source": "courier_return"},
                {"shipmentId": shipped},  # a customer return of a shipped one
                {"shipmentId": delivered, "quantity": 5},
            ]
        },
    )
    first, rto, refused, too_many = answer["returns"]
    assert first["status"] == "SUCCESS" and first["orderItemId"] == item
    assert sb.returns[first["returnId"]]["reason"] == "WRONG_PRODUCT"
    assert sb.returns[first["returnId"]]["quantity"] == 1
    assert rto["status"] == "SUCCESS"
    assert rto["orderItemId"] == sb.shipments[shipped]["orderItems"][0]["orderItemId"]
    assert sb.returns[rto["returnId"]]["source"] == "courier_return"
    assert (refused["status"], refused["errorCode"], refused["returnId"]) == (
        "FAILURE",
        "INVALID_SHIPMENTS",
        None,
    )
    assert (too_many["status"], too_many["errorCode"]) == (
        "FAILURE",
        "UNPROCESSABLE_ENTITY",
    )
    assert len(sb.returns) == 2
    assert [e["eventType"] for e in sb.notifications if "returnId" in e] == [
        "return_created",
        "return_created",
    ]
    post(api, "/returns/sandbox/create_returns", {"returns": []}, status=400)
    post(api, "/returns/sandbox/create_returns", {"returns": "x"}, status=400)


def test_helper_return_events(sb, api, now):
    [rid, other] = returns_of(sb, 2, now)

    def event(name, status=200, **body):
        return post(
            api,
            "/returns/sandbox/return_events",
            {"returnId": rid, "event": name, **body},
            status,
        )

    assert event("tracking_id_update", trackingId="FMPR9999999999") == {
        "returnId": rid,
        "event": "tracking_id_update",
        "status": "SUCCESS",
    }
    event("expected_date_changed", expectedDate="2023-11-25T12:00:00+05:30")
    assert error(event("expected_date_changed", 400)) == "UNPROCESSABLE_ENTITY"
    assert error(event("expected_date_changed", 400, expectedDate="soon")) == (
        "INVALID_REQUEST_DATE_FORMAT"
    )
    event("picked_up")
    event("out_for_delivery")
    event("completed")
    assert error(event("cancelled", 400)) == "INVALID_RETURN_STATE"
    assert error(event("teleported", 400)) == "UNPROCESSABLE_ENTITY"
    ret = sb.returns[rid]
    assert (ret["trackingId"], ret["expectedDate"], ret["status"]) == (
        "FMPR9999999999",
        "2023-11-25T12:00:00.000+05:30",
        "completed",
    )
    assert [name for name, _ in return_events(sb, rid)] == [
        "return_created",
        "return_item_tracking_id_update",
        "return_expected_date_changed",
        "return_picked_up",
        "return_completed",
    ]
    post(
        api,
        "/returns/sandbox/return_events",
        {"returnId": other, "event": "cancelled"},
    )
    assert sb.returns[other]["status"] == "cancelled"
    answer = post(
        api,
        "/returns/sandbox/return_events",
        {"returnId": "404", "event": "cancelled"},
        400,
    )
    assert error(answer) == "UNPROCESSABLE_ENTITY"


# ------------------------------------------------- self-ship return actions


def self_ship_returns(sb, now, n=1, **create):
    """Customer returns of delivered self-ship shipments at LOC0001."""
    ids = []
    for sid in shipments(sb, n, shipment_type="SELF"):
        now[0] += 1
        ids.append(sb.create_return(sid, **create))
    return ids


def approve_entry(sb, rid, **changes):
    [service] = sb.returns[rid]["services"]
    entry = {
        "returnId": rid,
        "serviceFulfilmentId": service["serviceFulfilmentId"],
        "serviceDate": TOMORROW,
        "comments": "Technician to collect",
    }
    entry.update(changes)
    return entry


def test_self_ship_customer_return_has_a_service_visit(sb, now):
    [rid] = self_ship_returns(sb, now)
    ret = sb.returns[rid]
    [service] = ret["services"]
    assert service["serviceFulfilmentId"].startswith("SF")
    assert service["serviceByDate"] == "2023-11-18T03:43:21.000+05:30"
    # The seller's courier picks it up: none of Flipkart's.
    assert (ret["trackingId"], ret["courierName"]) == (None, None)
    [plain] = self_ship_returns(sb, now, tech_visit=False)
    assert sb.returns[plain]["services"] == []


def test_approve_pickup_complete(sb, api, now):
    [rid] = self_ship_returns(sb, now)
    entry = approve_entry(sb, rid)
    assert act(api, "approve", {"returns": [entry], "locationId": LOC}) == {
        "returns": [
            {
                "returnId": rid,
                "processingStatus": "SUCCESS",
                "errorCode": None,
                "errorMessage": None,
            }
        ]
    }
    ret = sb.returns[rid]
    assert ret["approval"] == {
        "decision": "approved",
        "serviceFulfilmentId": entry["serviceFulfilmentId"],
        "serviceDate": TOMORROW,
        "comments": "Technician to collect",
        "decidedOn": ret["approvedOn"],
    }
    assert ret["comments"] == "Technician to collect" and ret["status"] == "created"
    listed = get(api, returnIds=rid)["returnItems"][0]
    assert listed["approvedOn"] == ret["approvedOn"]
    assert listed["services"][0]["serviceFulfilmentId"] == entry["serviceFulfilmentId"]
    # Approved once only.
    answer = act(api, "approve", {"returns": [entry], "locationId": LOC})
    assert outcome(answer) == {rid: ("FAILURE", "INVALID_RETURN_STATE")}
    pickup = {"returns": [{"returnId": rid, "pickupDate": TODAY}], "locationId": LOC}
    assert outcome(act(api, "pickup", pickup)) == {rid: ("SUCCESS", None)}
    assert (ret["shipmentStatus"], ret["pickupDate"]) == ("in_transit", TODAY)
    assert outcome(act(api, "pickup", pickup)) == {
        rid: ("FAILURE", "INVALID_RETURN_STATE")
    }
    complete = {"returnIds": [rid], "locationId": LOC}
    assert outcome(act(api, "complete", complete)) == {rid: ("SUCCESS", None)}
    assert (ret["status"], ret["shipmentStatus"]) == ("completed", "delivered")
    assert outcome(act(api, "complete", complete)) == {
        rid: ("FAILURE", "INVALID_RETURN_STATE")
    }
    assert [name for name, _ in return_events(sb, rid)] == [
        "return_created",
        "return_picked_up",
        "return_completed",
    ]


def test_approve_and_reject_refusals(sb, api, now):
    first, second, third = self_ship_returns(sb, now, 3)
    answer = act(
        api,
        "approve",
        {
            "returns": [
                approve_entry(sb, first, serviceFulfilmentId="SF0"),
                approve_entry(sb, second, comments=""),
                approve_entry(sb, third, serviceDate="15/11/2023"),
                {"returnId": "404", "serviceFulfilmentId": "x", "comments": "x"},
            ],
            "locationId": LOC,
        },
    )
    assert outcome(answer) == {
        first: ("FAILURE", "UNPROCESSABLE_ENTITY"),
        second: ("FAILURE", "UNPROCESSABLE_ENTITY"),
        third: ("FAILURE", "INVALID_REQUEST_DATE_FORMAT"),
        "404": ("FAILURE", "UNPROCESSABLE_ENTITY"),
    }
    assert all(sb.returns[rid]["approval"] is None for rid in (first, second, third))
    # Reject needs a serviceDate.
    no_date = approve_entry(sb, first)
    del no_date["serviceDate"]
    answer = act(api, "reject", {"returns": [no_date], "locationId": LOC})
    assert outcome(answer) == {first: ("FAILURE", "UNPROCESSABLE_ENTITY")}
    answer = act(
        api,
        "reject",
        {"returns": [approve_entry(sb, first, comments="Used")], "locationId": LOC},
    )
    assert outcome(answer) == {first: ("SUCCESS", None)}
    ret = sb.returns[first]
    assert ret["approval"]["decision"] == "rejected" and ret["approvedOn"] is None
    assert ret["status"] == "created"
    # A rejected return is neither approved, picked up nor completed.
    for action, body in (
        ("approve", {"returns": [approve_entry(sb, first)]}),
        ("pickup", {"returns": [{"returnId": first, "pickupDate": TODAY}]}),
        ("complete", {"returnIds": [first]}),
    ):
        answer = act(api, action, {**body, "locationId": LOC})
        assert outcome(answer) == {first: ("FAILURE", "INVALID_RETURN_STATE")}
    # Approve without serviceDate is fine.
    entry = approve_entry(sb, second)
    del entry["serviceDate"]
    assert outcome(act(api, "approve", {"returns": [entry], "locationId": LOC})) == {
        second: ("SUCCESS", None)
    }


def test_pickup_needs_approval_and_a_good_date(sb, api, now):
    first, second = self_ship_returns(sb, now, 2)

    def pickup(rid, **entry):
        body = {"returns": [{"returnId": rid, **entry}], "locationId": LOC}
        return outcome(act(api, "pickup", body))[rid]

    assert pickup(first, pickupDate=TODAY) == ("FAILURE", "INVALID_RETURN_STATE")
    act(api, "approve", {"returns": [approve_entry(sb, first)], "locationId": LOC})
    assert pickup(first) == ("FAILURE", "UNPROCESSABLE_ENTITY")
    assert pickup(first, pickupDate=TOMORROW) == (
        "FAILURE",
        "INVALID_REQUEST_DATE_FORMAT",
    )
    assert pickup(first, pickupDate=YESTERDAY) == (
        "FAILURE",
        "INVALID_REQUEST_DATE_FORMAT",
    )
    assert sb.returns[first]["shipmentStatus"] == "start"
    assert pickup(first, pickupDate="2023-11-15T10:00:00+05:30") == ("SUCCESS", None)
    assert return_events(sb, first)[-1] == (
        "return_picked_up",
        {
            "returnItems": [
                {
                    "orderItemId": sb.returns[first]["orderItemId"],
                    "shipmentStatus": "in_transit",
                }
            ]
        },
    )
    assert sb.returns[second]["shipmentStatus"] == "start"


def test_pickup_attempts_are_recorded(sb, api, now):
    [rid] = self_ship_returns(sb, now)
    act(api, "approve", {"returns": [approve_entry(sb, rid)], "locationId": LOC})
    count, before = len(sb.notifications), sb.returns[rid]["updatedDate"]
    now[0] += 30
    attempt = {
        "returnId": rid,
        "pickupDate": TODAY,
        "newPickupDate": TOMORROW,
        "reason": "Buyer not available",
    }
    body = {"returns": [attempt], "locationId": LOC}
    assert outcome(act(api, "pickupAttempt", body)) == {rid: ("SUCCESS", None)}
    assert sb.return_pickup_attempts == {
        rid: [
            {
                "pickupDate": TODAY,
                "newPickupDate": TOMORROW,
                "reason": "Buyer not available",
            }
        ]
    }
    assert sb.returns[rid]["updatedDate"] > before
    assert sb.returns[rid]["shipmentStatus"] == "start"
    assert len(sb.notifications) == count  # no event for an attempt
    bad = {**attempt, "newPickupDate": YESTERDAY}
    answer = act(api, "pickupAttempt", {"returns": [bad], "locationId": LOC})
    assert outcome(answer) == {rid: ("FAILURE", "INVALID_REQUEST_DATE_FORMAT")}
    missing = {key: v for key, v in attempt.items() if key != "newPickupDate"}
    answer = act(api, "pickupAttempt", {"returns": [missing], "locationId": LOC})
    assert outcome(answer) == {rid: ("FAILURE", "UNPROCESSABLE_ENTITY")}
    assert len(sb.return_pickup_attempts[rid]) == 1


def test_cancel_a_self_ship_rto(sb, api, now):
    [sid] = shipments(sb, status="SHIPPED", shipment_type="SELF")
    rto = sb.create_return(sid, source="courier_return")
    [customer] = self_ship_returns(sb, now)
    answer = act(api, "cancel", {"returnIds": [rto, customer], "locationId": LOC})
    assert outcome(answer) == {
        rto: ("SUCCESS", None),
        customer: ("FAILURE", "UNPROCESSABLE_ENTITY"),
    }
    assert sb.returns[rto]["status"] == "cancelled"
    assert return_events(sb, rto)[-1][0] == "return_cancelled"
    answer = act(api, "cancel", {"returnIds": [rto], "locationId": LOC})
    assert outcome(answer) == {rto: ("FAILURE", "INVALID_RETURN_STATE")}
    # An RTO of a self-ship shipment is completed when it is back.
    rto = sb.create_return(sid, source="courier_return")
    answer = act(api, "complete", {"returnIds": [rto], "locationId": LOC})
    assert outcome(answer) == {rto: ("SUCCESS", None)}


def test_return_actions_refused_for_flipkart_shipments_and_wrong_locations(
    sb, api, now
):
    [normal] = returns_of(sb, 1, now)
    [shipped] = shipments(sb, status="SHIPPED")
    normal_rto = sb.create_return(shipped, source="courier_return")
    [mine] = self_ship_returns(sb, now)
    service = {"serviceFulfilmentId": "SF1", "serviceDate": TODAY, "comments": "ok"}
    bodies = {
        "approve": {"returns": [{"returnId": normal, **service}]},
        "reject": {"returns": [{"returnId": normal, **service}]},
        "pickup": {"returns": [{"returnId": normal, "pickupDate": TODAY}]},
        "pickupAttempt": {
            "returns": [
                {
                    "returnId": normal,
                    "pickupDate": TODAY,
                    "newPickupDate": TOMORROW,
                    "reason": "x",
                }
            ]
        },
        "complete": {"returnIds": [normal]},
        "cancel": {"returnIds": [normal_rto]},
    }
    count = len(sb.notifications)
    for action, body in bodies.items():
        answer = act(api, action, {**body, "locationId": LOC})
        [result] = answer["returns"]
        assert (result["processingStatus"], result["errorCode"]) == (
            "FAILURE",
            "OPERATION_NOT_ALLOWED",
        ), action
        assert "not self-ship" in result["errorMessage"]
    assert len(sb.notifications) == count
    assert sb.returns[normal]["status"] == sb.returns[normal_rto]["status"] == "created"
    # A self-ship return at another location of the seller, or at a
    # location that is not the seller's.
    for location, code in (
        (OTHER_LOC, "UNPROCESSABLE_ENTITY"),
        ("LOC9999", "OPERATION_NOT_ALLOWED"),
    ):
        answer = act(api, "complete", {"returnIds": [mine], "locationId": location})
        assert outcome(answer) == {mine: ("FAILURE", code)}
    assert sb.returns[mine]["status"] == "created"


def test_return_actions_malformed_bodies(sb, api, now):
    [rid] = self_ship_returns(sb, now)
    response = api.post(api.url("/v2/returns/complete"), data="not json", timeout=5)
    assert response.status_code == 400
    assert error(response.json()) == "INVALID_REQUEST_JSON"
    for action, body in (
        ("complete", {"returnIds": [rid]}),  # no locationId
        ("complete", {"returnIds": rid, "locationId": LOC}),
        ("complete", {"returnIds": [], "locationId": LOC}),
        ("complete", {"returnIds": [1], "locationId": LOC}),
        ("cancel", {"returns": [rid], "locationId": LOC}),
        ("approve", {"returns": [rid], "locationId": LOC}),
        ("pickup", {"returnIds": [rid], "locationId": LOC}),
        ("complete", {"returnIds": [rid] * 101, "locationId": LOC}),
        ("pickupAttempt", {"returns": [{"returnId": rid}] * 101, "locationId": LOC}),
    ):
        answer = act(api, action, body, status=400)
        assert error(answer) == "UNPROCESSABLE_ENTITY", (action, body)
    assert sb.returns[rid]["status"] == "created"
    # 100 is allowed: the same return, completed once.
    answer = act(api, "complete", {"returnIds": [rid] * 100, "locationId": LOC})
    assert [r["processingStatus"] for r in answer["returns"]] == ["SUCCESS"] + [
        "FAILURE"
    ] * 99
    assert api.get(api.url("/v2/returns/complete"), timeout=5).status_code == 405
