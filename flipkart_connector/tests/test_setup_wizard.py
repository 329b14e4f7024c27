from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import APP_ID, APP_SECRET, FlipkartSandboxCase, shown_on_form


@tagged("post_install", "-at_install")
class TestSetupWizard(FlipkartSandboxCase):
    def _wizard(self, secret=APP_SECRET, location="LOC0002"):
        form = Form(self.env["flipkart.setup.wizard"])
        self.assertEqual(form.step, "prerequisites")
        wizard = form.save()
        wizard.action_next()
        form = Form(wizard)
        form.name = "Wizard Flipkart"
        form.environment = "sandbox"
        form.api_base_url = self.server.base_url
        form.seller_id = "TESTSELLER"
        form.app_id = APP_ID + "-wizard"
        form.app_secret = secret
        wizard = form.save()
        wizard.action_next()
        self.assertEqual(wizard.step, "locations")
        with self.assertRaisesRegex(UserError, "at least one Flipkart location"):
            wizard.action_next()
        form = Form(wizard)
        with form.location_line_ids.new() as line:
            line.flipkart_location_id = location
            line.warehouse_id = self.warehouse
        wizard = form.save()
        wizard.action_next()
        self.assertEqual(wizard.step, "options")
        form = Form(wizard)
        form.is_self_ship = True
        return form.save()

    def test_missing_credentials_are_named(self):
        wizard = Form(self.env["flipkart.setup.wizard"]).save()
        wizard.action_next()
        with self.assertRaisesRegex(
            UserError, "Seller ID, Application ID, Environment, Application Secret"
        ):
            wizard.action_next()

    def test_a_new_account_chooses_everything_itself(self):
        """Nothing is stored yet: no environment is assumed, the secret is
        required, and the form marks what is missing instead of a dialog."""
        wizard = Form(self.env["flipkart.setup.wizard"]).save()
        wizard.action_next()
        self.assertFalse(wizard.environment)
        self.assertFalse(wizard.has_secret)
        form = Form(wizard)
        with self.assertRaisesRegex(AssertionError, "is a required field"):
            form.save()
        form.seller_id = "TESTSELLER"
        form.app_id = APP_ID
        form.app_secret = APP_SECRET
        form.environment = "custom"
        with self.assertRaisesRegex(AssertionError, "api_base_url is a required"):
            form.save()
        form.environment = "sandbox"
        form.save()
        # An account that has a secret keeps it when the field is left empty.
        existing = (
            self.env["flipkart.setup.wizard"]
            .with_context(default_account_id=self.account.id)
            .create({"step": "credentials"})
        )
        self.assertTrue(existing.has_secret)
        Form(existing).save()

    def test_test_connection_then_finish_on_the_last_step_only(self):
        self.sandbox.tokens.apps[APP_ID + "-wizard"] = APP_SECRET
        wizard = self._wizard()
        self.assertEqual(shown_on_form(wizard), ["Back", "Next", "Cancel"])
        wizard.action_next()
        self.assertEqual(wizard.step, "test")
        self.assertEqual(shown_on_form(wizard), ["Back", "Test Connection", "Cancel"])
        wizard.action_test_connection()
        self.assertEqual(shown_on_form(wizard), ["Finish"])
        action = wizard.action_open_account()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("flipkart.account", wizard.account_id.id),
        )

    def test_wizard_creates_account_and_tests_it(self):
        self.sandbox.tokens.apps[APP_ID + "-wizard"] = APP_SECRET
        wizard = self._wizard()
        wizard.action_test_connection()
        self.assertTrue(wizard.test_ok, wizard.test_message)
        account = wizard.account_id
        self.assertEqual(account.connection_state, "ok")
        self.assertTrue(account.is_self_ship)
        self.assertEqual(account.location_ids.flipkart_location_id, "LOC0002")
        self.assertEqual(account.location_ids.warehouse_id, self.warehouse)
        self.assertEqual(account.sudo().app_secret, APP_SECRET)

    def test_wrong_secret_keeps_account_and_explains(self):
        self.sandbox.tokens.apps[APP_ID + "-wizard"] = APP_SECRET
        wizard = self._wizard(secret="typo")
        wizard.action_test_connection()
        self.assertFalse(wizard.test_ok)
        self.assertIn("refused the application id or secret", wizard.test_message)
        self.assertEqual(wizard.account_id.connection_state, "failed")
        # Fix the secret and test again: same account, now connected.
        wizard.app_secret = APP_SECRET
        wizard.action_test_connection()
        self.assertTrue(wizard.test_ok, wizard.test_message)
        self.assertEqual(
            self.env["flipkart.account"].search_count(
                [("app_id", "=", APP_ID + "-wizard")]
            ),
            1,
        )

    def test_reconfigure_existing_account(self):
        wizard = (
            self.env["flipkart.setup.wizard"]
            .with_context(default_account_id=self.account.id)
            .create({})
        )
        self.assertEqual(wizard.seller_id, "TESTSELLER")
        self.assertEqual(wizard.location_line_ids.flipkart_location_id, "LOC0001")
        wizard.action_test_connection()
        self.assertTrue(wizard.test_ok, wizard.test_message)
        self.assertEqual(wizard.account_id, self.account)
