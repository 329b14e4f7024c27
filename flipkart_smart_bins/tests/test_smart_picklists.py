from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartPicklists(SmartCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset_fulfilment()
        self.sandbox.label_delay = 0.0
        self.account.write({"pack_on": "manual", "invoice_creation": "off"})

    def smart_deliveries(self, n):
        ids = self.sandbox.add_shipments(
            n,
            status="APPROVED",
            location_id="LOC0001",
            hold=False,
            dispatch_after_date=0,
            service_profile="Smart_Fulfilment",
        )
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        return self.env["stock.picking"].search(
            [
                ("flipkart_shipment_id", "in", ids),
                ("picking_type_code", "=", "outgoing"),
            ]
        )

    def test_a_batch_over_the_picklist_size_is_refused(self):
        self.account.smart_picklist_size = 2
        deliveries = self.smart_deliveries(3)
        with self.assertRaisesRegex(ValidationError, "holds 2 at most"):
            self.env["stock.picking.batch"].create(
                {"picking_ids": [Command.set(deliveries.ids)]}
            )
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(deliveries[:2].ids)]}
        )
        self.assertEqual(batch.flipkart_account_id, self.account)
        with self.assertRaisesRegex(ValidationError, "holds 2 at most"):
            deliveries[2].batch_id = batch

    def test_a_smart_delivery_packs_only_in_a_picklist(self):
        (delivery,) = self.smart_deliveries(1)
        self.sandbox.reset_calls()
        delivery.action_flipkart_pack()
        self.assertIn(
            "only once it is in a Flipkart picklist", delivery.flipkart_message
        )
        self.assertFalse(self.calls("/v3/shipments/labels"))
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [Command.set(delivery.ids)], "flipkart_picklist_id": "PL-1"}
        )
        delivery.action_flipkart_pack()
        self.assertEqual(self.calls("/v3/shipments/labels"), 1)
        self.assertNotEqual(delivery.flipkart_state, "APPROVED")
        # One picklist id per account.
        other = self.smart_deliveries(1)
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["stock.picking.batch"].create(
                {
                    "picking_ids": [Command.set(other.ids)],
                    "flipkart_picklist_id": "PL-1",
                }
            )
        self.assertEqual(batch.flipkart_picklist_id, "PL-1")
