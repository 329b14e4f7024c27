from odoo import api, fields, models


class FlipkartLocation(models.Model):
    """A Flipkart seller location (``LOC...``) and the warehouse that ships it.

    Flipkart allocates each order to one location; its shipments are
    imported into, and its stock is read from, the mapped warehouse.
    """

    _name = "flipkart.location"
    _description = "Flipkart Location"
    _order = "account_id, sequence, id"
    _rec_names_search = ["name", "flipkart_location_id"]

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        help="A label for people; defaults to the warehouse name.",
    )
    flipkart_location_id = fields.Char(
        string="Flipkart Location ID",
        required=True,
        help="The location id (LOC...) of the Seller Dashboard: choose the "
        "location in the inventory or orders screen and copy it from the "
        "page address.",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="The Odoo warehouse that ships this location's orders.",
    )

    inventory_status = fields.Selection(
        [("ENABLED", "Push stock"), ("DISABLED", "Disabled on Flipkart")],
        default="ENABLED",
        required=True,
        help="Disabled: the stock push marks every listing unbuyable at this "
        "location (warehouse closed, or not shipping from it yet).",
    )

    _sql_constraints = [
        (
            "location_account_uniq",
            "unique(account_id, flipkart_location_id)",
            "This Flipkart location is already mapped on this account.",
        ),
    ]

    @api.depends("warehouse_id", "flipkart_location_id")
    def _compute_name(self):
        for location in self:
            if not location.name:
                location.name = (
                    location.warehouse_id.name or location.flipkart_location_id
                )

    def _stock_root(self):
        """The stock location whose subtree is this location's stock for
        Flipkart (other channels may narrow it: Flipkart Smart's bins)."""
        self.ensure_one()
        return self.warehouse_id.lot_stock_id

    @api.depends("name", "flipkart_location_id")
    def _compute_display_name(self):
        # Flipkart's id beside the label: it is what Flipkart's screens show.
        for location in self:
            code = location.flipkart_location_id
            name = location.name
            location.display_name = (
                f"{name} ({code})" if name and code and name != code else name or code
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("flipkart_location_id"):
                vals["flipkart_location_id"] = vals["flipkart_location_id"].strip()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("flipkart_location_id"):
            vals["flipkart_location_id"] = vals["flipkart_location_id"].strip()
        return super().write(vals)
