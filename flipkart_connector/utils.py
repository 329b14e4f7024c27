"""Helpers the models share: the GST rate of taxes, advisory locks.

One home for them, so model files never import each other's private
helpers. Flipkart's own terms are in ``flipkart/const.py``.
"""

import logging
from datetime import datetime, timezone

import psycopg2

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def to_datetime(epoch):
    """Naive UTC datetime (Odoo's storage) from epoch seconds."""
    if not epoch:
        return False
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def to_epoch(value):
    """Epoch seconds of Odoo's naive UTC datetime (0 for none)."""
    return value.replace(tzinfo=timezone.utc).timestamp() if value else 0


def gst_rate(taxes):
    """The GST % of a line's taxes (CGST+SGST or IGST, children included)."""
    return sum(
        tax.amount
        for tax in taxes.flatten_taxes_hierarchy()
        if tax.amount_type == "percent"
    )


def lock_keys(env, kind, account, ids):
    """Transaction-long advisory locks on ``kind`` records of ``account``
    (shipments, returns), taken in sorted order so two workers never
    deadlock; the second waits for the first to commit."""
    keys = sorted(f"{kind}:{account.id}:{record_id}" for record_id in ids)
    env.cr.execute(
        SQL(
            "SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) "
            "FROM unnest(%s::text[]) AS k ORDER BY k",
            keys,
        )
    )


def item_outcomes(results):
    """Per-item results of a batch write (client ``ItemResult``s) as the
    data an event keeps: {key: {status, message, retryable}}."""
    return {
        key: {
            "status": r.status,
            "message": r.message,
            "retryable": r.retryable,
            "code": r.code,
        }
        for key, r in results.items()
    }


def each_account(accounts, label, work):
    """Run ``work(account)`` for each of ``accounts``, one failing
    alone: an unexpected error of one account is said on it (and
    logged) and the next account runs. In scheduled runs, which commit
    as they go, the failed account's uncommitted work is rolled back;
    elsewhere it is undone by a savepoint."""
    committing = accounts.env.context.get("flipkart_commit_pages")
    for account in accounts:
        try:
            if committing:
                work(account)
            else:
                with accounts.env.cr.savepoint():
                    work(account)
        except psycopg2.OperationalError:
            raise  # a concurrency error: Odoo retries the whole run
        except Exception as err:  # noqa: BLE001 - one account fails alone
            if committing:
                accounts.env.cr.rollback()
            _logger.exception("Flipkart %s of account %s failed", label, account.id)
            account.message_post(
                body=account.env._(
                    "%(label)s failed unexpectedly: %(error)s",
                    label=label,
                    error=err,
                )
            )
            account._commit_progress()
