"""Minimal WSGI plumbing: the request, the response, and the error bodies.

Two error shapes exist on Flipkart: the OAuth service answers
``{"error", "error_description"}``; the Seller API answers
``{"errors": [{"errorCode", "errorMessage"}]}``. Every error the sandbox sends
goes through :func:`error_response` or :func:`oauth_error_response`.
"""

import base64
import binascii
import json
from http import HTTPStatus
from urllib.parse import parse_qsl

from .constants import (
    INVALID_REQUEST_DATE_FORMAT,
    INVALID_REQUEST_JSON,
    UNPROCESSABLE_ENTITY,
)
from .times import epoch


class Response:
    """Status, headers and body bytes of one answer."""

    def __init__(self, status, body=b"", content_type="application/json", headers=()):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = [("Content-Type", content_type), *headers]
        self.headers.append(("Content-Length", str(len(self.body))))

    @property
    def status_line(self):
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Unknown"
        return f"{self.status} {phrase}"


def json_response(data, status=200, headers=()):
    return Response(status, json.dumps(data), headers=headers)


def error_response(status, code, message, headers=()):
    """The Seller API's error body."""
    body = {"errors": [{"errorCode": code, "errorMessage": message}]}
    return json_response(body, status, headers)


def oauth_error_response(status, error, description, headers=()):
    """The OAuth service's error body (also used for a refused bearer token)."""
    body = {"error": error, "error_description": description}
    return json_response(body, status, (("Cache-Control", "no-store"), *headers))


class HttpError(Exception):
    """Raised by handlers; carries the response to send."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


class ApiError(HttpError):
    def __init__(self, status, code, message, headers=()):
        super().__init__(error_response(status, code, message, headers))


class OAuthError(HttpError):
    def __init__(self, status, error, description, headers=()):
        super().__init__(oauth_error_response(status, error, description, headers))


def invalid(message):
    """A request Flipkart would reject as a whole (400, UNPROCESSABLE_ENTITY)."""
    return ApiError(400, UNPROCESSABLE_ENTITY, message)


class Request:
    """What a handler needs from the WSGI environ."""

    def __init__(self, environ):
        self.environ = environ
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        # PATH_INFO only: a prefix the app is mounted under stays in SCRIPT_NAME.
        self.path = environ.get("PATH_INFO") or "/"
        self.query = dict(
            parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        )
        self._body = None

    def header(self, name):
        key = "HTTP_" + name.upper().replace("-", "_")
        if key == "HTTP_CONTENT_TYPE":
            key = "CONTENT_TYPE"
        return self.environ.get(key, "")

    @property
    def body(self):
        if self._body is None:
            try:
                length = int(self.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            stream = self.environ.get("wsgi.input")
            self._body = stream.read(length) if stream is not None and length else b""
        return self._body

    def json_object(self):
        """The body as a JSON object, or a 400 INVALID_REQUEST_JSON."""
        try:
            data = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise ApiError(
                400, INVALID_REQUEST_JSON, f"Request body is not valid JSON: {err}"
            ) from err
        if not isinstance(data, dict):
            raise ApiError(400, INVALID_REQUEST_JSON, "Request body must be an object")
        return data

    def basic_credentials(self):
        """(user, password) from HTTP Basic, or None."""
        scheme, _, value = self.header("Authorization").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return (user, password) if sep else None

    def bearer_token(self):
        scheme, _, value = self.header("Authorization").partition(" ")
        return value.strip() if scheme.lower() == "bearer" else ""


def date_param(value, what):
    """Epoch seconds of an ISO 8601 request value (None stays None), or a 400."""
    try:
        return epoch(value)
    except (TypeError, ValueError) as err:
        raise ApiError(
            400, INVALID_REQUEST_DATE_FORMAT, f"{what} is not an ISO 8601 date-time"
        ) from err


def parse_id_list(raw, cap, what="ids"):
    """Split a comma list of ids, keeping order and dropping repeats.

    Empty lists and lists over ``cap`` are rejected the way Flipkart rejects
    them: 400 with UNPROCESSABLE_ENTITY.
    """
    ids = list(dict.fromkeys(part.strip() for part in (raw or "").split(",")))
    ids = [i for i in ids if i]
    check_cap(len(ids), cap, what)
    return ids


def check_cap(count, cap, what):
    """At least one and at most ``cap`` items per request."""
    if not count:
        raise invalid(f"At least one of {what} is required")
    if count > cap:
        raise invalid(f"At most {cap} {what} are allowed per request, got {count}")


def encode_cursor(data):
    """An opaque, URL-safe page token (base64 of JSON, as Flipkart's are)."""
    raw = json.dumps(data, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token, what):
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as err:
        raise invalid(f"Invalid {what}") from err
    if not isinstance(data, dict):
        raise invalid(f"Invalid {what}")
    return data
