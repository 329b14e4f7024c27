from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FlipkartSandboxCase


@tagged("post_install", "-at_install")
class TestEvent(FlipkartSandboxCase):
    def setUp(self):
        super().setUp()
        self.Event = self.env["flipkart.event"]
        self.sku, listing = next(iter(self.sandbox.listings.items()))
        self.fsn = listing["product_id"]

    def _inventory(self, quantity, fsn=None):
        return {
            self.sku: {
                "product_id": fsn or self.fsn,
                "locations": [{"id": "LOC0001", "inventory": quantity}],
            }
        }

    def _sandbox_inventory(self):
        locations = self.sandbox.listings[self.sku]["locations"]
        return next(loc["inventory"] for loc in locations if loc["id"] == "LOC0001")

    def test_same_key_is_recorded_once(self):
        first = self.Event._record(
            self.account,
            kind="shipment_created",
            direction="inbound",
            key="k1",
            payload={},
        )
        again = self.Event._record(
            self.account,
            kind="shipment_created",
            direction="inbound",
            key="k1",
            payload={},
        )
        self.assertEqual(first, again)
        self.assertEqual(self.Event.search_count([("idempotency_key", "=", "k1")]), 1)

    def test_unknown_inbound_type_is_kept_and_ignored(self):
        event = self.Event._record(
            self.account,
            kind="shipment_teleported",
            direction="inbound",
            key="u1",
            payload={"eventType": "shipment_teleported"},
        )
        event._process()
        self.assertEqual(event.state, "ignored")
        self.assertIn("shipment_teleported", event.last_error)
        self.assertEqual(event._payload(), {"eventType": "shipment_teleported"})

    def test_dry_run_records_but_does_not_send(self):
        self.account.dry_run = True
        before = self._sandbox_inventory()
        event = self.account._send_outbound(
            "inventory_update", "inv-1", self._inventory(before + 7)
        )
        self.assertEqual(event.state, "ignored")
        self.assertTrue(event.dry_run)
        self.assertEqual(event._payload(), self._inventory(before + 7))
        self.assertEqual(self.sandbox.count(path_prefix="/sellers"), 0)
        self.assertEqual(self._sandbox_inventory(), before)
        self.account.dry_run = False

    def test_outbound_sent_once(self):
        event = self.account._send_outbound(
            "inventory_update", "inv-2", self._inventory(42)
        )
        self.assertEqual(event.state, "done", event.last_error)
        self.assertEqual(self._sandbox_inventory(), 42)
        again = self.account._send_outbound(
            "inventory_update", "inv-2", self._inventory(42)
        )
        self.assertEqual(again, event)
        self.assertEqual(
            self.sandbox.count(path_prefix="/sellers/listings/v3/update"), 1
        )

    def test_failure_keeps_flipkart_words_and_retry_fixes(self):
        event = self.account._send_outbound(
            "inventory_update", "inv-3", self._inventory(5, fsn="WRONGFSN00000000")
        )
        self.assertEqual(event.state, "error")
        self.assertIn(self.sku, event.last_error)
        self.assertFalse(event.retry_at, "a rejected payload is not retried by itself")
        # What was sent is what Flipkart refused: nobody rewrites it, even
        # with sudo (a changed payload would be sent with the account's
        # credentials); a Retry sends the same again.
        with self.assertRaises(AccessError):
            event.sudo().payload = event.payload.replace("WRONGFSN00000000", self.fsn)
        with self.assertRaises(AccessError):
            event.sudo().write({"direction": "outbound", "kind": "price_update"})
        event.action_retry()
        self.assertEqual(event.state, "error")
        self.assertEqual(event.attempts, 2)

    def test_flipkart_down_is_retried_later_by_cron(self):
        self.sandbox.faults.set(rate_5xx=1.0)
        event = self.account._send_outbound(
            "inventory_update", "inv-4", self._inventory(9)
        )
        self.assertEqual(event.state, "error")
        self.assertIn("will retry", event.last_error)
        self.assertTrue(event.retry_at)
        self.sandbox.faults.clear()
        self.Event._cron_process_events()
        self.assertEqual(event.state, "error", "not due yet")
        event.retry_at = fields.Datetime.now() - timedelta(seconds=1)
        self.Event._cron_process_events()
        self.assertEqual(event.state, "done", event.last_error)
        self.assertEqual(self._sandbox_inventory(), 9)

    def test_cron_processes_pending_inbound(self):
        events = self.Event.browse(
            [
                self.Event._record(
                    self.account,
                    kind="mystery",
                    direction="inbound",
                    key=f"p{i}",
                    payload={},
                ).id
                for i in range(3)
            ]
        )
        self.Event._cron_process_events()
        self.assertEqual(set(events.mapped("state")), {"ignored"})

    def test_finished_events_are_deleted_after_the_account_s_retention(self):
        keeping = self.account.copy({"name": "Keeps all", "app_id": "keeps-all"})
        keeping.event_retention_days = 0
        now = fields.Datetime.now()
        events = {}
        for account in (self.account, keeping):
            for state in ("done", "ignored", "error", "pending"):
                for age in (100, 10):
                    event = self.Event._record(
                        account,
                        kind="shipment_created",
                        direction="inbound",
                        key=f"{account.id}-{state}-{age}",
                        payload={},
                    )
                    event.write(
                        {"state": state, "processed_at": now - timedelta(days=age)}
                    )
                    events[account, state, age] = event
        self.assertEqual(self.account.event_retention_days, 90, "the default")
        self.Event._cron_purge_events()
        gone = {key for key, event in events.items() if not event.exists()}
        self.assertEqual(
            gone, {(self.account, "done", 100), (self.account, "ignored", 100)}
        )
