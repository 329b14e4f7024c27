import copy
import time
from unittest.mock import patch

from odoo import Command
from odoo.tests import TransactionCase

from ..flipkart import RetryPolicy
from ..flipkart.sandbox import Sandbox, SandboxServer

APP_ID = "test-app"
APP_SECRET = "test-secret-7f3a9c"


class ShiftableClock:
    """Real time plus an offset tests can move forward."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.time() + self.offset


class FlipkartSandboxCase(TransactionCase):
    """An Indian seller company, its Flipkart account and the sandbox.

    The sandbox is a real HTTP server on 127.0.0.1 (Odoo's test classes let
    loopback through); client retries are made instant so fault tests stay
    quick while still counting every attempt.
    """

    sandbox_options = {"shipments": 5, "listings": 20}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = ShiftableClock()
        cls.sandbox = Sandbox(
            seed=7,
            locations=("LOC0001", "LOC0002"),
            apps={APP_ID: APP_SECRET},
            clock=cls.clock,
            **cls.sandbox_options,
        )
        cls.sandbox_state = copy.deepcopy((cls.sandbox.listings, cls.sandbox.shipments))
        cls.server = SandboxServer(cls.sandbox, host="127.0.0.1", port=0)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.company = cls.env["res.company"].create(
            {
                "name": "Flipkart Test Seller Pvt Ltd",
                "country_id": cls.env.ref("base.in").id,
                "state_id": cls.env.ref("base.state_in_ka").id,
            }
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=[cls.company.id],
                tracking_disable=True,
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.account = cls.env["flipkart.account"].create(
            {
                "name": "Test Flipkart",
                "company_id": cls.company.id,
                "environment": "sandbox",
                "api_base_url": cls.server.base_url,
                "seller_id": "TESTSELLER",
                "app_id": APP_ID,
                "app_secret": APP_SECRET,
                "location_ids": [
                    Command.create(
                        {
                            "flipkart_location_id": "LOC0001",
                            "warehouse_id": cls.warehouse.id,
                        }
                    )
                ],
            }
        )

        # Demo products share the sandbox's SKU codes: keep tests independent.
        cls.env["product.product"].search([("default_code", "=like", "SKU-%")]).write(
            {"default_code": False}
        )
        # Scheduled actions work through every account: keep only ours.
        cls.env["flipkart.account"].search(
            [("id", "!=", cls.account.id)]
        ).active = False

    def setUp(self):
        super().setUp()
        self.clock.offset = 0.0
        # The database is rolled back after each test; so is the sandbox.
        with self.sandbox.lock:
            listings, shipments = copy.deepcopy(self.sandbox_state)
            self.sandbox.listings.clear()
            self.sandbox.listings.update(listings)
            self.sandbox.shipments.clear()
            self.sandbox.shipments.update(shipments)
        self.sandbox.faults.clear()
        self.sandbox.reset_calls()
        fast = RetryPolicy(max_attempts=3, base=0.001, cap=0.01)
        self.startPatcher(
            patch.object(
                type(self.env["flipkart.account"]),
                "_flipkart_client_options",
                lambda account: {"retry": fast, "sleep": lambda _seconds: None},
            )
        )

    def token_calls(self):
        return self.sandbox.count(path_prefix="/oauth-service/oauth/token")
