import json

from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_assign(self, force_qty=False):
        # A Smart order on hold at Flipkart reserves nothing until released.
        held = self.filtered(
            lambda m: (
                m.picking_id.flipkart_hold
                and m.picking_id.flipkart_account_id.channel_type == "smart"
            )
        )
        return super(StockMove, self - held)._action_assign(force_qty=force_qty)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._flipkart_check_smart_bins()
        return moves

    def _flipkart_check_smart_bins(self):
        """Refuse what Flipkart Smart does not allow, whatever made the move
        (receipt, transfer, inventory adjustment, barcode, import): a SKU
        with stock in two bins of one Smart root, a bin over its capacity.

        A few grouped queries for all the moves done together; none when no
        move ends in a bin.
        """
        lines = self.move_line_ids.filtered(
            lambda line: (
                line.state == "done" and line.location_dest_id.flipkart_bin_root_id
            )
        )
        if not lines:
            return
        bins = lines.location_dest_id
        self.env.flush_all()
        # Concurrent moves into these bins wait here and then fail to
        # serialize: no two transactions fill one bin past its capacity.
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_location SET write_date = write_date
                 WHERE id IN (SELECT id FROM stock_location
                               WHERE id = ANY(%s) ORDER BY id FOR UPDATE)
                """,
                sorted(bins.ids),
            )
        )
        attempted = {}
        for line in lines:
            key = (line.product_id.id, line.location_dest_id.flipkart_bin_root_id.id)
            attempted.setdefault(key, set()).add(line.location_dest_id.id)
        self._flipkart_check_one_bin(attempted)
        self._flipkart_check_capacity(bins)

    def _flipkart_check_one_bin(self, attempted):
        products = sorted({product for product, _root in attempted})
        roots = sorted({root for _product, root in attempted})
        rows = self.env.execute_query(
            SQL(
                """
                SELECT q.product_id, b.flipkart_bin_root_id, q.location_id,
                       SUM(q.quantity)
                  FROM stock_quant q
                  JOIN stock_location b ON b.id = q.location_id
                 WHERE b.flipkart_bin_root_id = ANY(%s) AND q.product_id = ANY(%s)
                 GROUP BY q.product_id, b.flipkart_bin_root_id, q.location_id
                HAVING SUM(q.quantity) > 0
                """,
                roots,
                products,
            )
        )
        stocked = {}
        for product, root, bin_id, quantity in rows:
            if (product, root) in attempted:
                stocked.setdefault((product, root), {})[bin_id] = quantity
        for key, held in stocked.items():
            if len(held) > 1:
                self._flipkart_refuse_second_bin(key, held, attempted[key])
        # The bin each SKU now lives in, one upsert in a fixed order: the
        # unique (product, root) makes a concurrent second bin fail.
        assignments = [
            {"product": product, "root": root, "bin": next(iter(held))}
            for (product, root), held in sorted(stocked.items())
        ]
        if assignments:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO flipkart_smart_assignment AS a
                           (product_id, root_id, bin_id, company_id,
                            create_uid, create_date, write_uid, write_date)
                    SELECT v.product, v.root, v.bin, r.company_id,
                           %(uid)s, now() at time zone 'UTC',
                           %(uid)s, now() at time zone 'UTC'
                      FROM jsonb_to_recordset(%(rows)s::jsonb)
                           AS v(product int, root int, bin int)
                      JOIN stock_location r ON r.id = v.root
                     ORDER BY v.product, v.root
                    ON CONFLICT (product_id, root_id) DO UPDATE
                       SET bin_id = EXCLUDED.bin_id,
                           write_uid = EXCLUDED.write_uid,
                           write_date = EXCLUDED.write_date
                    """,
                    uid=self.env.uid,
                    rows=json.dumps(assignments),
                )
            )
            self.env["flipkart.smart.assignment"].invalidate_model()

    def _flipkart_refuse_second_bin(self, key, held, attempted):
        product = self.env["product.product"].browse(key[0])
        Location = self.env["stock.location"]
        tried = Location.browse(sorted(set(held) & attempted))
        kept = (
            Location.browse(sorted(set(held) - attempted))
            or Location.browse(sorted(held))[:1]
        )
        raise ValidationError(
            self.env._(
                "Flipkart Smart keeps a SKU in one bin: %(product)s is in bin "
                "%(bin)s (%(quantity)s units), so it cannot also go to bin "
                "%(tried)s. Put it in %(bin)s, or move all of it to %(tried)s.",
                product=product.display_name,
                bin=", ".join(kept.mapped("name")),
                quantity=sum(held[loc.id] for loc in kept),
                tried=", ".join(tried.mapped("name")),
            )
        )

    def _flipkart_check_capacity(self, bins):
        rows = self.env.execute_query(
            SQL(
                "SELECT location_id, SUM(quantity) FROM stock_quant "
                "WHERE location_id = ANY(%s) GROUP BY location_id",
                bins.ids,
            )
        )
        units = dict(rows)
        over = bins.filtered(lambda b: units.get(b.id, 0) > b.flipkart_bin_capacity)
        if over:
            raise ValidationError(
                self.env._(
                    "Flipkart Smart bins are full: %(bins)s.",
                    bins="; ".join(
                        self.env._(
                            "%(bin)s would hold %(units)s units, %(capacity)s at most",
                            bin=b.name,
                            units=units[b.id],
                            capacity=b.flipkart_bin_capacity,
                        )
                        for b in over
                    ),
                )
            )
