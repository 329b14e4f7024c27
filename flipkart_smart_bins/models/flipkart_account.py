import csv
import io

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.flipkart_connector.wizards.common import reopen_action


class FlipkartAccount(models.Model):
    _inherit = "flipkart.account"

    channel_type = fields.Selection(
        selection_add=[("smart", "Flipkart Smart")],
        ondelete={"smart": "set default"},
    )
    smart_bin_column = fields.Char(
        string="Bin Code Column",
        help="The column of Flipkart's Available Bins export that holds the "
        "bin codes, as chosen at the last bin import.",
    )

    smart_return_columns = fields.Char(
        help="The columns of the Smart panel's returns export chosen at the "
        "last upload (JSON).",
    )
    smart_picklist_size = fields.Integer(
        string="Picklist Size",
        default=25,
        help="Flipkart Smart: orders in one picklist (a batch transfer), from "
        "1 (one picklist per order) to 25.",
    )
    smart_picklist_release = fields.Selection(
        [
            ("manual", "On Flipkart's Smart panel"),
            ("endpoints", "Through picklist endpoints"),
        ],
        string="Picklist Release",
        default="manual",
        required=True,
        help="Flipkart publishes no picklist API. On Flipkart's Smart panel: "
        "release each picklist there and scan or type its id on the batch "
        "transfer. Through picklist endpoints: the batch releases, packs and "
        "hands over its picklist itself, at the account's API host (the "
        "sandbox, or a Smart proxy of the same shape).",
    )
    smart_free_alert = fields.Integer(
        string="Warn Below Free Bin Room (%)",
        default=10,
        help="Flipkart Smart: once a day, when the free room of a Smart "
        "root's bins falls below this share of their capacity, the "
        "Responsible gets an activity to plan new bins. 0: never.",
    )

    @api.constrains("smart_picklist_size")
    def _check_smart_picklist_size(self):
        if any(not 1 <= account.smart_picklist_size <= 25 for account in self):
            raise ValidationError(
                self.env._("A Flipkart Smart picklist holds 1 to 25 orders.")
            )

    def _order_service_profiles(self):
        # Flipkart's search answers NON_FBF unless asked: without this, a
        # Smart account's orders would be silently missed.
        if self.channel_type == "smart":
            return ["FBF_LITE"]
        return super()._order_service_profiles()

    def _stock_deducts_buffer_and_pending(self):
        # Flipkart Smart gets the bin-wise stock as it is: no buffer, no
        # back-order logic (Flipkart Smart V2 configuration, item 7).
        return (
            self.channel_type != "smart" and super()._stock_deducts_buffer_and_pending()
        )

    def action_test_inventory_update(self):
        self.ensure_one()
        self._check_manager()
        wizard = self.env["flipkart.test.inventory.wizard"].create(
            {"account_id": self.id}
        )
        return reopen_action(wizard, self.env._("Test Inventory Update"))

    def _smart_roots(self):
        return self.location_ids.filtered("active").smart_root_id

    def action_export_bin_stock(self):
        """Bin-wise stock as a CSV for Flipkart's Smart panel: bin, seller
        SKU, quantity (the inventory API has no bin field)."""
        self.ensure_one()
        self._check_manager()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.name, l.seller_sku, SUM(q.quantity)
                  FROM stock_quant q
                  JOIN stock_location b ON b.id = q.location_id
                  JOIN flipkart_listing l
                    ON l.product_id = q.product_id AND l.account_id = %s
                 WHERE b.flipkart_bin_root_id = ANY(%s)
                 GROUP BY b.name, l.seller_sku
                HAVING SUM(q.quantity) > 0
                 ORDER BY b.name, l.seller_sku
                """,
                self.id,
                self._smart_roots().ids,
            )
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["Bin", "Seller SKU", "Quantity"])
        writer.writerows((name, sku, f"{quantity:g}") for name, sku, quantity in rows)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name} bin stock {fields.Date.context_today(self)}.csv",
                "raw": out.getvalue().encode(),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    @api.model
    def _cron_smart_capacity_alert(self):
        """An activity for the Responsible when a Smart root's bins are
        nearly full (one grouped query for every account)."""
        accounts = self.search(
            [("channel_type", "=", "smart"), ("smart_free_alert", ">", 0)]
        )
        roots = {
            root.id: account for account in accounts for root in account._smart_roots()
        }
        if not roots:
            return
        rows = self.env.execute_query(
            SQL(
                """
                SELECT root_id, SUM(capacity), SUM(units)
                  FROM flipkart_smart_bin_report
                 WHERE root_id = ANY(%s)
                 GROUP BY root_id
                """,
                list(roots),
            )
        )
        summary = self.env._("Flipkart Smart bins nearly full")
        for root_id, capacity, units in rows:
            account = roots[root_id]
            free = capacity - units
            if not capacity or free * 100 >= capacity * account.smart_free_alert:
                continue
            if account.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                continue
            root = self.env["stock.location"].browse(root_id)
            account.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=summary,
                note=self.env._(
                    "The bins of %(root)s have %(free)s units of room left out of "
                    "%(capacity)s: create bins on Flipkart, then import them.",
                    root=root.display_name,
                    free=f"{free:g}",
                    capacity=capacity,
                ),
                user_id=(account.user_id or self.env.ref("base.user_admin")).id,
            )
