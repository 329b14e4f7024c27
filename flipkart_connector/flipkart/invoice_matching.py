"""Pure comparison of Flipkart's invoice with the Odoo customer invoice.

No Odoo import: the model hands plain data in and gets the differences back
as sentences, so the rule is tested on its own. The rule is kept simple so
that a flagged invoice is really wrong, and so an accountant can redo it:

- Totals: Odoo's ``amount_total`` against the sum of Flipkart's item amounts
  (each is the item's selling price plus its shipping charge, GST included),
  within ``TOLERANCE`` for rounding.
- Items: every order item on one invoice must be on the other.
- Per item, the amount: Flipkart adds each item's shipping charge to it,
  while Odoo has one shipping line for the shipment, so Flipkart's amount
  must lie between Odoo's lines of that item and that plus Odoo's lines of
  no item (the shipping charge), within the tolerance.
- Per item, the GST: each Odoo line of the item carries Flipkart's rate (the
  sum of its leaf taxes) and split (IGST across states, CGST+SGST within).
- Flipkart's invoice number and date are the invoice's reference and date.
"""

from dataclasses import dataclass, field

TOLERANCE = 1.0  # rupees: Flipkart rounds per item, Odoo per line or total
RATE_TOLERANCE = 0.01  # percentage points

GST_KINDS = ("igst", "cgst", "sgst")


@dataclass
class OdooLine:
    """One product line of the Odoo invoice, in plain data."""

    order_item_id: str | None  # None: the shipping line, or one added by hand
    amount: float  # GST included
    rate: float = 0.0  # GST %, the sum of the line's leaf taxes
    kinds: frozenset = field(default_factory=frozenset)  # of GST_KINDS


def split_name(kinds):
    """``IGST``, ``CGST+SGST`` or ``""`` (no GST) from the kinds of GST."""
    return "+".join(kind.upper() for kind in GST_KINDS if kind in kinds)


def flipkart_kinds(item):
    """The kinds of GST a Flipkart invoice item charges (non-zero rates)."""
    rates = {"igst": item.igst_rate, "cgst": item.cgst_rate, "sgst": item.sgst_rate}
    return frozenset(kind for kind, rate in rates.items() if rate)


def flipkart_rate(item):
    """Flipkart's GST rate of an item: ``taxRate``, else its parts' sum."""
    return item.tax_rate or item.igst_rate + item.cgst_rate + item.sgst_rate


def invoice_payload(invoice):
    """Flipkart's JSON of an invoice, for the audit trail and a re-check:
    its raw answer, else rebuilt in the documented shape."""
    if invoice.raw:
        return invoice.raw
    return {
        "shipmentId": invoice.shipment_id,
        "invoiceNumber": invoice.invoice_number,
        "invoiceDate": invoice.invoice_date.isoformat()
        if invoice.invoice_date
        else None,
        "orderItems": [
            {
                "orderItemId": item.order_item_id,
                "invoiceAmount": item.amount,
                "taxRate": item.tax_rate,
                "serialNumbers": item.serial_numbers,
                "taxDetails": {
                    "cgstRate": item.cgst_rate,
                    "sgstRate": item.sgst_rate,
                    "igstRate": item.igst_rate,
                },
            }
            for item in invoice.items
        ],
    }


def _plain(text, **params):
    return text % params if params else text


def _money(amount):
    return f"{amount:.2f}"


def _rate(rate):
    return f"{rate:g}"


def differences(
    invoice,
    lines,
    total,
    reference=None,
    invoice_date=None,
    tolerance=TOLERANCE,
    _=_plain,
    rate_checked_elsewhere=frozenset(),
):
    """What differs between Flipkart's ``invoice`` and the Odoo invoice, in
    sentences; an empty list when they match.

    :param invoice: Flipkart's ``Invoice`` (client record)
    :param lines: the Odoo invoice's product lines, as ``OdooLine``
    :param total: the Odoo invoice's total, GST included
    :param reference: the Odoo invoice's reference (``ref``); None: not
        checked (nor when Flipkart gives no number)
    :param invoice_date: the Odoo invoice's date; None: not checked (nor
        when Flipkart gives no date)
    :param _: translation function, called with named placeholders
    :param rate_checked_elsewhere: order item ids whose GST rate another
        rule checks (2GUD's margin scheme): their rate is not compared here,
        nor their split when Flipkart charges them no GST
    """
    found = []
    if (
        reference is not None
        and invoice.invoice_number
        and invoice.invoice_number != reference
    ):
        found.append(
            _(
                "Invoice number: Flipkart %(flipkart)s, Odoo %(odoo)s.",
                flipkart=invoice.invoice_number or "-",
                odoo=reference or "-",
            )
        )
    if (
        invoice_date is not None
        and invoice.invoice_date
        and invoice.invoice_date != invoice_date
    ):
        found.append(
            _(
                "Invoice date: Flipkart %(flipkart)s, Odoo %(odoo)s.",
                flipkart=invoice.invoice_date or "-",
                odoo=invoice_date or "-",
            )
        )
    if abs(invoice.total - total) > tolerance:
        found.append(
            _(
                "Total: Flipkart ₹%(flipkart)s, Odoo ₹%(odoo)s.",
                flipkart=_money(invoice.total),
                odoo=_money(total),
            )
        )
    by_item = {}
    for line in lines:
        by_item.setdefault(line.order_item_id, []).append(line)
    unallocated = sum(line.amount for line in by_item.pop(None, []))
    flipkart_ids = set()
    for item in invoice.items:
        flipkart_ids.add(item.order_item_id)
        item_lines = by_item.get(item.order_item_id)
        if not item_lines:
            found.append(
                _(
                    "Order item %(item)s: on Flipkart's invoice (₹%(amount)s), "
                    "not on the Odoo invoice.",
                    item=item.order_item_id,
                    amount=_money(item.amount),
                )
            )
            continue
        found += _item_differences(
            item,
            item_lines,
            unallocated,
            tolerance,
            _,
            check_rate=item.order_item_id not in rate_checked_elsewhere,
        )
    for order_item_id, item_lines in by_item.items():
        if order_item_id not in flipkart_ids:
            found.append(
                _(
                    "Order item %(item)s: on the Odoo invoice (₹%(amount)s), "
                    "not on Flipkart's invoice.",
                    item=order_item_id,
                    amount=_money(sum(line.amount for line in item_lines)),
                )
            )
    return found


def _item_differences(item, lines, unallocated, tolerance, _, check_rate=True):
    found = []
    amount = sum(line.amount for line in lines)
    if not (
        amount - tolerance <= item.amount <= amount + max(unallocated, 0) + tolerance
    ):
        found.append(
            _(
                "Order item %(item)s: Flipkart ₹%(flipkart)s, Odoo ₹%(odoo)s%(extra)s.",
                item=item.order_item_id,
                flipkart=_money(item.amount),
                odoo=_money(amount),
                extra=_(
                    " (+ up to ₹%(shipping)s shipping)", shipping=_money(unallocated)
                )
                if unallocated
                else "",
            )
        )
    rate = flipkart_rate(item)
    odoo_rates = sorted({line.rate for line in lines})
    if check_rate and any(
        abs(odoo_rate - rate) > RATE_TOLERANCE for odoo_rate in odoo_rates
    ):
        found.append(
            _(
                "Order item %(item)s: GST rate Flipkart %(flipkart)s%%, "
                "Odoo %(odoo)s%%.",
                item=item.order_item_id,
                flipkart=_rate(rate),
                odoo="%, ".join(_rate(odoo_rate) for odoo_rate in odoo_rates),
            )
        )
    split = split_name(flipkart_kinds(item))
    odoo_splits = sorted({split_name(line.kinds) for line in lines})
    # No GST at all on an item whose rate another rule checks (a margin of
    # nothing) says nothing of the split.
    if (check_rate or split) and any(odoo_split != split for odoo_split in odoo_splits):
        found.append(
            _(
                "Order item %(item)s: Flipkart charges %(flipkart)s, Odoo %(odoo)s.",
                item=item.order_item_id,
                flipkart=split or _("no GST"),
                odoo=", ".join(s or _("no GST") for s in odoo_splits),
            )
        )
    return found
