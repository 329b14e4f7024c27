"""The sandbox as 2GUD: refurbished listings, purchase prices at pack, and
2GUD's known label error (seed 000, "Common Issues and errors")."""

import pytest
from simulator import Sandbox

LOC = "LOC0001"


@pytest.fixture
def sb(now):
    sandbox = Sandbox(
        seed=3, shipments=0, listings=3, clock=lambda: now[0], marketplace="2GUD"
    )
    sandbox.label_delay = 0.0
    return sandbox


def pack(api, entry):
    answer = api.post(
        api.url("/v3/shipments/labels"), json={"shipments": [entry]}, timeout=5
    )
    assert answer.status_code == 200, answer.text
    ((result),) = answer.json()["shipments"]
    return result


def packable(sb, now):
    (sid,) = sb.add_shipments(
        1,
        status="APPROVED",
        location_id=LOC,
        hold=False,
        dispatch_after_date=now[0] - 3600,
    )
    items = sb.shipments[sid]["orderItems"]
    return sid, {
        "shipmentId": sid,
        "locationId": LOC,
        "taxItems": [
            {"orderItemId": i["orderItemId"], "taxRate": 18, "quantity": i["quantity"]}
            for i in items
        ],
    }


def test_2gud_lists_refurbished_goods(sb):
    assert {listing["marketplace"] for listing in sb.listings.values()} == {"2GUD"}
    assert all(
        listing["product_title"].startswith("Refurbished ")
        for listing in sb.listings.values()
    )
    with pytest.raises(ValueError, match="marketplace"):
        Sandbox(shipments=0, listings=1, marketplace="AMAZON")


def test_a_refurbished_pack_needs_the_purchase_price(sb, api, now):
    sid, entry = packable(sb, now)
    refused = pack(api, entry)
    assert refused["status"] == "FAILURE"
    assert refused["errorCode"] == "INVALID_REQUEST_TAX"
    assert "purchasePrice" in refused["errorMessage"]
    for tax in entry["taxItems"]:
        tax["purchasePrice"] = 1250.0
    assert pack(api, entry)["status"] == "SUCCESS"


def test_a_label_can_lag_behind_packed_with_invalid_shipments(sb, api, now):
    sid, entry = packable(sb, now)
    for tax in entry["taxItems"]:
        tax["purchasePrice"] = 10.0
    sb.label_lag = 60
    pack(api, entry)
    sb.settle()
    answer = api.get(api.url(f"/v3/shipments/{sid}/labels"), timeout=5)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["errorCode"] == "INVALID_SHIPMENTS"
    now[0] += 61
    assert api.get(api.url(f"/v3/shipments/{sid}/labels"), timeout=5).ok


def test_a_margin_scheme_invoice_taxes_the_margin_only(sb, api, now):
    sid, entry = packable(sb, now)
    item = sb.shipments[sid]["orderItems"][0]
    amount = (
        item["priceComponents"]["sellingPrice"]
        + item["priceComponents"]["shippingCharge"]
    )
    purchase = round(amount * 0.8 / item["quantity"], 2)
    for tax in entry["taxItems"]:
        tax["purchasePrice"] = purchase
    sb.margin_scheme = True
    pack(api, entry)
    (line,) = sb.invoices[sid]["orderItems"]
    charged = line["invoiceAmount"] * line["taxRate"] / (100 + line["taxRate"])
    margin = amount - purchase * item["quantity"]
    assert abs(charged - margin * 18 / 118) < 0.01
