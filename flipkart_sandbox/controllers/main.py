import io
import threading

from odoo import http
from odoo.http import request

SANDBOX_ROUTE = "/flipkart_sandbox"

_sandbox_lock = threading.Lock()
_sandbox = None


def mounted_sandbox():
    """The simulator this Odoo process serves (one per process)."""
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            from ..simulator import Sandbox
            from ..simulator.app import DEFAULT_APPS

            # Five SKUs, matching the demo products, so every order maps;
            # a new order arrives every minute while the demo runs.
            # LOC0003 and the second application: the Flipkart Smart account.
            _sandbox = Sandbox(
                seed=1,
                shipments=40,
                listings=5,
                locations=("LOC0001", "LOC0002", "LOC0003"),
                smart_locations=("LOC0003",),
                apps={**DEFAULT_APPS, "smart-sandbox-app": "smart-sandbox-secret"},
            )
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
        """Answer as Flipkart would, from the simulator (this addon only)."""
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
