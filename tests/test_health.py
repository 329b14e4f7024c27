"""Flipkart's account-health rules (flipkart/health.py), without Odoo."""

from datetime import datetime

from flipkart import health


def test_thresholds_are_flipkarts():
    by = health.BY_KEY
    assert (by["seller_cancellation"].suspension, by["seller_cancellation"].gold) == (
        0.25,
        0.15,
    )
    assert (by["rtd_breach"].suspension, by["rtd_breach"].gold) == (0.5, 1.0)
    assert (by["reattempt"].suspension, by["reattempt"].gold) == (2.0, None)


def test_rate_and_status():
    assert health.rate(1, 400) == 0.25
    assert health.rate(3, 0) == 0.0
    assert health.status(0.25, 0.25) == "red"
    assert health.status(0.21, 0.25) == "amber"  # above 80 % of it
    assert health.status(0.2, 0.25) == "green"


def test_quarter_start():
    assert health.quarter_start(datetime(2026, 11, 30, 15)) == datetime(2026, 10, 1)
    assert health.quarter_start(datetime(2026, 3, 31)) == datetime(2026, 1, 1)
