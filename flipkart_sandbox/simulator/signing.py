"""How Flipkart signs a push notification (flipkart-api.md §5).

The simulator's own implementation, apart from the connector's verifier,
so that tests check one against the other.
"""

import base64
import hashlib
from email.utils import formatdate


def sign(app_id, app_secret, url, method, when):
    """Headers Flipkart sends with a notification posted at epoch ``when``:
    ``X_Date`` (RFC 1123) and ``X_Authorization: FKLOGIN base64(app_id:
    sha1(timestamp + url + METHOD + secret))``."""
    timestamp = int(when)
    digest = hashlib.sha1(  # noqa: S324 - Flipkart's scheme, not ours
        f"{timestamp}{url}{method.upper()}{app_secret}".encode()
    ).hexdigest()
    credentials = base64.b64encode(f"{app_id}:{digest}".encode()).decode()
    return {
        "X_Date": formatdate(timestamp, usegmt=True),
        "X_Authorization": f"FKLOGIN {credentials}",
    }
