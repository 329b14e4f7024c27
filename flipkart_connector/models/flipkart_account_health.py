"""Account health: Flipkart's suspension rates watched from Odoo.

Per account and Flipkart location, over the account's rolling window and
over the current quarter: the seller cancellation rate, the RTD breach rate
and the reattempt rate (``flipkart/health.py`` says what each counts and
where the thresholds come from). One grouped query per kind of count, for
every account at once; the figures are kept in ``flipkart.account.health``
(one row per account, location, period and rate), and the account's
Responsible gets an activity when a rate turns amber or red.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..flipkart import health

PERIODS = [("rolling", "Rolling window"), ("quarter", "This quarter")]
STATUSES = [("green", "Green"), ("amber", "Amber"), ("red", "Red")]
METRIC_SELECTION = [(m.key, m.label) for m in health.METRICS]
# Shipments linked in an activity, at most.
LINKED = 20
# Flipkart's days and quarters are Indian (no daylight saving).
IST = timedelta(hours=5, minutes=30)
# A delivery (alias ``p``) that counts for the RTD breach rate once due...
RTD_COUNTED = SQL(
    "p.flipkart_shipment_id IS NOT NULL AND p.flipkart_return_id IS NULL"
    " AND p.state != 'cancel'"
)
# ...and breached it: not ready to dispatch by its dispatch-by date.
RTD_BREACHED = SQL(
    "(p.flipkart_rtd_at IS NULL OR p.flipkart_rtd_at > p.flipkart_dispatch_by)"
)
# The failed self-ship delivery attempts Flipkart accepted, one row each
# (account_id, shipment_id, processed_at): the attempt events' per-shipment
# results.
ACCEPTED_ATTEMPTS = SQL(
    """
    SELECT e.account_id, s.value->>'shipmentId' AS shipment_id, e.processed_at
      FROM flipkart_event e
     CROSS JOIN LATERAL jsonb_array_elements(e.payload::jsonb->'shipments') s
     WHERE e.kind = 'self_ship_attempt'
       AND e.direction = 'outbound'
       AND e.processed_at IS NOT NULL
       AND e.result::jsonb -> (s.value->>'shipmentId') ->> 'status' = 'SUCCESS'
    """
)


class FlipkartAccountHealth(models.Model):
    _name = "flipkart.account.health"
    _description = "Flipkart Account Health"
    _order = "account_id, location_id, period, metric"
    _rec_name = "metric"

    account_id = fields.Many2one(
        "flipkart.account", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    location_id = fields.Many2one("flipkart.location", ondelete="cascade")
    period = fields.Selection(PERIODS, required=True)
    metric = fields.Selection(METRIC_SELECTION, string="Rate", required=True)
    date_from = fields.Datetime(string="From", readonly=True)
    date_to = fields.Datetime(string="To", readonly=True)
    numerator = fields.Integer(string="Counted", readonly=True)
    denominator = fields.Integer(string="Out Of", readonly=True)
    rate = fields.Float(string="Rate (%)", digits=(16, 3), readonly=True)
    threshold = fields.Float(
        string="Suspension At (%)",
        digits=(16, 2),
        readonly=True,
        help="Flipkart suspends the account at this rate.",
    )
    gold_limit = fields.Float(
        string="Gold Below (%)",
        digits=(16, 2),
        readonly=True,
        help="Gold status needs the rate below this; 0: no guardrail.",
    )
    status = fields.Selection(STATUSES, readonly=True, default="green")
    computed_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "health_uniq",
            "unique(account_id, location_id, period, metric)",
            "One figure per account, location, period and rate.",
        ),
    ]

    # Computing ----------------------------------------------------------------

    @api.model
    def _cron_compute(self):
        accounts = self.env["flipkart.account"].search([("active", "=", True)])
        self._compute_for(accounts)

    @api.model
    def _compute_for(self, accounts, now=None):
        """Compute every rate of ``accounts``, keep them, raise activities
        for the rates that turned amber or red."""
        now = now or fields.Datetime.now()
        windows = self._windows(accounts, now)
        if not windows:
            return self.browse()
        counts = self._counts(windows, now)
        before = {
            (r.account_id.id, r.location_id.id, r.period, r.metric): r.status
            for r in self.search([("account_id", "in", accounts.ids)])
        }
        rows = []
        for account in accounts:
            for location in account.location_ids.filtered("active"):
                for period, start in windows[account.id].items():
                    for metric in health.METRICS:
                        num, den = counts.get(
                            (account.id, period, location.id, metric.key), (0, 0)
                        )
                        value = health.rate(num, den)
                        rows.append(
                            (account, location, period, start, metric, num, den, value)
                        )
        records = self._store(rows, now)
        turned = records.filtered(
            lambda r: (
                r.status != "green"
                and before.get((r.account_id.id, r.location_id.id, r.period, r.metric))
                != r.status
            )
        )
        turned._notify()
        return records

    @api.model
    def _windows(self, accounts, now):
        """``{account id: {period: start}}``; quarters begin in India."""
        quarter = health.quarter_start(now + IST) - IST
        return {
            account.id: {
                "rolling": now - timedelta(days=max(account.health_window_days, 1)),
                "quarter": quarter,
            }
            for account in accounts
        }

    @api.model
    def _seller_cancellations(self, account, location, now=None):
        """``(seller-cancelled, shipments)`` in ``account``'s rolling window
        at ``location``, as they stand now (one query)."""
        now = now or fields.Datetime.now()
        windows = {
            account.id: {"rolling": self._windows(account, now)[account.id]["rolling"]}
        }
        counts = self._counts(windows, now, ("seller_cancellation",))
        return counts.get(
            (account.id, "rolling", location.id, "seller_cancellation"), (0, 0)
        )

    @api.model
    def _counts(self, windows, now, metrics=None):
        """``{(account, period, location, metric): (numerator, denominator)}``
        in one grouped query per rate, over every account and period at once."""
        self.env.flush_all()
        values = SQL(", ").join(
            SQL("(%s, %s, %s::timestamp)", account_id, period, start)
            for account_id, periods in windows.items()
            for period, start in periods.items()
        )
        win = SQL("(VALUES %s) AS w(account_id, period, start)", values)
        counts = {}
        for metric, build in (
            ("seller_cancellation", self._orders_query),
            ("rtd_breach", self._rtd_query),
            ("reattempt", self._attempts_query),
        ):
            if metrics and metric not in metrics:
                continue
            query = build(win, now)
            for account_id, period, location_id, num, den in self.env.execute_query(
                query
            ):
                counts[(account_id, period, location_id, metric)] = (num, den)
        return counts

    def _orders_query(self, win, now):
        return SQL(
            """
            SELECT w.account_id, w.period, so.flipkart_location_id,
                   COUNT(*) FILTER (WHERE so.flipkart_seller_cancelled),
                   COUNT(*)
              FROM %(win)s
              JOIN sale_order so
                ON so.flipkart_account_id = w.account_id
               AND so.date_order >= w.start AND so.date_order < %(now)s
             WHERE so.flipkart_shipment_id IS NOT NULL
             GROUP BY 1, 2, 3
            """,
            win=win,
            now=now,
        )

    def _rtd_query(self, win, now):
        # Due in the window (dispatch-by passed), and not ready by then.
        return SQL(
            """
            SELECT w.account_id, w.period, so.flipkart_location_id,
                   COUNT(*) FILTER (WHERE %(breached)s),
                   COUNT(*)
              FROM %(win)s
              JOIN stock_picking p
                ON p.flipkart_account_id = w.account_id
               AND p.flipkart_dispatch_by >= w.start
               AND p.flipkart_dispatch_by < %(now)s
              JOIN sale_order so ON so.id = p.sale_id
             WHERE %(counted)s
             GROUP BY 1, 2, 3
            """,
            breached=RTD_BREACHED,
            counted=RTD_COUNTED,
            win=win,
            now=now,
        )

    def _attempts_query(self, win, now):
        # Failed delivery attempts Flipkart accepted (the self-ship attempt
        # events' per-shipment results) against self-ship shipments
        # dispatched in the window.
        return SQL(
            """
            WITH attempts AS (%(attempts)s), dispatched AS (
                SELECT w.account_id, w.period, so.flipkart_location_id AS location_id,
                       COUNT(*) AS shipments
                  FROM %(win)s
                  JOIN stock_picking p
                    ON p.flipkart_account_id = w.account_id
                   AND p.flipkart_self_ship
                   AND p.flipkart_rtd_at >= w.start AND p.flipkart_rtd_at < %(now)s
                  JOIN sale_order so ON so.id = p.sale_id
                 WHERE p.flipkart_return_id IS NULL
                 GROUP BY 1, 2, 3
            ), failed AS (
                SELECT w.account_id, w.period, so.flipkart_location_id AS location_id,
                       COUNT(*) AS attempts
                  FROM %(win)s
                  JOIN attempts a
                    ON a.account_id = w.account_id
                   AND a.processed_at >= w.start AND a.processed_at < %(now)s
                  JOIN sale_order so
                    ON so.flipkart_account_id = a.account_id
                   AND so.flipkart_shipment_id = a.shipment_id
                 GROUP BY 1, 2, 3
            )
            SELECT COALESCE(d.account_id, f.account_id),
                   COALESCE(d.period, f.period),
                   COALESCE(d.location_id, f.location_id),
                   COALESCE(f.attempts, 0), COALESCE(d.shipments, 0)
              FROM dispatched d
              FULL JOIN failed f
                ON f.account_id = d.account_id AND f.period = d.period
               AND f.location_id = d.location_id
            """,
            attempts=ACCEPTED_ATTEMPTS,
            win=win,
            now=now,
        )

    @api.model
    def _store(self, rows, now):
        """Write the figures in one statement (an upsert per row)."""
        if not rows:
            return self.browse()
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s)",
                account.id,
                account.company_id.id,
                location.id,
                period,
                metric.key,
                start,
                now,
                num,
                den,
                value,
                metric.suspension,
                metric.gold or 0.0,
                health.status(value, metric.suspension),
                now,
                self.env.uid,
                now,
                self.env.uid,
                now,
            )
            for account, location, period, start, metric, num, den, value in rows
        )
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO flipkart_account_health (
                        account_id, company_id, location_id, period, metric,
                        date_from, date_to, numerator, denominator, rate,
                        threshold, gold_limit, status, computed_at,
                        create_uid, create_date, write_uid, write_date
                    )
                    VALUES %s
                    ON CONFLICT (account_id, location_id, period, metric)
                    DO UPDATE SET
                        date_from = EXCLUDED.date_from,
                        date_to = EXCLUDED.date_to,
                        numerator = EXCLUDED.numerator,
                        denominator = EXCLUDED.denominator,
                        rate = EXCLUDED.rate,
                        threshold = EXCLUDED.threshold,
                        gold_limit = EXCLUDED.gold_limit,
                        status = EXCLUDED.status,
                        computed_at = EXCLUDED.computed_at,
                        write_uid = EXCLUDED.write_uid,
                        write_date = EXCLUDED.write_date
                    RETURNING id
                    """,
                    values,
                )
            )
        ]
        self.invalidate_model()
        return self.browse(ids)

    # Telling ------------------------------------------------------------------

    def _notify(self):
        """One activity per figure that turned amber or red, on its
        account, linking the shipments that count against it."""
        for record in self:
            metric = health.BY_KEY[record.metric]
            account = record.account_id
            orders = record._culprits()
            links = Markup(", ").join(
                Markup('<a href="/odoo/sale.order/%s">%s</a>')
                % (order.id, order.flipkart_shipment_id or order.name)
                for order in orders[:LINKED]
            )
            note = Markup("<p>%s</p><p>%s</p>") % (
                self.env._(
                    "%(rate)s at %(location)s (%(period)s) is %(value)s %%: "
                    "%(status)s. Flipkart suspends at %(threshold)s %% (for at "
                    "least %(days)s day(s)).",
                    rate=metric.label,
                    location=record.location_id.display_name,
                    period=dict(PERIODS)[record.period],
                    value=f"{record.rate:.2f}",
                    status=dict(STATUSES)[record.status],
                    threshold=f"{metric.suspension:g}",
                    days=metric.suspension_days,
                ),
                links or self.env._("No shipment to link."),
            )
            summary = self.env._(
                "Flipkart %(rate)s %(status)s at %(location)s",
                rate=metric.label,
                status=dict(STATUSES)[record.status].lower(),
                location=record.location_id.flipkart_location_id,
            )
            # The same news still open (the other period, a flip back and
            # forth): it is brought up to date, not repeated.
            open_ = account.activity_ids.filtered(lambda a, s=summary: a.summary == s)
            if open_:
                open_.note = note
                continue
            account.activity_schedule(
                act_type_xmlid="mail.mail_activity_data_todo",
                summary=summary,
                note=note,
                user_id=(account.user_id or self.env.user).id,
            )

    def _culprits(self):
        """The orders counting against this figure in its window."""
        self.ensure_one()
        if self.metric == "seller_cancellation":
            return self.env["sale.order"].search(
                [
                    ("flipkart_account_id", "=", self.account_id.id),
                    ("flipkart_location_id", "=", self.location_id.id),
                    ("flipkart_shipment_id", "!=", False),
                    ("flipkart_seller_cancelled", "=", True),
                    ("date_order", ">=", self.date_from),
                    ("date_order", "<", self.date_to),
                ],
                limit=LINKED,
            )
        if self.metric == "rtd_breach":
            # Two dates compared: SQL, and only the few to link.
            return self._orders_of(
                """
                SELECT p.sale_id
                  FROM stock_picking p
                  JOIN sale_order so ON so.id = p.sale_id
                 WHERE p.flipkart_account_id = %(account)s
                   AND so.flipkart_location_id = %(location)s
                   AND p.flipkart_dispatch_by >= %(start)s
                   AND p.flipkart_dispatch_by < %(end)s
                   AND %(counted)s AND %(breached)s
                 ORDER BY p.flipkart_dispatch_by DESC
                 LIMIT %(limit)s
                """,
                counted=RTD_COUNTED,
                breached=RTD_BREACHED,
            )
        # Reattempts: the orders whose failed attempts Flipkart accepted.
        return self._orders_of(
            """
            SELECT DISTINCT so.id
              FROM (%(attempts)s) a
              JOIN sale_order so
                ON so.flipkart_account_id = a.account_id
               AND so.flipkart_shipment_id = a.shipment_id
             WHERE a.account_id = %(account)s
               AND so.flipkart_location_id = %(location)s
               AND a.processed_at >= %(start)s AND a.processed_at < %(end)s
             LIMIT %(limit)s
            """,
            attempts=ACCEPTED_ATTEMPTS,
        )

    def _orders_of(self, query, **fragments):
        """The sale orders a culprit query (ids in its first column) finds
        for this figure: its account, location and window."""
        rows = self.env.execute_query(
            SQL(
                query,
                account=self.account_id.id,
                location=self.location_id.id,
                start=self.date_from,
                end=self.date_to,
                limit=LINKED,
                **fragments,
            )
        )
        return self.env["sale.order"].browse([row[0] for row in rows])


class FlipkartAccountHealthDaily(models.Model):
    """The same counts day by day (Indian days), for the trend graph (an
    SQL view)."""

    _name = "flipkart.account.health.daily"
    _description = "Flipkart Account Health by Day"
    _auto = False
    _order = "day desc"
    _rec_name = "day"
    _depends = {
        "sale.order": [
            "flipkart_account_id",
            "flipkart_location_id",
            "flipkart_shipment_id",
            "flipkart_seller_cancelled",
            "date_order",
        ],
        "stock.picking": [
            "flipkart_account_id",
            "flipkart_shipment_id",
            "flipkart_dispatch_by",
            "flipkart_rtd_at",
            "flipkart_self_ship",
            "flipkart_return_id",
            "state",
            "sale_id",
        ],
        "flipkart.event": ["kind", "direction", "payload", "result", "processed_at"],
    }

    account_id = fields.Many2one("flipkart.account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    location_id = fields.Many2one("flipkart.location", readonly=True)
    day = fields.Date(readonly=True)
    shipments = fields.Integer(string="Shipments Ordered", readonly=True)
    seller_cancelled = fields.Integer(readonly=True)
    due = fields.Integer(string="Shipments Due", readonly=True)
    breached = fields.Integer(string="RTD Breaches", readonly=True)
    self_ship_dispatched = fields.Integer(readonly=True)
    reattempts = fields.Integer(readonly=True)
    cancellation_rate = fields.Float(
        string="Seller Cancellation Rate (%)", aggregator="avg", readonly=True
    )
    breach_rate = fields.Float(
        string="RTD Breach Rate (%)", aggregator="avg", readonly=True
    )
    reattempt_rate = fields.Float(
        string="Reattempt Rate (%)", aggregator="avg", readonly=True
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW flipkart_account_health_daily AS
                WITH counts AS (
                    SELECT so.flipkart_account_id AS account_id,
                           so.flipkart_location_id AS location_id,
                           (so.date_order
                            + interval '5 hours 30 minutes')::date AS day,
                           1 AS shipments,
                           so.flipkart_seller_cancelled::int AS seller_cancelled,
                           0 AS due, 0 AS breached,
                           0 AS self_ship_dispatched, 0 AS reattempts
                      FROM sale_order so
                     WHERE so.flipkart_shipment_id IS NOT NULL
                    UNION ALL
                    SELECT p.flipkart_account_id, so.flipkart_location_id,
                           (p.flipkart_dispatch_by
                            + interval '5 hours 30 minutes')::date, 0, 0, 1,
                           %(breached)s::int, 0, 0
                      FROM stock_picking p
                      JOIN sale_order so ON so.id = p.sale_id
                     WHERE %(counted)s
                       AND p.flipkart_dispatch_by < now() AT TIME ZONE 'UTC'
                    UNION ALL
                    SELECT p.flipkart_account_id, so.flipkart_location_id,
                           (p.flipkart_rtd_at
                            + interval '5 hours 30 minutes')::date, 0, 0, 0, 0, 1, 0
                      FROM stock_picking p
                      JOIN sale_order so ON so.id = p.sale_id
                     WHERE p.flipkart_self_ship AND p.flipkart_rtd_at IS NOT NULL
                       AND p.flipkart_return_id IS NULL
                    UNION ALL
                    SELECT a.account_id, so.flipkart_location_id,
                           (a.processed_at
                            + interval '5 hours 30 minutes')::date, 0, 0, 0, 0, 0, 1
                      FROM (%(attempts)s) a
                      JOIN sale_order so
                        ON so.flipkart_account_id = a.account_id
                       AND so.flipkart_shipment_id = a.shipment_id
                )
                SELECT row_number() OVER (
                           ORDER BY c.account_id, c.location_id, c.day) AS id,
                       c.account_id, a.company_id, c.location_id, c.day,
                       SUM(c.shipments) AS shipments,
                       SUM(c.seller_cancelled) AS seller_cancelled,
                       SUM(c.due) AS due,
                       SUM(c.breached) AS breached,
                       SUM(c.self_ship_dispatched) AS self_ship_dispatched,
                       SUM(c.reattempts) AS reattempts,
                       COALESCE(100.0 * SUM(c.seller_cancelled)
                                / NULLIF(SUM(c.shipments), 0), 0)
                           AS cancellation_rate,
                       COALESCE(100.0 * SUM(c.breached) / NULLIF(SUM(c.due), 0), 0)
                           AS breach_rate,
                       COALESCE(100.0 * SUM(c.reattempts)
                                / NULLIF(SUM(c.self_ship_dispatched), 0), 0)
                           AS reattempt_rate
                  FROM counts c
                  JOIN flipkart_account a ON a.id = c.account_id
                 GROUP BY c.account_id, a.company_id, c.location_id, c.day
                """,
                attempts=ACCEPTED_ATTEMPTS,
                breached=RTD_BREACHED,
                counted=RTD_COUNTED,
            )
        )
