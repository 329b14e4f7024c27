"""The Flipkart Seller API client: the only code in the project that speaks HTTP.

It owns tokens (both grants, refresh, one retry on 401), timeouts per kind
of call, the retry policy, paging and batch caps, and turns every failure
into a typed error (``errors``) and every answer into typed records
(``records``).
"""

import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import requests

from . import endpoints as ep
from .batching import chunked
from .errors import (
    DEPENDENT_SYSTEM_CALL_FAILED,
    AuthenticationError,
    ConnectionFailedError,
    FlipkartError,
    FlipkartUnavailableError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TokenExpiredError,
    UnexpectedAnswerError,
)
from .records import (
    Form,
    Invoice,
    ItemResult,
    ListingRef,
    ListingsResult,
    ReturnItem,
    Shipment,
    ShipmentDetails,
    SmartPicklist,
    Token,
    VendorGroup,
)
from .retry import RETRY_STATUSES, RetryPolicy, parse_retry_after

_logger = logging.getLogger(__name__)

# A safety cap on the pages one search follows (20 a page: 200,000 shipments).
MAX_PAGES = 10_000
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Timeouts:
    """Read timeouts in seconds: Flipkart asks >= 60 on orders, >= 10 on listings."""

    order: float = 60.0
    listing: float = 10.0
    auth: float = 30.0
    connect: float = 10.0


@dataclass
class ShipmentPage:
    shipments: list
    has_more: bool
    next_page_url: str | None


@dataclass
class ReturnPage:
    returns: list
    has_more: bool
    next_url: str | None


@dataclass
class ListingPage:
    listings: list
    has_more: bool
    next_page_id: str | None


def error_text(response):
    """Flipkart's own words from an error response, whatever its shape."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        if data.get("error_description") or data.get("error"):
            return data.get("error_description") or data.get("error"), data.get("error")
        errors = data.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            first = errors[0]
            code = first.get("errorCode") or first.get("code")
            text = (
                first.get("errorMessage")
                or first.get("message")
                or first.get("description")
            )
            return text or code, code
        code = data.get("errorCode") or data.get("code")
        text = data.get("errorMessage") or data.get("message")
        if code or text:
            return text or code, code
    text = _TAGS.sub(" ", response.text or "")
    return " ".join(text.split())[:200], None


class FlipkartClient:
    """One seller account's connection to Flipkart.

    ``on_token`` is called with each new :class:`Token` so the caller can
    store it; ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        base_url,
        app_id,
        app_secret,
        *,
        token=None,
        refresh_token=None,
        grant="client_credentials",
        timeouts=None,
        retry=None,
        session=None,
        on_token=None,
        clock=time.time,
        sleep=time.sleep,
        refresh_margin=300,
    ):
        if not base_url:
            raise InvalidRequestError("The Flipkart API base URL is not set.")
        self.base_url = base_url.rstrip("/")
        self.app_id = app_id or ""
        self.app_secret = app_secret or ""
        self.token = token
        self.refresh_token = refresh_token or (token.refresh_token if token else None)
        self.grant = grant
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self.on_token = on_token
        self.clock = clock
        self.sleep = sleep
        self.refresh_margin = refresh_margin
        self.calls = 0  # requests sent, retries included: benchmarks read it

    # ------------------------------------------------------------------ auth

    def authorize_url(self, redirect_uri, state):
        """Where to send the seller to allow a partner app (authorization_code)."""
        query = urlencode(
            {
                "client_id": self.app_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": ep.SCOPE,
                "state": state,
            }
        )
        return f"{self.base_url}{ep.AUTHORIZE_PATH}?{query}"

    def fetch_token(self):
        """Get a token with the self-access grant (client_credentials)."""
        return self._token_call({"grant_type": "client_credentials", "scope": ep.SCOPE})

    def exchange_code(self, code, redirect_uri, state=""):
        """Trade the code of the authorize redirect for tokens."""
        return self._token_call(
            {
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
                "state": state,
                "code": code,
            }
        )

    def refresh(self):
        """Renew the access token: refresh grant when we have one, else a new token."""
        if self.refresh_token:
            return self._token_call(
                {"grant_type": "refresh_token", "refresh_token": self.refresh_token}
            )
        if self.grant == "client_credentials":
            return self.fetch_token()
        raise AuthenticationError(
            "The account is not authorized on Flipkart yet: connect it first."
        )

    def ensure_token(self):
        now = self.clock()
        if self.token is None or self.token.expires_within(self.refresh_margin, now):
            self.refresh()
        return self.token

    def _token_call(self, params):
        if not self.app_id or not self.app_secret:
            raise AuthenticationError("The application id or secret is not set.")
        response = self._send(
            "GET",
            f"{self.base_url}{ep.TOKEN_PATH}",
            timeout=self.timeouts.auth,
            params=params,
            auth=(self.app_id, self.app_secret),
            authenticated=False,
        )
        try:
            data = response.json()
            token = Token.from_json(data, self.clock())
        except (ValueError, KeyError, TypeError) as err:
            raise FlipkartError(
                "Flipkart's token service gave an unreadable answer.",
                status=response.status_code,
            ) from err
        self.token = token
        if token.refresh_token:
            self.refresh_token = token.refresh_token
        if self.on_token:
            self.on_token(token)
        return token

    # --------------------------------------------------------------- transport

    def request(self, method, path, *, params=None, json=None, accept=None):
        """Call a path below /sellers; return the ``requests.Response``."""
        kind_timeout = (
            self.timeouts.listing
            if path.startswith(ep.LISTING_PREFIX)
            else self.timeouts.order
        )
        headers = {"Accept": accept} if accept else {}
        return self._send(
            method,
            f"{self.base_url}{ep.SELLERS_ROOT}{path}",
            timeout=kind_timeout,
            params=params,
            json=json,
            headers=headers,
        )

    def _send(self, method, url, *, timeout, authenticated=True, **kwargs):
        refreshed = False
        attempt = 0
        while True:
            attempt += 1
            headers = dict(kwargs.pop("headers", None) or {})
            if authenticated:
                headers["Authorization"] = f"Bearer {self.ensure_token().access_token}"
            try:
                self.calls += 1
                response = self.session.request(
                    method,
                    url,
                    timeout=(self.timeouts.connect, timeout),
                    headers=headers,
                    **kwargs,
                )
            except (requests.ConnectionError, requests.Timeout) as err:
                failure = ConnectionFailedError(
                    "Flipkart did not answer (network error or timeout); "
                    "will retry later."
                )
                failure.__cause__ = err
                retry_after = None
            else:
                if response.status_code == 401 and authenticated and not refreshed:
                    # A token revoked or expired early: renew once, then retry.
                    refreshed = True
                    self.token = None
                    kwargs["headers"] = headers
                    continue
                failure = self._failure(response, authenticated)
                if failure is None:
                    return response
                if not failure.retryable:
                    raise failure
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
            kwargs["headers"] = headers
            if attempt >= self.retry.max_attempts:
                raise failure
            wait = self.retry.delay(attempt - 1, retry_after)
            _logger.info(
                "Flipkart %s %s failed (%s); retry %d in %.1f s",
                method,
                url.split("?")[0],
                failure.message,
                attempt,
                wait,
            )
            self.sleep(wait)

    def _failure(self, response, authenticated):
        """The typed error a response stands for, or None when it succeeded."""
        status = response.status_code
        if status < 400:
            # A 2xx batch answer may name an error code per item: that is data.
            return None
        text, code = error_text(response)
        if DEPENDENT_SYSTEM_CALL_FAILED in (response.text or ""):
            return FlipkartUnavailableError(
                "Flipkart is unavailable (call to dependent system failed); "
                "will retry later.",
                status=status,
                code=DEPENDENT_SYSTEM_CALL_FAILED,
                body=response.text,
            )
        if status == 429:
            return RateLimitedError(
                "Flipkart is throttling requests (HTTP 429); will retry later.",
                status=status,
                code=code,
            )
        if status in RETRY_STATUSES:
            return FlipkartUnavailableError(
                f"Flipkart is unavailable (HTTP {status}: {text}); will retry later.",
                status=status,
                code=code,
                body=response.text,
            )
        if status == 401:
            if not authenticated:
                return AuthenticationError(
                    "Flipkart refused the application id or secret "
                    f"({text or 'Bad credentials'}).",
                    status=status,
                    code=code,
                )
            return TokenExpiredError(
                f"Flipkart refused the access token ({text}); reconnect the account.",
                status=status,
                code=code,
            )
        if status == 403 or code == "OPERATION_NOT_ALLOWED":
            return PermissionDeniedError(
                f"Flipkart refused access ({text}): the ids or location may not "
                "belong to this seller.",
                status=status,
                code=code,
            )
        if status == 404:
            return NotFoundError(
                f"Not found on Flipkart ({text}).", status=status, code=code
            )
        if status in (400, 422) and not authenticated:
            return AuthenticationError(
                f"Flipkart refused the authorization ({text}).",
                status=status,
                code=code,
            )
        return InvalidRequestError(
            f"Flipkart rejected the request (HTTP {status}: {text}).",
            status=status,
            code=code,
            body=response.text,
        )

    @staticmethod
    def _pages(data, parse, next_token, fetch_next):
        """Parsed pages from a first answer, following the next-page token
        while there is one, at most MAX_PAGES, never the same token twice:
        an answer of another shape, or paging that never ends, stops with
        an error in words instead of a Python error or an endless loop."""
        seen = set()
        for _number in range(MAX_PAGES):
            page = _parsed(data, parse)
            yield page
            token = next_token(page)
            if not token:
                return
            if token in seen:
                raise UnexpectedAnswerError(
                    "Flipkart sent the same next page twice: paging stopped."
                )
            seen.add(token)
            data = fetch_next(token)
        raise UnexpectedAnswerError(
            f"Flipkart still had more after {MAX_PAGES} pages: paging stopped."
        )

    def _answer(self, response, parse):
        """Typed records from a JSON answer, or an error in words."""
        return _parsed(self._json(response), parse)

    def _json(self, response):
        try:
            return response.json()
        except ValueError as err:
            raise FlipkartError(
                "Flipkart gave an answer that is not JSON.",
                status=response.status_code,
                body=response.text[:500],
            ) from err

    # ----------------------------------------------------------- shipments

    def search_shipments(
        self, filters, *, sort=None, page_size=ep.FILTER_PAGE_SIZE, next_page_url=None
    ):
        """Yield :class:`ShipmentPage` until Flipkart says there is no more.

        Pass ``next_page_url`` (from a page already committed) to resume.
        """
        if next_page_url:
            data = self._json(
                self.request("GET", self._sellers_relative(next_page_url))
            )
        else:
            body = {"filter": filters, "pagination": {"pageSize": page_size}}
            if sort:
                body["sort"] = sort
            data = self._json(self.request("POST", ep.SHIPMENTS_FILTER, json=body))
        yield from self._pages(
            data,
            lambda data: ShipmentPage(
                shipments=[Shipment.from_json(s) for s in data.get("shipments") or []],
                has_more=bool(data.get("hasMore")),
                next_page_url=data.get("nextPageUrl") or None,
            ),
            lambda page: page.has_more and page.next_page_url,
            lambda url: self._json(self.request("GET", self._sellers_relative(url))),
        )

    @staticmethod
    def _sellers_relative(url):
        """``nextPageUrl`` is relative to /sellers; accept it with the prefix too."""
        path = re.sub(r"^https?://[^/]+", "", url)
        if path.startswith(ep.SELLERS_ROOT + "/"):
            path = path[len(ep.SELLERS_ROOT) :]
        return path

    def get_shipments(self, *, shipment_ids=(), order_item_ids=(), order_ids=()):
        """Shipments by one kind of id, in calls of at most 100 ids."""
        given = [
            (name, ids)
            for name, ids in (
                ("shipmentIds", shipment_ids),
                ("orderItemIds", order_item_ids),
                ("orderIds", order_ids),
            )
            if ids
        ]
        if len(given) != 1:
            raise ValueError("pass exactly one kind of id")
        name, ids = given[0]
        shipments = []
        for batch in chunked(list(dict.fromkeys(ids)), ep.MAX_IDS):
            shipments += self._answer(
                self.request(
                    "GET", ep.SHIPMENTS_BY_IDS, params={name: ",".join(batch)}
                ),
                lambda data: [
                    Shipment.from_json(s) for s in data.get("shipments") or []
                ],
            )
        return shipments

    def get_shipment_details(self, shipment_ids):
        """Addresses and courier details, in calls of at most 100 ids."""
        details = []
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_IDS):
            path = ep.SHIPMENT_DETAILS.format(ids=",".join(quote(i) for i in batch))
            details += self._answer(
                self.request("GET", path),
                lambda data: [
                    ShipmentDetails.from_json(s) for s in data.get("shipments") or []
                ],
            )
        return details

    def cancel_shipments(self, shipments):
        """Seller cancellation: ``[{shipmentId, locationId,
        cancellationGroupIds, reason}]``, 25 a call.

        Returns ``{shipmentId: ItemResult}``; a whole call that fails marks
        each of its shipments with the reason instead of raising.
        """
        return self._batch_results(
            ep.SHIPMENTS_CANCEL,
            shipments,
            ep.MAX_SHIPMENT_ACTIONS,
            lambda batch: {"shipments": batch},
            _shipment_results,
            key=lambda shipment: str(shipment["shipmentId"]),
        )

    # ---------------------------------------------------------- fulfilment

    def pack_shipments(self, shipments):
        """Pack and ask for labels and invoices: ``[{shipmentId, locationId,
        taxItems, serialNumbers?, invoices?, subShipments?}]``, 25 a call.

        Asynchronous on Flipkart's side: a SUCCESS means PACKING_IN_PROGRESS;
        the labels exist once the shipment reads PACKED.
        """
        return self._shipment_actions(
            ep.SHIPMENTS_PACK, shipments, ep.MAX_SHIPMENT_ACTIONS
        )

    def mark_ready_to_dispatch(self, location_id, shipment_ids):
        """Ready to dispatch (RTD) the packed shipments of one location, 25 a call."""
        return self._batch_results(
            ep.SHIPMENTS_DISPATCH,
            list(dict.fromkeys(shipment_ids)),
            ep.MAX_SHIPMENT_ACTIONS,
            lambda batch: {"shipmentIds": batch, "locationId": location_id},
            _shipment_results,
            key=str,
        )

    def update_form_acks(self, shipments):
        """``[{shipmentId, forms: [{name, ackNumber}]}]``, 25 a call."""
        return self._shipment_actions(
            ep.FORMS_UPDATE_ACK, shipments, ep.MAX_SHIPMENT_ACTIONS
        )

    def self_ship_dispatch(self, shipments):
        """Self-ship dispatch with invoice, courier and tracking id, 100 a call."""
        return self._shipment_actions(
            ep.SELF_SHIP_DISPATCH, shipments, ep.MAX_SELF_SHIP
        )

    def self_ship_delivery(self, shipments):
        """Self-ship delivered: ``[{shipmentId, locationId, deliveryDate}]``."""
        return self._shipment_actions(
            ep.SELF_SHIP_DELIVERY, shipments, ep.MAX_SELF_SHIP
        )

    def self_ship_delivery_attempt(self, shipments):
        """Self-ship failed attempt with ``failureAttributes``, 100 a call."""
        return self._shipment_actions(ep.SELF_SHIP_ATTEMPT, shipments, ep.MAX_SELF_SHIP)

    def service_attempt(self, services):
        """``[{shipmentId, locationId, deliveryDate}]`` of service items."""
        return self._service_actions(ep.SERVICES_ATTEMPT, services)

    def service_complete(self, services):
        return self._service_actions(ep.SERVICES_COMPLETE, services)

    def _service_actions(self, path, services):
        # The answer names each service by its own id, in the order asked:
        # results are matched to the shipments by position.
        results = {}
        for batch in chunked(list(services), ep.MAX_SELF_SHIP):
            results.update(
                self._batch_results(
                    path,
                    batch,
                    ep.MAX_SELF_SHIP,
                    lambda items: {"services": items},
                    lambda data, asked=batch: _service_results(data, asked),
                    key=lambda service: str(service["shipmentId"]),
                )
            )
        return results

    def _shipment_actions(self, path, shipments, size):
        return self._batch_results(
            path,
            shipments,
            size,
            lambda batch: {"shipments": batch},
            _shipment_results,
            key=lambda shipment: str(shipment["shipmentId"]),
        )

    def get_labels_pdf(self, shipment_ids):
        """Yield ``(shipment ids, PDF bytes)``: labels and invoices, 100 a call."""
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_IDS):
            path = ep.SHIPMENT_LABELS.format(ids=_id_list(batch))
            yield batch, self._pdf(self.request("GET", path, accept=ep.PDF))

    def get_label_only_pdf(self, shipment_ids, reprint=True):
        """Yield ``(shipment ids, PDF bytes)`` of labels only, 50 a call.

        ``reprint`` asks for a copy without marking anything packed.
        """
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_LABEL_ONLY):
            path = ep.SHIPMENT_LABEL_ONLY_PDF.format(ids=_id_list(batch))
            response = self.request(
                "POST",
                path,
                params={"reprint": "true" if reprint else "false"},
                json={"reprint": bool(reprint)},
                accept=ep.PDF,
            )
            yield batch, self._pdf(response)

    def get_invoices(self, shipment_ids):
        """Flipkart's invoice data (:class:`Invoice`), 100 shipments a call."""
        invoices = []
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_IDS):
            path = ep.SHIPMENT_INVOICES.format(ids=_id_list(batch))
            invoices += self._answer(
                self.request("GET", path, accept="application/json"),
                lambda data: [Invoice.from_json(i) for i in data.get("invoices") or []],
            )
        return invoices

    def get_invoices_pdf(self, shipment_ids):
        """Yield ``(shipment ids, PDF bytes)`` of the invoices, 100 a call."""
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_IDS):
            path = ep.SHIPMENT_INVOICES.format(ids=_id_list(batch))
            yield batch, self._pdf(self.request("GET", path, accept=ep.PDF))

    def get_forms(self, shipment_ids):
        """``{shipmentId: [Form]}``, 100 shipments a call."""
        forms = {}
        for batch in chunked(list(dict.fromkeys(shipment_ids)), ep.MAX_IDS):
            path = ep.SHIPMENT_FORMS.format(ids=_id_list(batch))
            forms.update(
                self._answer(
                    self.request("GET", path),
                    lambda data: {
                        str(entry.get("shipmentId")): [
                            Form.from_json(f) for f in entry.get("forms") or []
                        ]
                        for entry in data.get("shipments") or []
                    },
                )
            )
        return forms

    def get_handover_counts(self, location_id):
        """Ready-to-dispatch counts per courier vendor group at a location."""
        return self._answer(
            self.request("GET", ep.HANDOVER_COUNTS, params={"locationId": location_id}),
            _vendor_groups,
        )

    def get_manifest(self, location_id, vendor_group_code, is_mps=False, pickup=None):
        """The manifest PDF of one courier's ready-to-dispatch shipments.

        ``pickup`` is the ``(from, to)`` window (ISO text), needed for MPS.
        """
        params = {
            "vendorGroupCode": vendor_group_code,
            "locationId": location_id,
            "isMps": bool(is_mps),
        }
        if pickup:
            params["pickupDate"] = {"from": pickup[0], "to": pickup[1]}
        response = self.request(
            "POST", ep.MANIFEST, json={"params": params}, accept=ep.PDF
        )
        return self._pdf(response)

    def _pdf(self, response):
        body = response.content or b""
        if not body.startswith(b"%PDF"):
            raise FlipkartError(
                "Flipkart sent no PDF document.",
                status=response.status_code,
                body=(response.text or "")[:500],
            )
        return body

    # ------------------------------------------------------ Smart picklists

    def release_picklist(self, location_id, shipment_ids):
        """Release one Flipkart Smart picklist of these shipments (all or
        none, 25 at most); returns the ``SmartPicklist``."""
        ids = list(dict.fromkeys(shipment_ids))
        if not 1 <= len(ids) <= ep.MAX_PICKLIST:
            raise ValueError(f"a picklist holds 1 to {ep.MAX_PICKLIST} shipments")
        body = {"locationId": location_id, "shipmentIds": ids}
        return self._answer(
            self.request("POST", ep.SMART_PICKLISTS, json=body),
            SmartPicklist.from_json,
        )

    def get_picklist(self, picklist_id):
        path = ep.SMART_PICKLIST.format(picklist_id=_picklist_id(picklist_id))
        return self._answer(self.request("GET", path), SmartPicklist.from_json)

    def picklist_action(self, action, picklist_id):
        """``pack`` (every order packed whole) or ``confirm`` (handed over:
        its shipments dispatched) a picklist; returns the ``SmartPicklist``."""
        path = ep.SMART_PICKLIST_ACTIONS[action].format(
            picklist_id=_picklist_id(picklist_id)
        )
        return self._answer(self.request("POST", path), SmartPicklist.from_json)

    # ------------------------------------------------------------- returns

    def search_returns(
        self,
        source,
        *,
        location_id=None,
        modified_after=None,
        modified_before=None,
        created_after=None,
        next_url=None,
    ):
        """Yield :class:`ReturnPage` (25 returns each) of one source
        (customer_return or courier_return) until the last; pass ``next_url``
        of a committed page to resume."""
        if next_url:
            data = self._json(self.request("GET", _returns_relative(next_url)))
        else:
            params = {"source": source}
            for name, value in (
                ("locationId", location_id),
                ("modifiedAfter", modified_after),
                ("modifiedBefore", modified_before),
                ("createdAfter", created_after),
            ):
                if value:
                    params[name] = value
            data = self._json(self.request("GET", ep.RETURNS, params=params))
        yield from self._pages(
            data,
            lambda data: ReturnPage(
                returns=[
                    ReturnItem.from_json(r, source)
                    for r in data.get("returnItems") or []
                ],
                has_more=bool(data.get("hasMore")),
                next_url=data.get("nextUrl") or None,
            ),
            lambda page: page.has_more and page.next_url,
            lambda url: self._json(self.request("GET", _returns_relative(url))),
        )

    def get_returns(self, return_ids, source):
        """Returns by id, 25 a call (``source`` is mandatory for Flipkart)."""
        found = []
        for batch in chunked(list(dict.fromkeys(return_ids)), ep.MAX_RETURN_IDS):
            params = {"source": source, "returnIds": ",".join(batch)}
            found += self._answer(
                self.request("GET", ep.RETURNS, params=params),
                lambda data: [
                    ReturnItem.from_json(r, source)
                    for r in data.get("returnItems") or []
                ],
            )
        return found

    def return_action(self, action, location_id, returns):
        """A self-ship return step, 100 a call; ``returns`` are the documented
        entries (``{returnId, ...}``, or bare ids for complete and cancel).

        ``action``: approve, reject, complete, pickup, pickup_attempt, cancel.
        Returns ``{returnId: ItemResult}``.
        """
        bare = action in ("complete", "cancel")
        return self._batch_results(
            ep.RETURN_ACTIONS[action],
            returns,
            ep.MAX_RETURN_ACTIONS,
            lambda batch: {
                "returnIds" if bare else "returns": batch,
                "locationId": location_id,
            },
            lambda data: [
                ItemResult.from_shipment_action(item, key_field="returnId")
                for item in data.get("returns") or []
            ],
            key=lambda entry: str(entry if bare else entry["returnId"]),
        )

    def _batch_results(self, path, items, size, body, parse, key):
        """POST ``items`` in calls of ``size``; per-item results as data."""
        results = {}
        for batch in chunked(list(items), size):
            try:
                answered = self._answer(
                    self.request("POST", path, json=body(batch)), parse
                )
            except (AuthenticationError, TokenExpiredError):
                raise
            except FlipkartError as err:
                for item in batch:
                    results[key(item)] = ItemResult(
                        key=key(item),
                        status="FAILURE",
                        errors=[err.message],
                        retryable=err.retryable,
                        code=err.code or "",
                    )
                continue
            for result in answered:
                results[result.key] = result
            for item in batch:
                results.setdefault(
                    key(item),
                    ItemResult(
                        key=key(item),
                        status="FAILURE",
                        errors=["Flipkart's answer did not mention it."],
                    ),
                )
        return results

    # ------------------------------------------------------------ listings

    def search_listings(self, status=None):
        """Yield :class:`ListingPage` (500 listings each) until the last one."""
        filters = {"listing_status": status} if status else {}

        def fetch(page_id):
            body = {"filters": filters, "page_id": page_id}
            return self._json(self.request("POST", ep.LISTINGS_SEARCH, json=body))

        yield from self._pages(
            fetch(None),
            lambda data: ListingPage(
                listings=[ListingRef.from_json(r) for r in data.get("listings") or []],
                has_more=bool(data.get("has_more")),
                next_page_id=data.get("next_page_id"),
            ),
            lambda page: page.has_more and page.next_page_id,
            fetch,
        )

    def get_listings(self, skus):
        """Listing details by seller SKU, 10 SKUs a call."""
        result = ListingsResult()
        for batch in chunked(list(dict.fromkeys(skus)), ep.MAX_LISTINGS):
            path = ep.LISTINGS_GET.format(
                skus=",".join(quote(s, safe="") for s in batch)
            )
            self._answer(self.request("GET", path), result.merge)
        return result

    def update_inventory(self, updates):
        """Send ``{sku: {"product_id", "locations": [...]}}``, 10 SKUs a call.

        Returns ``{sku: ItemResult}``; never raises for one SKU's failure.
        """
        return self._listing_batches(ep.LISTINGS_UPDATE_INVENTORY, updates)

    def update_price(self, updates):
        """Send ``{sku: {"product_id", "price": {...}}}``, 10 SKUs a call."""
        return self._listing_batches(ep.LISTINGS_UPDATE_PRICE, updates)

    def _listing_batches(self, path, updates):
        return self._batch_results(
            path,
            updates,
            ep.MAX_LISTINGS,
            lambda batch: {sku: updates[sku] for sku in batch},
            lambda data: [
                ItemResult.from_listing_update(sku, item)
                for sku, item in data.items()
                if isinstance(item, dict)
            ],
            key=lambda sku: sku,
        )

    # -------------------------------------------------------------- checks

    def test_connection(self, location_ids=()):
        """Get a token and make one cheap call per location; raise on failure."""
        if self.grant == "client_credentials":
            self.fetch_token()  # a fresh token proves the id and secret now
        else:
            self.ensure_token()
        for location_id in location_ids or [None]:
            filters = {"type": "preDispatch", "states": ["APPROVED"]}
            if location_id:
                filters["locationId"] = location_id
            next(iter(self.search_shipments(filters, page_size=1)))
        return True


def _parsed(data, parse):
    """``parse(data)``; an answer of another shape (a list for an object,
    "two" for a number) becomes an error in words, never a Python error."""
    try:
        return parse(data)
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        raise UnexpectedAnswerError(
            f"Flipkart's answer is not in the documented shape ({err}).",
            body=repr(data)[:500],
        ) from err


def _vendor_groups(data):
    if isinstance(data, dict):  # tolerate a wrapped list
        data = data.get("vendorGroups") or data.get("counts") or []
    return [VendorGroup.from_json(group) for group in data or []]


def _shipment_results(data):
    """Per-shipment results of a shipment action's answer."""
    return [ItemResult.from_shipment_action(i) for i in data.get("shipments") or []]


def _service_results(data, asked):
    """Per-shipment results of a services call (``services[{serviceFulfilmentId,
    status, failureReason}]``, one per service asked, in order)."""
    results = []
    for entry, answer in zip(asked, data.get("services") or [], strict=False):
        status = answer.get("status") or "FAILURE"
        reason = answer.get("failureReason")
        results.append(
            ItemResult(
                key=str(answer.get("shipmentId") or entry["shipmentId"]),
                status="SUCCESS" if status.upper() == "SUCCESS" else "FAILURE",
                errors=[reason] if reason else [],
                raw=answer,
            )
        )
    return results


def _returns_relative(url):
    """``nextUrl`` of returns: relative to /sellers (``/v2/returns?...``), or,
    as one integrator reads it, to /sellers/v2 (``/returns?...``)."""
    path = FlipkartClient._sellers_relative(url)
    return path if path.startswith("/v2/") else "/v2" + path


def _picklist_id(value):
    if not isinstance(value, str) or not ep.SMART_PICKLIST_ID.fullmatch(value):
        raise ValueError(f"not a picklist id: {value!r}")
    return value


def _id_list(ids):
    return ",".join(quote(str(i), safe="") for i in ids)
