"""The retry policy: bounded attempts, exponential back-off, full jitter."""

import random
from dataclasses import dataclass, field

RETRY_STATUSES = frozenset({429, 499, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    """How often and how far apart a failed call is tried again.

    ``max_attempts`` counts the first try. The wait before retry *n* is a
    random value in [0, min(cap, base * 2**n)] ("full jitter"), so many
    workers hitting a throttled Flipkart do not retry in lock-step; a
    ``Retry-After`` header raises that wait, never beyond ``cap``.
    """

    max_attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def delay(self, retry_number, retry_after=None):
        ceiling = min(self.cap, self.base * (2**retry_number))
        wait = self.rng.uniform(0, ceiling)
        if retry_after is not None:
            wait = max(wait, min(self.cap, retry_after))
        return wait


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds form), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
