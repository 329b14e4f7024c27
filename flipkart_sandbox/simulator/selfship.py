"""Self-ship: the seller's own courier (flipkart-api.md §2, §3).

APPROVED (or PACKED) -(selfShip/dispatch)-> SHIPPED -(selfShip/delivery)->
DELIVERED -(services/complete, when the shipment has a service item)->
COMPLETED. Failed delivery attempts (selfShip/deliveryAttempt) are recorded
in ``sandbox.delivery_attempts`` and leave the shipment SHIPPED; the
tracking update changes the courier details. Only shipments of shipmentType
SELF take these calls; others fail with OPERATION_NOT_ALLOWED.

The self-ship calls answer ``{shipmentId, processingStatus, errorCode,
errorMessage}`` per shipment (fixture 14); the services calls
``services[{serviceFulfilmentId, status, failureReason}]``.
"""

from functools import partial

from .actions import batch, per_shipment
from .constants import (
    INVALID_REQUEST_DATE_FORMAT,
    OPERATION_NOT_ALLOWED,
    QUANTITY_MISMATCH_ERROR,
    SELF_SHIP_MAX,
    SELF_SHIPMENT_TYPE,
    SERVICES_MAX,
    UNPROCESSABLE_ENTITY,
)
from .fulfilment import (
    check_invoice_day,
    ist_day,
    parse_day,
    required_day,
    serial_numbers,
)
from .lifecycle import ShipmentError, live_items, shipment_status
from .web import ApiError

BAD_DATE = INVALID_REQUEST_DATE_FORMAT

# ------------------------------------------------------------------ checks


def _required_text(data, key, what=None):
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ShipmentError(f"{what or key} is required", UNPROCESSABLE_ENTITY)
    return value.strip()


def _require_self(shipment):
    if shipment.get("shipmentType") != SELF_SHIPMENT_TYPE:
        raise ShipmentError(
            f"Shipment {shipment['shipmentId']} is {shipment.get('shipmentType')}, "
            "not self-ship: Flipkart's courier carries it",
            OPERATION_NOT_ALLOWED,
        )


def _require_status(shipment, *allowed):
    status = shipment_status(shipment)
    if status not in allowed:
        raise ShipmentError(
            f"Shipment {shipment['shipmentId']} is {status}: this needs "
            f"{' or '.join(allowed)}"
        )


def _invoice_items(shipment, invoice):
    """Check the self-ship invoice's items against the live items; returns
    their serial numbers."""
    items = invoice.get("items")
    if not isinstance(items, list) or not items:
        raise ShipmentError("invoice.items is required", UNPROCESSABLE_ENTITY)
    if not all(isinstance(item, dict) for item in items):
        raise ShipmentError("invoice.items must be a list of objects")
    live = {item["orderItemId"]: item["quantity"] for item in live_items(shipment)}
    given = {item.get("orderItemId"): item.get("quantity") for item in items}
    unknown = sorted(str(item_id) for item_id in set(given) - set(live))
    if unknown:
        raise ShipmentError(
            f"invoice.items: {', '.join(unknown)} not live order item(s) of "
            f"shipment {shipment['shipmentId']}"
        )
    for item_id, quantity in live.items():
        if isinstance(given.get(item_id), bool) or given.get(item_id) != quantity:
            raise ShipmentError(
                f"invoice.items: order item {item_id} needs quantity {quantity}, "
                f"got {given.get(item_id)!r}",
                QUANTITY_MISMATCH_ERROR,
            )
    return serial_numbers(
        shipment,
        [i for i in items if i.get("serialNumbers") is not None],
        "invoice.items serialNumbers",
    )


def _set_courier(shipment, partner, tracking_id):
    for sub in shipment["subShipments"]:
        leg = {"trackingId": tracking_id, "vendorName": partner}
        sub["courierDetails"] = {"pickupDetails": dict(leg), "deliveryDetails": leg}


# --------------------------------------------------------------- the mixin


class SelfShip:
    """Sandbox methods of self-ship shipments and service items; they need
    what :class:`~.fulfilment.Fulfilment` needs plus ``delivery_attempts``
    and ``self_ship_dispatches``."""

    def _self_ship_target(self, shipment, entry, *states):
        self._check_location(shipment, entry.get("locationId"))
        _require_self(shipment)
        _require_status(shipment, *states)

    def self_ship_dispatch(self, entry):
        """One entry of ``selfShip/dispatch``: APPROVED or PACKED -> SHIPPED
        (event shipment_shipped); the courier details become the given
        partner and tracking id; the invoice is stored in ``invoices``."""
        sid = entry.get("shipmentId")

        def apply(shipment):
            self._self_ship_target(shipment, entry, "APPROVED", "PACKED")
            if shipment["hold"]:
                raise ShipmentError(f"Shipment {sid} is on hold: do not process it")
            now = self.clock()
            today = ist_day(now)
            if required_day(entry, "dispatchDate") > today:
                raise ShipmentError("dispatchDate must not be after today", BAD_DATE)
            if required_day(entry, "tentativeDeliveryDate") < today:
                raise ShipmentError(
                    "tentativeDeliveryDate must not be before today", BAD_DATE
                )
            code = _required_text(entry, "deliveryPartnerCode")
            invoice = entry.get("invoice")
            if not isinstance(invoice, dict):
                raise ShipmentError("invoice is required", UNPROCESSABLE_ENTITY)
            day = required_day(invoice, "invoiceDate", "invoice.invoiceDate")
            check_invoice_day(shipment, day, now, "invoice.invoiceDate")
            serials = _invoice_items(shipment, invoice)
            number = invoice.get("invoiceNumber")
            if number is not None and not (isinstance(number, str) and number.strip()):
                raise ShipmentError("invoice.invoiceNumber must be a non-empty string")
            partner = entry.get("deliveryPartner") or code
            # The tax rates of an earlier pack, else the listings' GST rates.
            earlier = self.invoices.get(sid) or {"orderItems": []}
            rates = {i["orderItemId"]: i["taxRate"] for i in earlier["orderItems"]}
            self.invoices[sid] = self._invoice(shipment, rates, serials, number, day)
            _set_courier(shipment, partner, entry.get("trackingId"))
            for item in live_items(shipment):
                item["status"] = "SHIPPED"
            self.self_ship_dispatches[sid] = {
                key: entry.get(key)
                for key in (
                    "dispatchDate",
                    "tentativeDeliveryDate",
                    "deliveryPartner",
                    "deliveryPartnerCode",
                    "trackingId",
                    "dispatchLocation",
                )
            }
            return {"status": "SHIPPED"}

        self._change(sid, "shipment_shipped", apply)

    def _delivery_day(self, shipment, entry, key="deliveryDate", what=None):
        day = required_day(entry, key, what)
        if day > ist_day(self.clock()):
            raise ShipmentError(f"{what or key} must not be after today", BAD_DATE)
        dispatched = self.self_ship_dispatches.get(shipment["shipmentId"]) or {}
        if dispatched.get("dispatchDate") and day < parse_day(
            dispatched["dispatchDate"], "dispatchDate"
        ):
            raise ShipmentError(f"{what or key} is before the dispatch date", BAD_DATE)
        return day

    def self_ship_delivered(self, entry):
        """One entry of ``selfShip/delivery``: SHIPPED -> DELIVERED (event
        shipment_delivered)."""
        sid = entry.get("shipmentId")

        def apply(shipment):
            self._self_ship_target(shipment, entry, "SHIPPED")
            self._delivery_day(shipment, entry)
            for item in live_items(shipment):
                item["status"] = "DELIVERED"
            record = self.self_ship_dispatches.setdefault(sid, {})
            record["deliveryDate"] = entry["deliveryDate"]
            return {"status": "DELIVERED"}

        self._change(sid, "shipment_delivered", apply)

    def delivery_attempt(self, entry):
        """One entry of ``selfShip/deliveryAttempt``: a failed attempt is
        added to ``delivery_attempts[shipmentId]``; the shipment stays
        SHIPPED and no event is sent."""
        sid = entry.get("shipmentId")

        def apply(shipment):
            self._self_ship_target(shipment, entry, "SHIPPED")
            day = self._delivery_day(shipment, entry)
            failure = entry.get("failureAttributes")
            if not isinstance(failure, dict):
                raise ShipmentError(
                    "failureAttributes is required", UNPROCESSABLE_ENTITY
                )
            new_day = required_day(
                failure, "newDeliveryDate", "failureAttributes.newDeliveryDate"
            )
            if new_day < day:
                raise ShipmentError(
                    "failureAttributes.newDeliveryDate is before the attempt", BAD_DATE
                )
            self.delivery_attempts.setdefault(sid, []).append(
                {
                    "deliveryDate": entry["deliveryDate"],
                    "reason": failure.get("reason"),
                    "subReason": failure.get("subReason"),
                    "newDeliveryDate": failure["newDeliveryDate"],
                }
            )

        self._change(sid, None, apply)

    def update_tracking(self, shipment_id, tracking_id, partner=None, tentative=None):
        """The tracking update of a SHIPPED self-ship shipment: new tracking
        id, partner (None keeps) and tentative delivery date (None keeps)."""

        def apply(shipment):
            _require_self(shipment)
            _require_status(shipment, "SHIPPED")
            if not isinstance(tracking_id, str) or not tracking_id.strip():
                raise ShipmentError("tracking_id is required", UNPROCESSABLE_ENTITY)
            if tentative is not None and parse_day(
                tentative, "tentative_delivery_date"
            ) < ist_day(self.clock()):
                raise ShipmentError(
                    "tentative_delivery_date must not be in the past", BAD_DATE
                )
            record = self.self_ship_dispatches.setdefault(shipment_id, {})
            courier = shipment["subShipments"][0].get("courierDetails") or {}
            current = (courier.get("deliveryDetails") or {}).get("vendorName")
            _set_courier(shipment, partner or current, tracking_id.strip())
            record["trackingId"] = tracking_id.strip()
            if partner:
                record["deliveryPartner"] = partner
            if tentative is not None:
                record["tentativeDeliveryDate"] = tentative

        self._change(shipment_id, None, apply)

    # ------------------------------------------------------------ services

    def service_action(self, action, entry):
        """``services/attempt`` or ``services/complete`` for one entry
        ``{shipmentId, locationId, deliveryDate}`` (the date of the visit).
        Complete moves the live items to COMPLETED (no event: Flipkart
        documents none)."""
        if action not in ("attempt", "complete"):
            raise ValueError("action must be attempt or complete")
        sid = entry.get("shipmentId")

        def apply(shipment):
            self._check_location(shipment, entry.get("locationId"))
            pending = [
                s for s in shipment.get("services") or () if s["status"] == "PENDING"
            ]
            if not pending:
                raise ShipmentError(f"Shipment {sid} has no service item to fulfil")
            _require_status(shipment, "DELIVERED")
            self._delivery_day(shipment, entry)
            service = pending[0]
            if action == "attempt":
                service.setdefault("attempts", []).append(entry["deliveryDate"])
                return
            service.update(status="COMPLETED", completedDate=entry["deliveryDate"])
            for item in live_items(shipment):
                item["status"] = "COMPLETED"

        self._change(sid, None, apply)

    def service_id(self, shipment_id):
        """The serviceFulfilmentId of the shipment's service item, or None."""
        with self.lock:
            shipment = self.shipments.get(shipment_id) or {}
            found = shipment.get("services") or [{}]
            return found[0].get("serviceFulfilmentId")


# ---------------------------------------------------------------- handlers


def _each(sb, req, method):
    entries = batch(req.json_object(), "shipments", dict, SELF_SHIP_MAX)
    return per_shipment(
        ((entry.get("shipmentId"), partial(method, entry)) for entry in entries),
        status_key="processingStatus",
    )


def dispatch(sb, req):
    """POST /sellers/v3/shipments/selfShip/dispatch."""
    return _each(sb, req, sb.self_ship_dispatch)


def delivery(sb, req):
    """POST /sellers/v3/shipments/selfShip/delivery."""
    return _each(sb, req, sb.self_ship_delivered)


def delivery_attempt(sb, req):
    """POST /sellers/v3/shipments/selfShip/deliveryAttempt."""
    return _each(sb, req, sb.delivery_attempt)


def tracking_update(sb, req, shipment_id):
    """POST /sellers/v3/shipments/{shipmentId}/update: new tracking details.

    Flipkart documents no answer; the sandbox's is ``{shipmentId, status:
    "SUCCESS"}``, and a refusal the usual error body (400).
    """
    body = req.json_object()
    if body.get("shipment_id") not in (None, shipment_id):
        raise ApiError(
            400, UNPROCESSABLE_ENTITY, "shipment_id differs from the path's shipment"
        )
    if body.get("seller_id") not in (None, sb.seller_id):
        raise ApiError(
            403,
            OPERATION_NOT_ALLOWED,
            f"Shipment {shipment_id} does not belong to seller {body['seller_id']}",
        )
    try:
        sb.update_tracking(
            shipment_id,
            body.get("tracking_id"),
            body.get("delivery_partner"),
            body.get("tentative_delivery_date"),
        )
    except ShipmentError as err:
        raise ApiError(400, err.code, str(err)) from err
    return {"shipmentId": shipment_id, "status": "SUCCESS"}


def services(sb, req, action):
    """POST /sellers/v2/services/attempt | complete."""
    entries = batch(req.json_object(), "services", dict, SERVICES_MAX)
    results = []
    for entry in entries:
        result = {
            "serviceFulfilmentId": sb.service_id(entry.get("shipmentId")),
            "status": "SUCCESS",
            "failureReason": None,
        }
        try:
            sb.service_action(action, entry)
        except ShipmentError as err:
            result.update(status="FAILURE", failureReason=str(err))
        results.append(result)
    return {"services": results}
