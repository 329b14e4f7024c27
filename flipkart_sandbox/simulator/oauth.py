"""The OAuth service: /oauth-service/oauth/token and /authorize (flipkart-api.md §1).

Token grants: client_credentials (self-access apps), authorization_code (the
seller "clicks Allow" at once in the sandbox) and refresh_token (rotates the
refresh token). Every expiry is measured with the sandbox clock.
"""

import secrets
import threading
import uuid
from urllib.parse import urlencode

from .constants import AUTH_CODE_TTL, SCOPE
from .web import OAuthError, Response, json_response

_BASIC_CHALLENGE = (("WWW-Authenticate", 'Basic realm="oauth2/client"'),)


def _bad_credentials():
    return OAuthError(401, "unauthorized", "Bad credentials", _BASIC_CHALLENGE)


def invalid_grant(description):
    return OAuthError(400, "invalid_grant", description)


def invalid_token(description):
    challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return OAuthError(
        401, "invalid_token", description, (("WWW-Authenticate", challenge),)
    )


def _has_seller_scope(scope):
    return SCOPE in (scope or "").replace(" ", ",").split(",")


class TokenStore:
    """Access tokens, refresh tokens and authorization codes, with expiry."""

    def __init__(self, apps, clock, token_ttl, refresh_ttl):
        self.apps = dict(apps)
        self.clock = clock
        self.token_ttl = token_ttl
        self.refresh_ttl = refresh_ttl
        self._lock = threading.Lock()
        self._access = {}  # token -> (app_id, expires_at)
        self._refresh = {}  # token -> (app_id, expires_at)
        self._codes = {}  # code -> (app_id, redirect_uri, expires_at)

    def issue(self, app_id, with_refresh=False, scope=SCOPE):
        """A token response body, as the token endpoint returns it."""
        if app_id not in self.apps:
            raise KeyError(f"unknown app {app_id!r}")
        now = self.clock()
        access = str(uuid.uuid4())
        body = {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": int(self.token_ttl),
            "scope": scope,
        }
        with self._lock:
            self._access[access] = (app_id, now + self.token_ttl)
            if with_refresh:
                refresh = str(uuid.uuid4())
                self._refresh[refresh] = (app_id, now + self.refresh_ttl)
                body["refresh_token"] = refresh
                body["refresh_token_expires_in"] = int(self.refresh_ttl)
        return body

    def check_access(self, token):
        """The app id a bearer token belongs to; 401 invalid_token otherwise."""
        if not token:
            raise invalid_token("Full authentication is required: no bearer token")
        with self._lock:
            entry = self._access.get(token)
        if entry is None:
            raise invalid_token("Invalid access token")
        app_id, expires_at = entry
        if self.clock() >= expires_at:
            raise invalid_token("Access token expired")
        return app_id

    def revoke_all(self):
        """Forget every access token (refresh tokens stay valid)."""
        with self._lock:
            self._access.clear()

    def new_code(self, app_id, redirect_uri):
        code = secrets.token_urlsafe(12)
        with self._lock:
            self._codes[code] = (app_id, redirect_uri, self.clock() + AUTH_CODE_TTL)
        return code

    def use_code(self, app_id, code, redirect_uri):
        """Consume a code (single use, even when the exchange then fails)."""
        with self._lock:
            entry = self._codes.pop(code or "", None)
        if entry is None:
            raise invalid_grant(f"Invalid authorization code: {code}")
        owner, expected_uri, expires_at = entry
        if owner != app_id:
            raise invalid_grant("Authorization code was issued to another client")
        if redirect_uri != expected_uri:
            raise invalid_grant("Redirect URI mismatch.")
        if self.clock() >= expires_at:
            raise invalid_grant("Authorization code expired")

    def use_refresh(self, app_id, token):
        """Revoke a refresh token, checking it is this app's and still valid."""
        with self._lock:
            entry = self._refresh.get(token or "")
            if entry is not None and entry[0] == app_id:
                del self._refresh[token]
        if entry is None or entry[0] != app_id:
            raise invalid_grant("Invalid refresh token")
        if self.clock() >= entry[1]:
            raise invalid_grant("Invalid refresh token (expired)")


def token(sb, req):
    """GET /oauth-service/oauth/token (HTTP Basic app id and secret)."""
    credentials = req.basic_credentials()
    store = sb.tokens
    if credentials is None or store.apps.get(credentials[0]) != credentials[1]:
        raise _bad_credentials()
    app_id = credentials[0]
    grant = req.query.get("grant_type")
    if grant == "client_credentials":
        scope = req.query.get("scope", "")
        if not _has_seller_scope(scope):
            raise OAuthError(400, "invalid_scope", f"Invalid scope: {scope}")
        body = store.issue(app_id, scope=scope)
    elif grant == "authorization_code":
        store.use_code(app_id, req.query.get("code"), req.query.get("redirect_uri"))
        body = store.issue(app_id, with_refresh=True)
    elif grant == "refresh_token":
        store.use_refresh(app_id, req.query.get("refresh_token"))
        body = store.issue(app_id, with_refresh=True)
    elif not grant:
        raise OAuthError(400, "invalid_request", "Missing grant type")
    else:
        raise OAuthError(
            400, "unsupported_grant_type", f"Unsupported grant type: {grant}"
        )
    return json_response(body, headers=(("Cache-Control", "no-store"),))


def authorize(sb, req):
    """GET /oauth-service/oauth/authorize: the seller allows at once; 302 back."""
    query = req.query
    app_id = query.get("client_id", "")
    if app_id not in sb.tokens.apps:
        raise OAuthError(400, "invalid_client", f"Unknown client id: {app_id}")
    redirect_uri = query.get("redirect_uri")
    if not redirect_uri:
        raise OAuthError(400, "invalid_request", "A redirect_uri is required")
    if query.get("response_type") != "code":
        raise OAuthError(400, "unsupported_response_type", "response_type must be code")
    if not _has_seller_scope(query.get("scope")):
        raise OAuthError(400, "invalid_scope", f"Invalid scope: {query.get('scope')}")
    params = {"code": sb.tokens.new_code(app_id, redirect_uri)}
    if "state" in query:
        params["state"] = query["state"]
    separator = "&" if "?" in redirect_uri else "?"
    location = redirect_uri + separator + urlencode(params)
    return Response(302, b"", headers=(("Location", location),))
