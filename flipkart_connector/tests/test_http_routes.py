from odoo.tests import HttpCase, tagged


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
