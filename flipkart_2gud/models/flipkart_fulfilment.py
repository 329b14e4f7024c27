from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.flipkart_connector import flipkart
from odoo.addons.flipkart_connector.flipkart import const

# 2GUD's answer while a PACKED shipment's label is still being generated
# (seed 000, "Pack Label Not Found ... INVALID_SHIPMENTS").
LABEL_NOT_READY = "INVALID_SHIPMENTS"
# 2GUD generates a label in minutes; longer, the answer means what it says.
LABEL_WAIT = timedelta(hours=2)


class FlipkartFulfilment(models.AbstractModel):
    _inherit = "flipkart.fulfilment"

    @api.model
    def _pack_entry(self, picking, location):
        """2GUD: each refurbished item carries the purchase cost of the unit
        shipped (``taxItems[].purchasePrice``, "refurbished only")."""
        entry = super()._pack_entry(picking, location)
        if picking.flipkart_account_id.channel_type == "2gud":
            prices, _missing = picking._flipkart_purchase_prices()
            for tax in entry["taxItems"]:
                if tax["orderItemId"] in prices:
                    tax["purchasePrice"] = prices[tax["orderItemId"]]
        return entry

    @api.model
    def _fetch_labels(self, account, pickings):
        """2GUD says INVALID_SHIPMENTS for a label it is still generating:
        not an error; the documents' scheduled action fetches it later."""
        if account.channel_type != "2gud":
            return super()._fetch_labels(account, pickings)
        try:
            with self.env.cr.savepoint():
                return super()._fetch_labels(account, pickings)
        except flipkart.InvalidRequestError as err:
            if err.code != LABEL_NOT_READY:
                raise
        waiting = pickings.filtered(
            lambda p: (
                p.flipkart_state in const.LABEL_STATES
                and not p.flipkart_label_ready
                and not p.flipkart_self_ship
            )
        )
        now = fields.Datetime.now()
        waiting.filtered(lambda p: not p.flipkart_label_wait_since).write(
            {"flipkart_label_wait_since": now}
        )
        overdue = waiting.filtered(
            lambda p: p.flipkart_label_wait_since + LABEL_WAIT < now
        )
        overdue.write(
            {
                "flipkart_message": self.env._(
                    "2GUD has answered 'Invalid shipment Ids passed' for this "
                    "label for over two hours: check the shipment on 2GUD's "
                    "panel; if it is fine there, write to "
                    "seller-api-queries@flipkart.com. Still retried."
                )
            }
        )
        (waiting - overdue).write(
            {
                "flipkart_message": self.env._(
                    "Label generation in progress on 2GUD, will retry."
                ),
                "flipkart_flag": "label_pending",
            }
        )
