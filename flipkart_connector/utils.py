"""Helpers the models share: the GST rate of taxes, advisory locks.

One home for them, so model files never import each other's private
helpers. Flipkart's own terms are in ``flipkart/const.py``.
"""

from datetime import datetime, timezone

from odoo.tools import SQL


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
        key: {"status": r.status, "message": r.message, "retryable": r.retryable}
        for key, r in results.items()
    }
