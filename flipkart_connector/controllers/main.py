import io
import json
import threading

from odoo import http
from odoo.http import request

from ..models.flipkart_oauth import OAUTH_CALLBACK_ROUTE

NOTIFY_ROUTE = "/flipkart/notifications"
SANDBOX_ROUTE = "/flipkart_sandbox"
SANDBOX_PARAM = "flipkart_connector.sandbox_mounted"


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


_sandbox_lock = threading.Lock()
_sandbox = None


def mounted_sandbox():
    """The in-process Flipkart simulator of the demo database (one per process)."""
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            from ..flipkart.sandbox import Sandbox

            # Five SKUs, matching the demo products, so every order maps;
            # a new order arrives every minute while the demo runs.
            _sandbox = Sandbox(seed=1, shipments=40, listings=5)
            _sandbox.start_generator(1 / 60, max_total=500)
        return _sandbox


class FlipkartSandboxController(http.Controller):
    @http.route(
        [SANDBOX_ROUTE + "/<path:subpath>"],
        type="http",
        auth="none",
        methods=["GET", "POST", "PUT"],
        csrf=False,
        save_session=False,
    )
    def sandbox(self, subpath, **_kwargs):
        """Serve the simulator here when the demo data switched it on.

        Off by default: a production database never answers as Flipkart.
        """
        params = request.env["ir.config_parameter"].sudo()
        if params.get_param(SANDBOX_PARAM) != "1":
            return request.not_found()
        body = request.httprequest.get_data()
        environ = dict(request.httprequest.environ)
        environ.update(
            {
                "SCRIPT_NAME": SANDBOX_ROUTE,
                "PATH_INFO": "/" + subpath,
                "wsgi.input": io.BytesIO(body),
                "CONTENT_LENGTH": str(len(body)),
            }
        )
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            captured["headers"] = headers

        chunks = mounted_sandbox().wsgi_app(environ, start_response)
        return request.make_response(
            b"".join(chunks), headers=captured["headers"], status=captured["status"]
        )
