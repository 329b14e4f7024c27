"""Flipkart's terms (flipkart/const.py) and the pure helpers beside them."""

import io
from datetime import date, datetime

import pytest
from flipkart import const, mapping


def test_states_derive_from_one_ordered_list():
    assert const.STATE_ORDER[0] == "APPROVED"
    assert "CANCELLED" not in const.STATE_ORDER
    assert set(const.ORDER_IMPORT_STATES) == {
        "APPROVED",
        "PACKING_IN_PROGRESS",
        "FORM_FAILED",
        "PACKED",
        "READY_TO_DISPATCH",
    }
    assert const.HANDED_OVER == ("PICKUP_COMPLETE", "SHIPPED", "DELIVERED", "COMPLETED")
    assert set(const.LABEL_STATES) == {
        "PACKED",
        "READY_TO_DISPATCH",
        *const.HANDED_OVER,
    }
    assert not set(const.GENERATING) & set(const.LABEL_STATES)
    codes = [code for code, _label in const.SHIPMENT_STATES]
    assert set(const.CLOSED_STATES) <= set(codes)


def test_shipment_state_is_the_least_advanced_live_item():
    assert const.shipment_state(["PACKED", "APPROVED"]) == "APPROVED"
    assert const.shipment_state(["CANCELLED", "PACKED"]) == "PACKED"
    assert const.shipment_state(["CANCELLED", "CANCELLED"]) == "CANCELLED"
    assert const.shipment_state([]) is False
    # A state Flipkart adds later is kept, not lost.
    assert const.shipment_state(["ON_THE_MOON"]) == "ON_THE_MOON"


def test_flipkart_time_from_odoo_naive_utc():
    assert mapping.flipkart_time(datetime(2026, 11, 30, 8, 15)) == (
        "2026-11-30T08:15:00+00:00"
    )
    assert mapping.flipkart_time(date(2026, 11, 30)) == "2026-11-30T00:00:00+00:00"
    assert mapping.flipkart_time(False) is None


def test_split_pages_by_what_each_page_shows():
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    pdf_pages = pytest.importorskip("flipkart.pdf_pages")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for text in ("Shipment SHIP-1", "Shipment SHIP-2", "continued"):
        page.drawString(72, 720, text)
        page.showPage()
    page.save()
    documents = pdf_pages.split_pages(
        buffer.getvalue(), {"a": ["SHIP-1"], "b": ["SHIP-2"], "c": ["SHIP-9"]}
    )
    assert set(documents) == {"a", "b"}, "a key on no page is left out"
    assert pdf_pages.page_count(documents["a"]) == 1
    assert pdf_pages.page_count(documents["b"]) == 2, "a bare page joins the one before"
