import threading
import uuid

from psycopg2 import errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import ValidationError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTwoBinsAtOnce(BaseCase):
    """Two users put the same new SKU into two bins at the same moment:
    exactly one transaction commits. Real, concurrent transactions need
    committed data: this test commits its own and removes it afterwards."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            warehouse = env["stock.warehouse"].search([], limit=1)
            pool = env["stock.location"].create(
                {
                    "name": f"Smart Pool {tag}",
                    "location_id": warehouse.view_location_id.id,
                }
            )
            account = env["flipkart.account"].create(
                {
                    "name": f"Smart {tag}",
                    "channel_type": "smart",
                    "environment": "sandbox",
                    "app_id": f"smart-{tag}",
                    "company_id": warehouse.company_id.id,
                    "location_ids": [
                        (
                            0,
                            0,
                            {
                                "flipkart_location_id": f"LOC{tag}",
                                "warehouse_id": warehouse.id,
                                "smart_root_id": pool.id,
                            },
                        )
                    ],
                }
            )
            pool._flipkart_import_bins([f"A-{tag}", f"B-{tag}"])
            product = env["product.product"].create(
                {"name": f"Contested {tag}", "is_storable": True}
            )
            self.ids = {
                "pool": pool.id,
                "account": account.id,
                "product": product.id,
                "bins": pool.child_ids.sorted("name").ids,
            }
        self.addCleanup(self._remove)

    def _remove(self):
        with self.registry.cursor() as cr:
            product = self.ids["product"]
            for table in (
                "stock_valuation_layer",
                "stock_move_line",
                "stock_move",
                "stock_quant",
            ):
                cr.execute(f"DELETE FROM {table} WHERE product_id = %s", [product])  # noqa: S608
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["flipkart.account"].browse(self.ids["account"]).unlink()
            env["product.product"].browse(product).unlink()
            env["stock.location"].browse(self.ids["bins"] + [self.ids["pool"]]).unlink()

    def _put(self, cr, bin_id):
        env = api.Environment(cr, SUPERUSER_ID, {})
        quant = (
            env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": self.ids["product"],
                    "location_id": bin_id,
                    "inventory_quantity": 4,
                }
            )
        )
        quant.action_apply_inventory()

    def test_one_new_sku_into_two_bins_at_once(self):
        bin_a, bin_b = self.ids["bins"]
        outcomes = {}
        first = self.registry.cursor()
        second = self.registry.cursor()
        second.execute("SELECT 1")  # its snapshot starts before the first commits

        # The refused transaction's query is logged by Odoo as a bad query.
        @mute_logger("odoo.sql_db")
        def put_second():
            try:
                self._put(second, bin_b)
                second.commit()
                outcomes["second"] = "committed"
            except (errors.SerializationFailure, ValidationError) as err:
                second.rollback()
                outcomes["second"] = type(err).__name__
            finally:
                second.close()

        try:
            self._put(first, bin_a)
            thread = threading.Thread(target=put_second)
            thread.start()
            thread.join(timeout=2)  # it waits on the first's SKU row
            first.commit()
            outcomes["first"] = "committed"
        finally:
            first.close()
        thread.join()
        self.assertEqual(outcomes["first"], "committed")
        self.assertNotEqual(outcomes["second"], "committed")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT location_id, SUM(quantity) FROM stock_quant "
                "WHERE product_id = %s GROUP BY location_id HAVING SUM(quantity) > 0",
                [self.ids["product"]],
            )
            self.assertEqual(cr.fetchall(), [(bin_a, 4.0)])
