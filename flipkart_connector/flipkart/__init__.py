"""Pure-Python Flipkart Seller API client, with no Odoo inside.

Importable on its own (tests put ``flipkart_connector`` on ``sys.path`` and
``import flipkart``) and from the addon as ``..flipkart``.
"""

from . import endpoints
from .client import FlipkartClient, ListingPage, ReturnPage, ShipmentPage, Timeouts
from .errors import (
    AuthenticationError,
    ConnectionFailedError,
    FlipkartError,
    FlipkartUnavailableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryableError,
    TokenExpiredError,
    UnexpectedAnswerError,
    InvalidRequestError,
)
from .records import (
    Form,
    Invoice,
    InvoiceItem,
    ItemResult,
    ReturnItem,
    SmartPicklist,
    Listing,
    ListingsResult,
    Shipment,
    ShipmentDetails,
    Token,
    VendorGroup,
)
from .redaction import redact
from .retry import RetryPolicy
from .signature import SignatureError, sign, verify
