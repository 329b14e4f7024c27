"""The last token Flipkart issued to each account, committed the moment it
is issued.

A partner application's refresh grant revokes the refresh token it used. If
the new one lived only in the transaction that asked for it, a rollback (an
error later in the same cron run, a savepoint undone) would lose it, and the
seller would have to authorize the application again. The vault keeps every
issued token on its own short transaction; the account's fields stay the
working copy, and take the vault's token when theirs is older.
"""

import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Tokens are numbered from a sequence: nextval() is not undone by a
# rollback, so a larger number is always a later token.
SERIAL_SEQUENCE = "flipkart_token_serial"
# Never wait long for a row this transaction itself may hold.
LOCK_TIMEOUT = "5s"


class FlipkartTokenVault(models.Model):
    _name = "flipkart.token.vault"
    _description = "Flipkart Issued Token"
    _log_access = False

    account_id = fields.Many2one(
        "flipkart.account", required=True, ondelete="cascade", index=True
    )
    serial = fields.Integer(required=True)
    access_token = fields.Char()
    refresh_token = fields.Char()
    access_token_expires_at = fields.Datetime()
    refresh_token_expires_at = fields.Datetime()

    _sql_constraints = [
        ("account_unique", "unique(account_id)", "One issued token per account."),
    ]

    def init(self):
        self.env.cr.execute(
            SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL.identifier(SERIAL_SEQUENCE))
        )

    @api.model
    def _next_serial(self):
        self.env.cr.execute(SQL("SELECT nextval(%s)", SERIAL_SEQUENCE))
        return self.env.cr.fetchone()[0]

    @api.model
    def _keep(self, account, values):
        """Commit ``values`` (the token fields and its ``serial``) for
        ``account`` at once, on a transaction of their own.

        An account not committed yet (created in this transaction) is
        skipped: a rollback takes it away with its token.
        """
        params = {"account": account.id, **dict.fromkeys(self._token_fields())}
        params.update({name: value or None for name, value in values.items()})
        try:
            with self.env.registry.cursor() as cr:
                cr.execute(SQL("SET LOCAL lock_timeout = %s", LOCK_TIMEOUT))
                cr.execute(
                    SQL(
                        """
                        INSERT INTO flipkart_token_vault (
                            account_id, serial, access_token, refresh_token,
                            access_token_expires_at, refresh_token_expires_at)
                        SELECT %(account)s, %(serial)s, %(access)s, %(refresh)s,
                               %(access_expiry)s, %(refresh_expiry)s
                         WHERE EXISTS (SELECT 1 FROM flipkart_account
                                        WHERE id = %(account)s)
                        ON CONFLICT (account_id) DO UPDATE
                           SET serial = EXCLUDED.serial,
                               access_token = EXCLUDED.access_token,
                               refresh_token = EXCLUDED.refresh_token,
                               access_token_expires_at =
                                   EXCLUDED.access_token_expires_at,
                               refresh_token_expires_at =
                                   EXCLUDED.refresh_token_expires_at
                         WHERE flipkart_token_vault.serial < EXCLUDED.serial
                        """,
                        account=params["account"],
                        serial=params["serial"],
                        access=params["access_token"],
                        refresh=params["refresh_token"],
                        access_expiry=params["access_token_expires_at"],
                        refresh_expiry=params["refresh_token_expires_at"],
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            _logger.warning(
                "Flipkart account %s: the new token could not be committed on its "
                "own and is kept with this transaction only.",
                account.id,
            )

    @api.model
    def _newer_for(self, account):
        """The vault's token fields if they are later than the account's."""
        entry = self.sudo().search([("account_id", "=", account.id)], limit=1)
        if not entry or entry.serial <= account.token_serial:
            return {}
        return {"token_serial": entry.serial} | {
            name: entry[name] for name in self._token_fields()
        }

    @api.model
    def _token_fields(self):
        return (
            "access_token",
            "refresh_token",
            "access_token_expires_at",
            "refresh_token_expires_at",
        )
