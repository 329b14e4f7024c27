from odoo.tests import tagged

from .common import APP_SECRET, FlipkartSandboxCase


@tagged("post_install", "-at_install")
class TestConnection(FlipkartSandboxCase):
    def _test(self, account=None):
        action = (account or self.account).action_test_connection()
        return action["params"]

    def test_connection_succeeds_and_stores_token(self):
        params = self._test()
        self.assertEqual(params["type"], "success", params["message"])
        self.assertEqual(self.account.connection_state, "ok")
        self.assertTrue(self.account.sudo().access_token)
        # Expiry is read from the token response (the sandbox's token_ttl).
        lifetime = (
            self.account.access_token_expires_at - self.account.connection_checked_at
        ).total_seconds()
        self.assertAlmostEqual(lifetime, 3600, delta=60)
        self.assertEqual(self.token_calls(), 1)
        # One cheap call per location, with that location.
        searches = [c for c in self.sandbox.calls if c["path"].endswith("/filter")]
        self.assertEqual(len(searches), 1)
        self.assertIn("Connected", self.account.message_ids[0].body)

    def test_wrong_secret_reads_as_words(self):
        self.account.app_secret = "not-the-secret"
        params = self._test()
        self.assertEqual(params["type"], "danger")
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("refused the application id or secret", params["message"])
        self.assertIn("Developer Access", params["message"])
        self.assertNotIn("Traceback", params["message"])
        self.assertNotIn("not-the-secret", params["message"])

    def test_location_of_another_seller(self):
        self.account.location_ids.flipkart_location_id = "LOC9999"
        params = self._test()
        self.assertEqual(params["type"], "danger")
        self.assertIn("another seller", params["message"])
        self.account.location_ids.flipkart_location_id = "LOC0001"

    def test_flipkart_down(self):
        self.sandbox.faults.set(rate_dependent=1.0)
        params = self._test()
        self.assertEqual(params["type"], "danger")
        self.assertIn("down or busy", params["message"])
        # Bounded retries: the policy's 3 attempts, not a storm.
        searches = [c for c in self.sandbox.calls if c["path"].endswith("/filter")]
        self.assertEqual(len(searches), 3)

    def test_unreachable_host(self):
        account = self.account.copy(
            {
                "app_id": "other",
                "app_secret": APP_SECRET,
                "api_base_url": "http://127.0.0.1:9",
            }
        )
        params = self._test(account)
        self.assertEqual(params["type"], "danger")
        self.assertIn("Could not reach", params["message"])

    def test_expired_token_is_renewed_once(self):
        self._test()
        self.sandbox.revoke_tokens()
        self.sandbox.reset_calls()
        self.account._flipkart_client().get_listings(["SKU-00001"])
        self.assertEqual(self.token_calls(), 1)
        self.assertEqual(self.sandbox.count(path_prefix="/sellers/listings"), 2)
