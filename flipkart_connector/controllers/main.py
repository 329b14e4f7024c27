import json

from odoo import http
from odoo.http import request

from ..models.flipkart_oauth import OAUTH_CALLBACK_ROUTE

NOTIFY_ROUTE = "/flipkart/notifications"


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
    )
    def receive(self, **_kwargs):
        """Verify, store, answer at once; processing happens in a cron.

        Flipkart holds back later events of a group until this one is
        answered, so nothing slow happens here.
        """
        httprequest = request.httprequest
        Event = request.env["flipkart.event"].sudo()
        # Flipkart signs the URL it was given; behind a proxy that is the
        # public one (web.base.url), so both are tried.
        urls = [httprequest.base_url]
        base = Event.env["ir.config_parameter"].get_param("web.base.url")
        if base:
            urls.append(base.rstrip("/") + NOTIFY_ROUTE)
        status, body = Event._receive_notification(
            httprequest.headers, urls, httprequest.method, httprequest.get_data()
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
