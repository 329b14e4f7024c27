from odoo import _, api, fields, models

LISTING_STATUSES = [("ACTIVE", "Active"), ("INACTIVE", "Inactive")]
PUSH_STATES = [
    ("SUCCESS", "Success"),
    ("WARNING", "Warning"),
    ("FAILURE", "Failure"),
]


class FlipkartListing(models.Model):
    """A Flipkart listing (seller SKU, FSN, listing id) and its Odoo product.

    Nothing syncs for a listing without a product: no order line, no
    stock pushed, no price pushed.
    """

    _name = "flipkart.listing"
    _description = "Flipkart Listing"
    _order = "account_id, seller_sku"
    _rec_name = "seller_sku"

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    seller_sku = fields.Char(string="Seller SKU", required=True, index=True)
    fsn = fields.Char(string="FSN", help="Flipkart's product id (product_id).")
    listing_id = fields.Char(string="Listing ID", index=True)
    title = fields.Char()
    listing_status = fields.Selection(LISTING_STATUSES)
    fulfillment_profile = fields.Char()
    mrp = fields.Float(string="MRP", digits="Product Price")
    selling_price = fields.Float(digits="Product Price")
    hsn = fields.Char(string="HSN")
    tax_rate = fields.Float(string="GST Rate (%)")
    tax_rate_known = fields.Boolean(
        string="GST Rate Given",
        help="Flipkart gave this listing's GST rate (0 % included).",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        check_company=True,
        help="The Odoo product sold by this listing. Empty: unmapped, "
        "nothing is synced for it.",
    )
    mapping_source = fields.Selection(
        [("auto", "Automatic"), ("manual", "By a person")],
        readonly=True,
        help="Automatic mappings may be redone; a person's mapping never is.",
    )
    location_line_ids = fields.One2many(
        "flipkart.listing.location", "listing_id", string="Locations"
    )
    flipkart_inventory = fields.Integer(
        string="Flipkart Stock",
        compute="_compute_flipkart_inventory",
        store=True,
        help="Units Flipkart showed as available, all locations together, "
        "at the last SKU pull.",
    )
    missing_on_flipkart = fields.Boolean(
        readonly=True,
        help="The last pull did not find this listing on Flipkart any more.",
    )
    pulled_at = fields.Datetime(readonly=True)
    ledger_ids = fields.One2many(
        "flipkart.inventory.ledger", "listing_id", string="Stock Ledger"
    )
    price_push_state = fields.Selection(PUSH_STATES, readonly=True)
    price_push_message = fields.Text(readonly=True)
    price_pushed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "seller_sku_account_uniq",
            "unique(account_id, seller_sku)",
            "This seller SKU is already listed on this account.",
        ),
    ]

    @api.depends("location_line_ids.flipkart_inventory")
    def _compute_flipkart_inventory(self):
        for listing in self:
            listing.flipkart_inventory = sum(
                listing.location_line_ids.mapped("flipkart_inventory")
            )

    @api.model
    def _get_view_cache_key(self, view_id=None, view_type="form", **options):
        return (
            *super()._get_view_cache_key(view_id, view_type, **options),
            self._single_account(),
        )

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "list" and self._single_account():
            # One account: its name on every row says nothing.
            for node in arch.xpath("//field[@name='account_id']"):
                node.set("column_invisible", "True")
        return arch, view

    @api.model
    def _single_account(self):
        return self.env["flipkart.account"].search_count([], limit=2) < 2

    @api.model_create_multi
    def create(self, vals_list):
        """An import row for an existing SKU maps it instead of duplicating it.

        Bulk mapping uses Odoo's standard import of seller SKU -> product:
        rows name listings by account and seller SKU, not by database id.
        """
        vals_list = [self._with_mapping_source(vals) for vals in vals_list]
        if not self.env.context.get("import_file"):
            return super().create(vals_list)
        existing = self.search(
            [
                ("account_id", "in", [v.get("account_id") for v in vals_list]),
                ("seller_sku", "in", [v.get("seller_sku") for v in vals_list]),
            ]
        )
        by_key = {(rec.account_id.id, rec.seller_sku): rec for rec in existing}
        updated = self.browse()
        to_create = []
        for vals in vals_list:
            listing = by_key.get((vals.get("account_id"), vals.get("seller_sku")))
            if listing:
                listing.write(vals)
                updated |= listing
            else:
                to_create.append(vals)
        return updated | super().create(to_create)

    def write(self, vals):
        return super().write(self._with_mapping_source(vals))

    def _with_mapping_source(self, vals):
        """Who mapped: a person, unless the automatic mapping is at work."""
        if "product_id" not in vals or "mapping_source" in vals:
            return vals
        source = False
        if vals["product_id"]:
            auto = self.env.context.get("flipkart_auto_mapping")
            source = "auto" if auto else "manual"
        return dict(vals, mapping_source=source)

    def action_view_product(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "product.product",
            "res_id": self.product_id.id,
            "view_mode": "form",
        }

    def _auto_map(self):
        """Map unmapped listings to products by the account's chosen key.

        One grouped search per account for all SKUs; an SKU matching no
        product, or several, stays unmapped for a person to decide.
        """
        mapped = self.browse()
        for account in self.account_id:
            field = account.sku_mapping
            if field not in ("default_code", "barcode"):
                continue
            listings = self.filtered(
                lambda rec, acc=account: rec.account_id == acc and not rec.product_id
            )
            if not listings:
                continue
            products = self.env["product.product"].search(
                [
                    (field, "in", listings.mapped("seller_sku")),
                    ("company_id", "in", [False, account.company_id.id]),
                ]
            )
            matches = {}
            for product in products:
                matches.setdefault(product[field], []).append(product)
            for listing in listings:
                found = matches.get(listing.seller_sku, [])
                if len(found) == 1:
                    listing.with_context(flipkart_auto_mapping=True).product_id = found[
                        0
                    ]
                    mapped |= listing
        return mapped


class FlipkartListingLocation(models.Model):
    """A listing at one Flipkart location: Flipkart's status and stock there."""

    _name = "flipkart.listing.location"
    _description = "Flipkart Listing at a Location"
    _order = "listing_id, location_id"

    listing_id = fields.Many2one(
        "flipkart.listing", required=True, index=True, ondelete="cascade"
    )
    location_id = fields.Many2one("flipkart.location", required=True, index=True)
    company_id = fields.Many2one(related="listing_id.company_id", store=True)
    flipkart_status = fields.Char(readonly=True)
    flipkart_inventory = fields.Integer(readonly=True)
    pushed_quantity = fields.Integer(readonly=True)
    pushed_disabled = fields.Boolean(readonly=True)
    pushed_at = fields.Datetime(readonly=True)
    push_state = fields.Selection(PUSH_STATES, readonly=True)
    push_message = fields.Text(readonly=True)

    _sql_constraints = [
        (
            "listing_location_uniq",
            "unique(listing_id, location_id)",
            "This listing already has a line for this location.",
        ),
    ]

    @api.depends("listing_id", "location_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = _(
                "%(sku)s at %(location)s",
                sku=line.listing_id.seller_sku,
                location=line.location_id.flipkart_location_id,
            )
