"""Flipkart Smart picklists: release (create), read, pack and confirm.

Flipkart publishes no picklist API (flipkart-api.md §7): sellers release
picklists on the Smart panel, and integrators such as Increff go through a
proxy that "releases a 25 order pickList on FK Smart and then links the
orders and the picklist Id" (seed 003). The sandbox serves that proxy's
shape so the connector's picklist adapter is tested end to end:

- ``POST /sellers/v3/smart/picklists`` ``{locationId, shipmentIds[1..25]}``:
  all or nothing; every shipment Smart, APPROVED, live, not held, at the
  location and in no other picklist.
- ``GET /sellers/v3/smart/picklists/{picklistId}``.
- ``POST .../{picklistId}/pack``: every live shipment packed (whole orders);
  shipments cancelled meanwhile leave the picklist.
- ``POST .../{picklistId}/confirm``: the handover; the packed shipments are
  marked dispatched (READY_TO_DISPATCH), once.

Every answer is the picklist: ``{picklistId, locationId, status
RELEASED|PACKED|CONFIRMED, createdAt, shipments[{shipmentId, status}]}``.
Pack and confirm repeated on a picklist already there answer it unchanged.
"""

from .constants import INVALID_SHIPMENTS, NOT_FOUND, OPERATION_NOT_ALLOWED
from .lifecycle import ShipmentError, is_smart, live_items, shipment_status
from .times import iso
from .web import ApiError, check_cap, invalid

PICKLIST_MAX = 25  # Increff's proxy releases 25-order picklists (seed 003)
LABELLED = ("PACKED", "READY_TO_DISPATCH")


class SmartPicklists:
    """Sandbox methods for Smart picklists; state in ``picklists``
    (picklistId -> picklist), forgotten by :meth:`reset_fulfilment`."""

    def release_picklist(self, location_id, shipment_ids):
        with self.lock:
            if location_id not in self.locations:
                raise ApiError(
                    403,
                    OPERATION_NOT_ALLOWED,
                    f"Location {location_id} does not belong to seller "
                    f"{self.seller_id}",
                )
            taken = {
                sid
                for picklist in self.picklists.values()
                for sid in picklist["shipmentIds"]
            }
            problems = [
                problem
                for sid in dict.fromkeys(shipment_ids)
                if (problem := self._unpicklistable(sid, location_id, taken))
            ]
            if problems:
                raise ApiError(400, INVALID_SHIPMENTS, "; ".join(problems))
            picklist_id = f"PL{len(self.picklists) + 1:08d}"
            self.picklists[picklist_id] = {
                "picklistId": picklist_id,
                "locationId": location_id,
                "status": "RELEASED",
                "createdAt": iso(self.clock(), timespec="seconds"),
                "shipmentIds": list(dict.fromkeys(shipment_ids)),
            }
            return self.picklist_view(picklist_id)

    def _unpicklistable(self, sid, location_id, taken):
        shipment = self.shipments.get(sid)
        if shipment is None:
            return f"Shipment {sid} does not exist"
        if not is_smart(shipment):
            return f"Shipment {sid} is not a Flipkart Smart shipment"
        if shipment["locationId"] != location_id:
            return f"Shipment {sid} is not at location {location_id}"
        if shipment["hold"]:
            return f"Shipment {sid} is on hold"
        status = shipment_status(shipment)
        if status != "APPROVED":
            return f"Shipment {sid} is {status}"
        if sid in taken:
            return f"Shipment {sid} is already in a picklist"
        return None

    def picklist(self, picklist_id):
        found = self.picklists.get(picklist_id)
        if found is None:
            raise ApiError(404, NOT_FOUND, f"Picklist {picklist_id} does not exist")
        return found

    def picklist_view(self, picklist_id):
        picklist = self.picklist(picklist_id)
        view = {k: v for k, v in picklist.items() if k != "shipmentIds"}
        view["shipments"] = [
            {"shipmentId": sid, "status": shipment_status(self.shipments[sid])}
            for sid in picklist["shipmentIds"]
        ]
        return view

    def pack_picklist(self, picklist_id):
        with self.lock:
            picklist = self.picklist(picklist_id)
            if picklist["status"] == "RELEASED":
                shipments = [self.shipments[sid] for sid in picklist["shipmentIds"]]
                unpacked = [
                    f"{s['shipmentId']} ({shipment_status(s)})"
                    for s in shipments
                    if live_items(s) and shipment_status(s) not in LABELLED
                ]
                if unpacked:
                    raise ApiError(
                        400,
                        INVALID_SHIPMENTS,
                        "Smart packs whole picklists: not packed yet: "
                        + ", ".join(unpacked),
                    )
                picklist["shipmentIds"] = [
                    s["shipmentId"] for s in shipments if live_items(s)
                ]
                picklist["status"] = "PACKED"
            return self.picklist_view(picklist_id)

    def confirm_picklist(self, picklist_id):
        with self.lock:
            picklist = self.picklist(picklist_id)
            if picklist["status"] == "RELEASED":
                raise ApiError(
                    400,
                    INVALID_SHIPMENTS,
                    f"Picklist {picklist_id} is not packed: pack it first",
                )
            if picklist["status"] == "PACKED":
                for sid in picklist["shipmentIds"]:
                    if shipment_status(self.shipments[sid]) == "PACKED":
                        try:
                            self.ready_to_dispatch(sid, picklist["locationId"])
                        except ShipmentError as err:  # held meanwhile
                            raise ApiError(400, INVALID_SHIPMENTS, str(err)) from err
                picklist["status"] = "CONFIRMED"
            return self.picklist_view(picklist_id)


# ------------------------------------------------------------------ routes


def create(sb, req):
    """POST /sellers/v3/smart/picklists."""
    body = req.json_object()
    location_id = body.get("locationId")
    ids = body.get("shipmentIds")
    if not isinstance(location_id, str) or not location_id:
        raise invalid("locationId is required")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise invalid("shipmentIds must be a list of shipment ids")
    check_cap(len(ids), PICKLIST_MAX, "shipmentIds")
    return sb.release_picklist(location_id, ids)


def get(sb, req, picklist_id):
    """GET /sellers/v3/smart/picklists/{picklistId}."""
    with sb.lock:
        return sb.picklist_view(picklist_id)


def pack(sb, req, picklist_id):
    """POST /sellers/v3/smart/picklists/{picklistId}/pack."""
    return sb.pack_picklist(picklist_id)


def confirm(sb, req, picklist_id):
    """POST /sellers/v3/smart/picklists/{picklistId}/confirm."""
    return sb.confirm_picklist(picklist_id)
