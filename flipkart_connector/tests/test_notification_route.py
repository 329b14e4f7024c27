import json
import time

from odoo import Command
from odoo.tests import TransactionCase, tagged

from ..controllers.main import NOTIFY_ROUTE
from ..flipkart import sign

APP_ID = "notify-app"
APP_SECRET = "notify-secret"
URL = "https://seller-odoo.example.com" + NOTIFY_ROUTE
LOGGER = "odoo.addons.flipkart_connector.models.flipkart_event"


@tagged("post_install", "-at_install")
class TestNotificationReceipt(TransactionCase):
    """What the notification route does with a request (its whole logic)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls.env["flipkart.account"].create(
            {
                "name": "Notified",
                "environment": "sandbox",
                "api_base_url": "http://127.0.0.1:9",
                "app_id": APP_ID,
                "app_secret": APP_SECRET,
            }
        )
        cls.event = {
            "eventType": "shipment_created",
            "source": "flipkart",
            "version": "v3",
            "timestamp": "2026-11-23T10:00:00+05:30",
            "shipmentId": "SHIP-1",
            "attributes": {},
        }

    def _receive(self, body, secret=APP_SECRET, when=None, urls=(URL,)):
        headers = sign(APP_ID, secret, URL, "POST", when or time.time())
        if isinstance(body, dict):
            body = json.dumps(body)
        return self.env["flipkart.event"]._receive_notification(
            headers, list(urls), "POST", body.encode()
        )

    def _events(self):
        return self.env["flipkart.event"].search([("account_id", "=", self.account.id)])

    def test_signed_notification_is_stored_once(self):
        self.assertEqual(self._receive(self.event)[0], 200)
        self.assertEqual(
            self._receive(self.event)[0], 200, "a redelivery is acknowledged"
        )
        events = self._events()
        self.assertEqual(len(events), 1)
        self.assertEqual(events.kind, "shipment_created")
        self.assertEqual(events.state, "pending")
        self.assertEqual(events._payload()["shipmentId"], "SHIP-1")

    def test_an_outside_body_never_names_an_internal_kind(self):
        """Flipkart's signature does not cover the body: an eventType naming
        one of the connector's own kinds is kept and ignored, never run."""
        for kind in ("shipment_import", "order_gst_missing", "pack", "teleported"):
            body = dict(self.event, eventType=kind, shipmentId=f"SHIP-{kind}")
            self.assertEqual(self._receive(body)[0], 200)
        events = self._events()
        self.assertEqual(len(events), 4)
        self.assertEqual(set(events.mapped("kind")), {"unknown_notification"})
        self.assertEqual(set(events.mapped("direction")), {"inbound"})
        self.assertEqual(set(events.mapped("state")), {"ignored"})
        self.assertIn("shipment_import", " ".join(events.mapped("last_error")))

    def test_an_application_serving_two_sellers_routes_by_location(self):
        """A partner application signs for every seller it serves: the
        event goes to the account the notification is about."""
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.account.location_ids = [
            Command.create(
                {"flipkart_location_id": "LOC-A", "warehouse_id": warehouse.id}
            )
        ]
        company = self.env["res.company"].create({"name": "Second seller"})
        other = self.account.copy(
            {
                "name": "Second seller",
                "company_id": company.id,
                "app_secret": APP_SECRET,
            }
        )
        other.location_ids = [
            Command.create(
                {
                    "flipkart_location_id": "LOC-B",
                    "warehouse_id": self.env["stock.warehouse"]
                    .search([("company_id", "=", company.id)], limit=1)
                    .id,
                }
            )
        ]
        Event = self.env["flipkart.event"]
        self._receive(dict(self.event, shipmentId="SHIP-B", locationId="LOC-B"))
        self.assertEqual(
            Event.search([("account_id", "=", other.id)]).kind, "shipment_created"
        )
        # Later events name the shipment only: the account that has it.
        self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"].create({"name": "Buyer"}).id,
                "company_id": company.id,
                "flipkart_account_id": other.id,
                "flipkart_shipment_id": "SHIP-B",
            }
        )
        packed = dict(self.event, eventType="shipment_packed", shipmentId="SHIP-B")
        self._receive(packed)
        self._receive(dict(self.event, shipmentId="SHIP-A", locationId="LOC-A"))
        self.assertEqual(
            sorted(Event.search([("account_id", "=", other.id)]).mapped("kind")),
            ["shipment_created", "shipment_packed"],
        )
        self.assertEqual(self._events()._payload()["shipmentId"], "SHIP-A")

    def test_two_changes_in_one_second_are_two_events(self):
        """Same type, shipment and timestamp, other content: both are kept."""
        self.assertEqual(self._receive(self.event)[0], 200)
        changed = dict(self.event, attributes={"status": "CANCELLED"})
        self.assertEqual(self._receive(changed)[0], 200)
        self.assertEqual(len(self._events()), 2)

    def test_public_url_behind_a_proxy_is_accepted(self):
        status, _body = self._receive(
            self.event, urls=("http://127.0.0.1:8069" + NOTIFY_ROUTE, URL)
        )
        self.assertEqual(status, 200)

    def test_bad_signature_is_refused_and_not_stored(self):
        with self.assertLogs(LOGGER, "WARNING") as logs:
            self.assertEqual(self._receive(self.event, secret="forged")[0], 401)
        self.assertIn("signature does not match", logs.output[0])
        self.assertNotIn("forged", logs.output[0])
        self.assertFalse(self._events())

    def test_replayed_old_request_is_refused(self):
        with self.assertLogs(LOGGER, "WARNING") as logs:
            status, _body = self._receive(self.event, when=time.time() - 3600)
        self.assertEqual(status, 401)
        self.assertIn("clock skew", logs.output[0])
        self.assertFalse(self._events())

    def test_hostile_headers_get_401_not_a_crash(self):
        hostile = [
            {"X_Date": "Sat, 23 Nov 2026 10:00:00 GMT", "X_Authorization": "FKLOGIN ✓"},
            {"X_Date": "9" * 5000, "X_Authorization": "FKLOGIN bm90aGluZw=="},
        ]
        for headers in hostile:
            with self.assertLogs(LOGGER, "WARNING"):
                status, _body = self.env["flipkart.event"]._receive_notification(
                    headers, [URL], "POST", json.dumps(self.event).encode()
                )
            self.assertEqual(status, 401)
        self.assertFalse(self._events())

    def test_deeply_nested_body_is_malformed_not_a_crash(self):
        body = "[" * 100_000 + "]" * 100_000
        self.assertEqual(self._receive(body)[0], 400)
        self.assertEqual(self._events().payload, body)

    def test_malformed_body_is_kept_for_inspection(self):
        self.assertEqual(self._receive("{not json")[0], 400)
        event = self._events()
        self.assertEqual(event.state, "error")
        self.assertEqual(event.payload, "{not json")
        self.assertIn("Malformed", event.last_error)

    def test_wrong_types_are_refused_and_kept_not_processed(self):
        """A body the signature does not cover, with fields of other types:
        400, kept raw for a person, never handed to a processor."""
        bodies = [
            dict(self.event, shipmentId=["SHIP-1", "SHIP-2"]),
            dict(self.event, eventType="shipment_cancelled", attributes=["x"]),
            dict(self.event, eventType="return_created", attributes={"returnItems": 7}),
        ]
        for body in bodies:
            self.assertEqual(self._receive(body)[0], 400, body)
        events = self._events()
        self.assertEqual(len(events), 3)
        self.assertEqual(set(events.mapped("kind")), {"malformed"})
        self.assertEqual(set(events.mapped("state")), {"error"})
        self.assertFalse(any(events.mapped("retry_at")))
