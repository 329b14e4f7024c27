from odoo import fields, models, tools


class FlipkartSmartBinReport(models.Model):
    """The bin planner: each Flipkart Smart bin's units, SKUs and fill."""

    _name = "flipkart.smart.bin.report"
    _description = "Flipkart Smart Bin Planner"
    _auto = False
    _order = "fill desc, bin_id"
    _rec_name = "bin_id"

    bin_id = fields.Many2one("stock.location", readonly=True)
    root_id = fields.Many2one("stock.location", string="Smart Root", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    capacity = fields.Integer(readonly=True)
    units = fields.Float(readonly=True, digits="Product Unit of Measure")
    free = fields.Float(
        string="Free Units", readonly=True, digits="Product Unit of Measure"
    )
    sku_count = fields.Integer(string="SKUs", readonly=True)
    fill = fields.Float(string="Fill (%)", readonly=True, aggregator="avg")
    missing = fields.Boolean(string="Missing from Flipkart's Export", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT b.id AS id,
                       b.id AS bin_id,
                       b.flipkart_bin_root_id AS root_id,
                       b.company_id AS company_id,
                       b.flipkart_bin_capacity AS capacity,
                       COALESCE(SUM(q.quantity), 0) AS units,
                       b.flipkart_bin_capacity - COALESCE(SUM(q.quantity), 0) AS free,
                       COUNT(DISTINCT q.product_id)
                           FILTER (WHERE q.quantity > 0) AS sku_count,
                       CASE WHEN b.flipkart_bin_capacity > 0
                            THEN 100.0 * COALESCE(SUM(q.quantity), 0)
                                 / b.flipkart_bin_capacity
                            ELSE 0 END AS fill,
                       b.flipkart_bin_missing AS missing
                  FROM stock_location b
                  LEFT JOIN stock_quant q ON q.location_id = b.id
                 WHERE b.flipkart_bin_root_id IS NOT NULL AND b.active
                 GROUP BY b.id
            )
            """
        )
