from odoo_test_helper import FakeModelLoader

from odoo.tests import tagged

from .common import FlipkartSandboxCase

PRICE = "/sellers/listings/v3/update/price"


@tagged("post_install", "-at_install")
class TestEventKindsFromAnotherAddon(FlipkartSandboxCase):
    """A model of another addon declares event kinds; flipkart.event sends
    them through the one outbound gate and applies their answers, with no
    change to flipkart_event.py."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Loaded as an addon of its own: reloading the connector's models
        # would drop what installed addons (flipkart_smart_bins) add to them.
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.flipkart_test_flow")
        cls.loader.backup_registry()
        from .fake_flow import FlipkartTestFlow

        cls.loader.update_registry((FlipkartTestFlow,))
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.flow = cls.env["flipkart.test.flow"].create({"name": "stamps"})
        cls.sku, listing = next(iter(cls.sandbox.listings.items()))
        cls.payload = {"sku": cls.sku, "fsn": listing["product_id"]}

    def send(self, key="stamp:1"):
        return self.account._send_outbound(
            "test_price_stamp", key, self.payload, record=self.flow
        )

    def test_the_kind_is_found_where_it_is_declared(self):
        model, spec = self.env["flipkart.event"]._kinds()["test_price_stamp"]
        self.assertEqual(model, "flipkart.test.flow")
        self.assertEqual(spec["send"], "_send_stamp")
        # The connector's own flows declare theirs the same way.
        self.assertEqual(
            self.env["flipkart.event"]._kinds()["pack"][0], "flipkart.fulfilment"
        )

    def test_sent_through_the_gate_and_applied_on_every_attempt(self):
        self.sandbox.faults.set(rate_5xx=1.0, only_paths=PRICE)
        event = self.send()
        self.assertEqual(event.state, "error")
        self.assertTrue(event.retry_at, "Flipkart down: retried later")
        self.assertEqual(self.flow.outcome, "error:1", "applied after the failure")
        self.sandbox.faults.clear()
        event.action_retry()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.flow.outcome, "done:2", "the retry's answer applied")
        self.assertEqual(event._item_results()[self.sku]["status"], "SUCCESS")
        # The same key is never sent twice.
        self.sandbox.reset_calls()
        self.assertEqual(self.send(), event)
        self.assertEqual(self.sandbox.count("POST", PRICE), 0)

    def test_dry_run_records_and_applies_without_sending(self):
        self.account.dry_run = True
        self.sandbox.reset_calls()
        event = self.send("stamp:dry")
        self.assertEqual(event.state, "ignored")
        self.assertEqual(self.sandbox.count("POST", PRICE), 0)
        self.assertEqual(self.flow.outcome, "ignored:0")

    def test_inbound_kind_is_processed_by_its_flow(self):
        event = self.env["flipkart.event"]._record(
            self.account,
            kind="test_ping",
            direction="inbound",
            key="ping:1",
            payload={"flow": self.flow.id},
        )
        event._process()
        self.assertEqual(self.flow.pings, 1)
        self.assertEqual(event.state, "done")

    def test_one_bad_event_fails_alone(self):
        Event = self.env["flipkart.event"]
        flows = [self.flow.id, ["not", "an", "id"], self.flow.id]
        events = Event.browse(
            [
                Event._record(
                    self.account,
                    kind="test_ping",
                    direction="inbound",
                    key=f"ping:{n}",
                    payload={"flow": flow},
                ).id
                for n, flow in enumerate(flows)
            ]
        )
        with self.assertLogs("odoo.addons.flipkart_connector.models.flipkart_event"):
            events._process()
        self.assertEqual(events.mapped("state"), ["done", "error", "done"])
        self.assertIn("Unexpected error", events[1].last_error)
        self.assertEqual(self.flow.pings, 2)

    def test_an_undeclared_kind_is_kept_and_ignored(self):
        event = self.env["flipkart.event"]._record(
            self.account,
            kind="test_unknown",
            direction="inbound",
            key="unknown:1",
            payload={},
        )
        event._process()
        self.assertEqual(event.state, "ignored")
