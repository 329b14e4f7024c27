"""GST under the margin scheme for second-hand goods, as a pure rule.

Indian GST Rule 32(5): a dealer in second-hand goods who took no input tax
credit on them pays GST on the margin only: the selling price minus the
purchase price, nothing when negative. The margin includes the GST, so the
GST in it is ``margin * rate / (100 + rate)``. 2GUD's refurbished goods are
sold so by many sellers; Flipkart's invoice data gives, per order item, the
amount (GST included) and a GST rate, so the GST it charges is
``amount * rate / (100 + rate)``. This module compares the two; the Odoo
side hands plain data in and gets sentences back (see invoice_matching).
"""

from dataclasses import dataclass

TOLERANCE = 1.0  # rupees, as for the invoice totals


@dataclass
class MarginItem:
    """One order item of a margin-scheme invoice, in plain data."""

    order_item_id: str
    quantity: float
    amount: float  # Flipkart's invoice amount, GST included
    flipkart_rate: float  # the GST rate Flipkart's invoice applies to it
    rate: float  # the product's GST rate
    unit_purchase_price: float


def gst_in(amount, rate):
    """The GST contained in a GST-included ``amount`` at ``rate`` %."""
    return round(amount * rate / (100 + rate), 2) if rate else 0.0


def margin(item):
    return max(0.0, round(item.amount - item.unit_purchase_price * item.quantity, 2))


def margin_gst(item):
    """The GST the margin scheme expects on ``item``."""
    return gst_in(margin(item), item.rate)


def _plain(text, **params):
    return text % params if params else text


def _money(amount):
    return f"{amount:.2f}"


def explanation(item, _=_plain):
    """How the margin-scheme GST of ``item`` is computed, in one sentence."""
    return _(
        "Order item %(item)s: sold for ₹%(selling)s (%(quantity)s unit(s)), "
        "bought for ₹%(purchase)s a unit: margin ₹%(margin)s, GST on the "
        "margin at %(rate)s%% ₹%(expected)s; Flipkart's invoice charges "
        "₹%(charged)s.",
        item=item.order_item_id,
        selling=_money(item.amount),
        quantity=f"{item.quantity:g}",
        purchase=_money(item.unit_purchase_price),
        margin=_money(margin(item)),
        rate=f"{item.rate:g}",
        expected=_money(margin_gst(item)),
        charged=_money(gst_in(item.amount, item.flipkart_rate)),
    )


def differences(items, tolerance=TOLERANCE, _=_plain):
    """The items whose GST on Flipkart's invoice is not the margin scheme's,
    in sentences saying by how much; empty when all agree."""
    found = []
    for item in items:
        expected = margin_gst(item)
        charged = gst_in(item.amount, item.flipkart_rate)
        if abs(charged - expected) > tolerance:
            found.append(
                _(
                    "Order item %(item)s (margin scheme): Flipkart's invoice "
                    "charges GST ₹%(charged)s, the margin scheme ₹%(expected)s "
                    "(margin ₹%(margin)s at %(rate)s%%): ₹%(difference)s %(way)s.",
                    item=item.order_item_id,
                    charged=_money(charged),
                    expected=_money(expected),
                    margin=_money(margin(item)),
                    rate=f"{item.rate:g}",
                    difference=_money(abs(charged - expected)),
                    way=_("more") if charged > expected else _("less"),
                )
            )
    return found
