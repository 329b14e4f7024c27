import functools
import json

import werkzeug.serving

from odoo import http
from odoo.http import request

from .. import flipkart
from ..models.flipkart_oauth import OAUTH_CALLBACK_ROUTE

NOTIFY_ROUTE = "/flipkart/notifications"
# Flipkart signs with these two headers, underscores and all.
FLIPKART_HEADERS = ("X_Date", "X_Authorization")
HEADERS_ENVIRON_KEY = "flipkart.notification_headers"
# A notification is a few kilobytes; nothing larger is read.
MAX_NOTIFICATION_BYTES = 1 << 20


def _keep_flipkart_headers(make_environ):
    """Werkzeug's server drops every header with an underscore in its name
    (so that X_Date cannot pose as X-Date), in the threaded server and in
    prefork workers alike: Flipkart's signature would never reach the route.
    Keep those two, for this route only, under a key of their own."""

    @functools.wraps(make_environ)
    def make_environ_keeping_flipkart_headers(self):
        environ = make_environ(self)
        if self.path.split("?", 1)[0] == NOTIFY_ROUTE:
            environ[HEADERS_ENVIRON_KEY] = {
                name: self.headers[name]
                for name in FLIPKART_HEADERS
                if self.headers.get(name) is not None
            }
        return environ

    make_environ_keeping_flipkart_headers.keeps_flipkart_headers = True
    return make_environ_keeping_flipkart_headers


# The OAuth callback's address carries the code and the state; the token
# endpoint's, the code and the refresh token: not in the log.
flipkart.redaction.install()

_handler = werkzeug.serving.WSGIRequestHandler
if not getattr(_handler.make_environ, "keeps_flipkart_headers", False):
    _handler.make_environ = _keep_flipkart_headers(_handler.make_environ)


def _json_response(status, body):
    return request.make_response(
        json.dumps(body),
        headers=[("Content-Type", "application/json")],
        status=status,
    )


class FlipkartNotificationController(http.Controller):
    @http.route(
        NOTIFY_ROUTE,
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        # It stores the event: Odoo 18 would run an auth="none" route on a
        # read-only cursor, fail, log an error, and run it again.
        readonly=False,
    )
    def receive(self, **_kwargs):
        """Verify, store, answer at once; processing happens in a cron.

        Flipkart holds back later events of a group until this one is
        answered, so nothing slow happens here.
        """
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is None or length > MAX_NOTIFICATION_BYTES:
            return _json_response(413, {"error": "body too large or of no length"})
        Event = request.env["flipkart.event"].sudo()
        # Flipkart signs the URL it was given; behind a proxy that is the
        # public one (web.base.url), so both are tried.
        urls = [httprequest.base_url]
        base = Event.env["ir.config_parameter"].get_param("web.base.url")
        if base:
            urls.append(base.rstrip("/") + NOTIFY_ROUTE)
        headers = dict(httprequest.headers)
        headers.update(httprequest.environ.get(HEADERS_ENVIRON_KEY) or {})
        status, body = Event._receive_notification(
            headers, urls, httprequest.method, httprequest.get_data()
        )
        return _json_response(status, body)


class FlipkartOAuthController(http.Controller):
    @http.route(OAUTH_CALLBACK_ROUTE, type="http", auth="user")
    def callback(self, state=None, code=None, error=None, **_kwargs):
        """Where Flipkart sends the seller back after "Allow" (partner apps)."""
        account = request.env["flipkart.account"]._complete_authorization(
            state, code=code, error=error
        )
        return request.redirect(
            f"/web#model=flipkart.account&id={account.id}&view_type=form"
        )
