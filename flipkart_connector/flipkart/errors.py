"""Typed errors of the Flipkart client.

Each error carries a message a warehouse user can read, the HTTP status and
Flipkart's error code where there was one, and whether trying again later may
succeed. The Odoo side shows ``str(error)`` on the record concerned.
"""

DEPENDENT_SYSTEM_CALL_FAILED = "DEPENDENT_SYSTEM_CALL_FAILED"


class FlipkartError(Exception):
    """Base class: something went wrong talking to Flipkart."""

    retryable = False

    def __init__(self, message, *, status=None, code=None, body=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.body = body

    def __str__(self):
        return self.message


class AuthenticationError(FlipkartError):
    """Flipkart refused the application id and secret, or the grant."""


class TokenExpiredError(FlipkartError):
    """The access token was refused even after one refresh."""


class PermissionDeniedError(FlipkartError):
    """403 or OPERATION_NOT_ALLOWED: the ids do not belong to this seller."""


class NotFoundError(FlipkartError):
    """404: the path or the record does not exist on Flipkart."""


class InvalidRequestError(FlipkartError):
    """400/422: Flipkart rejected the request itself; sending it again won't help."""


class UnexpectedAnswerError(FlipkartError):
    """Flipkart answered, but not in the documented shape (or paged forever)."""


class RetryableError(FlipkartError):
    """A failure that may pass if tried again later."""

    retryable = True


class RateLimitedError(RetryableError):
    """429: Flipkart throttled us and retries ran out."""


class FlipkartUnavailableError(RetryableError):
    """5xx or DEPENDENT_SYSTEM_CALL_FAILED: Flipkart is down for now."""


class ConnectionFailedError(RetryableError):
    """No answer: network failure or timeout."""
