import json
from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from .common import FulfilmentCase

T0 = datetime(2026, 11, 30, 12, 0, 0)
HOUR = timedelta(hours=1)


@tagged("post_install", "-at_install")
class TestAccountHealth(FulfilmentCase):
    """Flipkart's suspension rates on a known set of shipments, at a fixed
    time (T0), computed by hand beside each assertion."""

    def setUp(self):
        super().setUp()
        self.startPatcher(freeze_time(T0))
        self.Health = self.env["flipkart.account.health"]
        # Ten orders of the day before, at LOC0001, none due yet.
        self.pickings = self.shipments(10)
        self.pickings.sale_id.write({"date_order": T0 - timedelta(days=1)})
        self.pickings.write({"flipkart_dispatch_by": T0 + timedelta(days=1)})

    def set_state(self, pickings, state, at):
        with freeze_time(at):
            pickings.write({"flipkart_state": state})

    def figure(self, metric, period="rolling"):
        return self.Health.search(
            [
                ("account_id", "=", self.account.id),
                ("period", "=", period),
                ("metric", "=", metric),
            ]
        )

    def attempt(self, picking, status):
        self.env["flipkart.event"].create(
            {
                "account_id": self.account.id,
                "kind": "self_ship_attempt",
                "direction": "outbound",
                "idempotency_key": f"attempt:{picking.id}:{status}",
                "payload": json.dumps(
                    {"shipments": [{"shipmentId": picking.flipkart_shipment_id}]}
                ),
                "result": json.dumps(
                    {picking.flipkart_shipment_id: {"status": status}}
                ),
                "state": "done" if status == "SUCCESS" else "error",
                "processed_at": T0 - 2 * HOUR,
            }
        )

    def clone_orders(self, order, count):
        """``count`` more orders like ``order`` (SQL copies: a realistic
        denominator without importing hundreds)."""
        self.env.flush_all()
        columns = [
            name
            for (name,) in self.env.execute_query(
                SQL(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = 'sale_order' AND column_name NOT IN "
                    "('id', 'name', 'flipkart_shipment_id', 'flipkart_order_id', "
                    "'flipkart_seller_cancelled')"
                )
            )
        ]
        cols = SQL(", ").join(SQL.identifier(c) for c in columns)
        self.env.execute_query(
            SQL(
                """
                INSERT INTO sale_order (%(cols)s, name, flipkart_shipment_id,
                                        flipkart_order_id, flipkart_seller_cancelled)
                SELECT %(cols)s, 'CLONE/' || n, 'CLONE-' || n, 'OD-CLONE-' || n, false
                  FROM sale_order, generate_series(1, %(count)s) n
                 WHERE id = %(id)s
                """,
                cols=cols,
                count=count,
                id=order.id,
            )
        )

    def test_the_three_rates_equal_hand_computed_figures(self):
        # Seller cancellations: 1 of the 10 orders -> 10 %.
        self.pickings[0].sale_id.flipkart_seller_cancelled = True
        # RTD: five deliveries were due two hours ago. Three were ready an
        # hour before that, one an hour late, one is not ready: 2 of 5.
        due = self.pickings[1:6]
        due.write({"flipkart_dispatch_by": T0 - 2 * HOUR})
        self.set_state(due[:3], "READY_TO_DISPATCH", T0 - 3 * HOUR)
        self.set_state(due[3], "READY_TO_DISPATCH", T0 - HOUR)
        # Reattempts: two self-ship deliveries dispatched today, one failed
        # attempt accepted by Flipkart (one refused does not count): 1 of 2.
        own = self.pickings[6:8]
        own.write({"flipkart_self_ship": True})
        self.set_state(own, "SHIPPED", T0 - 5 * HOUR)
        self.attempt(own[0], "SUCCESS")
        self.attempt(own[1], "FAILURE")
        self.Health._compute_for(self.account)
        for period in ("rolling", "quarter"):
            expected = {
                "seller_cancellation": (1, 10, 10.0),
                "rtd_breach": (2, 5, 40.0),
                "reattempt": (1, 2, 50.0),
            }
            for metric, (num, den, rate) in expected.items():
                figure = self.figure(metric, period)
                self.assertEqual(
                    (figure.numerator, figure.denominator, figure.rate),
                    (num, den, rate),
                    f"{metric} over {period}",
                )
                self.assertEqual(figure.status, "red")
        # The To-Do links the orders with a failed attempt, not every one.
        todo = self.account.activity_ids.filtered(
            lambda a: a.summary == "Flipkart Reattempt rate red at LOC0001"
        )
        self.assertIn(own[0].flipkart_shipment_id, str(todo.note))
        self.assertNotIn(own[1].flipkart_shipment_id, str(todo.note))
        self.env.flush_all()
        (today,) = self.env["flipkart.account.health.daily"].search(
            [("account_id", "=", self.account.id), ("day", "=", T0.date())]
        )
        self.assertEqual((today.self_ship_dispatched, today.reattempts), (2, 1))
        self.assertEqual(self.figure("rtd_breach").threshold, 0.5)
        self.assertEqual(self.figure("seller_cancellation").gold_limit, 0.15)
        # Orders older than the rolling window count for the quarter only.
        self.pickings[:2].sale_id.write({"date_order": T0 - timedelta(days=40)})
        self.Health._compute_for(self.account)
        self.assertEqual(self.figure("seller_cancellation").denominator, 8)
        self.assertEqual(self.figure("seller_cancellation", "quarter").denominator, 10)

    def test_amber_and_red_raise_one_activity_each(self):
        order = self.pickings[0].sale_id
        self.clone_orders(order, 440)  # 450 shipments
        order.flipkart_seller_cancelled = True  # 1 of 450: 0.22 %, amber
        activities = self.account.activity_ids
        self.Health._compute_for(self.account)
        self.assertEqual(self.figure("seller_cancellation").status, "amber")
        new = self.account.activity_ids - activities
        self.assertEqual(len(new), 1, "one, though the quarter is amber too")
        self.assertIn("amber at LOC0001", new.summary)
        self.assertIn(order.flipkart_shipment_id, str(new.note))
        self.Health._compute_for(self.account)
        self.assertEqual(self.account.activity_ids - activities, new, "once")
        # One more cancellation: 2 of 450, 0.44 %: red, once.
        self.pickings[1].sale_id.flipkart_seller_cancelled = True
        self.Health._compute_for(self.account)
        self.Health._compute_for(self.account)
        red = self.account.activity_ids - activities - new
        self.assertEqual(len(red), 1)
        self.assertIn("red", red.summary)

    def test_the_board_shows_the_least_time_left_first_and_what_blocks(self):
        late, soon, later = self.pickings[:3]
        late.write({"flipkart_dispatch_by": T0 - HOUR})
        soon.write({"flipkart_dispatch_by": T0 + HOUR, "flipkart_hold": True})
        later.write({"flipkart_dispatch_by": T0 + 5 * HOUR})
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.stock_picking_action_flipkart_sla"
        )
        view = self.env.ref("flipkart_connector.stock_picking_view_list_flipkart_sla")
        order = etree.fromstring(view.arch).get("default_order")
        board = self.env["stock.picking"].search(
            [*safe_eval(action["domain"]), ("id", "in", self.pickings.ids)],
            order=order,  # noqa: S307
        )
        self.assertEqual(board[:3], late | soon | later)
        self.assertEqual(list(board[:3]), [late, soon, later])
        self.assertAlmostEqual(late.flipkart_hours_left, -1.0)
        self.assertEqual(soon.flipkart_blocker, "On hold at Flipkart")
        Picking = self.env["stock.picking"]
        mine = [("id", "in", self.pickings.ids)]
        self.assertEqual(
            Picking.search([*mine, ("flipkart_breached", "=", True)]), late
        )
        self.assertEqual(
            Picking.search([*mine, ("flipkart_breach_soon", "=", True)]), soon
        )
        # Ready to dispatch: off the board.
        self.set_state(later, "READY_TO_DISPATCH", T0)
        self.assertNotIn(
            later,
            self.env["stock.picking"].search(safe_eval(action["domain"])),
        )

    def test_the_cancellation_wizard_shows_the_rate_it_would_bring(self):
        order = self.pickings[0].sale_id
        wizard = Form(
            self.env["flipkart.seller.cancel.wizard"].with_context(
                default_order_id=order.id
            )
        )
        self.assertIn("0.00 % now (0 of 10 shipments)", wizard.projected_rate)
        self.assertIn(
            "10.00 % after this cancellation (1 of 10)", wizard.projected_rate
        )
        self.assertIn("suspends at 0.25 %", wizard.projected_rate)
        self.assertEqual(wizard.projected_status, "red")

    def test_the_trend_counts_each_day(self):
        self.pickings[0].sale_id.flipkart_seller_cancelled = True
        due = self.pickings[1:3]
        due.write({"flipkart_dispatch_by": T0 - 2 * HOUR})
        self.set_state(due[0], "READY_TO_DISPATCH", T0 - 3 * HOUR)
        self.env.flush_all()
        Daily = self.env["flipkart.account.health.daily"]
        mine = [("account_id", "=", self.account.id)]
        (ordered,) = Daily.search(
            [*mine, ("day", "=", (T0 - timedelta(days=1)).date())]
        )
        self.assertEqual((ordered.shipments, ordered.seller_cancelled), (10, 1))
        self.assertEqual(ordered.cancellation_rate, 10.0)
        (today,) = Daily.search([*mine, ("day", "=", T0.date())])
        self.assertEqual((today.due, today.breached, today.breach_rate), (2, 1, 50.0))

    def test_a_shipment_first_seen_dispatched_is_no_breach(self):
        late_import = self.pickings[9]
        late_import.write(
            {"flipkart_state": False, "flipkart_dispatch_by": T0 - 2 * HOUR}
        )
        self.set_state(late_import, "SHIPPED", T0)
        self.assertEqual(late_import.flipkart_rtd_at, T0 - 2 * HOUR)
        # Seen late by Odoo while it knew the shipment: a breach.
        seen = self.pickings[8]
        seen.write({"flipkart_dispatch_by": T0 - 2 * HOUR})
        self.set_state(seen, "READY_TO_DISPATCH", T0)
        self.Health._compute_for(self.account)
        figure = self.figure("rtd_breach")
        self.assertEqual((figure.numerator, figure.denominator), (1, 2))
