from unittest.mock import patch

from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..flipkart import endpoints
from .common import APP_SECRET, FlipkartSandboxCase


@tagged("post_install", "-at_install")
class TestAccount(FlipkartSandboxCase):
    def test_install_provides_the_contract(self):
        """Models, scheduled actions and groups other addons rely on exist."""
        for model in ("flipkart.account", "flipkart.location", "flipkart.event"):
            self.assertIn(model, self.env)
        for xmlid in (
            "flipkart_connector.ir_cron_flipkart_refresh_tokens",
            "flipkart_connector.ir_cron_flipkart_process_events",
            "flipkart_connector.group_flipkart_user",
            "flipkart_connector.group_flipkart_manager",
            "flipkart_connector.flipkart_menu",
        ):
            self.assertTrue(self.env.ref(xmlid, raise_if_not_found=False), xmlid)
        channel = self.env["flipkart.account"]._fields["channel_type"]
        self.assertIn("seller_v3", dict(channel.selection))

    def test_environment_sets_the_host(self):
        with Form(self.env["flipkart.account"]) as form:
            form.name = "Live"
            form.environment = "production"
            self.assertEqual(form.api_base_url, endpoints.PRODUCTION_HOST)
            form.environment = "sandbox"
            self.assertEqual(form.api_base_url, endpoints.SANDBOX_HOST)
            form.api_base_url = "http://127.0.0.1:8070"
            form.environment = "custom"
            self.assertEqual(form.api_base_url, "http://127.0.0.1:8070")
            form.api_base_url = "https://flipkart-proxy.example.com"
        self.assertEqual(form.record.api_base_url, "https://flipkart-proxy.example.com")

    def test_plain_http_only_for_sandbox(self):
        """The simulator on loopback is reachable only from sandbox accounts."""
        with self.assertRaisesRegex(ValidationError, "https://"):
            self.account.copy({"environment": "custom", "app_id": "other-1"}).write(
                {"api_base_url": "http://127.0.0.1:8070"}
            )
        with self.assertRaisesRegex(ValidationError, "production account"):
            self.account.copy({"app_id": "other-2"}).write(
                {
                    "environment": "production",
                    "api_base_url": "https://evil.example.com",
                }
            )

    def test_timeouts_respect_flipkart_minimums(self):
        with self.assertRaisesRegex(ValidationError, "60 seconds"):
            self.account.order_timeout = 30
        with self.assertRaisesRegex(ValidationError, "10 seconds"):
            self.account.listing_timeout = 5

    def test_account_form_groups_channel_options(self):
        """Every channel option of the seeds is on the form, under its group."""
        view = self.env.ref("flipkart_connector.flipkart_account_view_form")
        arch = view.arch
        for group, options in {
            "configuration": (
                "order_sync_from",
                "return_sync_from",
                "sku_pull_from",
                "inventory_sync_method",
                "inventory_reconciliation",
                "is_self_ship",
                "seller_id",
            ),
            "maintenance": (
                "sku_sync_pull",
                "sku_sync_push",
                "order_sync",
                "return_sync",
                "pull_completed_returns",
                "prepack_enabled",
                "rtd_at",
                "use_marketplace_label",
                "inventory_sync",
            ),
        }.items():
            page = arch.split(f'name="{group}"')[1].split("</page>")[0]
            for option in options:
                self.assertIn(f'name="{option}"', page, option)

    def form_arch(self):
        return etree.fromstring(self.env["flipkart.account"].get_view()["arch"])

    def test_connection_is_a_badge_not_a_stage(self):
        arch = self.form_arch()
        (state,) = arch.xpath("//field[@name='connection_state']")
        self.assertEqual(state.get("widget"), "badge")
        self.assertFalse(arch.xpath("//header//field[@widget='statusbar']"))

    def test_empty_sync_from_says_where_the_first_pull_starts(self):
        """The placeholders tell the windows the pipeline really uses."""
        arch = self.form_arch()
        for field, model in (
            ("order_sync_from", "flipkart.shipment.import"),
            ("return_sync_from", "flipkart.return.import"),
        ):
            (node,) = arch.xpath(f"//field[@name='{field}']")
            days = self.env[model]._sync.first_window.days
            self.assertEqual(node.get("placeholder"), f"Empty: the last {days} days")
            self.assertIn(f"last {days} days", self.account._fields[field].help)
        (node,) = arch.xpath("//field[@name='sku_pull_from']")
        self.assertTrue(node.get("placeholder"))

    def test_push_stock_says_why_when_inventory_sync_is_off(self):
        """The button stays; pressing it explains instead of pushing."""
        self.account.inventory_sync = False
        arch = self.form_arch()
        (button,) = arch.xpath("//button[@name='action_push_inventory']")
        self.assertFalse(button.get("invisible"))
        with self.assertRaisesRegex(UserError, "Inventory Sync is off"):
            self.account.action_push_inventory()
        self.assertFalse(self.sandbox.calls)

    def test_locations_show_the_warehouse_once(self):
        arch = self.form_arch()
        (name,) = arch.xpath("//field[@name='location_ids']//list/field[@name='name']")
        self.assertEqual(name.get("optional"), "hide")

    @mute_logger("odoo.sql_db")
    def test_location_unique_per_account(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["flipkart.location"].create(
                {
                    "account_id": self.account.id,
                    "flipkart_location_id": " LOC0001 ",
                    "warehouse_id": self.warehouse.id,
                }
            )

    def test_every_scheduled_action_runs_each_account_alone(self):
        """An unexpected error of one account (a bug, an odd answer) is said
        on it, and the scheduled action goes on with the next account."""
        self.sandbox.tokens.apps["second-app"] = APP_SECRET
        second = self.account.copy(
            {"name": "Second", "app_id": "second-app", "app_secret": APP_SECRET}
        )
        reached = []

        def broken_for_the_first(model, method):
            original = getattr(type(self.env[model]), method)

            def patched(self_, *args):
                account = args[0] if args else self_
                reached.append((method, account))
                if account == self.account:
                    raise KeyError("a bug or an odd answer")
                return original(self_, *args)

            return patch.object(type(self.env[model]), method, patched)

        Account = self.env["flipkart.account"]
        # Both accounts due for renewal; one is taken per call.
        (self.account | second).write({"access_token_expires_at": False})
        runs = [
            ("flipkart.shipment.import", "_open_shipment_ids", "_cron_sync_shipments"),
            ("flipkart.fulfilment", "_document_candidates", "_cron_fetch_documents"),
            ("flipkart.account", "_refresh_tokens", "_cron_refresh_tokens"),
        ]
        for model, method, cron in runs:
            reached.clear()
            with (
                broken_for_the_first(model, method),
                mute_logger("odoo.addons.flipkart_connector.utils"),
            ):
                getattr(self.env[model], cron)()
                if cron == "_cron_refresh_tokens":
                    getattr(self.env[model], cron)()
            self.assertEqual(
                {account for _method, account in reached},
                {self.account, second},
                cron,
            )
            self.assertIn("failed unexpectedly", self.account.message_ids[0].body)
            self.account.message_ids[0].unlink()
        self.assertEqual(Account.search_count(Account._renewal_due_domain()), 0)
