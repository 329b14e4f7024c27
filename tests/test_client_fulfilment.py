"""Fulfilment calls of the client against the sandbox: batches, PDFs, results."""

import time

import pytest
from flipkart import FlipkartClient, FlipkartError, RetryPolicy
from flipkart.records import Invoice
from simulator import Sandbox, SandboxServer

APP, SECRET = "app-1", "secret-1"


@pytest.fixture
def sandbox():
    sb = Sandbox(seed=5, shipments=0, listings=20, apps={APP: SECRET})
    sb.label_delay = 0.0
    with SandboxServer(sb) as server:
        sb.base_url = server.base_url
        yield sb


def make_client(sb):
    return FlipkartClient(
        sb.base_url,
        APP,
        SECRET,
        retry=RetryPolicy(max_attempts=3, base=0.001, cap=0.01),
        sleep=lambda _s: None,
    )


def calls(sb, method, fragment):
    return len([c for c in sb.calls if c["method"] == method and fragment in c["path"]])


def new_shipments(sb, n, **overrides):
    values = {
        "status": "APPROVED",
        "location_id": "LOC0001",
        "hold": False,
        "dispatch_after_date": time.time() - 3600,
    }
    values.update(overrides)
    return sb.add_shipments(n, **values)


def pack_entries(sb, ids, rate=18.0):
    return [
        {
            "shipmentId": sid,
            "locationId": sb.shipments[sid]["locationId"],
            "taxItems": [
                {
                    "orderItemId": item["orderItemId"],
                    "taxRate": rate,
                    "quantity": item["quantity"],
                }
                for item in sb.shipments[sid]["orderItems"]
            ],
        }
        for sid in ids
    ]


def test_pack_in_batches_of_25_with_a_result_per_shipment(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 30)
    held = new_shipments(sandbox, 1, hold=True)
    results = client.pack_shipments(pack_entries(sandbox, ids + held))
    assert calls(sandbox, "POST", "/v3/shipments/labels") == 2
    assert all(results[sid].ok for sid in ids)
    assert not results[held[0]].ok and results[held[0]].message


def test_labels_invoices_rtd_and_manifest(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 3)
    client.pack_shipments(pack_entries(sandbox, ids))
    shipments = client.get_shipments(shipment_ids=ids)
    assert {i.status for s in shipments for i in s.order_items} == {"PACKED"}
    batches = list(client.get_labels_pdf(ids))
    assert len(batches) == 1 and batches[0][0] == ids
    assert batches[0][1].startswith(b"%PDF")
    invoices = client.get_invoices(ids)
    assert {inv.shipment_id for inv in invoices} == set(ids)
    assert all(isinstance(inv, Invoice) and inv.invoice_number for inv in invoices)
    item = invoices[0].items[0]
    assert item.tax_rate == 18.0
    assert item.igst_rate == 18.0 or item.cgst_rate + item.sgst_rate == 18.0
    assert next(client.get_invoices_pdf(ids))[1].startswith(b"%PDF")
    results = client.mark_ready_to_dispatch("LOC0001", ids)
    assert all(r.ok for r in results.values())
    groups = client.get_handover_counts("LOC0001")
    assert sum(g.count for g in groups) == 3
    assert client.get_manifest("LOC0001", groups[0].code).startswith(b"%PDF")
    # Already ready to dispatch: refused per shipment, not raised.
    again = client.mark_ready_to_dispatch("LOC0001", ids[:1])
    assert not again[ids[0]].ok


def test_pdf_calls_split_to_their_caps(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 60)
    client.pack_shipments(pack_entries(sandbox, ids))
    sandbox.reset_calls()
    assert len(list(client.get_label_only_pdf(ids))) == 2  # 50 a call
    assert calls(sandbox, "POST", "/labelOnly/pdf") == 2


def test_labels_still_generating_are_refused(sandbox):
    client = make_client(sandbox)
    sandbox.label_delay = 600
    ids = new_shipments(sandbox, 1)
    client.pack_shipments(pack_entries(sandbox, ids))
    with pytest.raises(FlipkartError) as caught:
        list(client.get_labels_pdf(ids))
    assert caught.value.code == "INVALID_SHIPMENTS"
    assert not caught.value.retryable


def test_forms_and_ack(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 1)
    sandbox.fail_forms(ids[0], ["Form 38"])
    client.pack_shipments(pack_entries(sandbox, ids))
    assert [f.name for f in client.get_forms(ids)[ids[0]]] == ["Form 38"]
    shipment = client.get_shipments(shipment_ids=ids)[0]
    assert [f.name for f in shipment.forms] == ["Form 38"]
    results = client.update_form_acks(
        [{"shipmentId": ids[0], "forms": [{"name": "Form 38", "ackNumber": "A1"}]}]
    )
    assert results[ids[0]].ok


def test_self_ship_dispatch_delivery_and_attempt(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 1, shipment_type="SELF")
    shipment = sandbox.shipments[ids[0]]
    today = time.strftime("%Y-%m-%d")
    dispatch = {
        "shipmentId": ids[0],
        "locationId": "LOC0001",
        "dispatchDate": f"{today}T00:00:00.000Z",
        "tentativeDeliveryDate": "2099-01-01T00:00:00.000Z",
        "deliveryPartner": "Delhivery",
        "deliveryPartnerCode": "DELHIVERY",
        "trackingId": "DLV1",
        "invoice": {
            "invoiceNumber": "INV1",
            "invoiceDate": today,
            "items": [
                {"orderItemId": i["orderItemId"], "quantity": i["quantity"]}
                for i in shipment["orderItems"]
            ],
        },
    }
    assert client.self_ship_dispatch([dispatch])[ids[0]].ok
    attempt = client.self_ship_delivery_attempt(
        [
            {
                "shipmentId": ids[0],
                "locationId": "LOC0001",
                "deliveryDate": f"{today}T10:00:00.000Z",
                "failureAttributes": {
                    "reason": "customer_not_available",
                    "subReason": "",
                    "newDeliveryDate": "2099-01-02T00:00:00.000Z",
                },
            }
        ]
    )
    assert attempt[ids[0]].ok
    delivered = client.self_ship_delivery(
        [
            {
                "shipmentId": ids[0],
                "locationId": "LOC0001",
                "deliveryDate": f"{today}T12:00:00.000Z",
            }
        ]
    )
    assert delivered[ids[0]].ok
    # A shipment of Flipkart's courier cannot be self-shipped.
    normal = new_shipments(sandbox, 1)
    refused = client.self_ship_dispatch([dict(dispatch, shipmentId=normal[0])])
    assert not refused[normal[0]].ok


def test_dependent_failure_marks_each_shipment_retryable(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 2)
    sandbox.faults.set(rate_dependent=1.0)
    results = client.pack_shipments(pack_entries(sandbox, ids))
    assert all(not r.ok and r.retryable for r in results.values())
    assert {r.code for r in results.values()} == {"DEPENDENT_SYSTEM_CALL_FAILED"}
    # A refusal of one shipment keeps Flipkart's code too.
    sandbox.faults.clear()
    held = new_shipments(sandbox, 1, hold=True)
    (refused,) = client.pack_shipments(pack_entries(sandbox, held)).values()
    assert not refused.ok and refused.code


def test_not_a_pdf_is_an_error(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 1)
    client.pack_shipments(pack_entries(sandbox, ids))
    response = client.request("GET", f"/v3/shipments/{ids[0]}/invoices")
    with pytest.raises(FlipkartError):
        client._pdf(response)


def test_service_results_are_matched_to_shipments_by_position(sandbox):
    client = make_client(sandbox)
    with_service = new_shipments(sandbox, 1, shipment_type="SELF", services=True)
    without = new_shipments(sandbox, 1, shipment_type="SELF")
    for sid in with_service + without:
        sandbox.set_status(sid, "SHIPPED")
        sandbox.set_status(sid, "DELIVERED")
    results = client.service_complete(
        [
            {"shipmentId": sid, "locationId": "LOC0001", "deliveryDate": "2026-01-01"}
            for sid in with_service + without
        ]
    )
    assert results[with_service[0]].ok
    assert not results[without[0]].ok and results[without[0]].message


def test_returns_pages_ids_and_actions(sandbox):
    client = make_client(sandbox)
    ids = new_shipments(sandbox, 30, status="DELIVERED")
    returns = [sandbox.create_return(sid) for sid in ids]
    pages = list(client.search_returns("customer_return", location_id="LOC0001"))
    assert len(pages) == 2  # 25 a page
    seen = [r.return_id for page in pages for r in page.returns]
    assert sorted(seen) == sorted(returns)
    first = pages[0].returns[0]
    assert first.source == "customer_return" and first.status == "created"
    assert first.shipment_id in ids and first.quantity >= 1
    assert not list(client.search_returns("courier_return"))[0].returns
    # Resuming from a page's nextUrl gives the rest.
    resumed = list(client.search_returns("customer_return", next_url=pages[0].next_url))
    assert [r.return_id for p in resumed for r in p.returns] == [
        r.return_id for r in pages[1].returns
    ]
    again = client.get_returns(returns, "customer_return")
    assert sorted(r.return_id for r in again) == sorted(returns)
    # Self-ship actions answer per return; a Flipkart-courier return is refused.
    refused = client.return_action("complete", "LOC0001", returns[:1])
    assert not refused[returns[0]].ok
    assert "OPERATION_NOT_ALLOWED" in refused[returns[0]].message


def test_returns_next_url_relative_to_v2_is_understood():
    from flipkart.client import _returns_relative

    assert _returns_relative("/v2/returns?next_token=a") == "/v2/returns?next_token=a"
    assert _returns_relative("/returns?next_token=a") == "/v2/returns?next_token=a"
    assert (
        _returns_relative("https://api.flipkart.net/sellers/v2/returns?next_token=a")
        == "/v2/returns?next_token=a"
    )
