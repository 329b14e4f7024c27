from urllib.parse import unquote

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.flipkart_connector.tests.common import (
    APP_ID,
    APP_SECRET,
    FlipkartSandboxCase,
    shown_on_form,
)

from ..models.flipkart_account import TWOGUD_HOST


@tagged("post_install", "-at_install")
class Test2GudAccount(FlipkartSandboxCase):
    def test_production_2gud_account_talks_to_2gud(self):
        with Form(self.env["flipkart.account"]) as form:
            form.name = "2GUD"
            form.channel_type = "2gud"
            form.environment = "production"
            self.assertEqual(form.api_base_url, TWOGUD_HOST)
            form.app_id = "2gud-app"
        with self.assertRaisesRegex(ValidationError, TWOGUD_HOST):
            form.record.api_base_url = "https://api.flipkart.net"

    def test_2gud_sandbox_account_connects(self):
        """Same API family: a 2GUD account works against the sandbox."""
        self.account.channel_type = "2gud"
        params = self.account.action_test_connection()["params"]
        self.assertEqual(params["type"], "success", params["message"])

    def test_the_setup_wizard_walks_a_2gud_seller_through_onboarding(self):
        form = Form(self.env["flipkart.setup.wizard"])
        form.channel_type = "2gud"
        wizard = form.save()
        # 2GUD's own checklist replaces Flipkart's.
        self.assertEqual(
            len(shown_on_form(wizard, "//div[@name='twogud_prerequisites']")), 1
        )
        self.assertFalse(shown_on_form(wizard, "//div[@name='prerequisites']"))
        self.assertIn("Write the email", shown_on_form(wizard, "//button"))
        with self.assertRaisesRegex(UserError, "2GUD Panel Login ID"):
            wizard.action_twogud_request_v3_flag()
        form = Form(wizard)
        form.seller_id = "2GUDSELLER"
        form.twogud_panel_login = "ops@example.in"
        wizard = form.save()
        mail = unquote(wizard.action_twogud_request_v3_flag()["url"])
        self.assertTrue(mail.startswith("mailto:seller-api-queries@flipkart.com"))
        self.assertIn("subject=Enable V3 flag for 2GUD", mail)
        self.assertIn("Seller ID: 2GUDSELLER", mail)
        self.assertIn("Seller panel login ID: ops@example.in", mail)
        wizard.action_next()
        form = Form(wizard)
        form.name = "2GUD sandbox"
        form.environment = "sandbox"
        form.api_base_url = self.server.base_url
        form.app_id = APP_ID + "-2gud"
        form.app_secret = APP_SECRET
        wizard = form.save()
        wizard.action_next()
        form = Form(wizard)
        with form.location_line_ids.new() as line:
            line.flipkart_location_id = "LOC0001"
            line.warehouse_id = self.warehouse
        wizard = form.save()
        self.sandbox.tokens.apps[APP_ID + "-2gud"] = APP_SECRET
        wizard.action_test_connection()
        self.assertTrue(wizard.test_ok, wizard.test_message)
        account = wizard.account_id
        self.assertEqual(account.channel_type, "2gud")
        self.assertEqual(account.twogud_panel_login, "ops@example.in")
        # The panel password is never asked for nor kept.
        for model in ("flipkart.account", "flipkart.setup.wizard"):
            self.assertFalse(
                [name for name in self.env[model]._fields if "password" in name]
            )

    def test_the_account_asks_for_the_v3_flag_too(self):
        self.account.write(
            {"channel_type": "2gud", "twogud_panel_login": "ops@example.in"}
        )
        self.assertIn(
            "Ask Flipkart to enable the API for 2GUD",
            shown_on_form(self.account, "//button"),
        )
        mail = unquote(self.account.action_twogud_request_v3_flag()["url"])
        self.assertIn("Seller ID: TESTSELLER", mail)
        # Set up again from the account: the wizard knows the panel login.
        wizard = Form(
            self.env["flipkart.setup.wizard"].with_context(
                default_account_id=self.account.id
            )
        )
        self.assertEqual(wizard.channel_type, "2gud")
        self.assertEqual(wizard.twogud_panel_login, "ops@example.in")
