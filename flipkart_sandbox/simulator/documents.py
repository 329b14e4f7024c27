"""The text of the PDFs the sandbox hands out: shipping labels, invoices and
manifests, one list of lines per page (rendered by :mod:`.pdf`).

Flipkart's real documents are images with barcodes; these carry the same
facts as plain text, so tests can read them back.
"""

from .constants import MANIFEST_ROWS_PER_PAGE, SELF_SHIPMENT_TYPE
from .fulfilment import courier_vendor
from .lifecycle import live_items
from .times import iso

TITLE_WIDTH = 60  # characters of a product title printed per item line


def _money(value):
    return f"INR {value:,.2f}"


def _address_lines(address):
    address = address or {}
    name = f"{address.get('firstName', '')} {address.get('lastName', '')}".strip()
    place = f"{address.get('city', '')}, {address.get('state', '')}"
    lines = [
        name,
        address.get("addressLine1", ""),
        address.get("addressLine2", ""),
        address.get("landmark", ""),
        f"{place} ({address.get('stateCode', '')}) {address.get('pinCode', '')}",
    ]
    return [f"  {line}" for line in lines if line]


def _item_lines(shipment):
    return [
        f"  {item['quantity']} x {item['sku']}  {item['title'][:TITLE_WIDTH]}"
        for item in live_items(shipment)
    ]


def _trackings(shipment):
    """``[(subShipmentId, trackingId)]`` of the packages."""
    found = []
    for sub in shipment.get("subShipments") or ():
        courier = sub.get("courierDetails") or {}
        leg = courier.get("deliveryDetails") or courier.get("pickupDetails") or {}
        found.append((sub.get("subShipmentId"), leg.get("trackingId")))
    return found


def label_page(sb, shipment, reprint=False):
    """A shipping label: who carries it where, for which order."""
    seller = sb.location_addresses.get(shipment["locationId"]) or {}
    items = live_items(shipment) or shipment["orderItems"]
    payment = items[0]["paymentType"]
    total = sum(i["priceComponents"]["totalPrice"] for i in items)
    vendor = courier_vendor(shipment)
    if shipment.get("shipmentType") == SELF_SHIPMENT_TYPE:
        vendor = f"Self-ship ({vendor})" if vendor else "Self-ship"
    lines = [
        "Flipkart shipping label" + (" - REPRINT" if reprint else ""),
        f"Shipment ID: {shipment['shipmentId']}",
        f"Order ID: {shipment['orderId']}",
        f"Courier: {vendor or '-'}",
    ]
    lines += [
        f"Tracking ID ({sub_id}): {tracking or '-'}"
        for sub_id, tracking in _trackings(shipment)
    ]
    lines.append(
        f"Payment: {payment}"
        + (f" - collect {_money(total)}" if payment == "COD" else "")
    )
    lines.append("Deliver to:")
    lines += _address_lines(shipment.get("deliveryAddress"))
    lines.append(f"Sold by: {seller.get('sellerName', '')}, {seller.get('city', '')}")
    lines.append("Items:")
    lines += _item_lines(shipment)
    lines.append(f"Dispatch by: {shipment['dispatchByDate']}")
    return lines


def invoice_page(sb, shipment, invoice):
    """A tax invoice: the stored invoice, with amounts and the GST split."""
    seller = sb.location_addresses.get(shipment["locationId"]) or {}
    items = {i["orderItemId"]: i for i in shipment["orderItems"]}
    lines = [
        "Tax Invoice",
        f"Invoice number: {invoice['invoiceNumber']}",
        f"Invoice date: {invoice['invoiceDate']}",
        f"Order ID: {shipment['orderId']}",
        f"Shipment ID: {shipment['shipmentId']}",
        f"Sold by: {seller.get('sellerName', '')}",
        *_address_lines(seller),
        "Ship to:",
        *_address_lines(shipment.get("deliveryAddress")),
        "Items:",
    ]
    total = 0.0
    for line in invoice["orderItems"]:
        item = items.get(line["orderItemId"]) or {}
        amount, rate, tax = line["invoiceAmount"], line["taxRate"], line["taxDetails"]
        taxable = round(amount / (1 + rate / 100), 2)
        total += amount
        lines += [
            f"  {line['orderItemId']}  {item.get('quantity', '')} x "
            f"{item.get('sku', '')}  {item.get('title', '')[:TITLE_WIDTH]}",
            f"    Amount {_money(amount)} (taxable {_money(taxable)}, "
            f"GST {_money(amount - taxable)} at {rate:g}%)",
            f"    CGST {tax['cgstRate']:g}%  SGST {tax['sgstRate']:g}%  "
            f"IGST {tax['igstRate']:g}%",
        ]
        if line.get("serialNumbers"):
            serials = ", ".join("/".join(unit) for unit in line["serialNumbers"])
            lines.append(f"    Serial numbers: {serials}")
    lines.append(f"Total: {_money(total)}")
    return lines


def smart_document_page(sb, shipment, invoice):
    """Flipkart Smart's one consolidated document: "Same label has Shipment
    details and Invoice" (seed 003), on one page."""
    label = label_page(sb, shipment)
    return [
        "Flipkart Smart shipping label and tax invoice",
        *label[1:],
        "",
        *invoice_page(sb, shipment, invoice),
    ]


def manifest_pages(sb, vendor_group, location_id, shipments, pickup=None):
    """The courier's handover sheet, ``MANIFEST_ROWS_PER_PAGE`` rows a page."""
    rows = []
    for n, shipment in enumerate(shipments, start=1):
        trackings = ", ".join(t or "-" for _sub, t in _trackings(shipment))
        rows.append(
            f"{n:>3}. {shipment['shipmentId']}  {shipment['orderId']}  {trackings}  "
            f"packages: {len(shipment['subShipments'])}"
        )
    packages = sum(len(s["subShipments"]) for s in shipments)
    chunks = [
        rows[start : start + MANIFEST_ROWS_PER_PAGE]
        for start in range(0, len(rows), MANIFEST_ROWS_PER_PAGE)
    ]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        header = [
            f"Flipkart manifest - page {number} of {len(chunks)}",
            f"Vendor group: {vendor_group}",
            f"Location: {location_id}",
            f"Generated: {iso(sb.clock(), timespec='seconds')}",
        ]
        if pickup:
            header.append(f"Pickup: {pickup[0]} to {pickup[1]}")
        header += [
            f"Shipments: {len(shipments)}  Packages: {packages}",
            "  #   Shipment ID  Order ID  Tracking IDs  Packages",
        ]
        pages.append(header + chunk)
    return pages
