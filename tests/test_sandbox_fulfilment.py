"""The Flipkart sandbox's fulfilment endpoints, over real HTTP on loopback:
pack and labels, invoices, forms, ready to dispatch, handover, manifests,
self-ship and services."""

import io
import re
from datetime import datetime

import pytest
from simulator import Sandbox
from simulator.pdf import pdf_document

APP = ("sandbox-app", "sandbox-secret")
T0 = 1_700_000_000.0  # 2023-11-15 03:43:20 IST
TODAY = "2023-11-15"
YESTERDAY = "2023-11-14"
TOMORROW = "2023-11-16"
LOC = "LOC0001"  # Karnataka (KA) in the seeded location addresses


@pytest.fixture
def sb(now):
    # Tokens live for days: some tests move the clock a day on.
    return Sandbox(
        seed=1, shipments=0, listings=30, clock=lambda: now[0], token_ttl=10 * 86400
    )


# ---------------------------------------------------------------- helpers


def new(sb, n=1, **overrides):
    """Actionable APPROVED shipments at LOC0001, ordered an hour ago."""
    overrides.setdefault("status", "APPROVED")
    overrides.setdefault("hold", False)
    overrides.setdefault("location_id", LOC)
    overrides.setdefault("order_date", sb.clock() - 3600)
    overrides.setdefault("dispatch_after_date", sb.clock() - 60)
    return sb.add_shipments(n, **overrides)


def pack_entry(sb, sid, rate=18, **changes):
    shipment = sb.shipments[sid]
    entry = {
        "shipmentId": sid,
        "locationId": shipment["locationId"],
        "taxItems": [
            {
                "orderItemId": i["orderItemId"],
                "taxRate": rate,
                "quantity": i["quantity"],
            }
            for i in shipment["orderItems"]
        ],
    }
    entry.update(changes)
    return entry


def post(api, path, body, status=200):
    response = api.post(api.url(path), json=body, timeout=5)
    assert response.status_code == status, response.text
    return response


def pack(api, *entries):
    return post(api, "/v3/shipments/labels", {"shipments": list(entries)}).json()


def results(answer, key="status"):
    return {r["shipmentId"]: (r[key], r["errorCode"]) for r in answer["shipments"]}


def status_of(api, sid):
    """The state as GET /v3/shipments?shipmentIds= reports it."""
    response = api.get(api.url("/v3/shipments"), params={"shipmentIds": sid}, timeout=5)
    assert response.status_code == 200
    [shipment] = response.json()["shipments"]
    return {item["status"] for item in shipment["orderItems"]}.pop()


def error(response):
    [err] = response.json()["errors"]
    return err["errorCode"], err["errorMessage"]


def events(sb, sid):
    return [
        (e["eventType"], e["attributes"])
        for e in sb.notifications[1:]
        if e["shipmentId"] == sid
    ]


def pdf_pages(response):
    """The text of each page of a PDF answer (skipped without PyPDF2)."""
    pypdf2 = pytest.importorskip("PyPDF2")
    assert response.content.startswith(b"%PDF-1.4")
    reader = pypdf2.PdfReader(io.BytesIO(response.content), strict=True)
    return [page.extract_text() for page in reader.pages]


def packed(sb, api, now, *sids):
    """Pack ``sids`` and let the labels become ready."""
    answer = pack(api, *(pack_entry(sb, sid) for sid in sids))
    assert {s for s, _c in results(answer).values()} == {"SUCCESS"}
    now[0] += sb.label_delay
    sb.settle()


def set_vendor(sb, sid, vendor):
    for sub in sb.shipments[sid]["subShipments"]:
        for leg in sub["courierDetails"].values():
            leg["vendorName"] = vendor


# -------------------------------------------------------------------- pdf


def test_pdf_document_is_a_valid_pdf():
    pypdf2 = pytest.importorskip("PyPDF2")
    pages = [["Label (1) of C:\\labels", "Shipment ABC"], ["Second page"], []]
    data = pdf_document(pages)
    reader = pypdf2.PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert "Label (1) of C:\\labels" in first and "Shipment ABC" in first
    assert "Second page" in reader.pages[1].extract_text()
    # Every cross-reference entry points at its object.
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[xref:].startswith(b"xref\n0 10\n")
    entries = data[xref:].split(b"\n")[3:12]
    for number, entry in enumerate(entries, start=1):
        offset = int(entry.split()[0])
        assert data[offset:].startswith(b"%d 0 obj" % number)


# ------------------------------------------------------------------- pack


def test_pack_then_labels_ready_after_the_delay(sb, api, now):
    [sid] = new(sb)
    sub = {
        "subShipmentId": "SS-1",
        "dimensions": {"length": 30, "breadth": 20, "height": 10, "weight": 1.5},
    }
    answer = pack(api, pack_entry(sb, sid, subShipments=[sub]))
    assert answer == {
        "shipments": [
            {
                "shipmentId": sid,
                "status": "SUCCESS",
                "errorCode": None,
                "errorMessage": None,
            }
        ]
    }
    assert status_of(api, sid) == "PACKING_IN_PROGRESS"
    assert events(sb, sid) == []  # Flipkart sends no event for packing
    now[0] += sb.label_delay - 0.5
    assert status_of(api, sid) == "PACKING_IN_PROGRESS"
    now[0] += 0.5
    assert status_of(api, sid) == "PACKED"  # settled by the request itself
    assert events(sb, sid) == [("shipment_packed", {"status": "PACKED"})]
    details = api.get(api.url(f"/v3/shipments/{sid}"), timeout=5).json()
    [detail_sub] = details["shipments"][0]["subShipments"]
    assert detail_sub["courierDetails"]["pickupDetails"]["trackingId"]
    assert detail_sub["shipmentDimensions"] == {
        "length": 30.0,
        "breadth": 20.0,
        "height": 10.0,
        "weight": 1.5,
    }
    assert sb.packing == {}


def test_label_delay_is_a_setting(now):
    sb = Sandbox(seed=1, shipments=0, listings=5, clock=lambda: now[0], label_delay=60)
    assert sb.label_delay == 60
    [sid] = new(sb)
    sb.pack(pack_entry(sb, sid))
    now[0] += 59
    sb.settle()
    assert sb.shipments[sid]["orderItems"][0]["status"] == "PACKING_IN_PROGRESS"
    sb.label_delay = 0  # a plain attribute: later packs follow it
    [other] = new(sb)
    sb.pack(pack_entry(sb, other))
    sb.settle()
    assert sb.shipments[other]["orderItems"][0]["status"] == "PACKED"


def test_pack_refusals(sb, api, now):
    [ok, away, held, late, packing, done, cancelled] = new(sb, 7)
    [tax_missing, tax_rate, tax_text, tax_qty] = new(sb, 4, items=2)
    [bad_date, early_date, future_date, wrong_order, mps] = new(sb, 5)
    sb.shipments[mps]["mps"] = True
    sb.shipments[mps]["subShipments"].append(
        {"subShipmentId": "SS-2", "packages": [], "courierDetails": None}
    )
    [elsewhere] = new(sb, location_id="LOC0002")
    sb.hold(held)
    sb.change_dispatch_dates(late, dispatch_after=now[0] + 3600)
    sb.pack(pack_entry(sb, packing))
    sb.set_status(done, "PACKED")
    sb.cancel_items(cancelled)

    def taxes(sid, **change):
        entry = pack_entry(sb, sid)
        entry["taxItems"][0].update(change)
        return entry

    def invoice(sid, day):
        order_id = sb.shipments[sid]["orderId"]
        return pack_entry(sb, sid, invoices=[{"orderId": order_id, "invoiceDate": day}])

    missing = pack_entry(sb, tax_missing)
    missing["taxItems"].pop()
    dims = {"length": 1, "breadth": 1, "height": 1, "weight": 1}
    answer = pack(
        api,
        pack_entry(sb, ok),
        {"shipmentId": "nope", "locationId": LOC, "taxItems": []},
        pack_entry(sb, away, locationId="LOC9"),
        pack_entry(sb, elsewhere, locationId=LOC),
        pack_entry(sb, held),
        pack_entry(sb, late),
        pack_entry(sb, packing),
        pack_entry(sb, done),
        pack_entry(sb, cancelled),
        missing,
        taxes(tax_rate, taxRate=101),
        taxes(tax_text, taxRate="18"),
        taxes(tax_qty, quantity=99),
        invoice(bad_date, "15/11/2023"),
        invoice(early_date, "2023-11-01"),
        invoice(future_date, TOMORROW),
        pack_entry(
            sb, wrong_order, invoices=[{"orderId": "OD1", "invoiceDate": TODAY}]
        ),
        pack_entry(
            sb, mps, subShipments=[{"subShipmentId": "SS-1", "dimensions": dims}]
        ),
    )
    codes = results(answer)
    messages = {r["shipmentId"]: r["errorMessage"] for r in answer["shipments"]}
    assert codes == {
        ok: ("SUCCESS", None),
        "nope": ("FAILURE", "INVALID_SHIPMENTS"),
        away: ("FAILURE", "OPERATION_NOT_ALLOWED"),
        elsewhere: ("FAILURE", "INVALID_SHIPMENTS"),
        held: ("FAILURE", "INVALID_SHIPMENTS"),
        late: ("FAILURE", "INVALID_SHIPMENTS"),
        packing: ("FAILURE", "ORDER_ITEM_PACKING_IN_PROGRESS"),
        done: ("FAILURE", "INVALID_SHIPMENTS"),
        cancelled: ("FAILURE", "INVALID_SHIPMENTS"),
        tax_missing: ("FAILURE", "INVALID_REQUEST_TAX"),
        tax_rate: ("FAILURE", "INVALID_REQUEST_TAX"),
        tax_text: ("FAILURE", "INVALID_REQUEST_TAX"),
        tax_qty: ("FAILURE", "INVALID_REQUEST_TAX"),
        bad_date: ("FAILURE", "INVALID_REQUEST_DATE_FORMAT"),
        early_date: ("FAILURE", "INVALID_REQUEST_DATE_FORMAT"),
        future_date: ("FAILURE", "INVALID_REQUEST_DATE_FORMAT"),
        wrong_order: ("FAILURE", "INVALID_SHIPMENTS"),
        mps: ("FAILURE", "INVALID_SHIPMENTS"),
    }
    assert "on hold" in messages[held]
    assert "dispatchAfterDate" in messages[late]
    assert "cancelled" in messages[cancelled]
    assert "PACKED" in messages[done]
    assert "lack order item" in messages[tax_missing]
    assert "0 to 100" in messages[tax_rate] and "0 to 100" in messages[tax_text]
    assert "quantity" in messages[tax_qty]
    assert "between the order date" in messages[future_date]
    assert "SS-2" in messages[mps]
    refused = set(codes) - {ok, "nope", packing, done, cancelled}
    for sid in refused:
        assert sb.shipments[sid]["orderItems"][0]["status"] == "APPROVED"
        assert sid not in sb.invoices
    assert status_of(api, ok) == "PACKING_IN_PROGRESS"


def test_pack_accepts_mps_dimensions_and_iso_invoice_dates(sb, api, now):
    [sid] = new(sb, mps=3)
    shipment = sb.shipments[sid]
    assert shipment["mps"] is True
    subs = [
        {
            "subShipmentId": f"SS-{n}",
            "dimensions": {"length": 10, "breadth": 10, "height": n, "weight": 0.5},
        }
        for n in (1, 2, 3)
    ]
    invoices = [
        {
            "orderId": shipment["orderId"],
            "invoiceDate": "2023-11-14T22:00:00.000Z",  # 2023-11-15 in IST
            "invoiceNumber": "INV-0001",
        }
    ]
    answer = pack(api, pack_entry(sb, sid, subShipments=subs, invoices=invoices))
    assert results(answer) == {sid: ("SUCCESS", None)}
    assert sb.invoices[sid]["invoiceDate"] == TODAY
    now[0] += sb.label_delay
    assert status_of(api, sid) == "PACKED"
    vendors = {
        sub["courierDetails"]["pickupDetails"]["vendorName"]
        for sub in shipment["subShipments"]
    }
    assert len(vendors) == 1  # the packages of one shipment share a courier
    assert [
        sub["shipmentDimensions"]["height"] for sub in shipment["subShipments"]
    ] == [
        1.0,
        2.0,
        3.0,
    ]


def test_pack_caps_and_malformed_bodies(sb, api):
    ids = new(sb, 26)
    url = api.url("/v3/shipments/labels")
    too_many = {"shipments": [pack_entry(sb, sid) for sid in ids]}
    response = api.post(url, json=too_many, timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "UNPROCESSABLE_ENTITY"
    for body in ({"shipments": []}, {"shipments": "x"}, {"shipments": [1]}, {}):
        response = api.post(url, json=body, timeout=5)
        assert response.status_code == 400, body
        assert error(response)[0] == "UNPROCESSABLE_ENTITY"
    response = api.post(url, data="{", timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "INVALID_REQUEST_JSON"
    assert all(
        sb.shipments[sid]["orderItems"][0]["status"] == "APPROVED" for sid in ids
    )


def test_cancelled_while_packing_is_not_packed(sb, api, now):
    [sid] = new(sb)
    pack(api, pack_entry(sb, sid))
    sb.cancel_items(sid, by="seller")
    now[0] += sb.label_delay
    assert status_of(api, sid) == "CANCELLED"
    assert [t for t, _a in events(sb, sid)] == ["shipment_cancelled"]


# ----------------------------------------------------------------- labels


def test_labels_refused_while_generating_then_a_pdf(sb, api, now):
    a, b = new(sb, 2)
    [approved] = new(sb)
    pack(api, pack_entry(sb, a), pack_entry(sb, b))
    url = api.url(f"/v3/shipments/{a},{b}/labels")
    response = api.get(url, timeout=5)
    assert response.status_code == 400
    code, message = error(response)
    assert code == "INVALID_SHIPMENTS"
    assert "still being generated" in message and a in message and b in message
    response = api.get(api.url(f"/v3/shipments/{approved}/labels"), timeout=5)
    assert response.status_code == 400
    assert "not packed" in error(response)[1]
    response = api.get(api.url("/v3/shipments/unknown/labels"), timeout=5)
    assert error(response)[0] == "INVALID_SHIPMENTS"
    now[0] += sb.label_delay
    response = api.get(url, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pages = pdf_pages(response)
    assert len(pages) == 4  # a label and an invoice page per shipment
    for label, invoice, sid in ((pages[0], pages[1], a), (pages[2], pages[3], b)):
        shipment = sb.shipments[sid]
        tracking = shipment["subShipments"][0]["courierDetails"]["deliveryDetails"]
        assert sid in label and shipment["orderId"] in label
        assert tracking["trackingId"] in label and tracking["vendorName"] in label
        assert shipment["deliveryAddress"]["firstName"] in label
        assert shipment["orderItems"][0]["sku"] in label
        assert "Tax Invoice" in invoice
        assert sb.invoices[sid]["invoiceNumber"] in invoice
    over = ",".join(f"S{n}" for n in range(101))
    response = api.get(api.url(f"/v3/shipments/{over}/labels"), timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "UNPROCESSABLE_ENTITY"


def test_label_only_pdf_reprint_and_bytes(sb, api, now):
    a, b = new(sb, 2)
    packed(sb, api, now, a, b)
    path = f"/v3/shipments/{a},{b}/labelOnly"
    response = api.post(api.url(path + "/pdf"), params={"reprint": "true"}, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pages = pdf_pages(response)
    assert len(pages) == 2 and all("REPRINT" in page for page in pages)
    assert a in pages[0] and b in pages[1]
    first = api.post(api.url(path + "/pdf"), json={"reprint": False}, timeout=5)
    assert "REPRINT" not in pdf_pages(first)[0]
    raw = api.post(api.url(path), json={"reprint": False}, timeout=5)
    assert raw.headers["Content-Type"] == "application/octet-stream"
    assert raw.content == first.content
    response = api.post(api.url(path + "/pdf"), params={"reprint": "maybe"}, timeout=5)
    assert response.status_code == 400
    over = ",".join([a] * 1 + [f"S{n}" for n in range(50)])
    response = api.post(api.url(f"/v3/shipments/{over}/labelOnly/pdf"), timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "UNPROCESSABLE_ENTITY"


# --------------------------------------------------------------- invoices


def test_invoices_json_gst_split_and_amounts(sb, api, now):
    intra, inter = new(sb, 2, items=2)
    sb.shipments[intra]["deliveryAddress"]["stateCode"] = "KA"  # as LOC0001
    sb.shipments[inter]["deliveryAddress"]["stateCode"] = "MH"
    assert sb.location_addresses[LOC]["stateCode"] == "KA"
    order_id = sb.shipments[intra]["orderId"]
    given = [{"orderId": order_id, "invoiceDate": YESTERDAY, "invoiceNumber": "S-7"}]
    sb.shipments[intra]["orderItems"][0]["orderDate"] = "2023-11-13T10:00:00.000+05:30"
    sb.shipments[intra]["orderItems"][1]["orderDate"] = "2023-11-13T10:00:00.000+05:30"
    pack(api, pack_entry(sb, intra, rate=18, invoices=given))
    pack(api, pack_entry(sb, inter, rate=12))
    url = api.url(f"/v3/shipments/{intra},{inter}/invoices")
    response = api.get(url, timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "INVALID_SHIPMENTS"
    now[0] += sb.label_delay
    response = api.get(url, timeout=5)
    assert response.status_code == 200
    first, second = response.json()["invoices"]
    assert (first["shipmentId"], first["invoiceNumber"]) == (intra, "S-7")
    assert first["invoiceDate"] == YESTERDAY
    assert second["shipmentId"] == inter and second["invoiceDate"] == TODAY
    assert re.fullmatch(r"FAB[A-Z0-9]{6}\d{7}", second["invoiceNumber"])
    for invoice, sid, split in (
        (first, intra, {"cgstRate": 9.0, "sgstRate": 9.0, "igstRate": 0.0}),
        (second, inter, {"cgstRate": 0.0, "sgstRate": 0.0, "igstRate": 12.0}),
    ):
        items = sb.shipments[sid]["orderItems"]
        assert [line["orderItemId"] for line in invoice["orderItems"]] == [
            i["orderItemId"] for i in items
        ]
        for line, item in zip(invoice["orderItems"], items, strict=True):
            prices = item["priceComponents"]
            assert (
                line["invoiceAmount"]
                == prices["sellingPrice"] + prices["shippingCharge"]
            )
            assert line["taxRate"] == split["cgstRate"] * 2 + split["igstRate"]
            assert line["taxDetails"] == split
            assert line["serialNumbers"] == []
    # Tests may change a stored invoice (a mismatch on Flipkart's side).
    sb.invoices[inter]["invoiceNumber"] = "CHANGED"
    again = api.get(api.url(f"/v3/shipments/{inter}/invoices"), timeout=5).json()
    assert again["invoices"][0]["invoiceNumber"] == "CHANGED"


def test_invoices_pdf(sb, api, now):
    [sid] = new(sb)
    sb.shipments[sid]["deliveryAddress"]["stateCode"] = "KA"
    serials = [{"orderItemId": sb.shipments[sid]["orderItems"][0]["orderItemId"]}]
    serials[0]["serialNumbers"] = [["SN-1", "IMEI-2"]]
    pack(api, pack_entry(sb, sid, serialNumbers=serials))
    now[0] += sb.label_delay
    response = api.get(
        api.url(f"/v3/shipments/{sid}/invoices"),
        headers={"Accept": "application/pdf"},
        timeout=5,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    [page] = pdf_pages(response)
    assert sb.invoices[sid]["invoiceNumber"] in page
    assert "CGST 9%" in page and "SGST 9%" in page and "IGST 0%" in page
    assert "SN-1/IMEI-2" in page
    assert sb.invoices[sid]["orderItems"][0]["serialNumbers"] == [["SN-1", "IMEI-2"]]


def test_shipments_packed_without_pack_get_a_listing_rate_invoice(sb, api):
    [sid] = new(sb)
    sb.set_status(sid, "PACKED")
    body = api.get(api.url(f"/v3/shipments/{sid}/invoices"), timeout=5).json()
    [line] = body["invoices"][0]["orderItems"]
    sku = sb.shipments[sid]["orderItems"][0]["sku"]
    assert line["taxRate"] == sb.listings[sku]["tax"]["goods_services_rate"]


# --------------------------------------------------------------- dispatch


def test_ready_to_dispatch_success_and_refusals(sb, api, now):
    [ok, approved, packing, rtd, held, form_failed, cancelled] = new(sb, 7)
    [elsewhere] = new(sb, location_id="LOC0002")
    [self_ship] = new(sb, shipment_type="SELF")
    sb.fail_forms(form_failed, "FORM600TG")
    sb.pack(pack_entry(sb, form_failed))
    now[0] += sb.label_delay
    sb.settle()
    sb.set_status(ok, "PACKED")
    sb.set_status(elsewhere, "PACKED")
    sb.set_status(self_ship, "PACKED")
    sb.pack(pack_entry(sb, packing))
    sb.set_status(rtd, "READY_TO_DISPATCH")
    sb.set_status(held, "PACKED")
    sb.hold(held)
    sb.cancel_items(cancelled)
    ids = [ok, approved, packing, rtd, held, form_failed, cancelled, elsewhere]
    ids += [self_ship, "nope"]
    answer = post(
        api, "/v3/shipments/dispatch", {"shipmentIds": ids, "locationId": LOC}
    ).json()
    assert results(answer) == {
        ok: ("SUCCESS", None),
        approved: ("FAILURE", "ORDER_ITEM_NOT_PACKED"),
        packing: ("FAILURE", "ORDER_ITEM_PACKING_IN_PROGRESS"),
        rtd: ("FAILURE", "INVALID_SHIPMENTS"),
        held: ("FAILURE", "INVALID_SHIPMENTS"),
        form_failed: ("FAILURE", "INVALID_SHIPMENTS"),
        cancelled: ("FAILURE", "INVALID_SHIPMENTS"),
        elsewhere: ("FAILURE", "INVALID_SHIPMENTS"),
        self_ship: ("FAILURE", "OPERATION_NOT_ALLOWED"),
        "nope": ("FAILURE", "INVALID_SHIPMENTS"),
    }
    messages = {r["shipmentId"]: r["errorMessage"] for r in answer["shipments"]}
    assert "already ready to dispatch" in messages[rtd]
    assert "updateAck" in messages[form_failed]
    assert status_of(api, ok) == "READY_TO_DISPATCH"
    assert events(sb, ok)[-1] == (
        "shipment_ready_to_dispatch",
        {"status": "READY_TO_DISPATCH"},
    )
    url = api.url("/v3/shipments/dispatch")
    missing = api.post(url, json={"shipmentIds": [ok]}, timeout=5)
    assert missing.status_code == 400
    too_many = {"shipmentIds": [f"S{n}" for n in range(26)], "locationId": LOC}
    response = api.post(url, json=too_many, timeout=5)
    assert response.status_code == 400
    assert error(response)[0] == "UNPROCESSABLE_ENTITY"


def test_handover_counts_group_by_vendor(sb, api):
    ekart = new(sb, 3)
    delhivery = new(sb, 1)
    [mps] = new(sb, mps=2)
    [other_location] = new(sb, location_id="LOC0002")
    [only_packed] = new(sb)
    for sid in [*ekart, *delhivery, mps, other_location]:
        sb.set_status(sid, "READY_TO_DISPATCH")
    sb.set_status(only_packed, "PACKED")
    for sid in [*ekart, mps, other_location, only_packed]:
        set_vendor(sb, sid, "Ekart Logistics")
    set_vendor(sb, delhivery[0], "Delhivery")
    response = api.get(
        api.url("/v3/shipments/handover/counts"), params={"locationId": LOC}, timeout=5
    )
    assert response.status_code == 200
    groups = response.json()
    assert [(g["vendorGroupCode"], g["count"], g["isMps"]) for g in groups] == [
        ("DELHIVERY", 1, False),
        ("EKART_LOGISTICS", 3, False),
        ("EKART_LOGISTICS", 1, True),
    ]
    for group in groups:
        assert set(group) == {"vendorGroupCode", "count", "isMps", "pickUpDate", "otc"}
        assert group["pickUpDate"] == {
            "from": f"{TODAY}T10:00:00.000+05:30",
            "to": f"{TODAY}T18:00:00.000+05:30",
        }
        assert re.fullmatch(r"\d{6}", group["otc"]["code"])
        assert group["otc"]["error_code"] is None
    url = api.url("/v3/shipments/handover/counts")
    response = api.get(url, timeout=5)
    assert response.status_code == 400
    assert api.get(url, params={"locationId": "LOC9"}, timeout=5).status_code == 403


def test_manifest_pdf_and_refusals(sb, api):
    ekart = new(sb, 45)
    [delhivery] = new(sb)
    for sid in [*ekart, delhivery]:
        sb.set_status(sid, "READY_TO_DISPATCH")
        set_vendor(sb, sid, "Ekart Logistics")
    set_vendor(sb, delhivery, "Delhivery")
    body = {"params": {"vendorGroupCode": "EKART_LOGISTICS", "locationId": LOC}}
    response = post(api, "/v3/shipments/manifest", body)
    assert response.headers["Content-Type"] == "application/pdf"
    pages = pdf_pages(response)
    assert len(pages) == 2  # 40 rows a page
    text = "\n".join(pages)
    assert "Vendor group: EKART_LOGISTICS" in text and "Shipments: 45" in text
    for sid in ekart:
        shipment = sb.shipments[sid]
        tracking = shipment["subShipments"][0]["courierDetails"]["pickupDetails"]
        assert sid in text and shipment["orderId"] in text
        assert tracking["trackingId"] in text
    assert delhivery not in text
    [record] = sb.manifests
    assert record["vendorGroupCode"] == "EKART_LOGISTICS"
    assert record["locationId"] == LOC
    assert sorted(record["shipmentIds"]) == sorted(ekart)
    url = api.url("/v3/shipments/manifest")
    nothing = {"params": {"vendorGroupCode": "SHADOWFAX", "locationId": LOC}}
    response = api.post(url, json=nothing, timeout=5)
    assert response.status_code == 400
    assert "No READY_TO_DISPATCH shipments" in error(response)[1]
    mps = {"params": dict(body["params"], is_mps=True)}
    response = api.post(url, json=mps, timeout=5)
    assert response.status_code == 400 and "pickupDate" in error(response)[1]
    assert api.post(url, json={}, timeout=5).status_code == 400
    assert len(sb.manifests) == 1


# ------------------------------------------------------------------ forms


def test_form_failed_then_ack_then_packed(sb, api, now):
    [sid] = new(sb)
    sb.fail_forms(sid, ["FORM600TG", "FORM38"])
    pack(api, pack_entry(sb, sid))
    now[0] += sb.label_delay
    assert status_of(api, sid) == "FORM_FAILED"
    assert events(sb, sid) == [
        (
            "shipment_form_failed",
            {"status": "FORM_FAILED", "forms": ["FORM600TG", "FORM38"]},
        )
    ]
    for method in ("GET", "POST"):
        response = api.request(method, api.url(f"/v3/shipments/{sid},nope/forms"))
        [row] = response.json()["shipments"]
        assert row["shipmentId"] == sid
        assert [(f["name"], f["status"], f["automated"]) for f in row["forms"]] == [
            ("FORM600TG", "FAILED", False),
            ("FORM38", "FAILED", False),
        ]
        assert all(f["link"].startswith("https://") for f in row["forms"])
    labels = api.get(api.url(f"/v3/shipments/{sid}/labels"), timeout=5)
    assert labels.status_code == 400
    ack = "/v3/shipments/forms/updateAck"
    partial = {"shipmentId": sid, "forms": [{"name": "FORM600TG", "ackNumber": "A1"}]}
    empty = {"shipmentId": sid, "forms": [{"name": "FORM600TG", "ackNumber": "A1"}]}
    empty["forms"].append({"name": "FORM38", "ackNumber": " "})
    answer = post(api, ack, {"shipments": [partial]}).json()
    [result] = answer["shipments"]
    assert result["status"] == "FAILURE" and "FORM38" in result["errorMessage"]
    answer = post(api, ack, {"shipments": [empty]}).json()
    assert "FORM38" in answer["shipments"][0]["errorMessage"]
    assert status_of(api, sid) == "FORM_FAILED"
    full = {
        "shipmentId": sid,
        "forms": [
            {"name": "FORM600TG", "ackNumber": "A1"},
            {"name": "FORM38", "ackNumber": "B2"},
        ],
    }
    answer = post(api, ack, {"shipments": [full]}).json()
    assert results(answer) == {sid: ("SUCCESS", None)}
    assert status_of(api, sid) == "PACKED"
    assert events(sb, sid)[-1] == ("shipment_packed", {"status": "PACKED"})
    forms = sb.shipments[sid]["forms"]
    assert [(f["status"], f["ackNumber"]) for f in forms] == [
        ("ACKNOWLEDGED", "A1"),
        ("ACKNOWLEDGED", "B2"),
    ]
    assert sb.shipments[sid]["subShipments"][0]["courierDetails"]
    assert api.get(api.url(f"/v3/shipments/{sid}/labels"), timeout=5).status_code == 200
    again = post(api, ack, {"shipments": [full]}).json()
    assert again["shipments"][0]["status"] == "FAILURE"  # PACKED now


# -------------------------------------------------------------- self-ship


def self_ship_entry(sb, sid, **changes):
    shipment = sb.shipments[sid]
    entry = {
        "shipmentId": sid,
        "locationId": shipment["locationId"],
        "dispatchDate": f"{TODAY}T03:00:00.000+05:30",
        "tentativeDeliveryDate": f"{TOMORROW}T18:00:00.000+05:30",
        "deliveryPartner": "Blue Dart",
        "deliveryPartnerCode": "BLUEDART",
        "trackingId": "BD123456",
        "invoice": {
            "invoiceNumber": "SELF-1",
            "invoiceDate": TODAY,
            "items": [
                {
                    "orderItemId": item["orderItemId"],
                    "quantity": item["quantity"],
                    "serialNumbers": [],
                }
                for item in shipment["orderItems"]
            ],
        },
    }
    entry.update(changes)
    return entry


def test_self_ship_dispatch_attempt_and_delivery(sb, api, now):
    [sid] = new(sb, shipment_type="SELF")
    answer = post(
        api,
        "/v3/shipments/selfShip/dispatch",
        {"shipments": [self_ship_entry(sb, sid)]},
    ).json()
    assert answer == {
        "shipments": [
            {
                "shipmentId": sid,
                "processingStatus": "SUCCESS",
                "errorCode": None,
                "errorMessage": None,
            }
        ]
    }
    assert status_of(api, sid) == "SHIPPED"
    courier = sb.shipments[sid]["subShipments"][0]["courierDetails"]
    assert courier["deliveryDetails"] == {
        "trackingId": "BD123456",
        "vendorName": "Blue Dart",
    }
    invoice = sb.invoices[sid]
    assert (invoice["invoiceNumber"], invoice["invoiceDate"]) == ("SELF-1", TODAY)
    sku = sb.shipments[sid]["orderItems"][0]["sku"]
    rate = sb.listings[sku]["tax"]["goods_services_rate"]
    assert invoice["orderItems"][0]["taxRate"] == rate
    attempt = {
        "shipmentId": sid,
        "locationId": LOC,
        "deliveryDate": TODAY,
        "failureAttributes": {
            "reason": "CUSTOMER_UNAVAILABLE",
            "subReason": "DOOR_LOCKED",
            "newDeliveryDate": TOMORROW,
        },
    }
    answer = post(
        api, "/v3/shipments/selfShip/deliveryAttempt", {"shipments": [attempt]}
    )
    assert results(answer.json(), "processingStatus") == {sid: ("SUCCESS", None)}
    assert sb.delivery_attempts[sid] == [
        {
            "deliveryDate": TODAY,
            "reason": "CUSTOMER_UNAVAILABLE",
            "subReason": "DOOR_LOCKED",
            "newDeliveryDate": TOMORROW,
        }
    ]
    assert status_of(api, sid) == "SHIPPED"
    no_new_date = dict(attempt, failureAttributes={"reason": "X"})
    answer = post(
        api, "/v3/shipments/selfShip/deliveryAttempt", {"shipments": [no_new_date]}
    ).json()
    assert "newDeliveryDate" in answer["shipments"][0]["errorMessage"]
    now[0] += 86400
    delivered = {"shipmentId": sid, "locationId": LOC, "deliveryDate": TOMORROW}
    answer = post(api, "/v3/shipments/selfShip/delivery", {"shipments": [delivered]})
    assert results(answer.json(), "processingStatus") == {sid: ("SUCCESS", None)}
    assert status_of(api, sid) == "DELIVERED"
    assert [t for t, _a in events(sb, sid)] == [
        "shipment_shipped",
        "shipment_delivered",
    ]
    assert events(sb, sid)[0][1] == {"status": "SHIPPED"}


def test_self_ship_refusals(sb, api):
    [normal] = new(sb)
    selfs = new(sb, 8, shipment_type="SELF")

    def without(entry, key, inner=None):
        if inner:
            del entry[key][inner]
        else:
            del entry[key]
        return entry

    entries = [
        self_ship_entry(sb, normal),
        without(self_ship_entry(sb, selfs[0]), "dispatchDate"),
        without(self_ship_entry(sb, selfs[1]), "tentativeDeliveryDate"),
        without(self_ship_entry(sb, selfs[2]), "invoice", "invoiceDate"),
        without(self_ship_entry(sb, selfs[3]), "invoice", "items"),
        without(self_ship_entry(sb, selfs[4]), "deliveryPartnerCode"),
        self_ship_entry(sb, selfs[5], dispatchDate=TOMORROW),
        self_ship_entry(sb, selfs[6], tentativeDeliveryDate=YESTERDAY),
    ]
    bad_qty = self_ship_entry(sb, selfs[7])
    bad_qty["invoice"]["items"][0]["quantity"] += 1
    entries.append(bad_qty)
    answer = post(api, "/v3/shipments/selfShip/dispatch", {"shipments": entries}).json()
    rows = [
        (r["processingStatus"], r["errorCode"], r["errorMessage"])
        for r in answer["shipments"]
    ]
    assert all(status == "FAILURE" for status, _c, _m in rows)
    assert rows[0][1] == "OPERATION_NOT_ALLOWED"
    named = ("dispatchDate", "tentativeDeliveryDate", "invoice.invoiceDate")
    named += ("invoice.items", "deliveryPartnerCode")
    for (_s, code, message), field in zip(rows[1:6], named, strict=True):
        assert code == "UNPROCESSABLE_ENTITY" and field in message
    assert rows[6][1] == rows[7][1] == "INVALID_REQUEST_DATE_FORMAT"
    assert rows[8][1] == "QUANTITY_MISMATCH_ERROR"
    for sid in [normal, *selfs]:
        assert sb.shipments[sid]["orderItems"][0]["status"] == "APPROVED"
    delivered = {"shipmentId": selfs[0], "locationId": LOC, "deliveryDate": TODAY}
    answer = post(api, "/v3/shipments/selfShip/delivery", {"shipments": [delivered]})
    assert answer.json()["shipments"][0]["processingStatus"] == "FAILURE"
    many = {"shipments": [{"shipmentId": f"S{n}"} for n in range(101)]}
    response = api.post(
        api.url("/v3/shipments/selfShip/dispatch"), json=many, timeout=5
    )
    assert response.status_code == 400


def test_self_ship_pack_gives_no_courier(sb, api, now):
    [sid] = new(sb, shipment_type="SELF")
    packed(sb, api, now, sid)
    assert sb.shipments[sid]["orderItems"][0]["status"] == "PACKED"
    assert sb.shipments[sid]["subShipments"][0]["courierDetails"] is None
    answer = post(
        api,
        "/v3/shipments/selfShip/dispatch",
        {"shipments": [self_ship_entry(sb, sid)]},
    ).json()
    assert answer["shipments"][0]["processingStatus"] == "SUCCESS"


def test_tracking_update(sb, api):
    [sid] = new(sb, shipment_type="SELF")
    [normal] = new(sb)
    post(
        api,
        "/v3/shipments/selfShip/dispatch",
        {"shipments": [self_ship_entry(sb, sid)]},
    )
    body = {
        "shipment_id": sid,
        "tracking_id": "DTDC-9",
        "seller_id": sb.seller_id,
        "delivery_partner": "DTDC",
        "tentative_delivery_date": TOMORROW,
    }
    answer = post(api, f"/v3/shipments/{sid}/update", body).json()
    assert answer == {"shipmentId": sid, "status": "SUCCESS"}
    legs = sb.shipments[sid]["subShipments"][0]["courierDetails"]
    assert legs["pickupDetails"] == {"trackingId": "DTDC-9", "vendorName": "DTDC"}
    response = post(
        api, f"/v3/shipments/{normal}/update", dict(body, shipment_id=normal), 400
    )
    assert error(response)[0] == "OPERATION_NOT_ALLOWED"
    post(api, f"/v3/shipments/{sid}/update", dict(body, seller_id="OTHER"), 403)


def test_services_attempt_and_complete(sb, api):
    [with_service] = new(sb, services=True)
    [plain] = new(sb)
    [undelivered] = new(sb, services=True)
    for sid in (with_service, plain):
        sb.set_status(sid, "DELIVERED")
    service_id = sb.shipments[with_service]["services"][0]["serviceFulfilmentId"]

    def call(action, *sids):
        body = {
            "services": [
                {"shipmentId": sid, "locationId": LOC, "deliveryDate": TODAY}
                for sid in sids
            ]
        }
        return post(api, f"/v2/services/{action}", body).json()["services"]

    [attempted] = call("attempt", with_service)
    assert attempted == {
        "serviceFulfilmentId": service_id,
        "status": "SUCCESS",
        "failureReason": None,
    }
    assert status_of(api, with_service) == "DELIVERED"
    done, no_service, early = call("complete", with_service, plain, undelivered)
    assert done["status"] == "SUCCESS" and done["serviceFulfilmentId"] == service_id
    assert (
        no_service["status"] == "FAILURE"
        and "no service" in no_service["failureReason"]
    )
    assert early["status"] == "FAILURE" and "DELIVERED" in early["failureReason"]
    items = sb.shipments[with_service]["orderItems"]
    assert {item["status"] for item in items} == {"COMPLETED"}
    assert sb.shipments[plain]["orderItems"][0]["status"] == "DELIVERED"


def test_mps_and_services_overrides(sb):
    [sid] = sb.add_shipments(1, mps=3, services=True)
    shipment = sb.shipments[sid]
    assert shipment["mps"] is True
    assert [sub["subShipmentId"] for sub in shipment["subShipments"]] == [
        "SS-1",
        "SS-2",
        "SS-3",
    ]
    [service] = shipment["services"]
    assert re.fullmatch(r"SF\d{16}", service["serviceFulfilmentId"])
    by = datetime.fromisoformat(shipment["dispatchByDate"]).timestamp()
    due = datetime.fromisoformat(service["serviceByDate"]).timestamp()
    assert abs(due - (by + 3 * 86400)) < 0.01
    [plain] = sb.add_shipments(1)
    assert "services" not in sb.shipments[plain]
    assert sb.shipments[plain]["mps"] is False
    with pytest.raises(ValueError):
        sb.add_shipments(1, mps=1)


def test_reset_fulfilment_forgets_the_side_state(sb, now):
    a, b = new(sb, 2)
    sb.fail_forms(b, "FORM600TG")
    sb.pack(pack_entry(sb, a))
    sb.manifests.append({"vendorGroupCode": "X"})
    sb.delivery_attempts[a] = [{}]
    sb.reset_fulfilment()
    assert (sb.packing, sb.invoices, sb.form_failures) == ({}, {}, {})
    assert (sb.manifests, sb.delivery_attempts) == ([], {})
