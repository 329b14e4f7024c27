"""Stock to Flipkart: what each listing may sell at each location, pushed in
batches of 10 SKUs, kept in a ledger, and reconciled with Flipkart daily.

Quantities are computed for all listings at once from a few grouped queries
(quants, buffers, waiting orders), never a query per product: an account
can hold tens of thousands of SKUs. Writes go through the account's outbound
gate, one event per call of 10 SKUs, and each SKU's answer is kept on its
listing and in the ledger.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from .. import flipkart
from ..flipkart import endpoints as ep
from ..flipkart.batching import chunked
from ..utils import each_account, item_outcomes

_logger = logging.getLogger(__name__)

CAUSES = [
    ("push_failed", "Push failed"),
    ("push_pending", "Push pending"),
    ("listing_inactive", "Listing inactive"),
    ("location_disabled", "Location disabled"),
    ("panel_change", "Changed on Flipkart's panel"),
    ("unmapped", "Unmapped product"),
]
CONFIRMED = ("SUCCESS", "WARNING")
LEDGER_KEPT = timedelta(days=90)


@dataclass
class Breakdown:
    """Why a listing shows ``quantity`` at a location."""

    listing_id: int
    location_id: int
    sku: str
    fsn: str
    product_id: int
    free: float
    pending: float
    buffer: float
    enabled: bool = True

    @property
    def quantity(self):
        return max(0, int(self.free - self.pending - self.buffer))


class FlipkartInventory(models.AbstractModel):
    _name = "flipkart.inventory"
    _description = "Flipkart Inventory"
    _flipkart_event_kinds = {
        "inventory_update": {
            "send": "_send_inventory_update",
            "apply": "_after_inventory_update",
        },
    }

    # Quantities ---------------------------------------------------------------

    @api.model
    def _compute(self, account, listing_ids=None):
        """``{(listing id, location id): Breakdown}`` for every mapped listing
        of ``account`` (or the given ones) at each active location."""
        self.env.flush_all()
        locations = account.location_ids.filtered("active")
        if not locations:
            return {}
        listing_filter = SQL("")
        if listing_ids is not None:
            listing_filter = SQL("AND l.id = ANY(%s)", list(listing_ids))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id, l.seller_sku, COALESCE(l.fsn, ''), l.product_id,
                       CASE WHEN t.flipkart_buffer_override
                            THEN t.flipkart_buffer END
                  FROM flipkart_listing l
                  JOIN product_product p ON p.id = l.product_id
                  JOIN product_template t ON t.id = p.product_tmpl_id
                 WHERE l.account_id = %s AND l.product_id IS NOT NULL %s
                """,
                account.id,
                listing_filter,
            )
        )
        if not rows:
            return {}
        products = list({row[3] for row in rows})
        stock_by_location = {
            location.id: location._stock_root().id for location in locations
        }
        free = self._free_quantities(products, list(set(stock_by_location.values())))
        # Some channels send the stock as it is (Flipkart Smart: bin-wise).
        deducts = account._stock_deducts_buffer_and_pending()
        pending = self._pending_demand(account) if deducts else {}
        result = {}
        for listing_id, sku, fsn, product_id, product_buffer in rows:
            buffer = (
                product_buffer
                if product_buffer is not None
                else account.inventory_buffer
            )
            if not deducts:
                buffer = 0
            for location in locations:
                stock = stock_by_location[location.id]
                result[(listing_id, location.id)] = Breakdown(
                    listing_id=listing_id,
                    location_id=location.id,
                    sku=sku,
                    fsn=fsn,
                    product_id=product_id,
                    free=free.get((product_id, stock), 0.0),
                    pending=pending.get((sku, location.flipkart_location_id), 0),
                    buffer=buffer or 0,
                    enabled=location.inventory_status != "DISABLED",
                )
        return result

    @api.model
    def _free_quantities(self, product_ids, stock_location_ids):
        """``{(product, stock location): on hand - reserved}`` of each
        warehouse's stock location and its children, in one query."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT q.product_id, s.id, SUM(q.quantity - q.reserved_quantity)
                  FROM stock_quant q
                  JOIN stock_location l ON l.id = q.location_id
                  JOIN stock_location s
                    ON starts_with(l.parent_path, s.parent_path)
                 WHERE s.id = ANY(%s) AND q.product_id = ANY(%s)
                 GROUP BY q.product_id, s.id
                """,
                stock_location_ids,
                product_ids,
            )
        )
        return {(product, stock): qty for product, stock, qty in rows}

    @api.model
    def _pending_demand(self, account):
        """``{(sku, location): quantity}`` accepted on Flipkart but not yet an
        order in Odoo: the shipments of the last pull waiting as events."""
        demand = {}
        waiting = self.env["flipkart.event"].search(
            [
                ("account_id", "=", account.id),
                ("kind", "=", "shipment_import"),
                ("state", "=", "error"),
            ]
        )
        for event in waiting:
            shipment = event._payload()
            if not isinstance(shipment, dict):
                continue
            try:
                record = flipkart.Shipment.from_json(shipment)
                items = [
                    ((item.sku, record.location_id), int(item.quantity))
                    for item in record.order_items
                    if item.status in ("APPROVED", "PACKING_IN_PROGRESS")
                ]
            except (TypeError, ValueError, AttributeError):
                # A shape nobody expected: counting nothing beats stopping
                # the push of every account.
                _logger.warning("Flipkart event %s: unreadable shipment", event.id)
                continue
            for key, quantity in items:
                demand[key] = demand.get(key, 0) + quantity
        return demand

    # Push ---------------------------------------------------------------------

    @api.model
    def _push(self, account, full=None, listing_ids=None, reason="push"):
        """Send the quantities that changed since the last confirmed push
        (all of them with ``full``), 10 SKUs a call; returns the SKUs sent."""
        full = account.inventory_sync_method == "full" if full is None else full
        breakdowns = self._compute(account, listing_ids)
        last = self._last_pushed(account)
        by_sku = {}
        for key, line in breakdowns.items():
            pushed = last.get(key)
            due = (
                full
                or pushed is None
                or pushed[1] not in CONFIRMED
                or pushed[0] != (line.quantity if line.enabled else -1)
            )
            if due or listing_ids is not None:
                by_sku.setdefault(line.sku, [])
        if not by_sku:
            return []
        # A SKU is sent with all its locations: Flipkart's update is per SKU.
        for line in breakdowns.values():
            if line.sku in by_sku:
                by_sku[line.sku].append(line)
        locations = {loc.id: loc for loc in account.location_ids}
        for batch in chunked(sorted(by_sku), ep.MAX_LISTINGS):
            payload = {
                sku: {
                    "product_id": by_sku[sku][0].fsn,
                    "locations": [
                        {
                            "id": locations[line.location_id].flipkart_location_id,
                            "inventory": line.quantity,
                        }
                        if line.enabled
                        else {
                            "id": locations[line.location_id].flipkart_location_id,
                            "status": "DISABLED",
                        }
                        for line in by_sku[sku]
                    ],
                }
                for sku in batch
            }
            lines = [line for sku in batch for line in by_sku[sku]]
            account._send_outbound(
                "inventory_update",
                f"inventory:{batch[0]}:{uuid.uuid4().hex}",
                payload,
                # The ledger rows exist before the call: its answer lands there.
                prepare=lambda event, lines=lines: self._write_ledger(
                    event, lines, reason
                ),
            )
            # Flipkart has applied it: a later crash must not undo the record.
            account._commit_progress()
        return sorted(by_sku)

    @api.model
    def _last_pushed(self, account):
        """``{(listing, location): (quantity, state)}`` of the last push; a
        disabled location counts as -1."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT ll.listing_id, ll.location_id, ll.pushed_quantity,
                       ll.push_state, ll.pushed_disabled
                  FROM flipkart_listing_location ll
                  JOIN flipkart_listing l ON l.id = ll.listing_id
                 WHERE l.account_id = %s AND ll.pushed_at IS NOT NULL
                """,
                account.id,
            )
        )
        return {
            (listing, location): (-1 if disabled else quantity, state)
            for listing, location, quantity, state, disabled in rows
        }

    @api.model
    def _write_ledger(self, event, lines, reason):
        # Bookkeeping of the connector, whoever pressed the button.
        self.env["flipkart.inventory.ledger"].sudo().create(
            [
                {
                    "event_id": event.id,
                    "account_id": event.account_id.id,
                    "listing_id": line.listing_id,
                    "location_id": line.location_id,
                    "product_id": line.product_id,
                    "reason": reason,
                    "free_quantity": line.free,
                    "pending_quantity": line.pending,
                    "buffer": line.buffer,
                    "quantity": line.quantity,
                    "disabled": not line.enabled,
                    "state": "pending",
                }
                for line in lines
            ]
        )

    @api.model
    def _send_inventory_update(self, client, payload):
        return item_outcomes(client.update_inventory(payload))

    @api.model
    def _after_inventory_update(self, event):
        """Keep each SKU's answer on its ledger rows and listing lines."""
        ledger = (
            self.env["flipkart.inventory.ledger"]
            .sudo()
            .search([("event_id", "=", event.id)])
        )
        if not ledger:
            return  # an update sent before the ledger existed
        results = event._item_results()
        now = fields.Datetime.now()
        by_outcome = {}
        for row in ledger:
            sku = row.listing_id.seller_sku
            if event.state == "ignored":
                outcome = ("dry_run", _("Dry run: computed and recorded, not sent."))
            else:
                result = results.get(sku) or {
                    "status": "FAILURE",
                    "message": event.last_error or _("No answer from Flipkart."),
                }
                outcome = (result["status"], result.get("message") or False)
            by_outcome.setdefault(outcome, self.env["flipkart.inventory.ledger"])
            by_outcome[outcome] |= row
        for (state, message), rows in by_outcome.items():
            rows.write({"state": state, "message": message})
        if event.state == "ignored":
            return
        # The listing lines: one UPDATE for the whole call (thousands of rows
        # in a full push), then the ORM cache forgets them.
        values = [
            (
                row.listing_id.id,
                row.location_id.id,
                row.quantity,
                row.disabled,
                row.state,
                row.message or None,
            )
            for row in ledger
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO flipkart_listing_location AS ll
                       (listing_id, location_id, pushed_quantity, pushed_disabled,
                        push_state, push_message, pushed_at,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.listing_id, v.location_id, v.quantity, v.disabled,
                       v.state, v.message, %(now)s,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM jsonb_to_recordset(%(rows)s::jsonb) AS v(
                       listing_id int, location_id int, quantity int,
                       disabled bool, state varchar, message text)
                ON CONFLICT (listing_id, location_id) DO UPDATE
                   SET pushed_quantity = EXCLUDED.pushed_quantity,
                       pushed_disabled = EXCLUDED.pushed_disabled,
                       push_state = EXCLUDED.push_state,
                       push_message = EXCLUDED.push_message,
                       pushed_at = EXCLUDED.pushed_at,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                """,
                now=now,
                uid=self.env.uid,
                rows=json.dumps(
                    [
                        dict(
                            zip(
                                (
                                    "listing_id",
                                    "location_id",
                                    "quantity",
                                    "disabled",
                                    "state",
                                    "message",
                                ),
                                value,
                                strict=True,
                            )
                        )
                        for value in values
                    ]
                ),
            )
        )
        self.env["flipkart.listing.location"].invalidate_model()

    # Reconciliation -----------------------------------------------------------

    @api.model
    def _reconcile(self, account, fix=None):
        """Compare Flipkart's stock of every listing (10 SKUs a call) with
        what Odoo would push, name the cause of each difference, and (with
        ``fix``) push again what a push can fix."""
        fix = account.inventory_reconciliation_fix if fix is None else fix
        breakdowns = self._compute(account)
        last = self._last_pushed(account)
        listings = self.env["flipkart.listing"].search(
            [("account_id", "=", account.id)]
        )
        pulled = account._flipkart_client().get_listings(listings.mapped("seller_sku"))
        locations = {
            loc.flipkart_location_id: loc for loc in account.location_ids if loc.active
        }
        differences = []
        for listing in listings:
            remote = pulled.listings.get(listing.seller_sku)
            if remote is None:
                continue
            for item in remote.locations:
                location = locations.get(item.location_id)
                if location is None:
                    continue
                key = (listing.id, location.id)
                line = breakdowns.get(key)
                expected = line.quantity if line and line.enabled else 0
                # A disabled location sells nothing, whatever its number.
                shown = 0 if item.status == "DISABLED" else item.inventory
                if shown == expected:
                    continue
                differences.append(
                    {
                        "account_id": account.id,
                        "listing_id": listing.id,
                        "location_id": location.id,
                        "product_id": listing.product_id.id,
                        "flipkart_quantity": shown,
                        "odoo_quantity": expected,
                        "cause": self._cause(
                            listing, remote, item, line, last.get(key)
                        ),
                    }
                )
        Difference = self.env["flipkart.inventory.difference"].sudo()
        Difference.search([("account_id", "=", account.id)]).unlink()
        found = Difference.create(differences)
        fixable = found.filtered(
            lambda d: d.cause in ("push_failed", "push_pending", "panel_change")
        )
        if fix and fixable:
            self._push(
                account,
                full=True,
                listing_ids=fixable.listing_id.ids,
                reason="reconciliation",
            )
            fixable.write({"fixed": True})
        summary = {}
        for difference in found:
            summary[difference.cause] = summary.get(difference.cause, 0) + 1
        labels = dict(CAUSES)
        account.message_post(
            body=_(
                "Inventory reconciliation: %(n)s listing(s) checked, %(d)s "
                "difference(s)%(detail)s%(fixed)s.",
                n=len(listings),
                d=len(found),
                detail=(
                    ": "
                    + ", ".join(f"{labels[c]} {k}" for c, k in sorted(summary.items()))
                    if summary
                    else ""
                ),
                fixed=_("; %(k)s pushed again", k=len(fixable))
                if fix and fixable
                else "",
            )
        )
        account.inventory_reconciled_at = fields.Datetime.now()
        return found

    @api.model
    def _cause(self, listing, remote, item, line, last):
        """The most likely reason Flipkart shows another quantity."""
        if not listing.product_id:
            return "unmapped"
        if remote.status and remote.status != "ACTIVE":
            return "listing_inactive"
        if item.status == "DISABLED" or (line and not line.enabled):
            return "location_disabled"
        if last is None:
            return "push_pending"
        if last[1] not in CONFIRMED:
            return "push_failed"
        if line and last[0] != line.quantity:
            return "push_pending"
        return "panel_change"

    # Scheduled actions --------------------------------------------------------

    @api.model
    def _cron_push_inventory(self):
        def push(account):
            try:
                self._push(account)
            except flipkart.FlipkartError as err:
                _logger.warning("Flipkart inventory push %s: %s", account.name, err)
            account._commit_progress()

        accounts = self.env["flipkart.account"].search([("inventory_sync", "=", True)])
        each_account(accounts, _("Stock push"), push)

    @api.model
    def _vacuum_ledger(self):
        """The ledger explains today's numbers: older rows go after 90 days."""
        self.env["flipkart.inventory.ledger"].sudo().search(
            [("create_date", "<", fields.Datetime.now() - LEDGER_KEPT)]
        ).unlink()

    @api.model
    def _cron_reconcile_inventory(self):
        self._vacuum_ledger()

        def reconcile(account):
            try:
                self._reconcile(account)
            except flipkart.FlipkartError as err:
                account.message_post(
                    body=_(
                        "Inventory reconciliation stopped: %(m)s",
                        m=account._explain_error(err),
                    )
                )
            account._commit_progress()

        accounts = self.env["flipkart.account"].search(
            [("inventory_reconciliation", "=", True)]
        )
        each_account(accounts, _("Stock reconciliation"), reconcile)
