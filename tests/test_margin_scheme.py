"""GST under the margin scheme (flipkart/margin_scheme.py), without Odoo."""

from flipkart import margin_scheme
from flipkart.margin_scheme import MarginItem


def item(amount=11800.0, flipkart_rate=18.0, purchase=10000.0, quantity=1):
    return MarginItem("OI-1", quantity, amount, flipkart_rate, 18.0, purchase)


def test_gst_is_on_the_margin_only():
    # Sold 11,800 (GST included), bought 10,000: margin 1,800 holds 274.58.
    assert margin_scheme.margin(item()) == 1800.0
    assert margin_scheme.margin_gst(item()) == 274.58
    # Two units bought 6,000 each for 11,800: no margin, no GST.
    assert margin_scheme.margin_gst(item(purchase=6000.0, quantity=2)) == 0.0


def test_full_value_gst_is_flagged_with_the_difference():
    (sentence,) = margin_scheme.differences([item()])
    # Flipkart's 18 % on 11,800 holds 1,800.00; the margin scheme 274.58.
    assert "charges GST ₹1800.00, the margin scheme ₹274.58" in sentence
    assert "₹1525.42 more" in sentence


def test_an_invoice_at_the_margins_effective_rate_matches():
    effective = 274.58 / (11800 - 274.58) * 100
    assert margin_scheme.differences([item(flipkart_rate=effective)]) == []
    assert "margin ₹1800.00" in margin_scheme.explanation(item())


def test_a_loss_owes_no_gst_and_any_charge_is_more():
    (sentence,) = margin_scheme.differences([item(purchase=12000.0)])
    assert "the margin scheme ₹0.00" in sentence and "more" in sentence
