from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import ValidationError

from odoo.addons.flipkart_connector.tests.common import InventoryCase


class SmartCase(InventoryCase):
    """The test seller's account on Flipkart Smart: its warehouse is the
    Smart root (a warehouse kept for Flipkart Smart), with three bins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.channel_type = "smart"
        cls.root = cls.account.location_ids.smart_root_id
        cls.root._flipkart_import_bins(["B-01", "B-02", "B-03"])
        cls.bins = cls.env["stock.location"].search(
            [("flipkart_bin_root_id", "=", cls.root.id)], order="name"
        )
        cls.supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.product = cls.env["product.product"].create(
            {"name": "Smart Kettle", "is_storable": True, "default_code": "SMART-1"}
        )

    def transfer(self, product, source, destination, quantity, picking_type=None):
        """A validated transfer of ``quantity`` to ``destination`` (a bin, or
        the root for putaway to choose); returns the picking."""
        picking_type = picking_type or (
            self.warehouse.in_type_id
            if source == self.supplier
            else self.warehouse.int_type_id
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_line_ids.write({"quantity": quantity})
        if destination.flipkart_bin_root_id:
            picking.move_line_ids.location_dest_id = destination
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    @contextmanager
    def refused(self, pattern):
        """The operation fails with ``pattern`` and leaves nothing behind."""
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    def smart_delivery(self, bin_, quantity, picklist=None):
        """A Smart order of ``quantity`` of the first listing, its stock
        received into ``bin_`` and reserved; in a picklist when given."""
        listing = self.listings[0]
        self.receive(listing.product_id, bin_, 10)
        (sid,) = self.sandbox.add_shipments(
            1,
            status="APPROVED",
            location_id="LOC0001",
            hold=False,
            dispatch_after_date=0,
            sku=listing.seller_sku,
            quantity=quantity,
            service_profile="Smart_Fulfilment",
        )
        self.env["flipkart.shipment.import"]._refresh(self.account, [sid])
        delivery = self.env["stock.picking"].search(
            [("flipkart_shipment_id", "=", sid), ("picking_type_code", "=", "outgoing")]
        )
        delivery.action_assign()
        if picklist:
            self.env["stock.picking.batch"].create(
                {
                    "picking_ids": [Command.set(delivery.ids)],
                    "flipkart_picklist_id": picklist,
                }
            )
        return delivery

    def receive(self, product, destination, quantity):
        return self.transfer(product, self.supplier, destination, quantity)

    def in_bins(self, product):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "in", self.bins.ids)]
        )
        return {q.location_id.name: q.quantity for q in quants if q.quantity}
