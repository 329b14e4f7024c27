"""Seeded, plausible seller data: listings, locations and shipments.

Everything comes from one ``random.Random(seed)``, so the same seed (and the
same clock reading) gives the same data. Shipments are stored in the shape
the search API returns, plus the detail fields (addresses, courier) that only
``GET /v3/shipments/{ids}`` shows.
"""

import random
import string
import uuid
from copy import deepcopy

from .constants import PACKED_OR_LATER, SMART_SERVICE_PROFILE, TWOGUD
from .times import as_epoch, iso

_ALNUM = string.ascii_uppercase + string.digits

# (category prefix of the FSN, product noun, HSN, GST %)
_CATEGORIES = (
    ("DIA", "Pocket Journal", "4820", 12),
    ("TSH", "Cotton T-Shirt", "6109", 5),
    ("MOB", "Phone Case", "3926", 18),
    ("SHO", "Running Shoes", "6404", 18),
    ("TOY", "Building Blocks Set", "9503", 12),
    ("BAG", "Laptop Backpack", "4202", 18),
    ("KIT", "Steel Water Bottle", "7323", 12),
    ("BOK", "Paperback Novel", "4901", 0),
    ("COS", "Face Cream", "3304", 18),
    ("LMP", "LED Desk Lamp", "9405", 12),
)
_BRANDS = ("Lokalart", "Urbanfit", "Desiweave", "Kalakriti", "Nirmal", "Zestro")
_COLOURS = ("Red", "Blue", "Black", "Yellow", "Green", "White", "Grey")
_MRPS = (199, 249, 299, 399, 499, 599, 799, 999, 1299, 1499, 1999, 2499, 2999)

# (state, state code, city, PIN prefix)
_STATES = (
    ("Karnataka", "KA", "Bengaluru", "560"),
    ("Maharashtra", "MH", "Mumbai", "400"),
    ("Maharashtra", "MH", "Pune", "411"),
    ("Delhi", "DL", "New Delhi", "110"),
    ("Tamil Nadu", "TN", "Chennai", "600"),
    ("Telangana", "TG", "Hyderabad", "500"),
    ("West Bengal", "WB", "Kolkata", "700"),
    ("Gujarat", "GJ", "Ahmedabad", "380"),
    ("Uttar Pradesh", "UP", "Lucknow", "226"),
    ("Rajasthan", "RJ", "Jaipur", "302"),
    ("Kerala", "KL", "Kochi", "682"),
)
_FIRST_NAMES = ("Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", "Arjun")
_FIRST_NAMES += ("Kavya", "Rohan", "Meera", "Imran", "Fatima", "Harpreet", "Lakshmi")
_LAST_NAMES = ("Sharma", "Iyer", "Reddy", "Patel", "Khan", "Singh", "Nair", "Das")
_LAST_NAMES += ("Gupta", "Menon", "Banerjee", "Joshi")
_STREETS = ("MG Road", "Station Road", "Gandhi Nagar", "Nehru Street", "Park Lane")
_STREETS += ("Temple Road", "Lake View Colony", "Sector 12", "Main Bazaar")
_LANDMARKS = ("Near City Hospital", "Opp. Bus Stand", "Behind SBI Bank", "")
_COURIERS = ("Ekart Logistics", "Delhivery", "XpressBees", "Shadowfax")

# Share of generated shipments per item state; the rest are APPROVED.
_STATE_MIX = (
    ("PACKED", 0.05),
    ("READY_TO_DISPATCH", 0.04),
    ("SHIPPED", 0.03),
    ("DELIVERED", 0.03),
    ("CANCELLED", 0.03),
)
HOLD_SHARE = 0.12  # of APPROVED shipments: about 10 % of all
SPLIT_ORDER_SHARE = 0.05  # shipments that join the previous shipment's order

SHIPMENT_OVERRIDES = frozenset(
    {
        "hold",
        "location_id",
        "sku",
        "skus",
        "lines",
        "items",
        "quantity",
        "status",
        "payment_type",
        "order_id",
        "order_date",
        "dispatch_after_date",
        "dispatch_by_date",
        "service_profile",
        "shipment_type",
        "mps",
        "services",
    }
)

HOUR = 3600.0


class DataFactory:
    """Makes listings and shipments from one seeded random stream."""

    def __init__(self, seed, locations, smart_locations=(), marketplace="FLIPKART"):
        self.rng = random.Random(seed)
        self.locations = tuple(locations)
        # 2GUD sells refurbished goods through the same API family.
        self.marketplace = marketplace
        # Locations of a Flipkart Smart seller: their orders are Smart ones.
        self.smart_locations = frozenset(smart_locations)
        self._order_item_ids = set()
        self._orders = {}  # orderId -> date, payment type, address
        self._last = None

    # ------------------------------------------------------------ helpers

    def _code(self, n, alphabet=_ALNUM):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def _digits(self, n):
        return str(self.rng.randint(1, 9)) + self._code(n - 1, string.digits)

    def _unique(self, make, seen):
        value = make()
        while value in seen:
            value = make()
        seen.add(value)
        return value

    def _new_order_id(self):
        while True:
            order_id = "OD1" + self._code(17, string.digits)
            if order_id not in self._orders:
                return order_id

    # ----------------------------------------------------------- listings

    def listings(self, count):
        """``{sku: listing}`` in the shape of GET /listings/v3/{skus}."""
        result = {}
        fsns = set()
        for n in range(1, count + 1):
            # 2GUD's SKUs read apart from Flipkart's (refurbished goods).
            sku = f"{'RFB' if self.marketplace == TWOGUD else 'SKU'}-{n:05d}"
            prefix, noun, hsn, rate = self.rng.choice(_CATEGORIES)
            fsn = self._unique(lambda p=prefix: p + self._code(13), fsns)
            mrp = self.rng.choice(_MRPS)
            selling = int(round(mrp * self.rng.uniform(0.6, 1.0)))
            title = f"{self.rng.choice(_BRANDS)} {noun} {self.rng.choice(_COLOURS)}"
            if self.marketplace == TWOGUD:
                title = f"Refurbished {title}"
            result[sku] = {
                "listing_id": f"LST{fsn}{self._code(6)}",
                "product_id": fsn,
                "product_title": title,
                "product_url": f"https://www.flipkart.com/p/itm{fsn.lower()}",
                "price": {
                    "mrp": mrp,
                    "selling_price": selling,
                    "flipkart_selling_price": selling,
                    "currency": "INR",
                },
                "tax": {
                    "hsn": hsn,
                    "tax_code": f"GST_{rate}",
                    "is_gst_sellable": True,
                    "goods_services_rate": rate,
                },
                "listing_status": "ACTIVE",
                "shipping_fees": {
                    "local": 0,
                    "zonal": 0,
                    "national": 0,
                    "currency": "INR",
                },
                "marketplace": self.marketplace,
                "fulfillment_profile": "NON_FBF",
                "fulfillment": {
                    "dispatch_sla": self.rng.choice((1, 2, 3)),
                    "shipping_provider": "FLIPKART",
                    "procurement_type": "REGULAR",
                },
                "packages": [],
                "locations": [
                    {
                        "id": loc,
                        "status": "ENABLED",
                        "inventory": self.rng.randint(0, 50),
                    }
                    for loc in self.locations
                ],
                "archived_status": "NONE",
            }
        return result

    # ---------------------------------------------------------- locations

    def location_addresses(self, seller_name):
        """A warehouse address per location id (seller and return address)."""
        addresses = {}
        for n, loc in enumerate(self.locations):
            state, code, city, pin = _STATES[n % len(_STATES)]
            addresses[loc] = {
                "sellerName": seller_name,
                "pinCode": pin + f"{n + 11:03d}",
                "city": city,
                "state": state,
                "stateCode": code,
                "addressLine1": f"Warehouse {n + 1}, Industrial Area Phase {n % 3 + 1}",
                "addressLine2": city,
                "landmark": "",
            }
        return addresses

    # ---------------------------------------------------------- shipments

    def address(self, first=None, last=None, state=None):
        st, code, city, pin = state or self.rng.choice(_STATES)
        return {
            "firstName": first or self.rng.choice(_FIRST_NAMES),
            "lastName": last or self.rng.choice(_LAST_NAMES),
            "pinCode": pin + f"{self.rng.randint(1, 99):03d}",
            "city": city,
            "state": st,
            "stateCode": code,
            "addressLine1": f"{self.rng.randint(1, 400)}, {self.rng.choice(_STREETS)}",
            "addressLine2": city,
            "landmark": self.rng.choice(_LANDMARKS),
            "contactNumber": self.rng.choice("6789") + self._code(9, string.digits),
        }

    def _status(self):
        roll = self.rng.random()
        for status, share in _STATE_MIX:
            if roll < share:
                return status
            roll -= share
        return "APPROVED"

    def _order_time(self, now, status):
        if status in ("SHIPPED", "DELIVERED"):
            return now - self.rng.uniform(72, 240) * HOUR
        return now - self.rng.uniform(0.5, 48) * HOUR

    def _dates(self, now, ordered, status):
        """dispatchAfterDate, dispatchByDate, updatedAt (epochs)."""
        after = ordered + self.rng.uniform(0, 4) * HOUR
        if status == "APPROVED" and self.rng.random() < 0.1:
            after = now + self.rng.uniform(1, 24) * HOUR  # not actionable yet
        by = max(after, ordered + 24 * HOUR) + self.rng.uniform(4, 48) * HOUR
        if status == "APPROVED":
            updated = ordered + self.rng.uniform(60, 2 * HOUR)
        else:
            updated = ordered + self.rng.uniform(2, 60) * HOUR
        return after, by, max(ordered, min(now, updated))

    def _price_components(self, unit_price, quantity):
        """Line totals (quantity included); see flipkart-api.md §3."""
        selling = float(unit_price * quantity)
        discount = 0.0
        if self.rng.random() < 0.2:
            discount = float(round(selling * self.rng.choice((0.05, 0.1))))
        customer = selling - discount
        shipping = 40.0 if customer < 500 and self.rng.random() < 0.5 else 0.0
        return {
            "sellingPrice": selling,
            "customerPrice": customer,
            "shippingCharge": shipping,
            "totalPrice": customer + shipping,
            "flipkartDiscount": discount,
        }

    def _new_order_item_id(self):
        return self._unique(lambda: self._digits(16), self._order_item_ids)

    def _order_item(self, listing, sku, quantity, order, status, service_profile):
        item_id = self._new_order_item_id()
        cancelled = status == "CANCELLED"
        reason = (
            self.rng.choice(("buyer", "seller", "marketplace")) if cancelled else ""
        )
        return {
            "orderItemId": item_id,
            "orderId": order["orderId"],
            "cancellationGroupId": f"grp{item_id}",
            "orderDate": order["orderDate"],
            "cancellationDate": order["cancelledAt"] if cancelled else None,
            "paymentType": order["paymentType"],
            "status": status,
            "cancellationReason": f"{reason}_cancellation" if cancelled else None,
            "cancellationSubReason": "not_enough_inventory" if cancelled else None,
            "courierReturn": False,
            "quantity": quantity,
            "fsn": listing["product_id"],
            "sku": sku,
            "listingId": listing["listing_id"],
            "hsn": listing["tax"]["hsn"],
            "title": listing["product_title"],
            "packageIds": [],
            "priceComponents": self._price_components(
                listing["price"]["selling_price"], quantity
            ),
            "serviceProfile": service_profile,
            "is_replacement": False,
        }

    def _order(self, opts, now, status):
        """The order a new shipment belongs to: given, the previous one, or new."""
        order_id = opts.get("order_id")
        if order_id and order_id in self._orders:
            order = self._orders[order_id]
        elif not order_id and self._last and self.rng.random() < SPLIT_ORDER_SHARE:
            order = self._last
        else:
            ordered = self._order_time(now, status)
            if opts.get("order_date") is not None:
                ordered = as_epoch(opts["order_date"])
            order = {
                "orderId": order_id or self._new_order_id(),
                "orderDate": iso(ordered),
                "paymentType": "COD" if self.rng.random() < 0.4 else "PREPAID",
                "cancelledAt": iso(min(now, ordered + 2 * HOUR)),
                "delivery": self.address(),
            }
            if opts.get("payment_type"):
                order["paymentType"] = opts["payment_type"]
            self._orders[order["orderId"]] = order
        self._last = order
        return order

    def _lines(self, listings, opts):
        """[(sku, quantity or None)]: the given lines, SKUs, or random SKUs."""
        lines = opts.get("lines")
        if lines is None:
            skus = opts.get("skus") or ([opts["sku"]] if opts.get("sku") else None)
            if not skus:
                count = opts.get("items") or self.rng.choice((1, 1, 1, 2, 2, 3))
                skus = self.rng.sample(sorted(listings), min(count, len(listings)))
            lines = [(sku, opts.get("quantity")) for sku in skus]
        unknown = [sku for sku, _qty in lines if sku not in listings]
        if unknown:
            raise ValueError(f"no listing for SKU(s) {unknown}")
        return list(lines)

    def shipment(self, listings, now, **opts):
        """One new shipment (search shape plus detail fields).

        ``lines`` ([(sku, quantity)]) fixes every item; otherwise ``skus`` or
        ``sku`` pick the SKUs and ``quantity`` the quantity of each.
        """
        unknown = set(opts) - SHIPMENT_OVERRIDES
        if unknown:
            raise TypeError(f"unknown shipment overrides: {sorted(unknown)}")
        status = opts.get("status") or self._status()
        order = self._order(opts, now, status)
        ordered = as_epoch(order["orderDate"])
        after, by, updated = self._dates(now, ordered, status)
        if opts.get("dispatch_after_date") is not None:
            after = as_epoch(opts["dispatch_after_date"])
        if opts.get("dispatch_by_date") is not None:
            by = as_epoch(opts["dispatch_by_date"])
        service_profile = opts.get("service_profile") or "NON_FBF"
        items = []
        for sku, quantity in self._lines(listings, opts):
            quantity = quantity or self.rng.randint(1, 3)
            items.append(
                self._order_item(
                    listings[sku], sku, quantity, order, status, service_profile
                )
            )
        hold = opts.get("hold")
        if hold is None:
            hold = status == "APPROVED" and self.rng.random() < HOLD_SHARE
        location = opts.get("location_id") or self.rng.choice(self.locations)
        if not opts.get("service_profile") and location in self.smart_locations:
            for item in items:
                item["serviceProfile"] = SMART_SERVICE_PROFILE
        shipment = {
            "shipmentId": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            "dispatchByDate": iso(by),
            "dispatchAfterDate": iso(after),
            "updatedAt": iso(updated),
            "locationId": location,
            "hold": bool(hold),
            "mps": False,
            "packagingPolicy": self.rng.choice(("DEFAULT", "DEFAULT", "GREEN_PACKAGE")),
            "shipmentType": opts.get("shipment_type") or "NORMAL",
            "subShipments": [self._sub_shipment(status)],
            "orderItems": items,
            "forms": [],
            # Detail-only fields (GET /v3/shipments/{ids}).
            "orderId": order["orderId"],
            "weighingRequired": False,
            "deliveryAddress": dict(order["delivery"]),
            "billingAddress": self._billing(order["delivery"]),
        }
        self._extras(shipment, opts, status, by)
        return shipment

    def _extras(self, shipment, opts, status, by):
        """The ``mps`` and ``services`` overrides (no random draw without them).

        ``mps``: True or a package count (>= 2) gives that many sub-shipments
        SS-1..SS-n. ``services``: a service item (installation, demo) to
        complete after delivery, named as Flipkart's returns name it:
        ``services[{serviceFulfilmentId, serviceByDate}]``.
        """
        packages = opts.get("mps")
        if packages:
            count = 2 if packages is True else int(packages)
            if count < 2:
                raise ValueError("an mps shipment has at least 2 packages")
            shipment["mps"] = True
            shipment["subShipments"] = [
                dict(self._sub_shipment(status), subShipmentId=f"SS-{n}")
                for n in range(1, count + 1)
            ]
        if opts.get("services"):
            shipment["services"] = [
                {
                    "serviceFulfilmentId": "SF" + self._digits(16),
                    "serviceByDate": iso(by + 3 * 24 * HOUR),
                    "status": "PENDING",
                }
            ]

    def replacement(self, original, now):
        """A new APPROVED shipment replacing ``original``'s live items.

        Same order (orderId, order date, addresses); new shipment and order
        item ids; the items are flagged ``is_replacement``.
        """
        items = [
            item for item in original["orderItems"] if item.get("status") != "CANCELLED"
        ]
        if not items:
            raise ValueError("a fully cancelled shipment has nothing to replace")
        shipment = deepcopy(original)
        shipment["orderItems"] = []
        for item in deepcopy(items):
            item_id = self._new_order_item_id()
            item.update(
                orderItemId=item_id,
                cancellationGroupId=f"grp{item_id}",
                status="APPROVED",
                cancellationDate=None,
                cancellationReason=None,
                cancellationSubReason=None,
                packageIds=[],
                is_replacement=True,
            )
            shipment["orderItems"].append(item)
        shipment.update(
            shipmentId=str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
            dispatchAfterDate=iso(now),
            dispatchByDate=iso(now + self.rng.uniform(28, 72) * HOUR),
            updatedAt=iso(now),
            hold=False,
            forms=[],
            subShipments=[self._sub_shipment("APPROVED")],
        )
        return shipment

    def _billing(self, delivery):
        if self.rng.random() < 0.85:
            return dict(delivery)
        return self.address(first=delivery["firstName"], last=delivery["lastName"])

    def _sub_shipment(self, status):
        courier = dimensions = None
        if status in PACKED_OR_LATER:
            courier, dimensions = self.courier_details()
        return {
            "subShipmentId": "SS-1",
            "packages": [],
            "courierDetails": courier,
            "shipmentDimensions": dimensions,
        }

    def courier_details(self):
        """(courierDetails, shipmentDimensions) of a packed sub-shipment."""
        leg = {
            "trackingId": "FMPP" + self._code(10, string.digits),
            "vendorName": self.rng.choice(_COURIERS),
        }
        courier = {"pickupDetails": dict(leg), "deliveryDetails": dict(leg)}
        dimensions = {
            "length": float(self.rng.randint(10, 40)),
            "breadth": float(self.rng.randint(10, 30)),
            "height": float(self.rng.randint(2, 20)),
            "weight": round(self.rng.uniform(0.1, 3.0), 2),
        }
        return courier, dimensions
