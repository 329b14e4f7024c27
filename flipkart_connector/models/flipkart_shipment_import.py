import logging
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from .. import flipkart
from ..flipkart import const, mapping
from ..flipkart import endpoints as ep
from ..flipkart.batching import chunked
from ..utils import each_account, gst_rate, item_outcomes, lock_keys
from .flipkart_sync import SyncStream

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# The nightly re-sweep re-reads this many days to catch what a window missed.
ORDER_RESWEEP = timedelta(days=3)


# Left when an order was imported without GST on some Flipkart items.
GST_MISSING = "order_gst_missing"


class ImportProblem(Exception):
    """A shipment that cannot become an order yet, with the reason in words."""


class FlipkartShipmentImport(models.AbstractModel):
    """Turns Flipkart shipments into confirmed sale orders, exactly once.

    Pull and push both land here, in any order and any number of times:
    each shipment is serialized by a transaction-level advisory lock, found
    by its unique (account, shipment id) key, and either created or brought
    up to date. A shipment that cannot be imported (unmapped SKU, unmapped
    location) leaves an event in error with the reason, retried later.
    """

    _name = "flipkart.shipment.import"
    _inherit = "flipkart.sync"
    _description = "Flipkart Shipment Import"
    # 500 shipments created and confirmed per transaction: confirming a
    # batch costs about the same whatever its size (stock rules run per
    # product), so batches are large; a crash re-imports at most one.
    _sync = SyncStream(
        _lt("Order import"), _lt("shipment"), "order", event_kind="shipment_import"
    )

    # Inbound: shipment notifications and waiting imports re-read the
    # shipment; GST events apply GST again. Outbound: seller cancellation.
    _flipkart_event_kinds = {
        **{
            kind: {"process": "_process_events"}
            for kind in (*const.SHIPMENT_NOTIFICATIONS, "shipment_import")
        },
        GST_MISSING: {"process": "_process_gst_events"},
        "cancel": {"send": "_send_cancel", "apply": "_after_cancel"},
    }

    # Pull (the sync pipeline's order stream) --------------------------------

    @api.model
    def _cron_import_orders(self):
        """Pull new and changed shipments of every account; re-sweep nightly.

        The first run of the day reads the last days again (a window can
        miss a shipment whose modified date Flipkart set late); an account's
        very first pull starts at its Order Sync From instead.
        """
        now = fields.Datetime.now()

        def pull(account):
            resweep = account.order_cursor and (
                not account.order_resweep_at
                or account.order_resweep_at.date() < now.date()
            )
            self._pull(account, since=now - ORDER_RESWEEP if resweep else None)
            if resweep or not account.order_resweep_at:
                account.order_resweep_at = now

        accounts = self.env["flipkart.account"].search([("order_sync", "=", True)])
        each_account(accounts, str(self._sync.label), pull)

    def _sync_pages(self, account, client, start):
        """Pre-dispatch shipments per location, held and released (Flipkart
        leaves held ones out unless asked), 20 a page in modified order."""
        for location in account.location_ids.filtered("active"):
            for hold in (False, True):
                filters = self._order_filters(account, location, hold, start)
                for page in client.search_shipments(
                    filters, sort={"field": "modifiedDate", "order": "asc"}
                ):
                    yield page.shipments

    @api.model
    def _order_filters(self, account, location, hold, start):
        # Open-ended: a shipment changed while the window is read is taken
        # now, or by the next, overlapping, window.
        filters = {
            "type": "preDispatch",
            "states": list(const.ORDER_IMPORT_STATES),
            "locationId": location.flipkart_location_id,
            "hold": hold,
            "modifiedDate": {"from": mapping.flipkart_time(start)},
        }
        profiles = account._order_service_profiles()
        if profiles:
            filters["serviceProfiles"] = profiles
        if account.order_sync_from:
            filters["orderDate"] = {
                "from": mapping.flipkart_time(account.order_sync_from)
            }
        return filters

    def _sync_import(self, account, items, run):
        # The importer asks Flipkart for addresses 100 shipments a call.
        return self._import(account, items)

    @api.model
    def _cron_sync_shipments(self):
        """Re-read every open Flipkart order, 100 a call, and converge.

        Catches what notifications missed, and changes staff made on
        Flipkart's seller panel (cancellations, packing, dispatch).
        """

        def sync(account):
            for batch in chunked(self._open_shipment_ids(account), ep.MAX_IDS):
                try:
                    self._refresh(account, batch)
                except flipkart.FlipkartError as err:
                    _logger.warning("Flipkart account %s: %s", account.id, err.message)
                    break
                account._commit_progress()

        accounts = self.env["flipkart.account"].search([("order_sync", "=", True)])
        each_account(accounts, self.env._("Order status sync"), sync)

    @api.model
    def _open_shipment_ids(self, account):
        return (
            self.env["sale.order"]
            .search(
                [
                    ("flipkart_account_id", "=", account.id),
                    ("state", "=", "sale"),
                    ("picking_ids.flipkart_state", "not in", list(const.CLOSED_STATES)),
                ]
            )
            .mapped("flipkart_shipment_id")
        )

    # Import -------------------------------------------------------------------

    @api.model
    def _import(self, account, shipments, details=None):
        """Create or update the orders of ``shipments``; return a summary dict.

        ``details`` maps shipment id -> ShipmentDetails; missing ones are
        fetched for new shipments in calls of up to 100 ids.
        """
        shipments = list({s.shipment_id: s for s in shipments}.values())
        summary = {"created": [], "updated": [], "failed": {}, "skipped": []}
        if not shipments:
            return summary
        self._lock(account, [s.shipment_id for s in shipments])
        orders = self.env["sale.order"].search(
            [
                ("flipkart_account_id", "=", account.id),
                ("flipkart_shipment_id", "in", [s.shipment_id for s in shipments]),
            ]
        )
        existing = {order.flipkart_shipment_id: order for order in orders}
        new = [s for s in shipments if s.shipment_id not in existing]
        for shipment in shipments:
            order = existing.get(shipment.shipment_id)
            if order:
                self._sync_order(order, shipment)
                summary["updated"].append(order)
        # Shipments cancelled before we ever saw them never become orders.
        summary["skipped"] = [
            s.shipment_id for s in new if mapping.shipment_state(s) == "CANCELLED"
        ]
        new = [s for s in new if s.shipment_id not in summary["skipped"]]
        if new:
            details = dict(details or {})
            missing = [s.shipment_id for s in new if s.shipment_id not in details]
            if missing:
                for detail in account._flipkart_client().get_shipment_details(missing):
                    details[detail.shipment_id] = detail
            created, failed = self._create_orders(account, new, details)
            summary["created"] = created
            summary["failed"] = failed
        self._record_outcomes(account, shipments, summary["failed"])
        orders = self.env["sale.order"].concat(
            *(summary["created"] + summary["updated"])
        )
        self.env["stock.picking"]._flipkart_queue_reserved(orders.picking_ids)
        self.env["flipkart.return.import"]._link_waiting(
            account, [order.flipkart_shipment_id for order in summary["created"]]
        )
        return summary

    def _lock(self, account, shipment_ids):
        """Serialize work on these shipments across workers."""
        lock_keys(self.env, "flipkart.shipment", account, shipment_ids)

    # Creation -----------------------------------------------------------------

    def _create_orders(self, account, shipments, details):
        locations = {
            loc.flipkart_location_id: loc for loc in account.location_ids if loc.active
        }
        listings = self.env["flipkart.listing"].search(
            [
                ("account_id", "=", account.id),
                (
                    "seller_sku",
                    "in",
                    list({i.sku for s in shipments for i in s.order_items}),
                ),
            ]
        )
        products = {rec.seller_sku: rec for rec in listings if rec.product_id}
        failed = {}
        ready = []
        partners = self._partners(
            [details[s.shipment_id] for s in shipments if s.shipment_id in details]
        )
        taxes = {}
        for shipment in shipments:
            try:
                ready.append(
                    self._order_values(
                        account,
                        shipment,
                        partners.get(shipment.shipment_id),
                        locations,
                        products,
                        taxes,
                    )
                )
            except ImportProblem as problem:
                failed[shipment.shipment_id] = str(problem)
            except (AttributeError, IndexError, KeyError, TypeError, ValueError) as err:
                # Flipkart's data for this one shipment is odd: it waits, in
                # words, and the others are imported.
                failed[shipment.shipment_id] = _(
                    "Flipkart's data for this shipment is not in the expected "
                    "shape (%(error)s).",
                    error=err,
                )
        if not ready:
            return [], failed
        orders = (
            self.env["sale.order"].with_context(mail_create_nolog=True).create(ready)
        )
        orders.action_confirm()
        imported = [s for s in shipments if s.shipment_id not in failed]
        for order, shipment in zip(orders, imported, strict=True):
            self._sync_order(order, shipment)
        self._report_missing_gst(account, orders)
        return list(orders), failed

    def _order_values(self, account, shipment, partners, locations, listings, taxes):
        if not shipment.order_items:
            raise ImportProblem(_("Flipkart sent this shipment without any item."))
        location = locations.get(shipment.location_id)
        if not location:
            raise ImportProblem(
                _(
                    "Flipkart location %(loc)s is not mapped to a warehouse on "
                    "account %(account)s.",
                    loc=shipment.location_id,
                    account=account.name,
                )
            )
        unmapped = sorted(
            {i.sku for i in shipment.order_items if i.sku not in listings}
        )
        if unmapped:
            raise ImportProblem(
                _(
                    "SKU %(skus)s is not mapped to a product: map it in Flipkart "
                    "> Unmapped SKUs, then retry.",
                    skus=", ".join(unmapped),
                )
            )
        if partners is None:
            raise ImportProblem(_("Flipkart gave no address for this shipment yet."))
        company = account.company_id
        warehouse = location.warehouse_id
        customer, delivery = partners
        lines = []
        # Shipping is part of a composite supply: taxed like the main good.
        shipping_taxes = self.env["account.tax"]
        shipping_rate = -1.0
        for item in shipment.order_items:
            if item.status == "CANCELLED" or not item.quantity:
                continue
            listing = listings[item.sku]
            rate, line_taxes = self._listing_taxes(
                company, warehouse, delivery, listing, taxes
            )
            if line_taxes and rate > shipping_rate:
                shipping_rate, shipping_taxes = rate, line_taxes
            lines.append(
                Command.create(
                    mapping.order_line_values(
                        item, listing.product_id.id, line_taxes.ids
                    )
                )
            )
        shipping = mapping.shipping_line_values(
            shipment,
            self.env.ref("flipkart_connector.product_flipkart_shipping").id,
            shipping_taxes.ids,
        )
        if shipping:
            lines.append(Command.create(shipping))
        first = shipment.order_items[0]
        pending_stock = any(
            line.pushed_at and line.pushed_quantity <= 0
            for item in shipment.order_items
            for line in listings[item.sku].location_line_ids
            if line.location_id == location
        )
        return {
            "company_id": company.id,
            "partner_id": customer.id,
            "partner_invoice_id": customer.id,
            "partner_shipping_id": delivery.id,
            "warehouse_id": warehouse.id,
            "client_order_ref": first.order_id,
            "origin": _("Flipkart shipment %(id)s", id=shipment.shipment_id),
            "date_order": first.order_date.replace(tzinfo=None)
            if first.order_date
            else False,
            "flipkart_account_id": account.id,
            "flipkart_location_id": location.id,
            "flipkart_order_id": first.order_id,
            "flipkart_shipment_id": shipment.shipment_id,
            "flipkart_payment_type": first.payment_type
            if first.payment_type in ("COD", "PREPAID")
            else False,
            "flipkart_pending_stock": pending_stock,
            "flipkart_is_replacement": any(
                i.is_replacement for i in shipment.order_items
            ),
            "order_line": lines,
        }

    def _partners(self, details):
        """Customers and their delivery contacts, created in two batches.

        Returns {shipment id: (customer, delivery)}. Flipkart masks buyers,
        so each shipment gets its own contacts.
        """
        india = self.env.ref("base.in")
        states = {
            state.code: state.id
            for state in self.env["res.country.state"].search(
                [("country_id", "=", india.id)]
            )
        }

        def values(address):
            state_id = states.get((address.state_code or "").upper(), False)
            return mapping.partner_values(address, india.id, state_id)

        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        customers = Partner.create(
            [
                values(
                    d.billing_address if d.billing_address.name else d.delivery_address
                )
                for d in details
            ]
        )
        deliveries = Partner.create(
            [
                dict(values(d.delivery_address), parent_id=customer.id, type="delivery")
                for d, customer in zip(details, customers, strict=True)
            ]
        )
        return {
            d.shipment_id: (customer, delivery)
            for d, customer, delivery in zip(
                details, customers, deliveries, strict=True
            )
        }

    def _listing_taxes(self, company, warehouse, delivery, listing, cache):
        """``(rate, taxes)`` of a listing's item delivered to ``delivery``.

        Flipkart's order items carry no GST rate: the listing's, else the one
        of the product's own sales taxes; ``(None, no tax)`` when neither is
        known. ``cache`` keeps the taxes found per warehouse, state and rate
        over one import.
        """
        if listing.tax_rate or listing.tax_rate_known:
            rate = listing.tax_rate
        else:
            own = listing.product_id.taxes_id.filtered(
                lambda tax, c=company: tax.company_id == c
            )
            rate = gst_rate(own) if own else None
        key = (warehouse.id, delivery.state_id.id, rate)
        if key not in cache:
            cache[key] = self._taxes(company, warehouse, delivery, rate)
        return rate, cache[key]

    def _taxes(self, company, warehouse, delivery, rate):
        """GST of ``rate``, included in the price: CGST+SGST within the
        seller's state, IGST across states (the place of supply rule);
        Nil Rated at 0 %. No tax when the company has no such GST tax (no
        Indian chart of accounts) or the rate is unknown (None)."""
        if rate is None:
            return self.env["account.tax"]
        if not rate:
            xmlid = f"account.{company.id}_nil_rated_sale"
        else:
            seller_state = warehouse.partner_id.state_id or company.state_id
            intra = bool(seller_state) and delivery.state_id == seller_state
            prefix = "sgst" if intra else "igst"
            code = f"{rate:g}".replace(".", "_")
            xmlid = f"account.{company.id}_{prefix}_sale_{code}"
        base = self.env.ref(xmlid, raise_if_not_found=False)
        if not base:
            return self.env["account.tax"]
        return self._included_variant(base)

    def _included_variant(self, tax):
        """The price-included twin of an Indian GST tax (Flipkart's prices
        include GST); created once per company and rate."""
        name = _("%(name)s (Flipkart, incl.)", name=tax.name)
        Tax = self.env["account.tax"].sudo().with_context(active_test=False)
        twin = Tax.search(
            [
                ("company_id", "=", tax.company_id.id),
                ("name", "=", name),
                ("type_tax_use", "=", tax.type_tax_use),
            ],
            limit=1,
        )
        if twin:
            return twin
        children = Tax.browse()
        for child in tax.children_tax_ids:
            children |= self._included_variant(child)
        return tax.sudo().copy(
            {
                "name": name,
                "price_include_override": "tax_included",
                "children_tax_ids": [(6, 0, children.ids)],
            }
        )

    # GST ----------------------------------------------------------------------

    def _report_missing_gst(self, account, orders):
        """Say on the order and in an event when Flipkart items got no GST tax.

        Such an order is imported (the buyer's order is real and its stock
        must be reserved) but never packed: Flipkart prints the customer
        invoice in the seller's name from the rate sent at pack.
        """
        Event = self.env["flipkart.event"]
        for order in orders.filtered("flipkart_gst_missing"):
            message = order._flipkart_gst_message()
            order.message_post(body=message)
            event = Event._record(
                account,
                kind=GST_MISSING,
                direction="inbound",
                key=f"gst:{order.flipkart_shipment_id}",
                payload={"shipmentId": order.flipkart_shipment_id},
                record=order,
            )
            # Not retried on its own: a person sets the rate, then Retry.
            event.attempts += 1
            event._fail(message)
            _logger.info(
                "Flipkart shipment %s imported without GST on %s",
                order.flipkart_shipment_id,
                order.flipkart_gst_missing,
            )

    def _apply_missing_gst(self, orders):
        """Give GST to the Flipkart items that lack it, from their listings'
        rates or their products' sales taxes as they are now; the shipping
        line follows the highest rate. Orders already invoiced are left as
        they are. Returns the orders that still lack GST."""
        cache = {}
        for order in orders.filtered("flipkart_gst_missing"):
            if order.invoice_ids.filtered(lambda move: move.state != "cancel"):
                continue
            company = order.company_id
            warehouse = order.warehouse_id
            delivery = order.partner_shipping_id
            listings = self.env["flipkart.listing"].search(
                [
                    ("account_id", "=", order.flipkart_account_id.id),
                    ("product_id", "in", order.order_line.product_id.ids),
                ]
            )
            by_product = {listing.product_id: listing for listing in listings}
            best_rate, best_taxes = -1.0, self.env["account.tax"]
            for line in order.order_line.filtered("flipkart_order_item_id"):
                listing = by_product.get(line.product_id)
                if not listing:
                    continue
                rate, taxes = self._listing_taxes(
                    company, warehouse, delivery, listing, cache
                )
                if taxes and not line.tax_id:
                    line.tax_id = taxes
                if taxes and rate > best_rate:
                    best_rate, best_taxes = rate, taxes
            shipping = self.env.ref("flipkart_connector.product_flipkart_shipping")
            order.order_line.filtered(
                lambda line, p=shipping: line.product_id == p and not line.tax_id
            ).tax_id = best_taxes
        return orders.filtered("flipkart_gst_missing")

    # Updates ------------------------------------------------------------------

    def _sync_order(self, order, shipment):
        """Bring an order and its delivery in line with the shipment on Flipkart."""
        pickings = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )
        state = mapping.shipment_state(shipment)
        values = {
            "flipkart_shipment_id": shipment.shipment_id,
            "flipkart_state": state or False,
            "flipkart_hold": shipment.hold,
            "flipkart_dispatch_after": _naive(shipment.dispatch_after),
            "flipkart_dispatch_by": _naive(shipment.dispatch_by),
            "flipkart_self_ship": shipment.is_self_ship,
            "flipkart_mps": shipment.mps,
            "flipkart_sub_shipments": ",".join(shipment.sub_shipment_ids) or False,
        }
        if state == "FORM_FAILED":
            failed = [f.name for f in shipment.forms if f.status != "ACKNOWLEDGED"]
            values["flipkart_form_names"] = ", ".join(failed) or False
        # Only write what changed: most syncs change nothing.
        released = pickings.browse()
        for picking in pickings:
            changed = {
                key: value for key, value in values.items() if picking[key] != value
            }
            if changed:
                if changed.get("flipkart_hold") is False:
                    released |= picking
                picking.write(changed)
        pickings._flipkart_apply_state(state)
        if released:
            # Ready to dispatch was held back with the shipment (if due at pack).
            self.env["flipkart.fulfilment"]._dispatch_due(
                order.flipkart_account_id, released
            )
        if state == "CANCELLED":
            if order.state != "cancel":
                reason = mapping.cancellation_reason(shipment)
                order.with_context(disable_cancel_warning=True)._action_cancel()
                order.write(
                    {
                        "flipkart_cancel_reason": reason or False,
                        "flipkart_seller_cancelled": order.flipkart_seller_cancelled
                        or const.SELLER_CANCELLATION in reason,
                    }
                )
                order.message_post(
                    body=_("Cancelled on Flipkart (%(reason)s).", reason=reason or "?")
                )
            return
        self._apply_partial_cancellations(order, shipment)

    def _apply_partial_cancellations(self, order, shipment):
        """Lower line quantities to what Flipkart still expects to ship."""
        expected = {
            i.order_item_id: (0 if i.status == "CANCELLED" else i.quantity)
            for i in shipment.order_items
        }
        for line in order.order_line.filtered("flipkart_order_item_id"):
            quantity = expected.get(line.flipkart_order_item_id)
            if quantity is not None and quantity < line.product_uom_qty:
                order.message_post(
                    body=_(
                        "Flipkart cancelled %(n)s of %(product)s.",
                        n=line.product_uom_qty - quantity,
                        product=line.product_id.display_name,
                    )
                )
                line.product_uom_qty = quantity

    # Outcomes -----------------------------------------------------------------

    @api.model
    def _process_events(self, events):
        """Shipment notifications and waiting imports: re-read each named
        shipment (100 a call per account) and converge, so duplicates and
        out-of-order delivery cannot leave an order stale."""
        self._sync_process_events(events)

    def _sync_event_ids(self, payload):
        shipment_id = payload.get("shipmentId") if isinstance(payload, dict) else None
        return {str(shipment_id)} if shipment_id else set()

    def _sync_refresh(self, account, ids, events):
        summary = self._refresh(account, ids)
        known = {
            o.flipkart_shipment_id for o in summary["created"] + summary["updated"]
        }
        known |= set(summary["skipped"]) | set(summary["failed"])
        summary["missing"] = [i for i in ids if i not in known]
        return summary

    @api.model
    def _process_gst_events(self, events):
        """Retry of an order imported without GST: apply it again."""
        for event in events:
            event._run(lambda ev=event: self._reapply_gst(ev))

    def _reapply_gst(self, event):
        orders = self.env["sale.order"].search(
            [
                ("flipkart_account_id", "=", event.account_id.id),
                ("flipkart_shipment_id", "=", str(event._payload().get("shipmentId"))),
            ]
        )
        left = self._apply_missing_gst(orders)
        if left:
            raise UserError(left._flipkart_gst_message())

    @api.model
    def _close_gst_events(self, orders):
        """Mark done the GST events of the orders that no longer lack GST."""
        complete = orders.filtered(lambda order: not order.flipkart_gst_missing)
        events = self.env["flipkart.event"].search(
            [
                ("kind", "=", GST_MISSING),
                ("res_model", "=", "sale.order"),
                ("res_id", "in", complete.ids),
                ("state", "!=", "done"),
            ]
        )
        events.write(
            {
                "state": "done",
                "last_error": False,
                "processed_at": fields.Datetime.now(),
            }
        )

    # Seller cancellation ------------------------------------------------------

    @api.model
    def _send_cancel(self, client, payload):
        return item_outcomes(client.cancel_shipments(payload["shipments"]))

    @api.model
    def _after_cancel(self, event):
        """Flipkart answered a seller cancellation (at once or on a retry):
        mark the order, re-read the shipment, say it on the order."""
        orders = self.env["sale.order"].search(
            [
                ("flipkart_account_id", "=", event.account_id.id),
                (
                    "flipkart_shipment_id",
                    "in",
                    [s["shipmentId"] for s in event._payload()["shipments"]],
                ),
            ]
        )
        if event.state == "done":
            orders.flipkart_seller_cancelled = True
            self._refresh(event.account_id, orders.mapped("flipkart_shipment_id"))
        message = self._cancel_outcome(event)
        for order in orders:
            order.message_post(body=message)

    @api.model
    def _cancel_outcome(self, event):
        """A seller cancellation's outcome, in words."""
        if event.state == "done":
            reasons = dict(const.SELLER_CANCEL_REASONS)
            reason = event._payload()["shipments"][0]["reason"]
            return _(
                "Cancelled on Flipkart by the seller (%(reason)s).",
                reason=reasons.get(reason, reason),
            )
        if event.dry_run:
            return _("Dry run: the cancellation was recorded, not sent.")
        return _("Flipkart refused the cancellation: %(error)s", error=event.last_error)

    def _record_outcomes(self, account, shipments, failed):
        self._sync_record_outcomes(
            account,
            {s.shipment_id: (f"import:{s.shipment_id}", s.raw) for s in shipments},
            failed,
        )

    @api.model
    def _refresh(self, account, shipment_ids):
        """Re-read shipments from Flipkart and import or update them."""
        shipments = account._flipkart_client().get_shipments(shipment_ids=shipment_ids)
        return self._import(account, shipments)


def _naive(moment):
    return moment.replace(tzinfo=None) if moment else False
