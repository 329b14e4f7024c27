from odoo import fields, models

from odoo.addons.flipkart_connector.flipkart import invoice_matching, margin_scheme
from odoo.addons.flipkart_connector.utils import gst_rate


class AccountMove(models.Model):
    _inherit = "account.move"

    flipkart_margin_note = fields.Text(
        string="Margin Scheme",
        readonly=True,
        copy=False,
        # It shows purchase costs: for invoicing users only.
        groups="account.group_account_invoice",
        help="2GUD refurbished goods under the margin scheme (GST Rule "
        "32(5)): per item, the margin (selling price minus the purchase "
        "price of the unit shipped) and the GST on it, beside the GST "
        "Flipkart's invoice charges.",
    )

    def _flipkart_invoice_problems(self, invoice, rate_checked_elsewhere=()):
        """Under the margin scheme, an item's GST is checked against its
        margin, not against the order's full-value rate."""
        items = self._flipkart_margin_items(invoice)
        note = "\n".join(margin_scheme.explanation(i, _=self.env._) for i in items)
        if (self.flipkart_margin_note or "") != note:
            self.flipkart_margin_note = note or False
        problems = super()._flipkart_invoice_problems(
            invoice,
            {*rate_checked_elsewhere, *(i.order_item_id for i in items)},
        )
        return problems + margin_scheme.differences(items, _=self.env._)

    def _flipkart_margin_items(self, invoice):
        """``MarginItem``s of the invoice's margin-scheme goods (refurbished,
        on a 2GUD account with the margin scheme, or of a category under
        it) whose unit purchase price is known."""
        self.ensure_one()
        # An accountant may not read Flipkart accounts: these are settings.
        account = self.flipkart_account_id.sudo()
        if account.channel_type != "2gud":
            return []
        sale_lines = {
            line.flipkart_order_item_id: line
            for line in self.invoice_line_ids.sale_line_ids
            if line.flipkart_order_item_id
            and line.product_id.product_tmpl_id._flipkart_is_refurbished()
            and (
                account.twogud_margin_scheme
                or line.product_id.categ_id.flipkart_margin_scheme
            )
        }
        invoiced = {}
        for line in self.invoice_line_ids:
            for item in line.sale_line_ids.mapped("flipkart_order_item_id"):
                invoiced[item] = invoiced.get(item, 0.0) + line.quantity
        if not sale_lines:
            return []
        deliveries = (
            self.sudo().invoice_line_ids.sale_line_ids.order_id.picking_ids.filtered(
                lambda p: (
                    p.flipkart_shipment_id == invoice.shipment_id
                    and p.picking_type_code == "outgoing"
                    and p.state != "cancel"
                )
            )
        )
        prices = {}
        for delivery in deliveries:
            prices.update(delivery._flipkart_purchase_prices()[0])
        return [
            margin_scheme.MarginItem(
                order_item_id=item.order_item_id,
                quantity=invoiced.get(item.order_item_id, 0.0),
                amount=item.amount,
                flipkart_rate=invoice_matching.flipkart_rate(item),
                rate=gst_rate(sale_lines[item.order_item_id].tax_id),
                unit_purchase_price=prices[item.order_item_id],
            )
            for item in invoice.items
            if item.order_item_id in sale_lines and item.order_item_id in prices
        ]
