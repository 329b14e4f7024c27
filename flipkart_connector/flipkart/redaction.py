"""Keep OAuth secrets out of every log line, at every level.

Flipkart's token endpoint takes the authorization code and the refresh
token as query parameters, and the OAuth callback brings the code and the
state back in its address. urllib3 logs each request's address at DEBUG,
and the HTTP server logs each request line at INFO: both would write a
usable secret to the log. This filter, set on those loggers, masks the
values of the sensitive parameters and of Authorization headers before
any handler sees the line.
"""

import logging
import re

SECRET_PARAMETERS = (
    "code",
    "state",
    "refresh_token",
    "access_token",
    "client_secret",
    "app_secret",
)
MASK = "***"
# Loggers that write request addresses: urllib3 (requests' transport, at
# DEBUG) and werkzeug (the request line of Odoo's HTTP server, at INFO).
ADDRESS_LOGGERS = ("urllib3.connectionpool", "werkzeug")

_NAMES = "|".join(SECRET_PARAMETERS)
_PARAMETER = re.compile(
    rf"(?P<name>\b(?:{_NAMES}))=(?P<value>[^&\s\"']+)", re.IGNORECASE
)
_AUTHORIZATION = re.compile(
    r"(?P<name>\b(?:Bearer|Basic|FKLOGIN))\s+(?P<value>[A-Za-z0-9._~+/=-]+)",
    re.IGNORECASE,
)


def redact(text):
    """``text`` with the values of secret parameters and credentials masked."""
    text = _PARAMETER.sub(lambda m: f"{m['name']}={MASK}", text)
    return _AUTHORIZATION.sub(lambda m: f"{m['name']} {MASK}", text)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message with :func:`redact` (never drops it)."""

    def filter(self, record):
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install(logger_names=ADDRESS_LOGGERS):
    """Set the filter on ``logger_names`` once (imports may run twice)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
