"""Typed records of what Flipkart answers, parsed from its documented JSON.

The Odoo side maps these to ORM values; it never reads raw JSON itself.
Unknown keys are ignored and missing ones default, so a new field on
Flipkart's side never breaks an import. Each record keeps ``raw`` for the
event log.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timezone


def parse_datetime(value):
    """An aware UTC datetime from Flipkart's ISO 8601 text, or None."""
    if not value:
        return None
    text = str(value).strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def parse_date(value):
    """A date from Flipkart's ``YYYY-MM-DD`` (or a full timestamp), or None."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _float(value):
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


@dataclass
class Token:
    """An OAuth token; expiries are epoch seconds computed from the response."""

    access_token: str
    expires_at: float
    token_type: str = "bearer"
    scope: str = ""
    refresh_token: str | None = None
    refresh_expires_at: float | None = None

    @classmethod
    def from_json(cls, data, now):
        refresh_in = data.get("refresh_token_expires_in")
        return cls(
            access_token=data["access_token"],
            token_type=data.get("token_type", "bearer"),
            scope=data.get("scope", ""),
            expires_at=now + float(data.get("expires_in") or 0),
            refresh_token=data.get("refresh_token"),
            refresh_expires_at=now + float(refresh_in) if refresh_in else None,
        )

    def expires_within(self, seconds, now):
        return self.expires_at - now <= seconds


@dataclass
class ItemResult:
    """The outcome of one item of a batch call (an SKU, a shipment, a return).

    Flipkart answers 200 to a batch even when some items fail; each item's
    status is kept here so it can be shown on its own record.
    """

    key: str
    status: str
    errors: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)
    retryable: bool = False
    code: str = ""  # Flipkart's error code, when it gave one

    @property
    def ok(self):
        return self.status in ("SUCCESS", "WARNING")

    @property
    def message(self):
        """Flipkart's own words for what went wrong, joined."""
        return "; ".join(e for e in self.errors if e)

    @classmethod
    def from_listing_update(cls, sku, data):
        data = data or {}
        errors = [
            _error_text(err)
            for err in (data.get("errors") or []) + (data.get("attribute_errors") or [])
        ]
        return cls(
            key=sku, status=data.get("status", "FAILURE"), errors=errors, raw=data
        )

    @classmethod
    def from_shipment_action(cls, data, key_field="shipmentId"):
        status = data.get("status") or data.get("processingStatus") or "FAILURE"
        errors = []
        if data.get("errorCode") or data.get("errorMessage"):
            errors.append(
                " ".join(
                    str(part)
                    for part in (data.get("errorCode"), data.get("errorMessage"))
                    if part
                )
            )
        return cls(
            key=str(data.get(key_field)),
            status=status,
            errors=errors,
            raw=data,
            code=str(data.get("errorCode") or ""),
        )


def _error_text(err):
    if isinstance(err, str):
        return err
    parts = [str(err.get(k)) for k in ("code", "description") if err.get(k) is not None]
    if err.get("attribute"):
        parts.append(f"({err['attribute']})")
    return " ".join(parts)


@dataclass
class PriceComponents:
    selling_price: float = 0.0
    customer_price: float = 0.0
    shipping_charge: float = 0.0
    total_price: float = 0.0
    flipkart_discount: float = 0.0

    @classmethod
    def from_json(cls, data):
        data = data or {}
        return cls(
            selling_price=_float(data.get("sellingPrice")),
            customer_price=_float(data.get("customerPrice")),
            shipping_charge=_float(data.get("shippingCharge")),
            total_price=_float(data.get("totalPrice")),
            flipkart_discount=_float(data.get("flipkartDiscount")),
        )


@dataclass
class OrderItem:
    order_item_id: str
    order_id: str
    sku: str
    quantity: int
    status: str = ""
    fsn: str = ""
    listing_id: str = ""
    title: str = ""
    hsn: str = ""
    payment_type: str = ""
    cancellation_group_id: str = ""
    cancellation_reason: str = ""
    order_date: datetime | None = None
    service_profile: str = ""
    is_replacement: bool = False
    price: PriceComponents = field(default_factory=PriceComponents)

    @classmethod
    def from_json(cls, data):
        return cls(
            order_item_id=str(data.get("orderItemId", "")),
            order_id=str(data.get("orderId", "")),
            sku=data.get("sku") or "",
            quantity=int(data.get("quantity") or 0),
            status=data.get("status") or "",
            fsn=data.get("fsn") or "",
            listing_id=data.get("listingId") or "",
            title=data.get("title") or "",
            hsn=data.get("hsn") or "",
            payment_type=data.get("paymentType") or "",
            cancellation_group_id=data.get("cancellationGroupId") or "",
            cancellation_reason=data.get("cancellationReason") or "",
            order_date=parse_datetime(data.get("orderDate")),
            service_profile=data.get("serviceProfile") or "",
            is_replacement=bool(data.get("is_replacement")),
            price=PriceComponents.from_json(data.get("priceComponents")),
        )


@dataclass
class Shipment:
    """A shipment as the search and by-id calls return it (no address)."""

    shipment_id: str
    location_id: str
    hold: bool = False
    dispatch_after: datetime | None = None
    dispatch_by: datetime | None = None
    updated_at: datetime | None = None
    mps: bool = False
    shipment_type: str = ""
    order_items: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    sub_shipment_ids: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data):
        return cls(
            shipment_id=str(data.get("shipmentId", "")),
            location_id=data.get("locationId") or "",
            hold=bool(data.get("hold")),
            dispatch_after=parse_datetime(data.get("dispatchAfterDate")),
            dispatch_by=parse_datetime(data.get("dispatchByDate")),
            updated_at=parse_datetime(data.get("updatedAt")),
            mps=bool(data.get("mps")),
            shipment_type=data.get("shipmentType") or "",
            order_items=[OrderItem.from_json(i) for i in data.get("orderItems") or []],
            forms=[Form.from_json(f) for f in data.get("forms") or []],
            sub_shipment_ids=[
                sub.get("subShipmentId")
                for sub in data.get("subShipments") or []
                if sub.get("subShipmentId")
            ],
            raw=data,
        )

    @property
    def is_self_ship(self):
        return self.shipment_type == "SELF"


@dataclass
class Address:
    first_name: str = ""
    last_name: str = ""
    line1: str = ""
    line2: str = ""
    landmark: str = ""
    city: str = ""
    state: str = ""
    state_code: str = ""
    pin_code: str = ""
    phone: str = ""

    @classmethod
    def from_json(cls, data):
        data = data or {}
        return cls(
            first_name=data.get("firstName") or "",
            last_name=data.get("lastName") or "",
            line1=data.get("addressLine1") or "",
            line2=data.get("addressLine2") or "",
            landmark=data.get("landmark") or "",
            city=data.get("city") or "",
            state=data.get("state") or "",
            state_code=data.get("stateCode") or "",
            pin_code=str(data.get("pinCode") or ""),
            phone=data.get("contactNumber") or "",
        )

    @property
    def name(self):
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@dataclass
class ShipmentDetails:
    """Addresses and courier details of one shipment."""

    shipment_id: str
    order_id: str = ""
    location_id: str = ""
    delivery_address: Address = field(default_factory=Address)
    billing_address: Address = field(default_factory=Address)
    tracking_ids: list = field(default_factory=list)
    courier: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data):
        tracking = []
        courier = ""
        for sub in data.get("subShipments") or []:
            details = sub.get("courierDetails") or {}
            for leg in ("deliveryDetails", "pickupDetails"):
                tracking_id = (details.get(leg) or {}).get("trackingId")
                if tracking_id and tracking_id not in tracking:
                    tracking.append(tracking_id)
                courier = courier or (details.get(leg) or {}).get("vendorName") or ""
        return cls(
            shipment_id=str(data.get("shipmentId", "")),
            order_id=str(data.get("orderId") or ""),
            location_id=data.get("locationId") or "",
            delivery_address=Address.from_json(data.get("deliveryAddress")),
            billing_address=Address.from_json(data.get("billingAddress")),
            tracking_ids=tracking,
            courier=courier,
            raw=data,
        )


@dataclass
class ListingRef:
    """One row of the listing search: enough to ask for the details."""

    sku: str
    listing_id: str = ""
    fsn: str = ""

    @classmethod
    def from_json(cls, data):
        return cls(
            sku=data.get("sku_id") or "",
            listing_id=data.get("listing_id") or "",
            fsn=data.get("product_id") or "",
        )


@dataclass
class ListingLocation:
    location_id: str
    status: str = ""
    inventory: int = 0


@dataclass
class Listing:
    sku: str
    listing_id: str = ""
    fsn: str = ""
    status: str = ""
    mrp: float = 0.0
    selling_price: float = 0.0
    hsn: str = ""
    tax_rate: float | None = None
    fulfillment_profile: str = ""
    locations: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, sku, data):
        price = data.get("price") or {}
        tax = data.get("tax") or {}
        rate = tax.get("goods_services_rate")
        return cls(
            sku=sku,
            listing_id=data.get("listing_id") or "",
            fsn=data.get("product_id") or "",
            status=data.get("listing_status") or "",
            mrp=_float(price.get("mrp")),
            selling_price=_float(
                price.get("selling_price", price.get("flipkart_selling_price"))
            ),
            hsn=tax.get("hsn") or "",
            tax_rate=_float(rate) if rate is not None else None,
            fulfillment_profile=data.get("fulfillment_profile") or "",
            locations=[
                ListingLocation(
                    location_id=loc.get("id") or "",
                    status=loc.get("status") or "",
                    inventory=int(loc.get("inventory") or 0),
                )
                for loc in data.get("locations") or []
            ],
            raw=data,
        )


@dataclass
class ListingsResult:
    """Answer of a listing get: found listings, and SKUs Flipkart doesn't know."""

    listings: dict = field(default_factory=dict)
    unavailable: list = field(default_factory=list)
    invalid: list = field(default_factory=list)

    def merge(self, data):
        for sku, item in (data.get("available") or {}).items():
            if isinstance(item, dict):
                self.listings[sku] = Listing.from_json(sku, item)
        self.unavailable.extend(data.get("unavailable") or [])
        self.invalid.extend(data.get("invalid") or [])
        return self


@dataclass
class Form:
    """A state form a shipment needs (FORM_FAILED until its ACK is sent)."""

    name: str
    status: str = ""
    link: str = ""
    automated: bool = False

    @classmethod
    def from_json(cls, data):
        return cls(
            name=data.get("name") or "",
            status=data.get("status") or "",
            link=data.get("link") or "",
            automated=bool(data.get("automated")),
        )


@dataclass
class InvoiceItem:
    order_item_id: str
    amount: float = 0.0  # invoiced amount of the item, GST included
    tax_rate: float = 0.0
    cgst_rate: float = 0.0
    sgst_rate: float = 0.0
    igst_rate: float = 0.0
    serial_numbers: list = field(default_factory=list)

    @property
    def inter_state(self):
        return bool(self.igst_rate)


@dataclass
class Invoice:
    """Flipkart's invoice of one shipment (GET .../invoices, JSON)."""

    shipment_id: str
    invoice_number: str = ""
    invoice_date: date | None = None
    items: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def total(self):
        return round(sum(item.amount for item in self.items), 2)

    @classmethod
    def from_json(cls, data):
        items = []
        for item in data.get("orderItems") or []:
            taxes = item.get("taxDetails") or {}
            items.append(
                InvoiceItem(
                    order_item_id=str(item.get("orderItemId", "")),
                    amount=_float(item.get("invoiceAmount")),
                    tax_rate=_float(item.get("taxRate")),
                    cgst_rate=_float(taxes.get("cgstRate")),
                    sgst_rate=_float(taxes.get("sgstRate")),
                    igst_rate=_float(taxes.get("igstRate")),
                    serial_numbers=item.get("serialNumbers") or [],
                )
            )
        return cls(
            shipment_id=str(data.get("shipmentId", "")),
            invoice_number=data.get("invoiceNumber") or "",
            invoice_date=parse_date(data.get("invoiceDate")),
            items=items,
            raw=data,
        )


@dataclass
class VendorGroup:
    """One courier's ready-to-dispatch shipments at a location (handover counts)."""

    code: str
    count: int = 0
    is_mps: bool = False
    pickup_from: datetime | None = None
    pickup_to: datetime | None = None
    otc: str = ""
    otc_error: str = ""
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data):
        window = data.get("pickUpDate") or data.get("pickupDate") or {}
        otc = data.get("otc") or {}
        return cls(
            code=data.get("vendorGroupCode") or "",
            count=int(data.get("count") or 0),
            is_mps=bool(data.get("isMps")),
            pickup_from=parse_datetime(window.get("from") or window.get("after")),
            pickup_to=parse_datetime(window.get("to") or window.get("before")),
            otc=otc.get("code") or "",
            otc_error=otc.get("error_code") or "",
            raw=data,
        )


@dataclass
class SmartPicklist:
    """A Flipkart Smart picklist and the states of its shipments."""

    picklist_id: str
    location_id: str = ""
    status: str = ""  # RELEASED, PACKED, CONFIRMED
    shipments: dict = field(default_factory=dict)  # shipmentId -> state
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data):
        return cls(
            picklist_id=str(data["picklistId"]),
            location_id=data.get("locationId") or "",
            status=(data.get("status") or "").upper(),
            shipments={
                str(entry["shipmentId"]): entry.get("status") or ""
                for entry in data.get("shipments") or []
            },
            raw=data,
        )


@dataclass
class ReturnItem:
    """One Flipkart return (GET /v2/returns): one order item coming back."""

    return_id: str
    order_item_id: str = ""
    order_id: str = ""
    shipment_id: str = ""
    location_id: str = ""
    quantity: int = 0
    status: str = ""  # created | completed | cancelled
    source: str = ""  # customer_return | courier_return
    reason: str = ""
    sub_reason: str = ""
    tracking_id: str = ""
    courier: str = ""
    shipment_status: str = ""
    expected_date: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    service_ids: list = field(default_factory=list)
    raw: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, data, source=""):
        return cls(
            return_id=str(data.get("returnId", "")),
            order_item_id=str(data.get("orderItemId") or ""),
            order_id=str(data.get("orderId") or ""),
            shipment_id=str(data.get("shipmentId") or ""),
            location_id=data.get("locationId") or "",
            quantity=int(data.get("quantity") or 0),
            status=(data.get("status") or "").lower(),
            source=(data.get("source") or data.get("type") or source or "").lower(),
            reason=data.get("reason") or "",
            sub_reason=data.get("subReason") or "",
            tracking_id=data.get("trackingId") or "",
            courier=data.get("courierName") or "",
            shipment_status=data.get("shipmentStatus") or "",
            expected_date=parse_datetime(data.get("expectedDate")),
            created_at=parse_datetime(data.get("createdDate")),
            updated_at=parse_datetime(data.get("updatedDate")),
            service_ids=[
                s.get("serviceFulfilmentId")
                for s in data.get("services") or []
                if s.get("serviceFulfilmentId")
            ],
            raw=data,
        )
