import uuid
from urllib.parse import parse_qs, urlparse

import requests

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer


@tagged("post_install", "-at_install")
class TestTokenSurvivesRollback(BaseCase):
    """A partner application's refresh grant revokes the refresh token it
    used: the new one must outlive the transaction that asked for it.

    What survives a rollback needs committed data and real transactions, so
    this test commits its own account and removes it afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        app_id = f"vault-{uuid.uuid4().hex[:8]}"
        self.sandbox = Sandbox(seed=5, shipments=0, listings=1, apps={app_id: "s"})
        server = SandboxServer(self.sandbox, host="127.0.0.1", port=0)
        server.start()
        self.addCleanup(server.stop)
        with self.registry.cursor() as cr:
            account = self._env(cr)["flipkart.account"].create(
                {
                    "name": "Vault",
                    "environment": "sandbox",
                    "api_base_url": server.base_url,
                    "app_id": app_id,
                    "app_secret": "s",
                    "auth_grant": "authorization_code",
                }
            )
            self.account_id = account.id
        self.addCleanup(self._remove_account)
        # The seller allowed the application: the first refresh token.
        with self.registry.cursor() as cr:
            client = self._account(cr)._flipkart_client()
            redirect = "https://odoo.example.com/flipkart/oauth/callback"
            answer = requests.get(
                client.authorize_url(redirect, "s1"), allow_redirects=False, timeout=10
            )
            code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
            client.exchange_code(code, redirect, "s1")

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _account(self, cr):
        return self._env(cr)["flipkart.account"].browse(self.account_id)

    def _remove_account(self):
        with self.registry.cursor() as cr:
            self._account(cr).unlink()

    def test_rotated_refresh_token_outlives_a_rollback(self):
        with self.registry.cursor() as cr:
            before = self._account(cr).refresh_token
            self._account(cr)._flipkart_client().refresh()
            rotated = self._account(cr).refresh_token
            self.assertNotEqual(rotated, before)
            # Within the same transaction the account's own copy is the
            # latest: a second client renews again with it.
            self._account(cr)._flipkart_client().refresh()
            latest = self._account(cr).refresh_token
            cr.rollback()
        with self.registry.cursor() as cr:
            account = self._account(cr)
            client = account._flipkart_client()
            self.assertEqual(account.refresh_token, latest)
            client.refresh()  # Flipkart revoked the first two: this needs the last
            self.assertNotIn(account.refresh_token, (before, rotated, latest))
        calls = [c for c in self.sandbox.calls if c["path"].endswith("/token")]
        self.assertEqual(
            [c["query"]["grant_type"] for c in calls],
            ["authorization_code", "refresh_token", "refresh_token", "refresh_token"],
        )
