import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .. import flipkart
from ..flipkart import endpoints
from ..utils import to_epoch
from .flipkart_oauth import SECRET_GROUP

_logger = logging.getLogger(__name__)

ENVIRONMENT_HOSTS = {
    "production": endpoints.PRODUCTION_HOST,
    "sandbox": endpoints.SANDBOX_HOST,
}
ENVIRONMENTS = [
    ("production", "Production"),
    ("sandbox", "Sandbox"),
    ("custom", "Custom host"),
]


class FlipkartAccount(models.Model):
    _name = "flipkart.account"
    _description = "Flipkart Seller Account"
    _inherit = ["mail.thread", "mail.activity.mixin", "flipkart.oauth.mixin"]
    _order = "sequence, name"

    # Channel configuration ------------------------------------------------
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        help="Receives the activities about this account: expiring "
        "authorization, failed connection.",
    )
    channel_type = fields.Selection(
        [("seller_v3", "Flipkart Seller (API v3)")],
        required=True,
        default="seller_v3",
        tracking=True,
    )
    environment = fields.Selection(
        ENVIRONMENTS,
        required=True,
        default="production",
        tracking=True,
        help="Production talks to Flipkart's live API. Sandbox talks to "
        "Flipkart's sandbox or to this project's simulator. Custom lets you "
        "enter another host (for example 2GUD's).",
    )
    api_base_url = fields.Char(
        string="API Host",
        compute="_compute_api_base_url",
        store=True,
        readonly=False,
        precompute=True,  # required: known before the row is inserted
        required=True,
        help="Host root, e.g. https://api.flipkart.net; the connector appends "
        "/oauth-service/... and /sellers/... itself.",
    )
    seller_id = fields.Char(
        string="Seller ID",
        tracking=True,
        help="Your Flipkart seller id, shown in the Seller Dashboard.",
    )
    app_id = fields.Char(
        string="Application ID",
        tracking=True,
        help="The Application Id (API key) of the Flipkart developer application.",
    )
    app_secret = fields.Char(
        string="Application Secret",
        groups=SECRET_GROUP,
        copy=False,
        help="The Application Secret (API password). Only Settings "
        "administrators can read it.",
    )
    is_self_ship = fields.Boolean(
        string="Self-Ship",
        tracking=True,
        help="Tick if you ship the orders yourself (seller fulfilment) "
        "instead of handing them to Flipkart's courier.",
    )
    location_ids = fields.One2many(
        "flipkart.location", "account_id", string="Locations"
    )
    dry_run = fields.Boolean(
        tracking=True,
        help="Compute and record every write to Flipkart (pack, dispatch, "
        "cancel, inventory, price) as an event without sending it, to run "
        "in parallel with your current system before going live.",
    )
    order_sync_from = fields.Datetime(
        help="Orders placed before this moment are not imported. Empty: the "
        "first import takes the orders changed in the last 7 days.",
    )
    return_sync_from = fields.Datetime(
        help="Returns created before this moment are not imported. Empty: "
        "the first import takes the returns of the last 30 days.",
    )
    sku_pull_from = fields.Datetime(
        string="SKU Pull From",
        help="The scheduled SKU sync starts at this moment (Flipkart's "
        "listing search cannot be filtered by date); empty: at its next run. "
        "Pull SKUs Now works at any time.",
    )
    inventory_sync_method = fields.Selection(
        [
            ("delta", "Push changed quantities"),
            ("full", "Push every quantity on schedule"),
        ],
        default="delta",
        required=True,
    )
    inventory_reconciliation = fields.Boolean(
        help="Once a day, compare Flipkart's stock with Odoo's and explain "
        "every difference.",
    )
    inventory_reconciliation_fix = fields.Boolean(
        string="Re-push Differences",
        help="The reconciliation pushes Odoo's quantity again where a push "
        "can fix the difference (failed, pending, changed on the panel).",
    )
    inventory_buffer = fields.Integer(
        string="Safety Buffer",
        help="Units kept back from Flipkart on every listing (a product can "
        "set its own).",
    )
    inventory_reconciled_at = fields.Datetime(
        string="Last Reconciliation", readonly=True, copy=False
    )
    # Channel maintenance --------------------------------------------------
    sku_sync_pull = fields.Boolean(string="SKU Sync: Pull", default=True)
    sku_mapping = fields.Selection(
        [
            ("default_code", "By Internal Reference"),
            ("barcode", "By Barcode"),
            ("off", "Off"),
        ],
        string="Automatic SKU Mapping",
        default="default_code",
        required=True,
        help="How pulled listings find their Odoo product: the seller SKU "
        "equals the product's Internal Reference, or its Barcode. A mapping "
        "made by a person is never changed.",
    )
    price_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Selling Price List",
        check_company=True,
        help="With SKU Sync: Push, the selling price sent to Flipkart; the "
        "MRP is the product's Sales Price.",
    )
    sku_sync_push = fields.Boolean(
        string="SKU Sync: Push",
        help="Send price changes of mapped products to Flipkart.",
    )
    order_sync = fields.Boolean(
        default=True,
        help="Import orders. When off, no order is imported and no label, "
        "invoice or manifest is generated.",
    )
    return_sync = fields.Boolean(string="Return Order Sync", default=True)
    pull_completed_returns = fields.Boolean(
        help="Also import returns that are already completed on Flipkart.",
    )
    prepack_enabled = fields.Boolean(
        string="PrePack Enabled",
        help="Fetch Flipkart's shipping label and invoice when the picklist "
        "is made instead of at packing, to save time on the packing desk.",
    )
    rtd_at = fields.Selection(
        [("pack", "At Pack"), ("manifest", "At Manifest")],
        string="Ready to Ship At",
        default="pack",
        required=True,
        help="When shipments are marked ready to dispatch on Flipkart.",
    )
    use_marketplace_label = fields.Boolean(
        string="Use Marketplace Shipping Label",
        default=True,
        help="Print Flipkart's shipping label; when off, Odoo's own delivery "
        "slip is printed.",
    )
    pack_on = fields.Selection(
        [
            ("reservation", "When stock is reserved"),
            ("pick", "When the pick is validated"),
            ("manual", "By hand"),
        ],
        string="Pack On Flipkart",
        default="reservation",
        required=True,
        help="When the connector asks Flipkart to pack a shipment and make "
        "its label and invoice. Labels can take from seconds to hours, so "
        "packing as soon as stock is reserved (Flipkart's PACK_IN_ACK) has "
        "them ready at the packing desk.",
    )
    package_type_id = fields.Many2one(
        "stock.package.type",
        string="Default Package",
        help="Dimensions sent for multi-package shipments when Flipkart asks "
        "for them at pack (weight from the products).",
    )
    invoice_creation = fields.Selection(
        [
            ("off", "Do not create"),
            ("draft", "Create as draft"),
            ("post", "Create and post when it matches"),
        ],
        string="Customer Invoices",
        default="draft",
        required=True,
        help="Once Flipkart has invoiced a shipment, create its customer "
        "invoice in Odoo with Flipkart's number, date and PDF. A mismatch "
        "with Flipkart's amounts or GST is flagged and never posted "
        "automatically.",
    )
    accountant_id = fields.Many2one(
        "res.users",
        help="Receives the activity when an invoice does not match "
        "Flipkart's; the Responsible when empty.",
    )
    return_location_id = fields.Many2one(
        "stock.location",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        help="Where Flipkart returns are received; the warehouse's usual "
        "return destination when empty.",
    )
    return_credit_note = fields.Selection(
        [("draft", "Create as draft"), ("post", "Create and post")],
        string="Credit Notes for Returns",
        default="draft",
        required=True,
        help="When a customer return is received, the credit note for the "
        "received items is created as draft (to review) or posted.",
    )
    return_cursor = fields.Datetime(
        string="Returns Pulled Until",
        readonly=True,
        copy=False,
        help="End of the last return pull window that completed.",
    )
    inventory_sync = fields.Boolean(
        help="Push Odoo's available stock to Flipkart.",
    )
    order_timeout = fields.Integer(
        string="Order Call Timeout (s)",
        default=60,
        help="Flipkart asks for at least 60 seconds.",
    )
    listing_timeout = fields.Integer(
        string="Listing Call Timeout (s)",
        default=10,
        help="Flipkart asks for at least 10 seconds.",
    )
    # Connection state ------------------------------------------------------
    order_cursor = fields.Datetime(
        string="Orders Pulled Until",
        readonly=True,
        copy=False,
        help="End of the last order pull window that completed; the next "
        "window starts a little before it.",
    )
    order_resweep_at = fields.Datetime(
        string="Last Re-sweep", readonly=True, copy=False
    )
    connection_state = fields.Selection(
        [
            ("unknown", "Not tested"),
            ("ok", "Connected"),
            ("failed", "Failed"),
        ],
        default="unknown",
        readonly=True,
        copy=False,
        tracking=True,
    )
    connection_message = fields.Text(readonly=True, copy=False)
    connection_checked_at = fields.Datetime(readonly=True, copy=False)
    event_count = fields.Integer(compute="_compute_counts")
    listing_count = fields.Integer(compute="_compute_counts")
    event_retention_days = fields.Integer(
        string="Keep Finished Events (days)",
        default=90,
        help="Events done or ignored are deleted this many days after they "
        "ended; events in error stay until resolved. 0 keeps every event.",
    )
    listing_ids = fields.One2many("flipkart.listing", "account_id")
    health_window_days = fields.Integer(
        string="Health Window (days)",
        default=30,
        help="Account Health counts the shipments of this many last days "
        "(and, apart, those of the current quarter: Flipkart revises "
        "ratings every 3 months).",
    )
    health_ids = fields.One2many("flipkart.account.health", "account_id")

    _sql_constraints = [
        (
            "app_id_company_uniq",
            "unique(app_id, environment, company_id)",
            "This Flipkart application is already connected in this company.",
        ),
    ]

    @api.depends("environment", "channel_type")
    def _compute_api_base_url(self):
        for account in self:
            hosts = account._environment_hosts()
            url = account.api_base_url
            if account.environment == "production":
                account.api_base_url = hosts["production"]
            elif account.environment == "sandbox" and (
                not url or url in ENVIRONMENT_HOSTS.values() or url in hosts.values()
            ):
                account.api_base_url = hosts["sandbox"]
            elif not url:
                account.api_base_url = hosts["production"]

    def _environment_hosts(self):
        """Hosts of the production and sandbox environments of this channel."""
        return dict(ENVIRONMENT_HOSTS)

    def _compute_counts(self):
        for name in ("event", "listing"):
            counts = dict(
                self.env[f"flipkart.{name}"]._read_group(
                    [("account_id", "in", self.ids)], ["account_id"], ["__count"]
                )
            )
            for account in self:
                account[f"{name}_count"] = counts.get(account, 0)

    @api.constrains("environment", "api_base_url")
    def _check_api_base_url(self):
        for account in self:
            url = (account.api_base_url or "").strip()
            production_host = account._environment_hosts()["production"]
            if account.environment == "production" and url != production_host:
                raise ValidationError(
                    _(
                        "A production account talks to %(host)s only.",
                        host=production_host,
                    )
                )
            # Plain http (the project's simulator on this machine) is for
            # sandbox accounts only, so no real seller data goes unencrypted.
            if not url.startswith("https://") and not (
                account.environment == "sandbox" and url.startswith("http://")
            ):
                raise ValidationError(
                    _(
                        "The API host of %(account)s must start with https://.",
                        account=account.name,
                    )
                )

    @api.constrains("order_timeout", "listing_timeout")
    def _check_timeouts(self):
        for account in self:
            if account.order_timeout < 60 or account.listing_timeout < 10:
                raise ValidationError(
                    _(
                        "Flipkart asks for timeouts of at least 60 seconds on "
                        "order calls and 10 seconds on listing calls."
                    )
                )

    # Actions ----------------------------------------------------------------

    def action_test_connection(self):
        """Get a token and make one cheap call per location; report in words."""
        self.ensure_one()
        self._check_manager()
        ok, message = self._test_connection()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Flipkart connection"),
                "message": message,
                "type": "success" if ok else "danger",
                "sticky": not ok,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_events(self):
        return self._account_action("flipkart_connector.flipkart_event_action")

    def action_view_listings(self):
        return self._account_action("flipkart_connector.flipkart_listing_action")

    def _account_action(self, xmlid):
        """A window action on this account's records."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action

    def action_pull_listings(self):
        """Pull SKUs now; the outcome is posted on the account."""
        self.ensure_one()
        self._check_manager()
        self.env["flipkart.listing.sync"]._pull(self)
        return self.action_view_listings()

    def action_push_inventory(self):
        self.ensure_one()
        self._check_manager()
        if not self.inventory_sync:
            raise UserError(
                _(
                    "Inventory Sync is off for %(account)s: Odoo's stock is not "
                    "sent to Flipkart. Turn it on in the Channel Maintenance "
                    "tab first.",
                    account=self.display_name,
                )
            )
        sent = self.env["flipkart.inventory"]._push(self)
        message = _(
            "Stock push: %(n)s SKU(s) sent (see the stock ledger).", n=len(sent)
        )
        self.message_post(body=message)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": message, "type": "info", "sticky": False},
        }

    def action_reconcile_inventory(self):
        self.ensure_one()
        self._check_manager()
        self.env["flipkart.inventory"]._reconcile(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_inventory_difference_action"
        )
        action["domain"] = [("account_id", "=", self.id)]
        return action

    def _order_service_profiles(self):
        """The service profiles the order search asks for; None: Flipkart's
        default (NON_FBF, the seller's own fulfilment)."""
        return None

    def _stock_deducts_buffer_and_pending(self):
        """Whether the stock pushed keeps back the safety buffer and the
        orders not yet in Odoo (another channel may send stock as it is)."""
        return True

    def _check_manager(self):
        if not self.env.user.has_group("flipkart_connector.group_flipkart_manager"):
            raise AccessError(_("Only Flipkart managers may do this."))

    def action_push_prices(self):
        self.ensure_one()
        self._check_manager()
        self.env["flipkart.listing.sync"]._push_prices(self)
        return self.action_view_listings()

    def action_import_orders(self):
        """Import orders now; the outcome is posted on the account."""
        self.ensure_one()
        self._check_manager()
        self.env["flipkart.shipment.import"]._pull(self)
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("flipkart_account_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_open_setup_wizard(self):
        self.ensure_one()
        self._check_manager()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_setup_wizard_action"
        )
        action["context"] = {"default_account_id": self.id}
        return action

    # Connection -------------------------------------------------------------

    def _flipkart_client(self):
        """A client for this account, with the stored token and the secrets.

        Secrets are read with sudo() here only: users without Settings rights
        use the connection without ever seeing them.
        """
        self.ensure_one()
        self._adopt_issued_token()
        account = self.sudo()
        token = None
        if account.access_token:
            token = flipkart.Token(
                access_token=account.access_token,
                expires_at=to_epoch(account.access_token_expires_at),
                refresh_token=account.refresh_token or None,
            )
        return flipkart.FlipkartClient(
            account.api_base_url,
            account.app_id,
            account.app_secret,
            token=token,
            refresh_token=account.refresh_token or None,
            grant=account.auth_grant,
            timeouts=flipkart.Timeouts(
                order=account.order_timeout, listing=account.listing_timeout
            ),
            on_token=self._store_token,
            **self._flipkart_client_options(),
        )

    def _flipkart_client_options(self):
        """Extra client arguments (retry policy, sleep); a hook for tests."""
        return {}

    def _test_connection(self):
        """Return (ok, message in words) and record the outcome on the account."""
        self.ensure_one()
        location_codes = self.location_ids.filtered("active").mapped(
            "flipkart_location_id"
        )
        try:
            self._flipkart_client().test_connection(location_codes)
        except flipkart.FlipkartError as err:
            ok, message = False, self._explain_error(err)
        else:
            ok = True
            message = _(
                "Connected to %(host)s: token received and %(count)s "
                "location(s) answered.",
                host=self.api_base_url,
                count=len(location_codes),
            )
        self.write(
            {
                "connection_state": "ok" if ok else "failed",
                "connection_message": message,
                "connection_checked_at": fields.Datetime.now(),
            }
        )
        self.message_post(body=message)
        return ok, message

    def _explain_error(self, err):
        """What a user should understand from an error, in words: a Flipkart
        error by its kind, anything else as unexpected (and logged)."""
        if not isinstance(err, flipkart.FlipkartError):
            _logger.exception("Flipkart account %s: unexpected error", self.id)
            return _(
                "Unexpected error: %(error)s", error=str(err) or type(err).__name__
            )
        if isinstance(err, flipkart.AuthenticationError):
            return _(
                "Flipkart refused the application id or secret: check them in "
                "Seller Dashboard > Manage Profile > Developer Access. "
                "(Flipkart said: %(detail)s)",
                detail=err.message,
            )
        if isinstance(err, flipkart.PermissionDeniedError):
            return _(
                "Flipkart refused access for seller %(seller)s: a location id "
                "may belong to another seller, or the application belongs to "
                "another seller. (Flipkart said: %(detail)s)",
                seller=self.seller_id or "?",
                detail=err.message,
            )
        if isinstance(err, flipkart.ConnectionFailedError):
            return _(
                "Could not reach Flipkart at %(host)s: check the host and the "
                "network, then try again.",
                host=self.api_base_url,
            )
        if isinstance(err, flipkart.RetryableError):
            return _(
                "Flipkart is down or busy right now; try again in a few "
                "minutes. (%(detail)s)",
                detail=err.message,
            )
        return err.message

    # Outbound writes --------------------------------------------------------

    def _send_outbound(self, kind, key, payload, record=None, prepare=None):
        """The one gate every write to Flipkart goes through.

        The call is first recorded as an outbound ``flipkart.event``
        (idempotent on ``key``, so a retried job never sends twice); a
        dry-run account stops there, others send it and keep the answer,
        which the kind's declaration applies to its records. ``prepare``
        (event) runs once, after recording and before sending.
        """
        self.ensure_one()
        event = self.env["flipkart.event"]._record(
            self,
            kind=kind,
            direction="outbound",
            key=key,
            payload=payload,
            record=record,
        )
        if event.state == "pending":
            if prepare:
                prepare(event)
            event._process()
        return event

    def _commit_progress(self):
        """Keep each imported page in scheduled runs: a crash loses one page.

        Only the scheduled actions ask for it (``flipkart_commit_pages`` in
        their code); buttons and tests run in one transaction.
        """
        if self.env.context.get("flipkart_commit_pages"):
            self.env.cr.commit()  # pylint: disable=invalid-commit
