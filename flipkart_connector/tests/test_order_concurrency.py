import uuid

import psycopg2

from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer


@tagged("post_install", "-at_install")
class TestConcurrentImport(BaseCase):
    """Two workers import the same shipment at the same moment.

    Real concurrency needs committed data and two real transactions, so
    this test commits its own records and removes them afterwards.
    """

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        app_id = f"concurrency-{uuid.uuid4().hex[:8]}"
        self.sandbox = Sandbox(
            seed=5,
            shipments=0,
            listings=5,
            locations=("LOC0001",),
            apps={app_id: "secret"},
        )
        self.server = SandboxServer(self.sandbox, host="127.0.0.1", port=0)
        self.server.start()
        self.addCleanup(self.server.stop)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search(
                [("company_id", "=", env.company.id)], limit=1
            )
            account = env["flipkart.account"].create(
                {
                    "name": "Concurrency",
                    "environment": "sandbox",
                    "api_base_url": self.server.base_url,
                    "app_id": app_id,
                    "app_secret": "secret",
                    "location_ids": [
                        Command.create(
                            {
                                "flipkart_location_id": "LOC0001",
                                "warehouse_id": warehouse.id,
                            }
                        )
                    ],
                }
            )
            product = env["product.product"].create({"name": "Concurrency product"})
            env["flipkart.listing"].create(
                [
                    {
                        "account_id": account.id,
                        "seller_sku": sku,
                        "product_id": product.id,
                    }
                    for sku in self.sandbox.listings
                ]
            )
            self.account_id, self.product_id = account.id, product.id
        self.addCleanup(self._remove_committed_records)

    def _remove_committed_records(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].search(
                [("flipkart_account_id", "=", self.account_id)]
            )
            orders._action_cancel()
            pickings = orders.picking_ids
            moves = pickings.move_ids
            partners = orders.partner_id | orders.partner_shipping_id
            groups = orders.procurement_group_id
            moves.unlink()
            pickings.unlink()
            orders.unlink()
            groups.unlink()
            partners.unlink()
            env["flipkart.account"].browse(self.account_id).unlink()
            env["product.product"].browse(self.product_id).unlink()

    def _count(self, cr, shipment_id):
        cr.execute(
            "SELECT count(*) FROM sale_order"
            " WHERE flipkart_account_id = %s AND flipkart_shipment_id = %s",
            [self.account_id, shipment_id],
        )
        return cr.fetchone()[0]

    def _import(self, cr, shipment_id):
        env = api.Environment(cr, SUPERUSER_ID, {})
        account = env["flipkart.account"].browse(self.account_id)
        return env["flipkart.shipment.import"]._refresh(account, [shipment_id])

    @mute_logger("odoo.sql_db")
    def test_second_worker_waits_then_finds_the_order(self):
        """Pull and push at once: the second waits on the shipment's lock."""
        shipment_id = self.sandbox.add_shipments(1, location_id="LOC0001", hold=False)[
            0
        ]
        with self.registry.cursor() as first, self.registry.cursor() as second:
            self.assertEqual(len(self._import(first, shipment_id)["created"]), 1)
            second.execute("SET LOCAL lock_timeout = '300ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable):
                self._import(second, shipment_id)
            second.rollback()
            first.commit()
            summary = self._import(second, shipment_id)
            self.assertFalse(summary["created"])
            self.assertEqual(len(summary["updated"]), 1)
            second.commit()
            self.assertEqual(self._count(second, shipment_id), 1)

    @mute_logger("odoo.sql_db")
    def test_stale_worker_is_stopped_by_the_unique_key(self):
        """A worker whose snapshot predates the other's commit cannot duplicate."""
        shipment_id = self.sandbox.add_shipments(1, location_id="LOC0001", hold=False)[
            0
        ]
        with self.registry.cursor() as first, self.registry.cursor() as second:
            self._count(second, shipment_id)  # the second's snapshot starts now
            self._import(first, shipment_id)
            first.commit()
            with self.assertRaises(psycopg2.IntegrityError):
                self._import(second, shipment_id)
            second.rollback()
            # Retried in a new transaction (the cron's next run), it converges.
            self.assertFalse(self._import(second, shipment_id)["created"])
            second.commit()
            self.assertEqual(self._count(second, shipment_id), 1)

    def test_one_notification_delivered_twice_at_once_is_stored_once(self):
        """Flipkart posts the same event to two workers at the same moment:
        the one that began first but stores second neither fails nor logs."""
        key = f"shipment_created:dup-{uuid.uuid4().hex[:8]}"

        def record(cr):
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["flipkart.event"]._record(
                env["flipkart.account"].browse(self.account_id),
                kind="shipment_created",
                direction="inbound",
                key=key,
                payload={"shipmentId": "dup"},
            )

        with self.registry.cursor() as first, self.registry.cursor() as second:
            self._count(second, "none")  # the second's snapshot starts now
            self.assertTrue(record(first))
            first.commit()
            with self.assertNoLogs("odoo.sql_db", "ERROR"):
                self.assertFalse(record(second), "in good hands: the first has it")
            second.commit()
            second.execute(
                "SELECT count(*) FROM flipkart_event WHERE idempotency_key = %s", [key]
            )
            self.assertEqual(second.fetchone()[0], 1)
            second.execute(
                "DELETE FROM flipkart_event WHERE idempotency_key = %s", [key]
            )
