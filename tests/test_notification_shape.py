"""A notification body is untrusted: only the documented shape is stored."""

import pytest
from flipkart.notification import shape_problem

SHIPMENT = {
    "eventType": "shipment_cancelled",
    "source": "flipkart",
    "version": "v3",
    "timestamp": "2026-11-30T10:00:00+05:30",
    "shipmentId": "SHIP-1",
    "locationId": "LOC0001",
    "attributes": {"status": "CANCELLED", "orderItems": [{"orderItemId": "1"}]},
}
RETURN = {
    "eventType": "return_created",
    "returnId": "R-1",
    "attributes": {"returnItems": [{"returnId": "R-1", "orderItemId": "1"}]},
}


def test_documented_shapes_pass():
    assert shape_problem(SHIPMENT) is None
    assert shape_problem(RETURN) is None
    assert shape_problem(dict(RETURN, returnId=None)) is None, "id in the items"
    assert shape_problem({"eventType": "something_new", "x": [1]}) is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (["a", "list"], "not a JSON object"),
        ({"shipmentId": "S"}, "no eventType"),
        ({"eventType": ["shipment_created"]}, "no eventType"),
        (dict(SHIPMENT, shipmentId=None), "no shipmentId"),
        (dict(SHIPMENT, shipmentId=["S1", "S2"]), "shipmentId is not an id"),
        (dict(SHIPMENT, shipmentId=True), "shipmentId is not an id"),
        (dict(SHIPMENT, locationId={"id": "LOC"}), "locationId is not an id"),
        (dict(SHIPMENT, attributes=["CANCELLED"]), "attributes is not an object"),
        (dict(SHIPMENT, attributes={"orderItems": "all"}), "orderItems"),
        (dict(RETURN, attributes={"returnItems": [["R-1"]]}), "returnItems"),
        ({"eventType": "return_completed", "attributes": {}}, "no returnId"),
    ],
)
def test_wrong_types_are_named(body, problem):
    assert problem in shape_problem(body)
