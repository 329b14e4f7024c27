"""What happens to shipments after they are created (flipkart-api.md §3, §5).

Holds, new dispatch dates, cancellations, state changes made on Flipkart's
side (seller panel, courier) and replacements. Every change goes through
:meth:`ShipmentLifecycle._change`: checked first, so a refused change leaves
the shipment as it was, then ``updatedAt`` moves to the sandbox clock and the
matching notification is emitted.
"""

from .constants import (
    CANCELLABLE_STATES,
    DEFAULT_CANCELLATION_SUB_REASONS,
    INVALID_SHIPMENTS,
    PACKED_OR_LATER,
    SMART_SERVICE_PROFILE,
    STATUS_EVENTS,
    STATUS_FLOW,
)
from .notifications import build_event
from .shipments import search_view
from .times import as_epoch, iso


class ShipmentError(ValueError):
    """A change Flipkart would refuse for this shipment; ``code`` is the
    per-shipment errorCode the action endpoints answer with."""

    def __init__(self, message, code=INVALID_SHIPMENTS):
        super().__init__(message)
        self.code = code


def live_items(shipment):
    """The items not cancelled."""
    return [i for i in shipment["orderItems"] if i.get("status") != "CANCELLED"]


def is_smart(shipment):
    """A Flipkart Smart shipment (its items' serviceProfile)."""
    return any(
        i.get("serviceProfile") == SMART_SERVICE_PROFILE for i in shipment["orderItems"]
    )


def shipment_status(shipment):
    """The state of the live items, or CANCELLED when none is left."""
    items = live_items(shipment)
    return items[0]["status"] if items else "CANCELLED"


def created_attributes(shipment):
    """shipment_created carries the whole shipment (search shape)."""
    view = search_view(shipment)
    del view["shipmentId"], view["locationId"]  # they are in the envelope
    view["dispatchLocation"] = None
    return view


def _scale_prices(item, remaining):
    """Lower an item's quantity, its line prices in proportion."""
    ratio = remaining / item["quantity"]
    item["quantity"] = remaining
    item["priceComponents"] = {
        key: round(value * ratio, 2) for key, value in item["priceComponents"].items()
    }


class ShipmentLifecycle:
    """Sandbox methods that move shipments along; they need ``lock``,
    ``shipments``, ``clock``, ``notifier`` and the data factory."""

    # ---------------------------------------------------------- plumbing

    def get_shipment(self, shipment_id):
        """The live shipment dict, or ShipmentError."""
        shipment = self.shipments.get(shipment_id)
        if shipment is None:
            raise ShipmentError(f"Shipment {shipment_id} does not exist")
        return shipment

    def _emit(self, event_type, shipment, attributes):
        self.notifier.emit(build_event(event_type, shipment, attributes, self.clock()))

    def _announce(self, shipment):
        """Store a new shipment and emit shipment_created."""
        with self.lock:
            self.shipments[shipment["shipmentId"]] = shipment
            self._emit("shipment_created", shipment, created_attributes(shipment))

    def _change(self, shipment_id, event_type, apply):
        """The one way a shipment changes.

        ``apply(shipment)`` checks (raising ShipmentError before touching
        anything), changes the shipment and returns the event's attributes;
        ``event_type`` None sends no event.
        """
        with self.lock:
            shipment = self.get_shipment(shipment_id)
            attributes = apply(shipment)
            shipment["updatedAt"] = iso(self.clock())
            if event_type:
                self._emit(event_type, shipment, attributes)

    # ------------------------------------------------------------ holds

    def hold(self, shipment_id):
        """Flipkart holds the shipment (verification); event shipment_hold."""

        def apply(shipment):
            _refuse_cancelled(shipment)
            if shipment["hold"]:
                raise ShipmentError(f"Shipment {shipment_id} is already on hold")
            shipment["hold"] = True
            return {
                "orderItems": [
                    {"orderItemId": i["orderItemId"], "holdQuantity": i["quantity"]}
                    for i in live_items(shipment)
                ]
            }

        self._change(shipment_id, "shipment_hold", apply)

    def unhold(self, shipment_id):
        """Flipkart releases the hold; event shipment_unhold {status}."""

        def apply(shipment):
            _refuse_cancelled(shipment)
            if not shipment["hold"]:
                raise ShipmentError(f"Shipment {shipment_id} is not on hold")
            shipment["hold"] = False
            return {"status": shipment_status(shipment)}

        self._change(shipment_id, "shipment_unhold", apply)

    # ------------------------------------------------------------ dates

    def change_dispatch_dates(self, shipment_id, dispatch_after=None, dispatch_by=None):
        """New dispatch window (epoch seconds, datetimes or ISO; None keeps);
        event shipment_dispatch_dates_changed with both dates."""
        if dispatch_after is None and dispatch_by is None:
            raise ValueError("give dispatch_after, dispatch_by or both")

        def apply(shipment):
            _refuse_cancelled(shipment)
            after = _keep_or(shipment["dispatchAfterDate"], dispatch_after)
            by = _keep_or(shipment["dispatchByDate"], dispatch_by)
            if as_epoch(after) > as_epoch(by):
                raise ShipmentError("dispatchAfterDate is after dispatchByDate")
            shipment.update(dispatchAfterDate=after, dispatchByDate=by)
            return {"dispatchAfterDate": after, "dispatchByDate": by}

        self._change(shipment_id, "shipment_dispatch_dates_changed", apply)

    # ----------------------------------------------------- cancellation

    def cancel_items(self, shipment_id, quantities=None, by="buyer", sub_reason=None):
        """Cancel ``{orderItemId: quantity}`` (None: everything left).

        ``by`` is buyer, marketplace or seller: the reason becomes
        ``<by>_cancellation``. A partly cancelled item keeps its state with a
        lower quantity and prices; a wholly cancelled one is CANCELLED. Event
        shipment_cancelled with the cancelled quantities.
        """
        if by not in CANCELLABLE_STATES:
            raise ValueError(f"by must be one of {', '.join(CANCELLABLE_STATES)}")
        reason = f"{by}_cancellation"
        sub_reason = sub_reason or DEFAULT_CANCELLATION_SUB_REASONS[by]

        def apply(shipment):
            items = {i["orderItemId"]: i for i in live_items(shipment)}
            wanted = quantities
            if wanted is None:
                wanted = {item_id: i["quantity"] for item_id, i in items.items()}
            _check_cancellation(shipment_id, items, wanted, by)
            when = iso(self.clock())
            cancelled = []
            for item_id, quantity in wanted.items():
                item = items[item_id]
                if quantity < item["quantity"]:
                    _scale_prices(item, item["quantity"] - quantity)
                else:
                    item.update(
                        status="CANCELLED",
                        cancellationReason=reason,
                        cancellationSubReason=sub_reason,
                        cancellationDate=when,
                    )
                cancelled.append(
                    {
                        "orderItemId": item_id,
                        "quantity": quantity,
                        "reason": reason,
                        "subReason": sub_reason,
                    }
                )
            return {"status": shipment_status(shipment), "orderItems": cancelled}

        self._change(shipment_id, "shipment_cancelled", apply)

    # ----------------------------------------------------------- states

    def set_status(self, shipment_id, status):
        """Move the live items forward to ``status``, as Flipkart's seller
        panel or the courier would; packing adds courier details."""
        if status not in STATUS_EVENTS:
            raise ValueError(f"status must be one of {', '.join(STATUS_EVENTS)}")

        def apply(shipment):
            _refuse_cancelled(shipment)
            current = shipment_status(shipment)
            if STATUS_FLOW.index(status) <= STATUS_FLOW.index(current):
                raise ShipmentError(
                    f"Shipment {shipment_id} is {current}: it cannot go to {status}"
                )
            for item in live_items(shipment):
                item["status"] = status
            if status in PACKED_OR_LATER:
                for sub in shipment["subShipments"]:
                    if not sub.get("courierDetails"):
                        courier, dimensions = self._factory.courier_details()
                        sub["courierDetails"] = courier
                        sub["shipmentDimensions"] = dimensions
            return {"status": status}

        self._change(shipment_id, STATUS_EVENTS[status], apply)

    # ------------------------------------------------------ replacements

    def add_replacement(self, shipment_id):
        """A new shipment replacing the live items of ``shipment_id`` (same
        orderId, items flagged is_replacement); returns its id."""
        with self.lock:
            original = self.get_shipment(shipment_id)
            try:
                shipment = self._factory.replacement(original, self.clock())
            except ValueError as err:
                raise ShipmentError(str(err)) from err
            self._announce(shipment)
            return shipment["shipmentId"]


def _keep_or(current, value):
    """The stored ISO date, or ``value`` (epoch, datetime or ISO) as one."""
    return current if value is None else iso(as_epoch(value))


def _refuse_cancelled(shipment):
    if not live_items(shipment):
        raise ShipmentError(f"Shipment {shipment['shipmentId']} is cancelled")


def _check_cancellation(shipment_id, items, wanted, by):
    """Refuse a cancellation of unknown items, bad quantities or late states."""
    if not wanted:
        raise ShipmentError(f"Shipment {shipment_id} has nothing left to cancel")
    allowed = CANCELLABLE_STATES[by]
    for item_id, quantity in wanted.items():
        item = items.get(item_id)
        if item is None:
            raise ShipmentError(
                f"Order item {item_id} is not a live item of shipment {shipment_id}"
            )
        if not isinstance(quantity, int) or not 1 <= quantity <= item["quantity"]:
            raise ShipmentError(
                f"Cannot cancel {quantity!r} of order item {item_id} "
                f"(quantity {item['quantity']})"
            )
        if item["status"] not in allowed:
            raise ShipmentError(
                f"Order item {item_id} is {item['status']}: a {by} cancellation "
                f"is possible only in {', '.join(allowed)}"
            )
