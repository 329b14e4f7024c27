"""SKU sync: listings pulled and mapped to products, prices pushed.

The listing stream of the sync pipeline: Flipkart's listing search has no
date filter, so every pull reads all listings (search 500 a page, details
10 SKUs a call) and marks those it did not see as missing, never deleting
them. Price updates go through the outbound gate as ``price_update``
events, whose answers land on the listings, on a retry too.
"""

import uuid

from odoo import _, api, fields, models
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from ..flipkart import endpoints as ep
from ..flipkart import mapping
from ..flipkart.batching import chunked
from ..utils import each_account, item_outcomes
from .flipkart_sync import SyncStream

_lt = LazyTranslate(__name__)


class FlipkartListingSync(models.AbstractModel):
    _name = "flipkart.listing.sync"
    _inherit = "flipkart.sync"
    _description = "Flipkart SKU Sync"
    # No dates: Flipkart's listing search cannot filter by them.
    _sync = SyncStream(_lt("SKU pull"), _lt("listing"))

    _flipkart_event_kinds = {
        "price_update": {"send": "_send_price_update", "apply": "_after_price_update"},
    }

    # Pull ---------------------------------------------------------------------

    @api.model
    def _cron_pull_listings(self):
        """SKU sync: pull (and, where enabled, push prices) for each account.

        Flipkart's listing search has no date filter, so the SKU pull
        from-date is when the scheduled sync starts for the account.
        """
        now = fields.Datetime.now()
        accounts = self.env["flipkart.account"].search(
            [
                "|",
                ("sku_sync_pull", "=", True),
                ("sku_sync_push", "=", True),
                "|",
                ("sku_pull_from", "=", False),
                ("sku_pull_from", "<=", now),
            ]
        )

        def sync(account):
            if account.sku_sync_pull:
                self._pull(account)
            if account.sku_sync_push:
                self._push_prices(account)

        each_account(accounts, str(self._sync.label), sync)

    def _sync_pages(self, account, client, start):
        for page in client.search_listings():
            skus = [ref.sku for ref in page.listings]
            yield list(client.get_listings(skus).listings.values())

    def _sync_import(self, account, items, run):
        """Create or update listings and their location lines in bulk, then
        map the new ones."""
        Listing = self.env["flipkart.listing"]
        pulled = {listing.sku: listing for listing in items}
        run.setdefault("seen", set()).update(pulled)
        existing = {
            rec.seller_sku: rec
            for rec in Listing.search(
                [("account_id", "=", account.id), ("seller_sku", "in", list(pulled))]
            )
        }
        to_create = []
        for sku, listing in pulled.items():
            values = mapping.listing_values(listing)
            record = existing.get(sku)
            if record is None:
                to_create.append(dict(values, account_id=account.id, seller_sku=sku))
                continue
            current = record.read(list(values))[0]
            changes = mapping.changed_values(current, values)
            if changes or record.missing_on_flipkart:
                record.write(dict(changes, missing_on_flipkart=False))
        created = Listing.create(to_create)
        updated = Listing.browse([rec.id for rec in existing.values()])
        stored = created | updated
        stored.pulled_at = fields.Datetime.now()
        self._store_locations(account, stored, pulled)
        mapped = stored._auto_map()
        return {
            "created": created,
            "updated": updated,
            "failed": {},
            "skipped": [],
            "mapped": mapped,
            "unmapped": stored.filtered(lambda rec: not rec.product_id),
        }

    def _store_locations(self, account, listings, pulled):
        locations = {loc.flipkart_location_id: loc for loc in account.location_ids}
        lines = {
            (line.listing_id.id, line.location_id.id): line
            for line in listings.location_line_ids
        }
        to_create = []
        for listing in listings:
            for item in pulled[listing.seller_sku].locations:
                location = locations.get(item.location_id)
                if not location:
                    continue
                values = mapping.listing_location_values(item)
                line = lines.get((listing.id, location.id))
                if line is None:
                    to_create.append(
                        dict(values, listing_id=listing.id, location_id=location.id)
                    )
                elif changes := mapping.changed_values(
                    line.read(list(values))[0], values
                ):
                    line.write(changes)
        self.env["flipkart.listing.location"].create(to_create)

    def _sync_window_done(self, account, run):
        """Every listing was read: those Flipkart no longer returns are
        marked missing (never deleted)."""
        self.env["flipkart.listing"].search(
            [
                ("account_id", "=", account.id),
                ("missing_on_flipkart", "=", False),
                ("seller_sku", "not in", list(run.get("seen", ()))),
            ]
        ).missing_on_flipkart = True

    def _sync_message(self, counts):
        return _(
            "SKU pull: %(total)s listings (%(new)s new); %(mapped)s mapped "
            "automatically; %(unmapped)s unmapped.",
            total=counts["created"] + counts["updated"],
            new=counts["created"],
            mapped=counts["mapped"],
            unmapped=counts["unmapped"],
        )

    # Price push ---------------------------------------------------------------

    @api.model
    def _push_prices(self, account):
        """Send changed MRP and selling prices of mapped listings, 10 a call;
        return how many SKUs were sent. Each call is an outbound event (dry
        run stops there); each listing keeps Flipkart's answer for its SKU.
        """
        listings = account.listing_ids.filtered(
            lambda rec: rec.product_id and rec.fsn and not rec.missing_on_flipkart
        )
        products = listings.product_id
        if account.price_pricelist_id:
            selling = account.price_pricelist_id._get_products_price(products, 1.0)
        else:
            selling = {product.id: product.lst_price for product in products}
        digits = self.env["decimal.precision"].precision_get("Product Price")
        payload = {}
        for listing in listings:
            mrp = round(listing.product_id.lst_price, digits)
            price = round(min(selling[listing.product_id.id], mrp), digits)
            if float_compare(
                mrp, listing.mrp, precision_digits=digits
            ) or float_compare(price, listing.selling_price, precision_digits=digits):
                payload[listing.seller_sku] = mapping.price_payload(
                    listing.fsn, mrp, price
                )
        run = uuid.uuid4().hex
        for number, batch in enumerate(chunked(list(payload), ep.MAX_LISTINGS)):
            account._send_outbound(
                "price_update",
                f"price_update:{run}:{number}",
                {sku: payload[sku] for sku in batch},
            )
        return len(payload)

    @api.model
    def _send_price_update(self, client, payload):
        return item_outcomes(client.update_price(payload))

    @api.model
    def _after_price_update(self, event):
        """Keep each SKU's outcome on its listing (first attempt or retry)."""
        payload = event._payload()
        listings = self.env["flipkart.listing"].search(
            [
                ("account_id", "=", event.account_id.id),
                ("seller_sku", "in", list(payload)),
            ]
        )
        results = event._item_results()
        now = fields.Datetime.now()
        for listing in listings:
            if event.dry_run:
                listing.write(
                    {
                        "price_push_state": False,
                        "price_push_message": _("Dry run: computed, not sent."),
                    }
                )
                continue
            outcome = results.get(listing.seller_sku) or {
                "status": "FAILURE",
                "message": event.last_error or _("No answer from Flipkart."),
            }
            values = {
                "price_push_state": outcome["status"],
                "price_push_message": outcome.get("message") or False,
                "price_pushed_at": now,
            }
            if outcome["status"] != "FAILURE":
                price = payload[listing.seller_sku]["price"]
                values.update(mrp=price["mrp"], selling_price=price["selling_price"])
            listing.write(values)
