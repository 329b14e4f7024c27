#!/usr/bin/env python3
"""Benchmark: import N sandbox shipments into a real Odoo database.

Prints, measured in one run: seconds, shipments per second, API calls per
shipment (search and details), peak memory of the import, and the ratio of
the connector's time to creating and confirming the same N sale orders
(customers included) directly through the ORM.

    python3 -m odoo -d fkbench --addons-path=. -i flipkart_connector \\
        --without-demo=all --stop-after-init
    python3 benchmarks/order_import.py --db fkbench -n 2000

The given database is only a template: the run works on a scratch copy
that it drops at the end. Each side runs in its own transaction (rolled
back) after VACUUM ANALYZE, so neither pays for the other's dead rows.
Compare N=500 and N=2000 for memory that does not grow with N (peak
resident size gained during the import; run each N in its own process).
"""

import argparse
import resource
import sys
import time

from bench_setup import (
    admin_sql,
    create_seller,
    environment,
    report,
    scratch_database,
)

PARTNER_FIELDS = ["name", "street", "street2", "city", "zip", "state_id", "country_id"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--shipments", type=int, default=2000)
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        report(run(scratch, registry, args.shipments))
    return 0


def run(db, registry, n_shipments):
    from odoo import Command

    from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

    sandbox = Sandbox(
        seed=11,
        shipments=0,
        listings=50,
        locations=("LOC0001", "LOC0002"),
        apps={"bench-app": "bench-secret", "warmup-app": "warmup-secret"},
    )
    sandbox.add_shipments(n_shipments, location_id="LOC0001", hold=False)
    # A small import on another location first warms Odoo's caches (routes,
    # sequences, taxes) for both measurements alike.
    sandbox.add_shipments(20, location_id="LOC0002", hold=False)

    with SandboxServer(sandbox) as server:
        with registry.cursor() as cr:  # committed: the scratch copy's setup
            env, company, warehouse, (account, warmup) = create_seller(
                environment(cr),
                sandbox,
                server.base_url,
                (("bench", "LOC0001"), ("warmup", "LOC0002")),
            )
            env["flipkart.shipment.import"]._pull(warmup)
            ids = {
                "company": company.id,
                "warehouse": warehouse.id,
                "account": account.id,
            }

        admin_sql("VACUUM ANALYZE", db)
        sandbox.reset_calls()
        with registry.cursor() as cr:
            env = environment(cr, ids["company"])
            account = env["flipkart.account"].browse(ids["account"])
            # Memory as the growth of the process's peak resident size: a
            # tracer (tracemalloc) would slow the import down several times.
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            counts = env["flipkart.shipment.import"]._pull(account)
            env.flush_all()
            connector_seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
            orders = env["sale.order"].search(
                [("flipkart_account_id", "=", account.id)]
            )
            values = [
                (
                    order.partner_shipping_id.read(PARTNER_FIELDS, load=None)[0],
                    {
                        "company_id": ids["company"],
                        "warehouse_id": ids["warehouse"],
                        "client_order_ref": order.client_order_ref,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": line.product_id.id,
                                    "product_uom_qty": line.product_uom_qty,
                                    "price_unit": line.price_unit,
                                    "tax_id": [Command.set(line.tax_id.ids)],
                                }
                            )
                            for line in order.order_line
                        ],
                    },
                )
                for order in orders
            ]
            cr.rollback()
        searches = sandbox.count(path_prefix="/sellers/v3/shipments/filter")
        details = sandbox.count("GET") - sandbox.count(
            "GET", "/sellers/v3/shipments/filter"
        )

        # The baseline: the same customers and orders, created and confirmed
        # straight through the ORM.
        admin_sql("VACUUM ANALYZE", db)
        with registry.cursor() as cr:
            env = environment(cr, ids["company"])
            start = time.perf_counter()
            partners = env["res.partner"].create(
                [{k: v for k, v in p.items() if k != "id"} for p, _o in values]
            )
            env["sale.order"].create(
                [
                    dict(o, partner_id=partner.id)
                    for (_p, o), partner in zip(values, partners, strict=True)
                ]
            ).action_confirm()
            env.flush_all()
            orm_seconds = time.perf_counter() - start
            cr.rollback()

    n = counts["created"]
    return [
        ("shipments imported", f"{n} of {n_shipments}"),
        ("connector seconds", f"{connector_seconds:.2f}"),
        ("shipments per second", f"{n / connector_seconds:.1f}"),
        ("search calls", f"{searches} ({searches / max(n, 1) * 20:.2f} per 20)"),
        ("detail calls", f"{details} ({details / max(n, 1) * 100:.2f} per 100)"),
        ("peak memory growth (MiB)", f"{peak / 1024:.1f}"),
        ("ORM create+confirm seconds", f"{orm_seconds:.2f}"),
        ("ratio connector / ORM", f"{connector_seconds / orm_seconds:.2f}"),
    ]


if __name__ == "__main__":
    sys.exit(main())
