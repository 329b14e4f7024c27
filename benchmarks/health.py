#!/usr/bin/env python3
"""Benchmark: Flipkart account health over N shipments.

Prints, measured in one run: seconds and queries to compute the three
suspension rates (seller cancellations, RTD breaches, reattempts) of one
account with two locations, over its rolling window and the quarter, when
it has N shipments (target: under 2 s for 100,000), beside the same for
N / 10 to show how it grows.

    python3 -m odoo -d fkbench --addons-path=. \\
        -i flipkart_connector,flipkart_smart_bins --without-demo=all --stop-after-init
    python3 benchmarks/health.py --db fkbench -n 100000

The given database is only a template: the run works on a scratch copy
that it drops at the end. The shipments are copies of one imported-like
order and its delivery made in SQL (spread over 80 days, one in 401
cancelled by the seller, one in 149 late, one in 7 self-shipped, with a
failed delivery attempt for one self-ship shipment in 101).
"""

import argparse
import time

from bench_setup import admin_sql, environment, report, scratch_database


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--shipments", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        report(run(scratch, registry, args.shipments))
    return 0


def run(db, registry, n):
    rows = []
    ids = seed(registry, n // 10)
    admin_sql("VACUUM ANALYZE", db)
    small = measure(registry, ids)
    grow(registry, ids, n - n // 10)
    admin_sql("VACUUM ANALYZE", db)
    large = measure(registry, ids)
    rows += [
        ("shipments", f"{n // 10} / {n}"),
        ("seconds", f"{small[0]:.2f} / {large[0]:.2f} (target < 2 at 100,000)"),
        ("queries", f"{small[1]} / {large[1]}"),
        ("figures kept", large[2]),
        ("rates (rolling, LOC0001)", large[3]),
    ]
    return rows


def seed(registry, n):
    """An account with two locations and one order + delivery to copy."""
    with registry.cursor() as cr:
        env = environment(cr)
        company = env.company
        env = environment(cr, company.id)
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        account = env["flipkart.account"].create(
            {
                "name": "Health bench",
                "environment": "sandbox",
                "app_id": "health-bench",
                "company_id": company.id,
                "location_ids": [
                    (0, 0, {"flipkart_location_id": code, "warehouse_id": warehouse.id})
                    for code in ("LOC0001", "LOC0002")
                ],
            }
        )
        product = env["product.product"].create(
            {"name": "Bench product", "is_storable": True}
        )
        partner = env["res.partner"].create({"name": "Bench buyer"})
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "warehouse_id": warehouse.id,
                "flipkart_account_id": account.id,
                "flipkart_location_id": account.location_ids[0].id,
                "flipkart_shipment_id": "TEMPLATE",
                "order_line": [(0, 0, {"product_id": product.id})],
            }
        )
        order.action_confirm()
        ids = {
            "account": account.id,
            "company": company.id,
            "locations": account.location_ids.ids,
            "order": order.id,
            "picking": order.picking_ids.id,
            "next": 1,
        }
    grow(registry, ids, n)
    return ids


def _columns(cr, table, skip):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [c for (c,) in cr.fetchall() if c not in skip]


def grow(registry, ids, n):
    """``n`` more shipments: orders, deliveries and attempt events, in SQL."""
    first, last = ids["next"], ids["next"] + n - 1
    ids["next"] = last + 1
    with registry.cursor() as cr:
        skip = {
            "id",
            "name",
            "flipkart_shipment_id",
            "flipkart_order_id",
            "flipkart_location_id",
            "flipkart_seller_cancelled",
            "date_order",
        }
        cols = ", ".join(f'"{c}"' for c in _columns(cr, "sale_order", skip))
        cr.execute(
            f"""
            INSERT INTO sale_order ({cols}, name, flipkart_shipment_id,
                flipkart_order_id, flipkart_location_id, flipkart_seller_cancelled,
                date_order)
            SELECT {cols}, 'BENCH/' || n, 'SH-' || n, 'OD-' || n,
                   (%(locations)s::int[])[1 + n %% 2], n %% 401 = 0,
                   now() at time zone 'UTC' - (n %% 80) * interval '1 day'
              FROM sale_order, generate_series(%(first)s, %(last)s) n
             WHERE id = %(order)s
            """,
            dict(ids, first=first, last=last),
        )
        skip = {
            "id",
            "name",
            "sale_id",
            "flipkart_shipment_id",
            "flipkart_dispatch_by",
            "flipkart_rtd_at",
            "flipkart_self_ship",
        }
        columns = _columns(cr, "stock_picking", skip)
        cols = ", ".join(f'"{c}"' for c in columns)
        template_cols = ", ".join(f'tp."{c}"' for c in columns)
        cr.execute(
            f"""
            INSERT INTO stock_picking ({cols}, name, sale_id, flipkart_shipment_id,
                flipkart_dispatch_by, flipkart_rtd_at, flipkart_self_ship)
            SELECT {template_cols}, 'BP/' || so.n, so.id, so.flipkart_shipment_id,
                   so.date_order + interval '1 day',
                   so.date_order + CASE WHEN so.n %% 149 = 0
                       THEN interval '30 hours' ELSE interval '20 hours' END,
                   so.n %% 7 = 0
              FROM stock_picking tp,
                   (SELECT *, substr(name, 7)::int AS n FROM sale_order
                     WHERE name LIKE 'BENCH/%%') so
             WHERE tp.id = %(picking)s
               AND so.n BETWEEN %(first)s AND %(last)s
            """,
            dict(ids, first=first, last=last),
        )
        cr.execute(
            """
            INSERT INTO flipkart_event (account_id, company_id, kind, direction,
                idempotency_key, payload, result, state, attempts, processed_at)
            SELECT %(account)s, %(company)s, 'self_ship_attempt', 'outbound',
                   'attempt:' || so.flipkart_shipment_id,
                   json_build_object('shipments', json_build_array(
                       json_build_object('shipmentId', so.flipkart_shipment_id)))::text,
                   json_build_object(so.flipkart_shipment_id,
                       json_build_object('status', 'SUCCESS'))::text,
                   'done', 1, so.date_order + interval '2 days'
              FROM sale_order so
             WHERE so.name LIKE 'BENCH/%%'
               AND substr(so.name, 7)::int BETWEEN %(first)s AND %(last)s
               AND substr(so.name, 7)::int %% 707 = 0
            """,
            dict(ids, first=first, last=last),
        )
    return ids


def measure(registry, ids):
    """(seconds, queries, figures, rates) of one computation, rolled back."""
    with registry.cursor() as cr:
        env = environment(cr, ids["company"])
        account = env["flipkart.account"].browse(ids["account"])
        Health = env["flipkart.account.health"]
        env.invalidate_all()
        before = cr.sql_log_count
        start = time.perf_counter()
        figures = Health._compute_for(account)
        env.flush_all()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - before
        rolling = figures.filtered(
            lambda f: f.period == "rolling" and f.location_id.id == ids["locations"][0]
        )
        rates = ", ".join(f"{f.metric} {f.rate:.2f} %" for f in rolling)
        count = len(figures)
        cr.rollback()
    return seconds, queries, count, rates


if __name__ == "__main__":
    raise SystemExit(main())
