"""Flipkart's timestamps: ISO 8601 with the IST offset, milliseconds."""

from datetime import datetime
from functools import lru_cache

from .constants import IST


def iso(ts, timespec="milliseconds"):
    """Epoch seconds -> ``2017-04-10T10:00:00.000+05:30``.

    Notification timestamps are whole seconds (``timespec="seconds"``).
    """
    return datetime.fromtimestamp(ts, IST).isoformat(timespec=timespec)


@lru_cache(maxsize=65536)
def _parse(value):
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=IST)
    return parsed.timestamp()


def epoch(value):
    """Epoch seconds of an ISO 8601 string (naive means IST); None stays None.

    Cached: filters compare the same stored strings on every page.
    """
    return None if value is None else _parse(value)


def as_epoch(value):
    """Epoch seconds of a datetime, an ISO string or a number (overrides)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=IST)
        return value.timestamp()
    if isinstance(value, str):
        return epoch(value)
    return float(value)
