#!/usr/bin/env python3
"""Benchmark: import N sandbox shipments into a real Odoo database.

Prints, measured in one run: seconds, shipments per second, API calls per
shipment (search and details), peak memory of the import, and the ratio of
the connector's time to creating and confirming the same N sale orders
directly through the ORM. Everything happens in one transaction that is
rolled back: the database is left as it was.

    python3 benchmarks/order_import.py --db fkbench -n 2000

The database must have flipkart_connector installed, e.g.
    python3 -m odoo -d fkbench --addons-path=. -i flipkart_connector \
        --without-demo=all --stop-after-init
Compare N=500 and N=2000 for memory that does not grow with N.
"""

import argparse
import os
import sys
import time
import tracemalloc

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("-n", "--shipments", type=int, default=2000)
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the import to FILE"
    )
    args = parser.parse_args()

    import odoo
    from odoo import Command

    odoo.tools.config.parse_config(["-d", args.db, f"--addons-path={REPO}"])
    registry = odoo.modules.registry.Registry(args.db)
    from odoo.addons.flipkart_connector.flipkart.sandbox import Sandbox, SandboxServer

    sandbox = Sandbox(
        seed=11,
        shipments=0,
        listings=50,
        locations=("LOC0001", "LOC0002"),
        apps={"bench-app": "bench-secret", "warmup-app": "warmup-secret"},
    )
    sandbox.add_shipments(args.shipments, location_id="LOC0001", hold=False)
    # A small import on another location first warms Odoo's caches (routes,
    # sequences, taxes) for both measurements alike.
    sandbox.add_shipments(20, location_id="LOC0002", hold=False)
    with SandboxServer(sandbox) as server, registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
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
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
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
        # The GST twins both phases use exist before them (a savepoint
        # rollback would take them away from the other phase).
        Import = env["flipkart.shipment.import"]
        for prefix in ("sgst", "igst"):
            Import._included_variant(env.ref(f"account.{company.id}_{prefix}_sale_18"))
        env.flush_all()

        class Undo(Exception):
            """Raised to roll a savepoint back."""

        def undone(work):
            """Run ``work`` in a savepoint that is then rolled back."""
            result = {}
            try:
                with cr.savepoint():
                    result["value"] = work()
                    env.flush_all()
                    raise Undo
            except Undo:
                env.invalidate_all(flush=False)
            return result["value"]

        def import_values():
            """What the connector makes of the shipments, as plain values."""
            account._import_orders()
            orders = env["sale.order"].search(
                [("flipkart_account_id", "=", account.id)]
            )
            return [
                (
                    order.partner_id.read(
                        [
                            "name",
                            "street",
                            "city",
                            "zip",
                            "state_id",
                            "country_id",
                            "phone",
                        ],
                        load=None,
                    )[0],
                    {
                        "company_id": company.id,
                        "warehouse_id": warehouse.id,
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

        # Baseline first: the same customers and orders created and confirmed
        # straight through the ORM, then rolled back.
        values = undone(import_values)

        def baseline():
            start = time.perf_counter()
            partners = env["res.partner"].create(
                [{k: v for k, v in p.items() if k != "id"} for p, _o in values]
            )
            orders = env["sale.order"].create(
                [
                    dict(o, partner_id=partner.id)
                    for (_p, o), partner in zip(values, partners, strict=True)
                ]
            )
            orders.action_confirm()
            env.flush_all()
            return time.perf_counter() - start

        orm_seconds = undone(baseline)

        sandbox.reset_calls()
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        tracemalloc.start()
        start = time.perf_counter()
        counts = account._import_orders()
        env.flush_all()
        connector_seconds = time.perf_counter() - start
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        searches = sandbox.count(path_prefix="/sellers/v3/shipments/filter")
        details = sandbox.count("GET") - sandbox.count(
            "GET", "/sellers/v3/shipments/filter"
        )
        cr.rollback()

    n = counts["created"]
    rows = [
        ("shipments imported", f"{n} of {args.shipments}"),
        ("connector seconds", f"{connector_seconds:.2f}"),
        ("shipments per second", f"{n / connector_seconds:.1f}"),
        ("search calls", f"{searches} ({searches / max(n, 1) * 20:.2f} per 20)"),
        ("detail calls", f"{details} ({details / max(n, 1) * 100:.2f} per 100)"),
        ("peak traced memory (MiB)", f"{peak / 2**20:.1f}"),
        ("ORM create+confirm seconds", f"{orm_seconds:.2f}"),
        ("ratio connector / ORM", f"{connector_seconds / orm_seconds:.2f}"),
    ]
    # A report for a person: plain lines on standard output.
    sys.stdout.write("".join(f"{name + ':':<28}{value}\n" for name, value in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
