"""Flipkart's account-health rules, as pure data and functions.

From Flipkart's seller terms as integrators quote them (seed 002,
"Suspension Criteria" and "Guardrails for Special Status"):

- seller cancellation rate 0.25 %: suspension for at least 3 days; Gold
  status needs less than 0.15 %;
- RTD breach rate 0.5 %: suspension for at least 1 day; Gold needs less
  than 1 %;
- reattempt rate 2 %: suspension for at least 1 day.

Ratings are revised every 3 months, so each rate is watched over the
account's rolling window and over the current quarter.
"""

from dataclasses import dataclass
from datetime import datetime

# Amber from this share of the suspension threshold.
AMBER_SHARE = 0.8


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    suspension: float  # % at which Flipkart suspends the account
    suspension_days: int
    gold: float | None  # % Gold status must stay below; None: no guardrail
    counts: str  # what the rate counts, in words


METRICS = (
    Metric(
        "seller_cancellation",
        "Seller cancellation rate",
        0.25,
        3,
        0.15,
        "shipments the seller cancelled / shipments ordered",
    ),
    Metric(
        "rtd_breach",
        "RTD breach rate",
        0.5,
        1,
        1.0,
        "shipments not ready to dispatch by their dispatch-by date / shipments due",
    ),
    Metric(
        "reattempt",
        "Reattempt rate",
        2.0,
        1,
        None,
        "failed self-ship delivery attempts / self-ship shipments dispatched",
    ),
)
BY_KEY = {metric.key: metric for metric in METRICS}


def rate(numerator, denominator):
    """A percentage; 0 when nothing was counted."""
    return round(100.0 * numerator / denominator, 4) if denominator else 0.0


def status(value, threshold):
    """``green``, ``amber`` (above 80 % of the threshold) or ``red`` (at or
    over it)."""
    if value >= threshold:
        return "red"
    if value > AMBER_SHARE * threshold:
        return "amber"
    return "green"


def quarter_start(moment):
    """The first instant of ``moment``'s calendar quarter (naive, same zone)."""
    return datetime(moment.year, 3 * ((moment.month - 1) // 3) + 1, 1)
