import json
import logging
import time
from urllib.parse import parse_qs, urlparse

import requests

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

from ..controllers.main import NOTIFY_ROUTE
from ..flipkart import sign


@tagged("post_install", "-at_install")
class TestNoSimulatorInProduction(HttpCase):
    """A database with the production addons never answers as Flipkart."""

    def test_simulator_route_is_not_found(self):
        if self.env["ir.module.module"].search(
            [("name", "=", "flipkart_sandbox"), ("state", "=", "installed")]
        ):
            self.skipTest("the demo's flipkart_sandbox addon is installed here")
        # The switch that once mounted the simulator inside the connector.
        self.env["ir.config_parameter"].sudo().set_param(
            "flipkart_connector.sandbox_mounted", "1"
        )
        response = self.url_open(
            "/flipkart_sandbox/sellers/v3/shipments/filter",
            data='{"filter": {"type": "preDispatch"}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 404)


@tagged("post_install", "-at_install")
class TestNotificationOverHttp(HttpCase):
    """A notification posted to Odoo's own HTTP server exactly as Flipkart
    posts it: X_Date and X_Authorization, with underscores."""

    def test_flipkart_headers_reach_the_route(self):
        self.env["flipkart.account"].create(
            {
                "name": "Notified over HTTP",
                "environment": "sandbox",
                "api_base_url": "http://127.0.0.1:9",
                "app_id": "http-app",
                "app_secret": "http-secret",
            }
        )
        url = self.base_url() + NOTIFY_ROUTE
        body = {
            "eventType": "shipment_created",
            "source": "flipkart",
            "version": "v3",
            "timestamp": "2026-11-23T10:00:00+05:30",
            "shipmentId": "SHIP-HTTP-1",
            "attributes": {},
        }
        headers = sign("http-app", "http-secret", url, "POST", time.time())
        self.assertIn("X_Authorization", headers)
        response = self.url_open(
            url,
            data=json.dumps(body),
            headers=dict(headers, **{"Content-Type": "application/json"}),
        )
        self.assertEqual(response.status_code, 200, response.text)
        event = self.env["flipkart.event"].search(
            [("kind", "=", "shipment_created"), ("payload", "like", "SHIP-HTTP-1")]
        )
        self.assertEqual(len(event), 1)
        # Nothing larger than a notification is read.
        big = json.dumps(dict(body, attributes={"pad": "x" * (2 << 20)}))
        headers = sign("http-app", "http-secret", url, "POST", time.time())
        response = self.url_open(url, data=big, headers=headers)
        self.assertEqual(response.status_code, 413)
        # Forged: the same headers for another body's URL are refused.
        forged = sign("http-app", "wrong-secret", url, "POST", time.time())
        with self.assertLogs(
            "odoo.addons.flipkart_connector.models.flipkart_event", "WARNING"
        ):
            response = self.url_open(url, data=json.dumps(body), headers=forged)
        self.assertEqual(response.status_code, 401)


@tagged("post_install", "-at_install")
class TestOAuthCallbackOverHttp(HttpCase):
    """Flipkart sends the seller's browser back to Odoo's callback URL."""

    def test_callback_stores_the_tokens(self):
        sandbox = Sandbox(seed=3, shipments=0, listings=2, apps={"cb-app": "cb-secret"})
        with SandboxServer(sandbox, host="127.0.0.1", port=0) as server:
            admin = self.env.ref("base.user_admin")
            warehouse = self.env["stock.warehouse"].search(
                [("company_id", "=", admin.company_id.id)], limit=1
            )
            account = (
                self.env["flipkart.account"]
                .with_user(admin)
                .create(
                    {
                        "name": "Partner app",
                        "company_id": admin.company_id.id,
                        "environment": "sandbox",
                        "api_base_url": server.base_url,
                        "app_id": "cb-app",
                        "app_secret": "cb-secret",
                        "auth_grant": "authorization_code",
                        "location_ids": [
                            Command.create(
                                {
                                    "flipkart_location_id": "LOC0001",
                                    "warehouse_id": warehouse.id,
                                }
                            )
                        ],
                    }
                )
            )
            self.env["ir.config_parameter"].sudo().set_param(
                "web.base.url", self.base_url()
            )
            action = account.action_authorize()
            allowed = requests.get(action["url"], allow_redirects=False, timeout=10)
            callback = allowed.headers["Location"]
            self.assertTrue(callback.startswith(self.base_url() + "/flipkart/oauth"))
            self.authenticate("admin", "admin")
            request_lines = self._request_lines()
            response = self.url_open(callback, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), response.text[:300])
            self.assertIn(f"id={account.id}", response.headers["Location"])
            self.assertTrue(account.sudo().refresh_token)
            self.assertEqual(account.connection_state, "ok", account.connection_message)
            # The same link a second time is refused.
            with self.assertLogs("odoo.http", "WARNING"):
                again = self.url_open(callback, allow_redirects=False)
            self.assertNotIn(again.status_code, (302, 303))
        # The server logs the request line once the answer is sent.
        for _wait in range(50):
            logged = [line for line in request_lines if "/flipkart/oauth" in line]
            if logged:
                break
            time.sleep(0.1)
        self.assertTrue(logged, "the server logged the callback's request line")
        query = parse_qs(urlparse(callback).query)
        for secret in (query["code"][0], query["state"][0]):
            self.assertNotIn(secret, "\n".join(logged))

    def _request_lines(self):
        """The request lines Odoo's HTTP server logs (as a handler sees them)."""
        lines = []
        handler = logging.Handler(logging.INFO)
        handler.emit = lambda record: lines.append(record.getMessage())
        logger = logging.getLogger("werkzeug")
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        level = logger.level
        logger.setLevel(logging.INFO)
        self.addCleanup(logger.setLevel, level)
        return lines
