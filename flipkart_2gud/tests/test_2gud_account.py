from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.flipkart_connector.tests.common import FlipkartSandboxCase

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
