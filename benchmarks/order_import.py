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
import os
import resource
import sys
import time

import psycopg2

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTNER_FIELDS = ["name", "street", "street2", "city", "zip", "state_id", "country_id"]


def admin_sql(statement, dbname="postgres"):
    """Run a statement that cannot run inside a transaction."""
    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    try:
        conn.cursor().execute(statement)
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--shipments", type=int, default=2000)
    args = parser.parse_args()
    scratch = f"{args.db}_bench_{os.getpid()}"
    admin_sql(f'CREATE DATABASE "{scratch}" TEMPLATE "{args.db}"')
    try:
        rows = run(scratch, args.shipments)
    finally:
        import odoo

        odoo.sql_db.close_db(scratch)
        admin_sql(f'DROP DATABASE IF EXISTS "{scratch}"')
    # A report for a person: plain lines on standard output.
    sys.stdout.write("".join(f"{name + ':':<28}{value}\n" for name, value in rows))
    return 0


def run(db, n_shipments):
    import odoo
    from odoo import Command

    odoo.tools.config.parse_config(["-d", db, f"--addons-path={REPO}"])
    registry = odoo.modules.registry.Registry(db)
    from odoo.addons.flipkart_connector.flipkart.sandbox import Sandbox, SandboxServer

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

    def environment(cr, company_id=None):
        context = {"tracking_disable": True}
        if company_id:
            context["allowed_company_ids"] = [company_id]
        return odoo.api.Environment(cr, odoo.SUPERUSER_ID, context)

    with SandboxServer(sandbox) as server:
        with registry.cursor() as cr:  # committed: the scratch copy's setup
            env = environment(cr)
            company = env["res.company"].create(
                {
                    "name": "Benchmark Seller",
                    "country_id": env.ref("base.in").id,
                    "state_id": env.ref("base.state_in_ka").id,
                }
            )
            env.user.company_ids |= company
            env["account.chart.template"].try_loading(
                "in", company=company, install_demo=False
            )
            env = environment(cr, company.id)
            warehouse = env["stock.warehouse"].create(
                {"name": "Bengaluru", "code": "BLR", "company_id": company.id}
            )
            warehouse.partner_id.state_id = env.ref("base.state_in_ka")
            account, warmup = env["flipkart.account"].create(
                [
                    {
                        "name": name,
                        "company_id": company.id,
                        "environment": "sandbox",
                        "api_base_url": server.base_url,
                        "app_id": f"{name}-app",
                        "app_secret": f"{name}-secret",
                        "location_ids": [
                            Command.create(
                                {
                                    "flipkart_location_id": location,
                                    "warehouse_id": warehouse.id,
                                }
                            )
                        ],
                    }
                    for name, location in (("bench", "LOC0001"), ("warmup", "LOC0002"))
                ]
            )
            products = env["product.product"].create(
                [{"name": sku, "is_storable": True} for sku in sandbox.listings]
            )
            env["flipkart.listing"].create(
                [
                    {
                        "account_id": acc.id,
                        "seller_sku": sku,
                        "product_id": product.id,
                        "tax_rate": 18.0,
                    }
                    for acc in (account, warmup)
                    for sku, product in zip(sandbox.listings, products, strict=True)
                ]
            )
            warmup._import_orders()
            # The GST twins the import uses exist before both measurements
            # (one made inside the rolled-back import would vanish).
            Import = env["flipkart.shipment.import"]
            for prefix in ("sgst", "igst"):
                Import._included_variant(
                    env.ref(f"account.{company.id}_{prefix}_sale_18")
                )
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
            counts = account._import_orders()
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
