import logging

from odoo import api, models

from odoo.addons.flipkart_connector import flipkart

_logger = logging.getLogger(__name__)


class FlipkartFulfilment(models.AbstractModel):
    _inherit = "flipkart.fulfilment"

    @api.model
    def _pack(self, pickings):
        """Flipkart does not push cancellations of Smart orders: the seller
        meets them at pack (seed 003). Re-read Smart shipments first and
        follow Flipkart (order cancelled or lowered, stock freed) before
        packing what is left. A batch without its picklist gets it released
        first when the account releases through picklist endpoints."""
        smart = pickings.filtered(
            lambda p: (
                p.flipkart_shipment_id
                and p.flipkart_account_id.channel_type == "smart"
                and p.state not in ("done", "cancel")
            )
        )
        for account in smart.flipkart_account_id:
            mine = smart.filtered(lambda p, a=account: p.flipkart_account_id == a)
            before = {p.id: p._flipkart_ordered_quantity() for p in mine}
            try:
                self.env["flipkart.shipment.import"]._refresh(
                    account, mine.mapped("flipkart_shipment_id")
                )
            except flipkart.FlipkartError as err:
                # Packing goes on: Flipkart refuses a cancelled shipment and
                # the refusal is explained on the delivery.
                _logger.info("Flipkart Smart: could not re-read before pack: %s", err)
                continue
            for picking in mine:
                picking._flipkart_say_cancelled_at_pack(before[picking.id])
        # Picklists the batches still need, released once the re-read has
        # dropped what Flipkart cancelled (picklist endpoints only).
        self.env["flipkart.smart.picklist"]._release(smart.batch_id)
        return super()._pack(pickings.filtered(lambda p: p.state != "cancel"))

    @api.model
    def _invoice_documents(self, client, invoices, pickings):
        """Flipkart Smart prints the label and the invoice as one document
        (seed 003): the label already fetched is the invoice's PDF too."""
        consolidated = {}
        for sid in invoices:
            picking = pickings[sid]
            label = picking.flipkart_label_attachment_id
            # Only the label fetched for this very delivery.
            if (
                picking.flipkart_account_id.channel_type == "smart"
                and label
                and (label.res_model, label.res_id) == (picking._name, picking.id)
            ):
                consolidated[sid] = label.raw
        rest = {sid: inv for sid, inv in invoices.items() if sid not in consolidated}
        return consolidated | super()._invoice_documents(client, rest, pickings)
