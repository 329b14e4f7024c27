from odoo.tests import tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestReplenishment(SmartCase):
    def test_a_resupply_from_the_common_warehouse_lands_in_the_skus_bin(self):
        """Seed 003's STO with Odoo's own resupply route: the common
        warehouse ships, the Smart warehouse receives into the SKU's bin."""
        common = self.env["stock.warehouse"].create(
            {"name": "Common", "code": "CMN", "company_id": self.company.id}
        )
        self.env["stock.quant"]._update_available_quantity(
            self.product, common.lot_stock_id, 20
        )
        self.receive(self.product, self.bins[1], 1)  # the SKU lives in B-02
        self.warehouse.resupply_wh_ids = common
        route = self.warehouse.resupply_route_ids.filtered(
            lambda r: r.supplier_wh_id == common
        )
        self.assertTrue(route)
        self.product.route_ids = route
        Procurement = self.env["procurement.group"]
        Procurement.run(
            [
                Procurement.Procurement(
                    self.product,
                    6,
                    self.product.uom_id,
                    self.root,
                    "Smart replenishment",
                    "STO/1",
                    self.company,
                    {"warehouse_id": self.warehouse},
                )
            ]
        )
        moves = self.env["stock.move"].search(
            [
                ("product_id", "=", self.product.id),
                ("state", "not in", ("done", "cancel")),
            ]
        )
        shipment = moves.filtered(
            lambda m: m.location_id == common.lot_stock_id
        ).picking_id
        shipment.action_assign()
        shipment.move_ids.picked = True
        shipment.button_validate()
        receipt = moves.filtered(lambda m: m.location_dest_id == self.root).picking_id
        receipt.action_assign()
        self.assertEqual(receipt.move_line_ids.location_dest_id, self.bins[1])
        receipt.move_ids.picked = True
        receipt.button_validate()
        self.assertEqual(self.in_bins(self.product), {"B-02": 7})
