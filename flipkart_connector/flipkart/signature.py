"""Flipkart push-notification authentication (flipkart-api.md §5).

``X_Authorization: FKLOGIN base64(app_id ":" sha1_hex(ts + url + method +
secret))`` with ``X_Date`` an HTTP date. The documented worked example signs
the epoch-seconds form of X_Date while the prose says the date text itself,
so verification accepts either, compares in constant time, and refuses a
date outside the clock-skew window (a replayed old request).
"""

import base64
import hashlib
import hmac
import re
from calendar import timegm
from email.utils import formatdate, parsedate_tz

DEFAULT_SKEW = 15 * 60
# Longer than any date text: refused before any parsing.
MAX_DATE_LENGTH = 64
_OFFSET_SUFFIX = re.compile(r"\s*(?:GMT|UTC)?\s*([+-])(\d{2}):?(\d{2})\s*$")


class SignatureError(Exception):
    """The notification's credentials are missing, unreadable or wrong."""


def compute_signature(timestamp, url, method, app_secret):
    text = f"{timestamp}{url}{method.upper()}{app_secret}"
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - Flipkart's scheme


def authorization_header(app_id, signature):
    token = base64.b64encode(f"{app_id}:{signature}".encode()).decode()
    return f"FKLOGIN {token}"


def sign(app_id, app_secret, url, method, when):
    """Headers Flipkart would send for a notification at epoch ``when``."""
    timestamp = int(when)
    return {
        "X_Date": formatdate(timestamp, usegmt=True),
        "X_Authorization": authorization_header(
            app_id, compute_signature(timestamp, url, method, app_secret)
        ),
    }


def _epoch_candidates(x_date):
    """Epoch seconds X_Date may stand for.

    A later doc revision writes ``GMT+05:30`` after a time that its own
    signature treats as GMT, so both readings of such a suffix are tried.
    """
    text = x_date.strip()
    if len(text) > MAX_DATE_LENGTH:
        return []
    if text.isdigit():
        return [int(text)]
    candidates = []
    match = _OFFSET_SUFFIX.search(text)
    if match and not text.rstrip().endswith(("GMT", "UTC")):
        base = text[: match.start()].strip()
        parsed = parsedate_tz(base)
        if parsed:
            as_gmt = timegm(parsed[:9])
            sign_ = -1 if match.group(1) == "-" else 1
            offset = sign_ * (int(match.group(2)) * 3600 + int(match.group(3)) * 60)
            candidates += [as_gmt, as_gmt - offset]
    parsed = parsedate_tz(text)
    if parsed:
        candidates.append(timegm(parsed[:9]) - (parsed[9] or 0))
    return list(dict.fromkeys(candidates))


def verify(headers, url, method, app_id, app_secret, now, skew=DEFAULT_SKEW):
    """Check a notification's headers; return the epoch it was signed at.

    ``headers`` is any mapping; header names are matched case-insensitively
    and with ``-`` or ``_`` (proxies rewrite one into the other).
    Raises SignatureError with a reason a person can act on.
    """
    found = {k.lower().replace("-", "_"): v for k, v in headers.items()}
    x_date = (found.get("x_date") or "").strip()
    x_auth = (found.get("x_authorization") or "").strip()
    if not x_date or not x_auth:
        raise SignatureError("X_Date or X_Authorization header is missing")
    scheme, _sep, token = x_auth.partition(" ")
    if scheme.upper() != "FKLOGIN" or not token.strip():
        raise SignatureError("X_Authorization is not of the form 'FKLOGIN <token>'")
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode()
    except ValueError as err:  # bad base64, non-ASCII text, not UTF-8
        raise SignatureError("X_Authorization token is not valid base64") from err
    got_app_id, _sep, got_signature = decoded.partition(":")
    if not hmac.compare_digest(got_app_id.encode(), (app_id or "").encode()):
        raise SignatureError("the notification names another application id")
    epochs = _epoch_candidates(x_date)
    if not epochs:
        raise SignatureError(f"X_Date {x_date!r} is not a date")
    for timestamp in [*map(str, epochs), x_date]:
        expected = compute_signature(timestamp, url, method, app_secret)
        if hmac.compare_digest(
            expected.encode(), got_signature.strip().lower().encode()
        ):
            signed_at = int(timestamp) if timestamp.isdigit() else epochs[0]
            if abs(now - signed_at) > skew:
                drift = int(abs(now - signed_at))
                raise SignatureError(
                    f"X_Date is outside the allowed clock skew ({drift} s > "
                    f"{skew} s): replayed or clock wrong"
                )
            return signed_at
    raise SignatureError(
        "signature does not match: check the application secret and the "
        "notification URL registered with Flipkart"
    )
