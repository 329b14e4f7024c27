import io
import threading

from odoo import http
from odoo.http import request

SANDBOX_ROUTE = "/flipkart_sandbox"
# 2GUD has its own host: here, its own path and its own simulator.
TWOGUD_ROUTE = "/flipkart_sandbox_2gud"

_sandbox_lock = threading.Lock()
_sandboxes = {}


def _make(route):
    from ..simulator import Sandbox
    from ..simulator.app import DEFAULT_APPS

    if route == TWOGUD_ROUTE:
        # Three refurbished SKUs (RFB-...), matching the demo's serial-
        # tracked products; the 2GUD account's own application.
        sandbox = Sandbox(
            seed=2,
            shipments=20,
            listings=3,
            locations=("LOC2GUD1",),
            marketplace="2GUD",
            apps={"2gud-sandbox-app": "2gud-sandbox-secret"},
        )
    else:
        # Five SKUs, matching the demo products, so every order maps;
        # LOC0003 and the second application: the Flipkart Smart account.
        sandbox = Sandbox(
            seed=1,
            shipments=40,
            listings=5,
            locations=("LOC0001", "LOC0002", "LOC0003"),
            smart_locations=("LOC0003",),
            apps={**DEFAULT_APPS, "smart-sandbox-app": "smart-sandbox-secret"},
        )
    # A new order arrives every minute while the demo runs.
    sandbox.start_generator(1 / 60, max_total=500)
    return sandbox


def mounted_sandbox(route=SANDBOX_ROUTE):
    """The simulator this Odoo process serves at ``route`` (one per process)."""
    with _sandbox_lock:
        if route not in _sandboxes:
            _sandboxes[route] = _make(route)
        return _sandboxes[route]


class FlipkartSandboxController(http.Controller):
    @http.route(
        [SANDBOX_ROUTE + "/<path:subpath>", TWOGUD_ROUTE + "/<path:subpath>"],
        type="http",
        auth="none",
        methods=["GET", "POST", "PUT"],
        csrf=False,
        save_session=False,
    )
    def sandbox(self, subpath, **_kwargs):
        """Answer as Flipkart (or 2GUD, on its own path) would, from the
        simulator (this addon only)."""
        path = request.httprequest.path
        route = TWOGUD_ROUTE if path.startswith(TWOGUD_ROUTE + "/") else SANDBOX_ROUTE
        return _answer(route, subpath)


def _answer(route, subpath):
    body = request.httprequest.get_data()
    environ = dict(request.httprequest.environ)
    environ.update(
        {
            "SCRIPT_NAME": route,
            "PATH_INFO": "/" + subpath,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
    )
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = headers

    chunks = mounted_sandbox(route).wsgi_app(environ, start_response)
    return request.make_response(
        b"".join(chunks), headers=captured["headers"], status=captured["status"]
    )
