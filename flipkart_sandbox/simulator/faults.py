"""Fault injection: what a real gateway in front of Flipkart does to callers.

Each API request draws from a seeded RNG, so a test run with the same seed and
the same request order meets the same faults.
"""

import random
import threading

from .constants import (
    DEPENDENT_SYSTEM_CALL_FAILED,
    INTERNAL_SERVER_ERROR,
    REQUEST_THROTTLED,
)
from .web import Response, error_response

_NGINX_PAGE = (
    "<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n"
    "<center><h1>{0}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
# Paths faults apply to when ``only_paths`` is not given: the Seller API,
# never the OAuth service.
_DEFAULT_PREFIXES = ("/sellers/",)


def _html(status, title):
    return Response(status, _NGINX_PAGE.format(title), content_type="text/html")


def _server_error(rng):
    """One of the 5xx answers seen in practice: JSON from the API, HTML pages
    from the gateway."""
    kind = rng.randrange(4)
    if kind == 0:
        return error_response(500, INTERNAL_SERVER_ERROR, "Internal server error")
    if kind == 1:
        return _html(502, "502 Bad Gateway")
    if kind == 2:
        return _html(503, "503 Service Temporarily Unavailable")
    return _html(504, "504 Gateway Time-out")


class Faults:
    """Probabilities (0..1) of each fault per API request, plus fixed latency.

    Checked in order: 429, 5xx, DEPENDENT_SYSTEM_CALL_FAILED; each has its own
    draw, so a rate of 1.0 always fires (and hides the later kinds).
    """

    def __init__(self, seed=0):
        self._rng = random.Random(f"faults:{seed}")
        self._lock = threading.Lock()
        self.clear()

    def set(
        self,
        rate_429=0.0,
        rate_5xx=0.0,
        rate_dependent=0.0,
        latency=0.0,
        only_paths=None,
        retry_after=1,
    ):
        """Replace the whole fault configuration."""
        for name, rate in (
            ("rate_429", rate_429),
            ("rate_5xx", rate_5xx),
            ("rate_dependent", rate_dependent),
        ):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {rate}")
        if latency < 0:
            raise ValueError("latency must not be negative")
        if isinstance(only_paths, str):
            only_paths = (only_paths,)
        with self._lock:
            self.rate_429 = rate_429
            self.rate_5xx = rate_5xx
            self.rate_dependent = rate_dependent
            self.latency = latency
            self.only_paths = tuple(only_paths) if only_paths is not None else None
            self.retry_after = retry_after

    def clear(self):
        self.set()

    def applies_to(self, path):
        prefixes = self.only_paths if self.only_paths is not None else _DEFAULT_PREFIXES
        return any(path.startswith(prefix) for prefix in prefixes)

    def draw(self, path):
        """(seconds to sleep, fault response or None) for one request."""
        if not self.applies_to(path):
            return 0.0, None
        with self._lock:
            if self._rng.random() < self.rate_429:
                fault = error_response(
                    429,
                    REQUEST_THROTTLED,
                    "Request throttled, retry later",
                    headers=(("Retry-After", str(self.retry_after)),),
                )
            elif self._rng.random() < self.rate_5xx:
                fault = _server_error(self._rng)
            elif self._rng.random() < self.rate_dependent:
                fault = error_response(
                    500, DEPENDENT_SYSTEM_CALL_FAILED, "Call to dependent system failed"
                )
            else:
                fault = None
            return self.latency, fault
