import logging

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import APP_ID, APP_SECRET, FlipkartSandboxCase


@tagged("post_install", "-at_install")
class TestSecurity(FlipkartSandboxCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.flipkart_user = cls.seller_user(
            "fk_user", "flipkart_connector.group_flipkart_user"
        )
        cls.flipkart_manager = cls.seller_user(
            "fk_manager", "flipkart_connector.group_flipkart_manager"
        )
        cls.admin = cls.seller_user(
            "fk_admin", "base.group_system,flipkart_connector.group_flipkart_manager"
        )

    def test_secrets_only_for_settings_administrators(self):
        self.account.action_test_connection()
        for user in (self.flipkart_user, self.flipkart_manager):
            account = self.account.with_user(user)
            for secret in ("app_secret", "access_token", "refresh_token"):
                with self.assertRaises(AccessError, msg=f"{user.login} read {secret}"):
                    account.read([secret])
            # The form they get has no secret field at all.
            arch = account.get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertNotIn('name="app_secret"', arch)
            self.assertNotIn('name="access_token"', arch)
            with self.assertRaises(AccessError, msg=f"{user.login} read the vault"):
                self.env["flipkart.token.vault"].with_user(user).search([])
        admin_account = self.account.with_user(self.admin)
        self.assertEqual(
            admin_account.read(["app_secret"])[0]["app_secret"], APP_SECRET
        )

    def test_manager_tests_connection_without_seeing_secret(self):
        params = self.account.with_user(self.flipkart_manager).action_test_connection()
        self.assertEqual(params["params"]["type"], "success")

    def test_user_reads_accounts_but_cannot_configure(self):
        account = self.account.with_user(self.flipkart_user)
        self.assertEqual(account.name, "Test Flipkart")
        with self.assertRaises(AccessError):
            account.write({"seller_id": "X"})

    def test_manager_buttons_are_refused_to_users_in_the_method(self):
        """Hidden in the form for Flipkart users, and refused over RPC too."""
        account = self.account.with_user(self.flipkart_user)
        for method in (
            "action_test_connection",
            "action_authorize",
            "action_open_setup_wizard",
            "action_import_orders",
            "action_pull_listings",
            "action_push_prices",
            "action_push_inventory",
            "action_reconcile_inventory",
            "action_refresh_token",
        ):
            with self.assertRaises(AccessError, msg=method):
                getattr(account, method)()
        self.assertFalse(self.sandbox.calls, "nothing reached Flipkart")

    def test_secret_never_logged(self):
        """Neither the secret nor a token reaches the log, even on failures."""
        records = []

        class Collect(logging.Handler):
            def emit(self, record):
                records.append(record.getMessage())

        handler = Collect(level=logging.DEBUG)
        root = logging.getLogger()
        previous = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            self.sandbox.faults.set(rate_5xx=1.0)
            self.account.action_test_connection()
            self.sandbox.faults.clear()
            self.account.action_test_connection()
            self.account.app_secret = "wrong-secret-xyz"
            self.account.action_test_connection()
        finally:
            root.removeHandler(handler)
            root.setLevel(previous)
            self.account.app_secret = APP_SECRET
        logged = "\n".join(records)
        self.assertTrue(records)
        for secret in (APP_SECRET, "wrong-secret-xyz"):
            self.assertNotIn(secret, logged)
        token = self.account.sudo().access_token
        self.assertTrue(token)
        self.assertNotIn(token, logged)


@tagged("post_install", "-at_install")
class TestMultiCompany(FlipkartSandboxCase):
    """Every Flipkart record with a company is seen in that company only."""

    def test_another_company_sees_none_of_it(self):
        listing = self.env["flipkart.listing"].create(
            {"account_id": self.account.id, "seller_sku": "MC-1"}
        )
        line = self.env["flipkart.listing.location"].create(
            {"listing_id": listing.id, "location_id": self.account.location_ids.id}
        )
        manifest = self.env["flipkart.manifest"].create(
            {
                "account_id": self.account.id,
                "name": "MF-1",
                "location_id": line.location_id.id,
                "vendor_group_code": "EKART",
            }
        )
        common = {"listing_id": listing.id, "location_id": line.location_id.id}
        ledger = self.env["flipkart.inventory.ledger"].create(
            dict(common, account_id=self.account.id, reason="push", quantity=3)
        )
        difference = self.env["flipkart.inventory.difference"].create(
            dict(common, account_id=self.account.id, cause="push_failed")
        )
        other = self.env["res.company"].create({"name": "Other Seller"})
        outsider = self.seller_user(
            "fk_other_company",
            "flipkart_connector.group_flipkart_manager,stock.group_stock_user",
            company=other,
        )
        for record in (listing, line, manifest, ledger, difference):
            mine = record.with_user(outsider).with_context(
                allowed_company_ids=[other.id]
            )
            self.assertFalse(
                mine.search([("id", "=", record.id)]), f"{record._name} visible"
            )
            with self.assertRaises(AccessError, msg=record._name):
                mine.read(["company_id"])
            self.assertEqual(record.company_id, self.company)


@tagged("post_install", "-at_install")
class TestSecretStaysWithItsHost(FlipkartSandboxCase):
    """A secret is never sent to a host a Settings administrator did not set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.seller_user(
            "fk_host_manager", "flipkart_connector.group_flipkart_manager"
        )
        cls.admin = cls.seller_user(
            "fk_host_admin",
            "base.group_system,flipkart_connector.group_flipkart_manager",
        )

    def test_a_manager_moving_the_host_clears_the_secret(self):
        self.account.action_test_connection()
        self.assertTrue(self.account.sudo().access_token)
        vault = self.env["flipkart.token.vault"].sudo()
        vault.create({"account_id": self.account.id, "serial": vault._next_serial()})
        self.account.with_user(self.manager).api_base_url = "http://127.0.0.1:1"
        account = self.account.sudo()
        self.assertFalse(account.app_secret)
        self.assertFalse(account.access_token)
        self.assertFalse(vault.search([("account_id", "=", self.account.id)]))
        self.assertIn(
            "secret and tokens were cleared", self.account.message_ids[0].body
        )
        # Nothing to send anywhere: the connection fails in words, with no
        # request made with the old secret.
        self.sandbox.reset_calls()
        self.assertFalse(self.account._test_connection()[0])

    def test_an_administrator_may_move_it(self):
        self.account.with_user(self.admin).api_base_url = self.server.base_url + "/"
        self.assertEqual(self.account.sudo().app_secret, APP_SECRET)

    def test_the_wizard_cannot_reach_another_company_s_account(self):
        other = self.env["res.company"].create({"name": "Other Seller"})
        intruder = self.seller_user(
            "fk_intruder", "flipkart_connector.group_flipkart_manager", company=other
        )
        Wizard = self.env["flipkart.setup.wizard"].with_user(intruder)
        wizard = Wizard.with_context(allowed_company_ids=[other.id]).create(
            {
                "account_id": self.account.id,
                "name": "Taken over",
                "company_id": other.id,
                "environment": "sandbox",
                "api_base_url": "http://127.0.0.1:1",
                "seller_id": "X",
                "app_id": APP_ID,
                "app_secret": "mine-now",
            }
        )
        with self.assertRaises(AccessError):
            wizard._save_account()
        self.assertEqual(self.account.company_id, self.company)
        self.assertEqual(self.account.sudo().app_secret, APP_SECRET)


@tagged("post_install", "-at_install")
class TestMenus(FlipkartSandboxCase):
    def test_a_flipkart_user_reaches_the_flipkart_menu_from_sales(self):
        """Odoo's sale ships the Sales menu switched off; the connector's
        menus must still be reachable, grouped by what a person does."""
        user = self.seller_user(
            "fk_menu_user",
            "sales_team.group_sale_salesman,flipkart_connector.group_flipkart_user",
        )
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        sales = self.env.ref("sale.sale_menu_root")
        flipkart = self.env.ref("flipkart_connector.flipkart_menu")
        self.assertIn(sales.id, menus["root"]["children"])
        self.assertIn(flipkart.id, menus[sales.id]["children"])
        sections = [menus[i]["name"] for i in menus[flipkart.id]["children"]]
        self.assertEqual(
            sections, ["Operations", "Catalogue", "Monitoring", "Configuration"]
        )
        configuration = self.env.ref("flipkart_connector.flipkart_configuration_menu")
        self.assertEqual(
            [menus[i]["name"] for i in menus[configuration.id]["children"]],
            ["Accounts", "Locations"],
            "the setup wizard is for managers",
        )
