from odoo import api, fields, models
from odoo.exceptions import ValidationError


class FlipkartLocation(models.Model):
    _inherit = "flipkart.location"

    smart_root_id = fields.Many2one(
        "stock.location",
        compute="_compute_smart_root_id",
        store=True,
        readonly=False,
        index=True,
        domain="[('usage', '=', 'internal'), ('company_id', '=', company_id)]",
        help="Flipkart Smart: the stock location whose direct children are "
        "the bins mirroring Flipkart's. Either the stock location of a "
        "warehouse kept for Flipkart Smart, or a pool location beside a "
        "shared warehouse's stock (never inside it, where other orders "
        "would reserve from it).",
    )

    _sql_constraints = [
        (
            "smart_root_uniq",
            "unique(smart_root_id)",
            "This Smart root already serves another Flipkart location.",
        ),
    ]

    @api.depends("warehouse_id", "account_id.channel_type")
    def _compute_smart_root_id(self):
        for location in self:
            if location.account_id.channel_type != "smart":
                location.smart_root_id = False
            elif not location.smart_root_id:
                location.smart_root_id = location.warehouse_id.lot_stock_id

    def _stock_root(self):
        if self.account_id.channel_type == "smart" and self.smart_root_id:
            return self.smart_root_id
        return super()._stock_root()

    @api.constrains("smart_root_id", "warehouse_id", "account_id")
    def _check_smart_root(self):
        smart = self.filtered(lambda loc: loc.account_id.channel_type == "smart")
        # Another channel's location may not ship from a Smart warehouse.
        for location in self - smart:
            owner = self.search(
                [("smart_root_id", "=", location.warehouse_id.lot_stock_id.id)], limit=1
            )
            if owner:
                raise ValidationError(
                    self.env._(
                        "Warehouse %(warehouse)s is kept for Flipkart Smart "
                        "(%(owner)s): %(location)s cannot ship from it.",
                        warehouse=location.warehouse_id.display_name,
                        owner=owner.display_name,
                        location=location.display_name,
                    )
                )
        if not smart:
            return
        warehouses = self.env["stock.warehouse"].search(
            [("company_id", "in", smart.company_id.ids)]
        )
        for location in smart:
            location._check_one_smart_root(warehouses)

    def _check_one_smart_root(self, warehouses):
        root = self.smart_root_id
        if not root:
            raise ValidationError(
                self.env._(
                    "Flipkart Smart location %(location)s needs its Smart root: "
                    "the stock location that holds its bins.",
                    location=self.display_name,
                )
            )
        if root.usage != "internal":
            raise ValidationError(
                self.env._(
                    "The Smart root %(root)s is not an internal location.",
                    root=root.display_name,
                )
            )
        for warehouse in warehouses:
            stock = warehouse.lot_stock_id
            inside = root.parent_path.startswith(stock.parent_path)
            if inside and root != stock:
                raise ValidationError(
                    self.env._(
                        "The Smart root %(root)s is inside %(stock)s, where the "
                        "orders of every channel reserve stock: put the Smart pool "
                        "beside it (under %(view)s), or use a warehouse kept for "
                        "Flipkart Smart.",
                        root=root.display_name,
                        stock=stock.display_name,
                        view=warehouse.view_location_id.display_name,
                    )
                )
            if root == stock:
                others = self.search(
                    [("warehouse_id", "=", warehouse.id), ("id", "!=", self.id)]
                )
                if others or self.warehouse_id != warehouse:
                    raise ValidationError(
                        self.env._(
                            "Warehouse %(warehouse)s is the Smart root of "
                            "%(location)s: it cannot also ship %(others)s. Keep "
                            "a warehouse for Flipkart Smart, or use a Smart pool.",
                            warehouse=warehouse.display_name,
                            location=self.display_name,
                            others=", ".join(others.mapped("display_name"))
                            or self.warehouse_id.display_name,
                        )
                    )
