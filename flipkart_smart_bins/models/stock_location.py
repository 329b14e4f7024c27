from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Flipkart Smart bins hold up to 1,500 items (seed 003, dedicated pool SOP).
BIN_CAPACITY = 1500


class StockLocation(models.Model):
    """Flipkart Smart: a Smart root's direct internal children are its bins,
    named and barcoded with Flipkart's bin codes."""

    _inherit = "stock.location"

    flipkart_smart_location_ids = fields.One2many(
        "flipkart.location", "smart_root_id", string="Flipkart Smart Locations"
    )
    flipkart_smart_root = fields.Boolean(
        compute="_compute_flipkart_smart_root",
        store=True,
        help="Holds the bins of a Flipkart Smart location.",
    )
    flipkart_bin_root_id = fields.Many2one(
        "stock.location",
        string="Smart Root of the Bin",
        compute="_compute_flipkart_bin_root_id",
        store=True,
        index=True,
    )
    flipkart_bin_capacity = fields.Integer(
        string="Bin Capacity",
        default=BIN_CAPACITY,
        help="Units the bin may hold, all SKUs together (Flipkart's bins hold "
        "up to 1,500).",
    )
    flipkart_bin_missing = fields.Boolean(
        string="Missing from Flipkart's Export",
        readonly=True,
        copy=False,
        help="The last bin import did not list this bin. It is kept: move its "
        "stock, then archive it.",
    )

    @api.depends("flipkart_smart_location_ids")
    def _compute_flipkart_smart_root(self):
        for location in self:
            location.flipkart_smart_root = bool(location.flipkart_smart_location_ids)

    @api.depends("location_id.flipkart_smart_root", "usage")
    def _compute_flipkart_bin_root_id(self):
        for location in self:
            parent = location.location_id
            location.flipkart_bin_root_id = (
                parent
                if parent.flipkart_smart_root and location.usage == "internal"
                else False
            )

    @api.constrains("flipkart_bin_capacity")
    def _check_flipkart_bin_capacity(self):
        if any(loc.flipkart_bin_capacity < 0 for loc in self):
            raise ValidationError(self.env._("A bin's capacity cannot be negative."))

    def _get_putaway_strategy(
        self, product, quantity=0, package=None, packaging=None, additional_qty=None
    ):
        location = super()._get_putaway_strategy(
            product,
            quantity=quantity,
            package=package,
            packaging=packaging,
            additional_qty=additional_qty,
        )
        if location.flipkart_smart_root and product:
            return location._flipkart_bin_for(product, quantity) or location
        return location

    def _flipkart_bin_for(self, product, quantity):
        """The bin of ``product`` under this Smart root; for a new SKU, the
        bin with the most free room that still takes ``quantity``."""
        self.ensure_one()
        assignment = (
            self.env["flipkart.smart.assignment"]
            .sudo()
            .search(
                [("product_id", "=", product.id), ("root_id", "=", self.id)], limit=1
            )
        )
        if assignment:
            return assignment.bin_id
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.id, b.flipkart_bin_capacity - COALESCE(SUM(q.quantity), 0)
                  FROM stock_location b
                  LEFT JOIN stock_quant q ON q.location_id = b.id
                 WHERE b.flipkart_bin_root_id = %s AND b.active
                   AND b.flipkart_bin_missing IS NOT TRUE
                 GROUP BY b.id
                HAVING b.flipkart_bin_capacity - COALESCE(SUM(q.quantity), 0) >= %s
                 ORDER BY 2 DESC, b.complete_name
                 LIMIT 1
                """,
                self.id,
                quantity or 0,
            )
        )
        return self.browse(rows[0][0]) if rows else self.browse()

    def _flipkart_import_bins(self, codes):
        """Make this Smart root's bins match ``codes``: create the new ones,
        bring back the listed ones, flag the others (never deleted).
        Returns the counts {new, updated, missing}."""
        self.ensure_one()
        Location = self.with_context(active_test=False)
        bins = Location.search([("location_id", "=", self.id)])
        by_code = {b.name: b for b in bins}
        clashes = Location.search(
            [
                ("barcode", "in", codes),
                ("company_id", "in", (self.company_id.id, False)),
            ]
        ).filtered(lambda loc: loc.location_id != self or loc.name != loc.barcode)
        if clashes:
            raise ValidationError(
                self.env._(
                    "These bin codes are already the barcode of another location "
                    "of the company: %(places)s. Rename those locations' "
                    "barcodes first; bin codes must stay Flipkart's.",
                    places=", ".join(
                        f"{loc.barcode} ({loc.complete_name})" for loc in clashes
                    ),
                )
            )
        listed = bins.filtered(lambda b: b.name in codes)
        listed.filtered(lambda b: not b.active or b.flipkart_bin_missing).write(
            {"active": True, "flipkart_bin_missing": False}
        )
        for bin_ in listed.filtered(lambda b: not b.barcode):
            bin_.barcode = bin_.name
        missing = (bins - listed).filtered(lambda b: not b.flipkart_bin_missing)
        missing.write({"flipkart_bin_missing": True})
        new = [code for code in codes if code not in by_code]
        self.create(
            [
                {
                    "name": code,
                    "barcode": code,
                    "location_id": self.id,
                    "usage": "internal",
                    "company_id": self.company_id.id,
                }
                for code in new
            ]
        )
        return {
            "new": len(new),
            "updated": len(listed),
            "missing": len(bins - listed),
        }

    def action_flipkart_view_bins(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_smart_bins.flipkart_smart_bin_action"
        )
        action["domain"] = [("flipkart_bin_root_id", "=", self.id)]
        return action
