from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    flipkart_label_wait_since = fields.Datetime(
        readonly=True,
        copy=False,
        help="2GUD: since when 2GUD has answered that this packed shipment's "
        "label is not there yet (it is still generating it).",
    )

    def _flipkart_purchase_prices(self):
        """``({orderItemId: unit purchase cost}, [what lacks a cost])`` of
        the refurbished products of this 2GUD delivery: the cost of the
        units shipped, per lot or serial where the product is valued so,
        averaged over the units of one order item."""
        self.ensure_one()
        # Costs are per company: read the delivery's, whoever packs.
        picking = self.with_company(self.company_id)
        prices, missing = {}, []
        for move in picking.move_ids.filtered(
            lambda m: (
                m.sale_line_id.flipkart_order_item_id
                and m.state != "cancel"
                and m.product_id.product_tmpl_id._flipkart_is_refurbished()
            )
        ):
            product = move.product_id
            if product.lot_valuated:
                lines = move.move_line_ids.filtered("lot_id")
                costs = [(line.quantity, line.lot_id.standard_price) for line in lines]
                unpriced = lines.lot_id.filtered(lambda lot: not lot.standard_price)
                if not lines:
                    missing.append(
                        self.env._(
                            "%(product)s (no lot or serial reserved yet)",
                            product=product.display_name,
                        )
                    )
                    continue
                if unpriced:
                    missing.append(
                        self.env._(
                            "%(product)s (serial %(serials)s)",
                            product=product.display_name,
                            serials=", ".join(unpriced.mapped("name")),
                        )
                    )
                    continue
            else:
                if not product.standard_price:
                    missing.append(product.display_name)
                    continue
                costs = [(move.product_uom_qty, product.standard_price)]
            units = sum(quantity for quantity, _cost in costs)
            if units:
                total = sum(quantity * cost for quantity, cost in costs)
                item = move.sale_line_id.flipkart_order_item_id
                prices[item] = round(total / units, 2)
        return prices, missing

    def _flipkart_pack_problem(self, now):
        problem, keep_queued = super()._flipkart_pack_problem(now)
        if problem is None and self.flipkart_account_id.channel_type == "2gud":
            _prices, missing = self._flipkart_purchase_prices()
            if missing:
                return (
                    self.env._(
                        "Not packed: 2GUD needs the purchase cost of refurbished "
                        "goods, and none is set for %(what)s. Set the cost on the "
                        "product (or on the lot or serial when the product is "
                        "valued by lot or serial); it will be packed then.",
                        what="; ".join(missing),
                    ),
                    True,
                )
        return problem, keep_queued
