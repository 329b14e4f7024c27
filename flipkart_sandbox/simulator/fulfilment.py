"""Packing, invoices, state forms and dispatch on Flipkart's courier
(flipkart-api.md §2, §3).

APPROVED -(POST labels)-> PACKING_IN_PROGRESS -(``label_delay`` seconds on
the sandbox clock)-> PACKED, or FORM_FAILED when a state form fails
(``fail_forms``), which ``forms/updateAck`` turns into PACKED -(POST
dispatch)-> READY_TO_DISPATCH. The courier's pickup stays with
``set_status`` and the ``pick_up_complete`` helper.

Labels are made asynchronously, as on Flipkart: :meth:`Fulfilment.settle`
makes the transitions that are due, and the app calls it before every
request, so reads always see them. The invoice is made when packing is
accepted and kept, in the documented JSON shape, in ``sandbox.invoices``.
"""

import random
import re
import string
from datetime import date, datetime
from functools import partial

from .constants import (
    FORM_LINK,
    INVALID_REQUEST_DATE_FORMAT,
    INVALID_REQUEST_TAX,
    INVALID_SHIPMENTS,
    INVOICE_PREFIX,
    IST,
    OPERATION_NOT_ALLOWED,
    ORDER_ITEM_NOT_PACKED,
    ORDER_ITEM_PACKING_IN_PROGRESS,
    SELF_SHIPMENT_TYPE,
    TWOGUD,
    UNPROCESSABLE_ENTITY,
)
from .lifecycle import ShipmentError, live_items, shipment_status
from .times import epoch

DIMENSIONS = ("length", "breadth", "height", "weight")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


# ------------------------------------------------------------- request values


def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def ist_day(ts):
    """The IST calendar date of epoch seconds."""
    return datetime.fromtimestamp(ts, IST).date()


def parse_day(value, what):
    """The date of ``YYYY-MM-DD`` or of an ISO 8601 date-time (its IST date).

    The v3 schemas type these fields as date-times and the older pages as
    dates, so both are taken. Anything else: INVALID_REQUEST_DATE_FORMAT.
    """
    error = ShipmentError(
        f"{what} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got {value!r}",
        INVALID_REQUEST_DATE_FORMAT,
    )
    if not isinstance(value, str) or not value:
        raise error
    try:
        if _DAY.fullmatch(value):
            return date.fromisoformat(value)
        return ist_day(epoch(value[:-1] + "+00:00" if value[-1] == "Z" else value))
    except ValueError as err:
        raise error from err


def required_day(data, key, what=None):
    """``parse_day`` of ``data[key]``; a missing value fails UNPROCESSABLE_ENTITY."""
    what = what or key
    if data.get(key) in (None, ""):
        raise ShipmentError(f"{what} is required", UNPROCESSABLE_ENTITY)
    return parse_day(data[key], what)


def order_day(shipment):
    return min(ist_day(epoch(i["orderDate"])) for i in shipment["orderItems"])


def check_invoice_day(shipment, day, now, what):
    """An invoice is dated between the order date and today."""
    first, today = order_day(shipment), ist_day(now)
    if not first <= day <= today:
        raise ShipmentError(
            f"{what} {day.isoformat()} must be between the order date "
            f"{first.isoformat()} and today {today.isoformat()}",
            INVALID_REQUEST_DATE_FORMAT,
        )


def serial_numbers(shipment, entries, what="serialNumbers"):
    """``{orderItemId: [[serial, ...], ...]}`` of ``[{orderItemId, serialNumbers}]``."""
    if entries is None:
        return {}
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ShipmentError(f"{what} must be a list of {{orderItemId, serialNumbers}}")
    live = {item["orderItemId"] for item in live_items(shipment)}
    found = {}
    for entry in entries:
        item_id = entry.get("orderItemId")
        if item_id not in live:
            raise ShipmentError(
                f"{what}: {item_id!r} is not a live order item of shipment "
                f"{shipment['shipmentId']}"
            )
        serials = entry.get("serialNumbers")
        if not isinstance(serials, list) or not all(
            isinstance(unit, list) and all(isinstance(s, str) for s in unit)
            for unit in serials
        ):
            raise ShipmentError(
                f"{what} of order item {item_id} must be a list of lists of strings"
            )
        found[item_id] = serials
    return found


def _tax_rates(shipment, tax_items, refurbished=False):
    """``{orderItemId: taxRate}`` of the pack request's taxItems;
    ``refurbished`` (2GUD): each must give its ``purchasePrice``."""
    sid = shipment["shipmentId"]
    if not isinstance(tax_items, list) or not all(
        isinstance(t, dict) for t in tax_items
    ):
        raise ShipmentError(
            "taxItems must be a list of {orderItemId, taxRate, quantity}",
            INVALID_REQUEST_TAX,
        )
    live = {item["orderItemId"]: item for item in live_items(shipment)}
    rates = {}
    for tax in tax_items:
        item_id = tax.get("orderItemId")
        if item_id not in live or item_id in rates:
            raise ShipmentError(
                f"taxItems: {item_id!r} is not a live order item of shipment {sid} "
                "(or is given twice)",
                INVALID_REQUEST_TAX,
            )
        rate, quantity = tax.get("taxRate"), tax.get("quantity")
        if not is_number(rate) or not 0 <= rate <= 100:
            raise ShipmentError(
                f"taxRate of order item {item_id} must be a number from 0 to 100, "
                f"got {rate!r}",
                INVALID_REQUEST_TAX,
            )
        expected = live[item_id]["quantity"]
        if isinstance(quantity, bool) or quantity != expected:
            raise ShipmentError(
                f"quantity of order item {item_id} must be its quantity {expected}, "
                f"got {quantity!r}",
                INVALID_REQUEST_TAX,
            )
        purchase = tax.get("purchasePrice")
        if purchase is None and refurbished:
            raise ShipmentError(
                f"purchasePrice of order item {item_id} is required for "
                "refurbished goods",
                INVALID_REQUEST_TAX,
            )
        if purchase is not None and (not is_number(purchase) or purchase < 0):
            raise ShipmentError(
                f"purchasePrice of order item {item_id} must be a positive number",
                INVALID_REQUEST_TAX,
            )
        rates[item_id] = float(rate)
    missing = sorted(set(live) - set(rates))
    if missing:
        raise ShipmentError(
            f"taxItems lack order item(s) {', '.join(missing)} of shipment {sid}",
            INVALID_REQUEST_TAX,
        )
    return rates


def _dimensions(shipment, entries):
    """``{subShipmentId: dimensions}`` of the pack request; every package of
    an mps shipment needs them."""
    sid = shipment["shipmentId"]
    entries = entries or []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ShipmentError(
            "subShipments must be a list of {subShipmentId, dimensions}"
        )
    known = [sub["subShipmentId"] for sub in shipment["subShipments"]]
    found = {}
    for entry in entries:
        sub_id, dims = entry.get("subShipmentId"), entry.get("dimensions")
        if sub_id not in known:
            raise ShipmentError(f"Shipment {sid} has no sub-shipment {sub_id!r}")
        if not isinstance(dims, dict) or not all(
            is_number(dims.get(key)) and dims[key] > 0 for key in DIMENSIONS
        ):
            raise ShipmentError(
                f"Sub-shipment {sub_id} of shipment {sid}: dimensions need positive "
                "length, breadth, height and weight"
            )
        found[sub_id] = {key: float(dims[key]) for key in DIMENSIONS}
    missing = [sub_id for sub_id in known if sub_id not in found]
    if shipment.get("mps") and missing:
        raise ShipmentError(
            f"Shipment {sid} is mps: dimensions are required for every "
            f"sub-shipment, missing {', '.join(missing)}"
        )
    return found


def _invoice_header(shipment, entries, now):
    """(invoiceNumber or None, invoice date or None) of the pack request."""
    if not entries:
        return None, None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ShipmentError("invoices must be a list of {orderId, invoiceDate}")
    mine = [e for e in entries if e.get("orderId") == shipment["orderId"]]
    others = sorted({str(e.get("orderId")) for e in entries} - {shipment["orderId"]})
    if others or len(mine) != 1:
        raise ShipmentError(
            f"invoices must hold one entry for order {shipment['orderId']} of "
            f"shipment {shipment['shipmentId']}"
            + (f", not {', '.join(others)}" if others else "")
        )
    [entry] = mine
    day = required_day(entry, "invoiceDate")
    check_invoice_day(shipment, day, now, "invoiceDate")
    number = entry.get("invoiceNumber")
    if number is not None and not (isinstance(number, str) and number.strip()):
        raise ShipmentError("invoiceNumber must be a non-empty string when given")
    return (number.strip() if number else None), day


def vendor_group_code(vendor_name):
    """Handover group of a courier: its name upper-cased, spaces to ``_``."""
    return re.sub(r"[^A-Z0-9]+", "_", vendor_name.upper()).strip("_")


def courier_vendor(shipment):
    """The vendorName picking the shipment up, or None (self-ship, unpacked)."""
    for sub in shipment.get("subShipments") or ():
        courier = sub.get("courierDetails") or {}
        leg = courier.get("pickupDetails") or courier.get("deliveryDetails") or {}
        if leg.get("vendorName"):
            return leg["vendorName"]
    return None


class InvoiceNumbers:
    """Flipkart's invoice numbers when the seller sends none: ``FAB``, a
    seeded six-character code, a seven-digit counter (16 characters)."""

    def __init__(self, seed):
        rng = random.Random(f"invoices:{seed}")
        alphabet = string.ascii_uppercase + string.digits
        self.code = "".join(rng.choice(alphabet) for _ in range(6))
        self.count = 0

    def next(self):
        self.count += 1
        return f"{INVOICE_PREFIX}{self.code}{self.count:07d}"


# --------------------------------------------------------------- the mixin


class Fulfilment:
    """Sandbox methods for packing and dispatch; they need what
    :class:`~.lifecycle.ShipmentLifecycle` needs plus ``label_delay``,
    ``packing``, ``invoices``, ``form_failures`` and ``_invoice_numbers``."""

    def reset_fulfilment(self):
        """Forget label generations under way, invoices, form failures,
        manifests, delivery attempts, self-ship dispatches, Smart picklists
        and returns (e.g. after a test restored ``shipments`` to an earlier
        copy)."""
        with self.lock:
            self.reset_returns()
            for state in (
                self.packing,
                self.invoices,
                self.form_failures,
                self.delivery_attempts,
                self.self_ship_dispatches,
                self.picklists,
                self.packed_at,
            ):
                state.clear()
            self.manifests.clear()

    # ------------------------------------------------------------ checks

    def _check_location(self, shipment, location_id):
        if location_id not in self.locations:
            raise ShipmentError(
                f"Location {location_id} does not belong to seller {self.seller_id}",
                OPERATION_NOT_ALLOWED,
            )
        if shipment["locationId"] != location_id:
            raise ShipmentError(
                f"Shipment {shipment['shipmentId']} is not at location {location_id}"
            )

    def _check_actionable(self, shipment, location_id):
        """At the seller's given location, not cancelled, not held."""
        self._check_location(shipment, location_id)
        sid = shipment["shipmentId"]
        if not live_items(shipment):
            raise ShipmentError(f"Shipment {sid} is cancelled")
        if shipment["hold"]:
            raise ShipmentError(f"Shipment {sid} is on hold: do not process it")

    def _check_packable(self, shipment):
        sid = shipment["shipmentId"]
        status = shipment_status(shipment)
        if status == "PACKING_IN_PROGRESS":
            raise ShipmentError(
                f"Labels of shipment {sid} are being generated",
                ORDER_ITEM_PACKING_IN_PROGRESS,
            )
        if status != "APPROVED":
            raise ShipmentError(
                f"Shipment {sid} is {status}: only APPROVED shipments can be packed"
            )
        if self.clock() < epoch(shipment["dispatchAfterDate"]):
            raise ShipmentError(
                f"Shipment {sid} cannot be packed before its dispatchAfterDate "
                f"{shipment['dispatchAfterDate']}"
            )

    # ------------------------------------------------------------ invoices

    def _invoice(
        self, shipment, rates=None, serials=None, number=None, day=None, purchases=None
    ):
        """The invoice in the documented JSON shape (flipkart-api.md §2).
        With ``margin_scheme`` on, an item packed with its ``purchasePrice``
        (``purchases``) is taxed on its margin: its rate is the effective
        one (GST on the margin over the amount before GST)."""
        rates, serials, purchases = rates or {}, serials or {}, purchases or {}
        seller = self.location_addresses.get(shipment["locationId"]) or {}
        buyer = shipment.get("deliveryAddress") or {}
        intra_state = bool(seller.get("stateCode")) and (
            seller.get("stateCode") == buyer.get("stateCode")
        )
        lines = []
        for item in live_items(shipment):
            item_id = item["orderItemId"]
            rate = rates.get(item_id)
            if rate is None:  # no rate given: the listing's GST rate
                listing = self.listings.get(item["sku"]) or {}
                rate = float((listing.get("tax") or {}).get("goods_services_rate", 0))
            prices = item["priceComponents"]
            # The line is invoiced at the seller's GST-inclusive selling price
            # plus the shipping charge; the Flipkart-funded discount is not
            # the seller's to invoice.
            amount = round(prices["sellingPrice"] + prices["shippingCharge"], 2)
            if self.margin_scheme and item_id in purchases:
                margin = max(0.0, amount - purchases[item_id] * item["quantity"])
                tax = margin * rate / (100 + rate)
                rate = round(tax / (amount - tax) * 100, 6) if tax else 0.0
            if intra_state:
                tax = {"cgstRate": rate / 2, "sgstRate": rate / 2, "igstRate": 0.0}
            else:
                tax = {"cgstRate": 0.0, "sgstRate": 0.0, "igstRate": rate}
            lines.append(
                {
                    "orderItemId": item_id,
                    "invoiceAmount": amount,
                    "taxRate": rate,
                    "serialNumbers": serials.get(item_id, []),
                    "taxDetails": tax,
                }
            )
        return {
            "shipmentId": shipment["shipmentId"],
            "invoiceDate": (day or ist_day(self.clock())).isoformat(),
            "invoiceNumber": number or self._invoice_numbers.next(),
            "orderItems": lines,
        }

    def invoice_for(self, shipment_id):
        """The shipment's invoice; one made now (listing GST rates, Flipkart's
        number) for shipments packed without POST labels (``set_status``,
        the starting data)."""
        with self.lock:
            if shipment_id not in self.invoices:
                shipment = self.get_shipment(shipment_id)
                self.invoices[shipment_id] = self._invoice(shipment)
            return self.invoices[shipment_id]

    # ------------------------------------------------------------- packing

    def pack(self, entry):
        """Accept one entry of ``POST /v3/shipments/labels`` (the documented
        dict: shipmentId, locationId, taxItems, serialNumbers, invoices,
        subShipments, ignoreWarning) or raise ShipmentError. The items go to
        PACKING_IN_PROGRESS (no event), the invoice is made, and the labels
        are due ``label_delay`` seconds later."""
        if not isinstance(entry, dict):
            raise ShipmentError("each shipment must be an object")
        sid = entry.get("shipmentId")

        def apply(shipment):
            self._check_actionable(shipment, entry.get("locationId"))
            self._check_packable(shipment)
            now = self.clock()
            rates = _tax_rates(
                shipment, entry.get("taxItems"), self.marketplace == TWOGUD
            )
            serials = serial_numbers(shipment, entry.get("serialNumbers"))
            number, day = _invoice_header(shipment, entry.get("invoices"), now)
            dimensions = _dimensions(shipment, entry.get("subShipments"))
            ignore = entry.get("ignoreWarning")
            if ignore is not None and not isinstance(ignore, bool):
                raise ShipmentError("ignoreWarning must be true or false")
            for item in live_items(shipment):
                item["status"] = "PACKING_IN_PROGRESS"
            for sub in shipment["subShipments"]:
                if sub["subShipmentId"] in dimensions:
                    sub["shipmentDimensions"] = dimensions[sub["subShipmentId"]]
            purchases = {
                tax["orderItemId"]: tax["purchasePrice"]
                for tax in entry["taxItems"]
                if tax.get("purchasePrice") is not None
            }
            self.invoices[sid] = self._invoice(
                shipment, rates, serials, number, day, purchases
            )
            self.packing[sid] = now + self.label_delay

        self._change(sid, None, apply)

    def fail_forms(self, shipment_id, names):
        """Make the coming label generation of ``shipment_id`` fail on the
        state forms ``names`` (e.g. ``["FORM600TG"]``): it then ends in
        FORM_FAILED instead of PACKED. Call before the labels are due."""
        names = [names] if isinstance(names, str) else list(names)
        if not names or not all(isinstance(n, str) and n for n in names):
            raise ValueError("names must be non-empty form names")
        with self.lock:
            self.get_shipment(shipment_id)
            self.form_failures[shipment_id] = names

    def _attach_courier(self, shipment):
        """Courier details (not for self-ship) and dimensions, as on PACKED."""
        vendor = None
        for sub in shipment["subShipments"]:
            if sub.get("courierDetails"):
                continue
            courier, dimensions = self._factory.courier_details()
            if shipment.get("shipmentType") != SELF_SHIPMENT_TYPE:
                # The packages of an mps shipment travel with one courier.
                vendor = vendor or courier["pickupDetails"]["vendorName"]
                for leg in courier.values():
                    leg["vendorName"] = vendor
                sub["courierDetails"] = courier
            sub["shipmentDimensions"] = sub.get("shipmentDimensions") or dimensions

    def _packed(self, shipment):
        self.packed_at[shipment["shipmentId"]] = self.clock()
        for item in live_items(shipment):
            item["status"] = "PACKED"
        self._attach_courier(shipment)
        return {"status": "PACKED"}

    def _forms_failed(self, names, shipment):
        for item in live_items(shipment):
            item["status"] = "FORM_FAILED"
        sid = shipment["shipmentId"]
        shipment["forms"] = [
            {
                "name": name,
                "link": FORM_LINK.format(name=name, shipment_id=sid),
                "automated": False,
                "status": "FAILED",
            }
            for name in names
        ]
        # As documented (fixture 12): the form names only.
        return {"status": "FORM_FAILED", "forms": list(names)}

    def settle(self):
        """Finish every label generation that is due on the sandbox clock:
        PACKED (event shipment_packed) or, for shipments named in
        ``form_failures``, FORM_FAILED (event shipment_form_failed).
        Shipments that left PACKING_IN_PROGRESS meanwhile (cancelled) are
        dropped. Cheap when nothing is being packed."""
        if not self.packing:
            return
        with self.lock:
            now = self.clock()
            due = sorted((at, sid) for sid, at in self.packing.items() if at <= now)
            for _at, sid in due:
                del self.packing[sid]
                shipment = self.shipments.get(sid)
                if shipment is None or shipment_status(shipment) != (
                    "PACKING_IN_PROGRESS"
                ):
                    continue
                failed = self.form_failures.get(sid)
                if failed:
                    self._change(
                        sid, "shipment_form_failed", partial(self._forms_failed, failed)
                    )
                else:
                    self._change(sid, "shipment_packed", self._packed)

    # --------------------------------------------------------------- forms

    def acknowledge_forms(self, entry):
        """One entry of ``forms/updateAck`` ``{shipmentId, forms[{name,
        ackNumber}]}``: every failed form needs a non-empty ackNumber; the
        forms become ACKNOWLEDGED and the shipment PACKED (shipment_packed)."""
        if not isinstance(entry, dict):
            raise ShipmentError("each shipment must be an object")
        sid = entry.get("shipmentId")

        def apply(shipment):
            status = shipment_status(shipment)
            if status != "FORM_FAILED":
                raise ShipmentError(
                    f"Shipment {sid} is {status}: only FORM_FAILED shipments take "
                    "form acknowledgements"
                )
            forms = entry.get("forms")
            if not isinstance(forms, list) or not all(
                isinstance(f, dict) for f in forms
            ):
                raise ShipmentError("forms must be a list of {name, ackNumber}")
            acks = {f.get("name"): f.get("ackNumber") for f in forms}
            known = {form["name"]: form for form in shipment["forms"]}
            unknown = sorted(str(name) for name in set(acks) - set(known))
            if unknown:
                raise ShipmentError(
                    f"Shipment {sid} has no form(s) {', '.join(unknown)}"
                )
            failed = [n for n, form in known.items() if form["status"] == "FAILED"]
            missing = [
                n
                for n in failed
                if not (isinstance(acks.get(n), str) and acks[n].strip())
            ]
            if missing:
                raise ShipmentError(
                    f"Form(s) {', '.join(missing)} of shipment {sid} need a "
                    "non-empty ackNumber"
                )
            for name in failed:
                known[name].update(status="ACKNOWLEDGED", ackNumber=acks[name].strip())
            self.form_failures.pop(sid, None)
            return self._packed(shipment)

        self._change(sid, "shipment_packed", apply)

    # ------------------------------------------------------------ dispatch

    def ready_to_dispatch(self, shipment_id, location_id):
        """``POST /v3/shipments/dispatch`` for one shipment: PACKED ->
        READY_TO_DISPATCH (event shipment_ready_to_dispatch)."""

        def apply(shipment):
            self._check_actionable(shipment, location_id)
            if shipment.get("shipmentType") == SELF_SHIPMENT_TYPE:
                raise ShipmentError(
                    f"Shipment {shipment_id} is self-ship: dispatch it with "
                    "selfShip/dispatch",
                    OPERATION_NOT_ALLOWED,
                )
            status = shipment_status(shipment)
            if status != "PACKED":
                message, code = _NOT_DISPATCHABLE.get(
                    status, ("is {status}: it was handed over already", None)
                )
                raise ShipmentError(
                    f"Shipment {shipment_id} " + message.format(status=status),
                    code or INVALID_SHIPMENTS,
                )
            for item in live_items(shipment):
                item["status"] = "READY_TO_DISPATCH"
            return {"status": "READY_TO_DISPATCH"}

        self._change(shipment_id, "shipment_ready_to_dispatch", apply)

    def handover_groups(self, location_id=None):
        """``{(vendorGroupCode, mps): [shipment, ...]}`` of the shipments
        waiting for pickup (READY_TO_DISPATCH, not held, with a courier) at
        ``location_id`` (None: every location)."""
        groups = {}
        with self.lock:
            for shipment in self.shipments.values():
                vendor = courier_vendor(shipment)
                if (
                    location_id not in (None, shipment["locationId"])
                    or shipment["hold"]
                    or vendor is None
                    or shipment_status(shipment) != "READY_TO_DISPATCH"
                ):
                    continue
                key = (vendor_group_code(vendor), bool(shipment.get("mps")))
                groups.setdefault(key, []).append(shipment)
        return groups


# status -> (message after "Shipment <id> ", errorCode) for a refused dispatch
_NOT_DISPATCHABLE = {
    "APPROVED": ("is not packed: generate its labels first", ORDER_ITEM_NOT_PACKED),
    "PACKING_IN_PROGRESS": (
        "is not packed yet: its labels are being generated",
        ORDER_ITEM_PACKING_IN_PROGRESS,
    ),
    "FORM_FAILED": (
        "is FORM_FAILED: acknowledge its forms (forms/updateAck) first",
        None,
    ),
    "READY_TO_DISPATCH": ("is already ready to dispatch", None),
}
