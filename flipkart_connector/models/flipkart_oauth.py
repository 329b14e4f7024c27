"""Flipkart's OAuth for an account: the grant, the tokens and their life.

A self-access application gets its tokens with the client-credentials
grant; a partner application is authorized by the seller on Flipkart's
page (authorization code) and keeps a refresh token. Tokens are renewed
before they expire, and the responsible user is warned before a refresh
token ends. Secrets are readable by Settings administrators only and never
logged.
"""

import logging
import secrets
from datetime import datetime, timedelta, timezone

import jwt

from odoo import _, api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.tools import consteq

from .. import flipkart
from ..utils import each_account, to_datetime

_logger = logging.getLogger(__name__)

SECRET_GROUP = "base.group_system"
OAUTH_CALLBACK_ROUTE = "/flipkart/oauth/callback"
AUTH_GRANTS = [
    ("client_credentials", "Self-access application"),
    ("authorization_code", "Partner application (authorize)"),
]
# Days before the refresh token's expiry at which the responsible user is told.
REFRESH_ALERT_DAYS = (14, 3, 1)
# Renew an access token this long before it expires (tokens last ~60 days).
ACCESS_RENEW_MARGIN = timedelta(days=7)
# A failed renewal is tried again by the daily cron after this long.
RENEWAL_RETRY_AFTER = timedelta(hours=1)
# Flipkart documents a 180-day refresh token; used only when the token
# response does not say (flipkart-api.md §1).
DOCUMENTED_REFRESH_LIFETIME = timedelta(days=180)
# How long the seller has to click Allow on Flipkart's page.
OAUTH_STATE_LIFETIME = timedelta(minutes=15)


class FlipkartOAuthMixin(models.AbstractModel):
    """Tokens and authorization of ``flipkart.account`` (its only user)."""

    _name = "flipkart.oauth.mixin"
    _description = "Flipkart OAuth Tokens"

    auth_grant = fields.Selection(
        AUTH_GRANTS,
        string="Application Type",
        required=True,
        default="client_credentials",
        help="A self-access application is created by the seller in Seller "
        "Dashboard > Manage Profile > Developer Access. A partner "
        "application is registered by a Flipkart partner and authorized by "
        "the seller.",
    )
    access_token = fields.Char(groups=SECRET_GROUP, copy=False)
    oauth_nonce = fields.Char(
        groups=SECRET_GROUP,
        copy=False,
        help="The one authorization link in flight: used once, then cleared.",
    )
    refresh_token = fields.Char(groups=SECRET_GROUP, copy=False)
    access_token_expires_at = fields.Datetime(readonly=True, copy=False)
    refresh_token_expires_at = fields.Datetime(readonly=True, copy=False)
    token_serial = fields.Integer(
        readonly=True,
        copy=False,
        help="Which token issued by Flipkart the fields above hold (see "
        "flipkart.token.vault).",
    )
    token_renewal_tried_at = fields.Datetime(readonly=True, copy=False)
    refresh_alert_days = fields.Integer(
        readonly=True,
        copy=False,
        help="The last expiry warning sent, in days before expiry (0: none yet).",
    )

    def action_authorize(self):
        """Send the seller to Flipkart to allow this partner application."""
        self.ensure_one()
        self._check_manager()
        if self.auth_grant != "authorization_code":
            raise UserError(
                _("Only partner applications are authorized on Flipkart's page.")
            )
        url = self._flipkart_client().authorize_url(
            self._oauth_redirect_uri(), self._oauth_state()
        )
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def action_refresh_token(self):
        self.ensure_one()
        self._check_manager()
        self._refresh_tokens()
        return True

    def _store_token(self, token):
        """Keep a new token (called by the client whenever it gets one): on
        the account in this transaction, and committed at once in the vault,
        which a rollback cannot take back."""
        self.ensure_one()
        vault = self.env["flipkart.token.vault"].sudo()
        values = {
            "access_token": token.access_token,
            "access_token_expires_at": to_datetime(token.expires_at),
            "token_serial": vault._next_serial(),
        }
        if token.refresh_token:
            refresh_expiry = to_datetime(token.refresh_expires_at)
            if not refresh_expiry and token.refresh_token != self.sudo().refresh_token:
                refresh_expiry = fields.Datetime.now() + DOCUMENTED_REFRESH_LIFETIME
            values.update(
                refresh_token=token.refresh_token,
                refresh_token_expires_at=refresh_expiry
                or self.refresh_token_expires_at,
                refresh_alert_days=0,
            )
        account = self.sudo()
        account.write(values)
        vault._keep(
            account,
            {"serial": values["token_serial"]}
            | {name: account[name] for name in vault._token_fields()},
        )

    def _adopt_issued_token(self):
        """Take the vault's token when it is later than the account's: the
        transaction that stored it on the account was rolled back."""
        self.ensure_one()
        account = self.sudo()
        newer = self.env["flipkart.token.vault"]._newer_for(account)
        if newer:
            if newer["refresh_token"] != account.refresh_token:
                newer["refresh_alert_days"] = 0
            account.write(newer)

    def _oauth_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        return base.rstrip("/") + OAUTH_CALLBACK_ROUTE

    def _oauth_state(self):
        """A signed token naming this account and the user who pressed
        Authorize, valid once and for a few minutes (no forged, replayed or
        borrowed callbacks)."""
        self.ensure_one()
        nonce = secrets.token_urlsafe(24)
        self.sudo().oauth_nonce = nonce
        claims = {
            "acc": self.id,
            "uid": self.env.uid,
            "nonce": nonce,
            "exp": datetime.now(tz=timezone.utc) + OAUTH_STATE_LIFETIME,
        }
        return jwt.encode(claims, self._oauth_key(), algorithm="HS256")

    def _oauth_key(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return f"flipkart-oauth:{secret}"

    @api.model
    def _complete_authorization(self, state, code=None, error=None):
        """Finish the authorize redirect: exchange the code and keep the tokens.

        Only for the user who pressed Authorize, once, within minutes, and
        only if that user may still change the account.
        """
        refused = AccessDenied(
            _("This Flipkart authorization link is not valid, was used, or expired.")
        )
        try:
            claims = jwt.decode(
                state or "",
                self._oauth_key(),
                algorithms=["HS256"],
                options={"require": ["exp", "acc", "uid", "nonce"]},
            )
        except jwt.PyJWTError as err:
            raise refused from err
        account = self.browse(claims["acc"]).exists()
        if not account or claims["uid"] != self.env.uid:
            raise refused
        account.check_access("write")
        stored = account.sudo().oauth_nonce
        if not stored or not consteq(stored, str(claims["nonce"])):
            raise refused
        account.sudo().oauth_nonce = False
        if error or not code:
            message = _(
                "Flipkart did not authorize the application: %(error)s",
                error=error or _("no code received"),
            )
            account.write({"connection_state": "failed", "connection_message": message})
            account.message_post(body=message)
            return account
        try:
            account._flipkart_client().exchange_code(
                code, account._oauth_redirect_uri(), state
            )
        except flipkart.FlipkartError as err:
            message = account._explain_error(err)
            account.write({"connection_state": "failed", "connection_message": message})
            account.message_post(body=message)
            return account
        account.message_post(body=_("Authorized on Flipkart."))
        account._test_connection()
        return account

    def _refresh_tokens(self):
        """Renew access tokens close to expiry and warn before authorization ends."""
        now = fields.Datetime.now()
        self.token_renewal_tried_at = now
        for account in self:
            expires_at = account.access_token_expires_at
            if not expires_at or expires_at - now <= ACCESS_RENEW_MARGIN:
                try:
                    account._flipkart_client().refresh()
                except flipkart.FlipkartError as err:
                    message = account._explain_error(err)
                    account.write(
                        {"connection_state": "failed", "connection_message": message}
                    )
                    account.message_post(
                        body=_("Could not renew the Flipkart token: %(m)s", m=message)
                    )
                    _logger.warning(
                        "Flipkart account %s: token renewal failed: %s",
                        account.id,
                        err.message,
                    )
            account._warn_refresh_expiry(now)

    def _warn_refresh_expiry(self, now):
        """Schedule one activity at 14, 3 and 1 days before re-authorization."""
        self.ensure_one()
        if not self.refresh_token_expires_at:
            return
        days_left = (self.refresh_token_expires_at - now).total_seconds() / 86400
        due = [
            days
            for days in REFRESH_ALERT_DAYS
            if days_left <= days
            and (not self.refresh_alert_days or days < self.refresh_alert_days)
        ]
        if not due:
            return
        level = min(due)
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            date_deadline=self.refresh_token_expires_at.date(),
            summary=_("Flipkart authorization expires in %(d)s day(s)", d=level),
            note=_(
                "The Flipkart authorization of %(account)s ends on %(date)s. "
                "Authorize the application again before then, or orders stop "
                "coming in.",
                account=self.name,
                date=self.refresh_token_expires_at,
            ),
            user_id=(self.user_id or self.env.user).id,
        )
        self.refresh_alert_days = level

    @api.model
    def _renewal_due_domain(self):
        now = fields.Datetime.now()
        return [
            "|",
            ("access_token_expires_at", "=", False),
            ("access_token_expires_at", "<=", now + ACCESS_RENEW_MARGIN),
            "|",
            ("token_renewal_tried_at", "=", False),
            ("token_renewal_tried_at", "<", now - RENEWAL_RETRY_AFTER),
        ]

    @api.model
    def _cron_refresh_tokens(self):
        """Renew one account per transaction, then warn about expiring ones.

        A partner app's refresh grant revokes the old refresh token, so the
        new one must be committed before anything else can roll it back:
        the cron commits after each call while work remains.
        """
        account = self.search(self._renewal_due_domain(), limit=1)
        # Tried, whatever happens next: an account failing unexpectedly
        # waits for its next turn instead of being taken again at once.
        now = fields.Datetime.now()
        account.token_renewal_tried_at = now
        label = self.env._("Token renewal")
        each_account(account, label, lambda account: account._refresh_tokens())
        remaining = self.search_count(self._renewal_due_domain())
        if not remaining:
            each_account(
                self.search([("refresh_token_expires_at", "!=", False)]),
                label,
                lambda account: account._warn_refresh_expiry(now),
            )
        self.env["ir.cron"]._notify_progress(done=len(account), remaining=remaining)

    def write(self, vals):
        moving = self._moving_away(vals)
        result = super().write(vals)
        if moving:
            # The secret was given for the old host or application: it
            # must not follow to one a Settings administrator did not set.
            cleared = dict.fromkeys(
                (
                    "access_token",
                    "refresh_token",
                    "access_token_expires_at",
                    "refresh_token_expires_at",
                ),
                False,
            )
            if "app_secret" not in vals:
                cleared["app_secret"] = False
            super(FlipkartOAuthMixin, moving.sudo()).write(cleared)
            self.env["flipkart.token.vault"].sudo().search(
                [("account_id", "in", moving.ids)]
            ).unlink()
            for account in moving:
                account.message_post(
                    body=_(
                        "The API host, environment or application id changed: the "
                        "stored secret and tokens were cleared. A Settings "
                        "administrator enters the secret again."
                    )
                )
        return result

    def _moving_away(self, vals):
        """Accounts with a stored secret whose host, environment or
        application id this write changes, by someone other than a
        Settings administrator."""
        watched = {"api_base_url", "environment", "app_id"}.intersection(vals)
        if not watched or self.env.user.has_group(SECRET_GROUP):
            return self.browse()
        return self.filtered(
            lambda account: (
                (account.sudo().app_secret or account.sudo().access_token)
                and any(account[name] != vals[name] for name in watched)
            )
        )
