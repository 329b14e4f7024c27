"""The order and SKU scheduled actions moved to their flows' models.

Their records are noupdate: point existing ones at the new models.
"""

from odoo import SUPERUSER_ID, api

MOVED = {
    "ir_cron_flipkart_pull_listings": "flipkart.listing.sync",
    "ir_cron_flipkart_import_orders": "flipkart.shipment.import",
    "ir_cron_flipkart_sync_shipments": "flipkart.shipment.import",
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid, model in MOVED.items():
        cron = env.ref(f"flipkart_connector.{xmlid}", raise_if_not_found=False)
        if cron:
            cron.model_id = env["ir.model"]._get(model)
