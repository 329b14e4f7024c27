"""Flipkart Smart picklists and the Smart document, through the client and
the sandbox over HTTP."""

import io
import time

import pytest
from flipkart import FlipkartClient, FlipkartError, RetryPolicy
from simulator import Sandbox
from simulator.app import DEFAULT_APPS


@pytest.fixture
def sb():
    sandbox = Sandbox(seed=7, shipments=0, listings=20)
    sandbox.label_delay = 0.0
    return sandbox


@pytest.fixture
def client(srv):
    ((app, secret),) = DEFAULT_APPS.items()
    return FlipkartClient(
        srv.base_url,
        app,
        secret,
        retry=RetryPolicy(max_attempts=2, base=0.001, cap=0.01),
        sleep=lambda _s: None,
    )


def smart(sb, n, **overrides):
    values = {
        "status": "APPROVED",
        "location_id": "LOC0001",
        "hold": False,
        "dispatch_after_date": time.time() - 3600,
        "service_profile": "Smart_Fulfilment",
    }
    values.update(overrides)
    return sb.add_shipments(n, **values)


def pack(client, sb, ids):
    entries = [
        {
            "shipmentId": sid,
            "locationId": "LOC0001",
            "taxItems": [
                {
                    "orderItemId": i["orderItemId"],
                    "taxRate": 18.0,
                    "quantity": i["quantity"],
                }
                for i in sb.shipments[sid]["orderItems"]
            ],
        }
        for sid in ids
    ]
    assert all(r.ok for r in client.pack_shipments(entries).values())


def rtd_events(sb, sid):
    return [
        e
        for e in sb.notifications
        if e["shipmentId"] == sid and e["eventType"] == "shipment_ready_to_dispatch"
    ]


def test_a_picklist_is_released_packed_and_confirmed_once(sb, client):
    ids = smart(sb, 3)
    picklist = client.release_picklist("LOC0001", ids)
    assert picklist.status == "RELEASED" and set(picklist.shipments) == set(ids)
    assert client.get_picklist(picklist.picklist_id).shipments == dict.fromkeys(
        ids, "APPROVED"
    )
    with pytest.raises(FlipkartError, match="not packed yet"):
        client.picklist_action("pack", picklist.picklist_id)
    with pytest.raises(FlipkartError, match="pack it first"):
        client.picklist_action("confirm", picklist.picklist_id)
    # One order is cancelled before pack: it leaves the picklist.
    sb.cancel_items(ids[2], None, by="buyer")
    pack(client, sb, ids[:2])
    packed = client.picklist_action("pack", picklist.picklist_id)
    assert packed.status == "PACKED" and list(packed.shipments) == ids[:2]
    confirmed = client.picklist_action("confirm", picklist.picklist_id)
    assert confirmed.status == "CONFIRMED"
    assert set(confirmed.shipments.values()) == {"READY_TO_DISPATCH"}
    again = client.picklist_action("confirm", picklist.picklist_id)
    assert again.shipments == confirmed.shipments
    assert [len(rtd_events(sb, sid)) for sid in ids[:2]] == [1, 1]


def test_a_picklist_is_all_or_nothing(sb, client):
    (ordinary,) = sb.add_shipments(
        1, status="APPROVED", location_id="LOC0001", hold=False
    )
    (held,) = smart(sb, 1, hold=True)
    good = smart(sb, 2)
    with pytest.raises(FlipkartError) as refused:
        client.release_picklist("LOC0001", [*good, ordinary, held, "NOPE"])
    message = str(refused.value)
    assert f"{ordinary} is not a Flipkart Smart shipment" in message
    assert f"{held} is on hold" in message and "NOPE does not exist" in message
    assert not sb.picklists
    first = client.release_picklist("LOC0001", good)
    with pytest.raises(FlipkartError, match="already in a picklist"):
        client.release_picklist("LOC0001", good[:1])
    with pytest.raises(ValueError, match="1 to 25"):
        client.release_picklist("LOC0001", smart(sb, 26))
    with pytest.raises(FlipkartError, match="does not exist"):
        client.get_picklist(first.picklist_id + "X")


def test_a_smart_label_is_one_page_with_its_invoice(sb, client):
    pypdf2 = pytest.importorskip("PyPDF2")
    ids = smart(sb, 1) + sb.add_shipments(
        1,
        status="APPROVED",
        location_id="LOC0001",
        hold=False,
        dispatch_after_date=time.time() - 3600,
    )
    pack(client, sb, ids)
    ((_batch, pdf),) = client.get_labels_pdf(ids)
    pages = [p.extract_text() for p in pypdf2.PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 3, "one Smart page, a label and an invoice page"
    assert "Flipkart Smart shipping label and tax invoice" in pages[0]
    assert ids[0] in pages[0] and "Tax Invoice" in pages[0]
    assert "Tax Invoice" not in pages[1] and "Tax Invoice" in pages[2]


def test_a_picklist_id_cannot_wander_off_its_path(client):
    for bad in ("../labels", "a/b", "", None):
        with pytest.raises(ValueError, match="not a picklist id"):
            client.get_picklist(bad)
        with pytest.raises(ValueError, match="not a picklist id"):
            client.picklist_action("confirm", bad)
