from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import requests
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessDenied
from odoo.tests import new_test_user, tagged

from .common import APP_ID, APP_SECRET, FlipkartSandboxCase


@tagged("post_install", "-at_install")
class TestTokenLifecycle(FlipkartSandboxCase):
    def _activities(self):
        return self.account.activity_ids.filtered(
            lambda a: "authorization expires" in (a.summary or "")
        )

    def test_cron_renews_token_close_to_expiry(self):
        self.account.action_test_connection()
        first_token = self.account.sudo().access_token
        self.env["flipkart.account"]._cron_refresh_tokens()
        # Far from expiry (sandbox tokens live an hour, renewed 7 days ahead
        # would always renew): pretend a 60-day token with 30 days left.
        self.account.access_token_expires_at = fields.Datetime.now() + timedelta(
            days=30
        )
        self.sandbox.reset_calls()
        self.env["flipkart.account"]._cron_refresh_tokens()
        self.assertEqual(self.token_calls(), 0, "no renewal 30 days ahead")
        # The next day, the token is two days from expiry.
        self.account.write(
            {
                "access_token_expires_at": fields.Datetime.now() + timedelta(days=2),
                "token_renewal_tried_at": fields.Datetime.now() - timedelta(days=1),
            }
        )
        self.env["flipkart.account"]._cron_refresh_tokens()
        self.assertEqual(self.token_calls(), 1)
        self.assertNotEqual(self.account.sudo().access_token, first_token)
        self.assertGreater(self.account.access_token_expires_at, fields.Datetime.now())

    def test_partner_app_refresh_grant(self):
        """authorization_code + refresh_token: the refresh grant renews both."""
        redirect = "https://odoo.example.com/flipkart/oauth"
        client = self.account._flipkart_client()
        answer = requests.get(
            client.authorize_url(redirect, "state-1"), allow_redirects=False, timeout=10
        )
        code = parse_qs(urlparse(answer.headers["Location"]).query)["code"][0]
        self.account.auth_grant = "authorization_code"
        self.account._flipkart_client().exchange_code(code, redirect, "state-1")
        refresh_token = self.account.sudo().refresh_token
        self.assertTrue(refresh_token)
        self.assertTrue(self.account.refresh_token_expires_at)
        self.account.access_token_expires_at = fields.Datetime.now()
        self.sandbox.reset_calls()
        self.account._refresh_tokens()
        call = self.sandbox.calls[0]
        self.assertEqual(call["query"].get("grant_type"), "refresh_token")
        self.assertNotEqual(self.account.sudo().refresh_token, refresh_token)

    def test_activity_before_refresh_token_expires(self):
        self.account.action_test_connection()
        self.account.user_id = self.env.user
        now = fields.Datetime.now()
        self.account.refresh_token_expires_at = now + timedelta(days=30)
        self.account._warn_refresh_expiry(now)
        self.assertFalse(self._activities())
        self.account.refresh_token_expires_at = now + timedelta(days=13)
        self.account._warn_refresh_expiry(now)
        self.account._warn_refresh_expiry(now)
        self.assertEqual(len(self._activities()), 1, "one warning at 14 days, not two")
        self.account.refresh_token_expires_at = now + timedelta(days=2, hours=12)
        self.account._warn_refresh_expiry(now)
        self.assertEqual(len(self._activities()), 2)
        self.account.refresh_token_expires_at = now + timedelta(hours=20)
        self.account._warn_refresh_expiry(now)
        self.assertEqual(len(self._activities()), 3)
        self.assertEqual(self._activities().user_id, self.env.user)

    def test_renewal_failure_is_recorded_not_raised(self):
        self.account.app_secret = "revoked"
        self.account.access_token_expires_at = False
        with self.assertLogs(
            "odoo.addons.flipkart_connector.models.flipkart_oauth", "WARNING"
        ):
            self.env["flipkart.account"]._cron_refresh_tokens()
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn(
            "refused the application id or secret", self.account.connection_message
        )
        self.account.app_secret = APP_SECRET

    def test_token_response_expiry_is_used(self):
        client = self.account._flipkart_client()
        client.fetch_token()
        expected = self.clock() + 3600
        stored = self.account.access_token_expires_at
        self.assertAlmostEqual(
            fields.Datetime.to_datetime(stored).timestamp(), expected, delta=120
        )
        self.assertEqual(APP_ID, self.account.app_id)


@tagged("post_install", "-at_install")
class TestPartnerAuthorization(FlipkartSandboxCase):
    def test_authorize_round_trip(self):
        self.account.auth_grant = "authorization_code"
        action = self.account.action_authorize()
        self.assertEqual(action["type"], "ir.actions.act_url")
        query = parse_qs(urlparse(action["url"]).query)
        self.assertTrue(query["redirect_uri"][0].endswith("/flipkart/oauth/callback"))
        # The seller clicks Allow; Flipkart redirects back with a code.
        answer = requests.get(action["url"], allow_redirects=False, timeout=10)
        back = parse_qs(urlparse(answer.headers["Location"]).query)
        account = self.env["flipkart.account"]._complete_authorization(
            back["state"][0], code=back["code"][0]
        )
        self.assertEqual(account, self.account)
        self.assertTrue(self.account.sudo().refresh_token)
        self.assertEqual(self.account.connection_state, "ok")

    def test_forged_state_is_refused(self):
        with self.assertRaises(AccessDenied):
            self.env["flipkart.account"]._complete_authorization(
                f"{self.account.id}-forged", code="x"
            )

    def _allowed(self):
        """Press Authorize, let the seller click Allow: (state, code)."""
        self.account.auth_grant = "authorization_code"
        action = self.account.action_authorize()
        answer = requests.get(action["url"], allow_redirects=False, timeout=10)
        back = parse_qs(urlparse(answer.headers["Location"]).query)
        return back["state"][0], back["code"][0]

    def test_a_state_is_used_once(self):
        state, code = self._allowed()
        Account = self.env["flipkart.account"]
        Account._complete_authorization(state, code=code)
        with self.assertRaises(AccessDenied):
            Account._complete_authorization(state, code=code)

    def test_a_state_expires(self):
        state, code = self._allowed()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=16)):
            with self.assertRaises(AccessDenied):
                self.env["flipkart.account"]._complete_authorization(state, code=code)

    def test_a_state_belongs_to_the_user_who_pressed_authorize(self):
        state, code = self._allowed()
        other = new_test_user(
            self.env,
            "fk_other_admin",
            groups="base.group_system,flipkart_connector.group_flipkart_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaises(AccessDenied):
            self.env["flipkart.account"].with_user(other)._complete_authorization(
                state, code=code
            )
        self.assertFalse(self.account.sudo().refresh_token)

    def test_seller_refusal_is_shown_on_the_account(self):
        state = self.account._oauth_state()
        self.env["flipkart.account"]._complete_authorization(
            state, error="access_denied"
        )
        self.assertEqual(self.account.connection_state, "failed")
        self.assertIn("access_denied", self.account.connection_message)
