#!/usr/bin/env python3
"""Benchmark: stock quantities, push and reconciliation for N listings.

Prints, measured in one run on N mapped listings over 2 Flipkart locations
(2 warehouses): seconds to compute every quantity, beside a plain
``read_group`` of the same quants (the floor any computation pays); API calls
and seconds of a full push (target: exactly ceil(N/10)), of a push after 1%
of the stock changed (target: ceil(changed/10)), and of a reconciliation
(target: ceil(N/10) reads).

    python3 -m odoo -d fkbench --addons-path=. -i flipkart_connector \\
        --without-demo=all --stop-after-init
    python3 benchmarks/inventory.py --db fkbench -n 20000

The given database is only a template: the run works on a scratch copy
that it drops at the end.
"""

import argparse
import math
import sys
import time

from bench_setup import (
    admin_sql,
    create_seller,
    environment,
    report,
    scratch_database,
)

UPDATE = "/sellers/listings/v3/update/inventory"
GET = "/sellers/listings/v3/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--listings", type=int, default=20000)
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        report(run(scratch, registry, args.listings))
    return 0


def run(db, registry, n_listings):
    from odoo import Command

    from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

    sandbox = Sandbox(
        seed=17,
        shipments=0,
        listings=n_listings,
        locations=("LOC0001", "LOC0002"),
        apps={"bench-app": "bench-secret"},
    )
    with SandboxServer(sandbox) as server:
        with registry.cursor() as cr:  # committed: the scratch copy's setup
            env, company, warehouse, (account,) = create_seller(
                environment(cr), sandbox, server.base_url, (("bench", "LOC0001"),)
            )
            second = env["stock.warehouse"].create(
                {"name": "Delhi", "code": "DEL", "company_id": company.id}
            )
            account.write(
                {
                    "inventory_sync": True,
                    "location_ids": [
                        Command.create(
                            {
                                "flipkart_location_id": "LOC0002",
                                "warehouse_id": second.id,
                            }
                        )
                    ],
                }
            )
            listings = env["flipkart.listing"].search([("account_id", "=", account.id)])
            products = listings.product_id
            stock = [warehouse.lot_stock_id, second.lot_stock_id]
            env["stock.quant"].sudo().create(
                [
                    {
                        "product_id": product.id,
                        "location_id": location.id,
                        "quantity": (product.id * 7 + location.id) % 40,
                    }
                    for product in products
                    for location in stock
                ]
            )
            ids = {
                "company": company.id,
                "account": account.id,
                "products": products.ids,
                "stock": [location.id for location in stock],
            }

        admin_sql("VACUUM ANALYZE", db)
        with registry.cursor() as cr:
            env = environment(cr, ids["company"])
            account = env["flipkart.account"].browse(ids["account"])
            Inventory = env["flipkart.inventory"]
            start = time.perf_counter()
            quantities = Inventory._compute(account)
            compute_seconds = time.perf_counter() - start
            start = time.perf_counter()
            env["stock.quant"]._read_group(
                [
                    ("product_id", "in", ids["products"]),
                    ("location_id", "child_of", ids["stock"]),
                ],
                ["product_id", "location_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
            read_group_seconds = time.perf_counter() - start

            sandbox.reset_calls()
            start = time.perf_counter()
            full = Inventory._push(account, full=True)
            full_seconds = time.perf_counter() - start
            full_calls = sandbox.count("POST", UPDATE)

            # 1% of the products change stock in one warehouse.
            changed = env["product.product"].browse(
                ids["products"][: max(1, len(ids["products"]) // 100)]
            )
            location = env["stock.location"].browse(ids["stock"][0])
            for product in changed:
                env["stock.quant"]._update_available_quantity(product, location, 3)
            sandbox.reset_calls()
            start = time.perf_counter()
            delta = Inventory._push(account)
            delta_seconds = time.perf_counter() - start
            delta_calls = sandbox.count("POST", UPDATE)

            sandbox.reset_calls()
            start = time.perf_counter()
            differences = Inventory._reconcile(account, fix=False)
            reconcile_seconds = time.perf_counter() - start
            reconcile_calls = sandbox.count("GET", GET)
            cr.rollback()

    n = n_listings
    return [
        ("listings x locations", f"{n} x 2 = {len(quantities)} quantities"),
        ("compute seconds", f"{compute_seconds:.2f} (target < 10)"),
        ("plain read_group seconds", f"{read_group_seconds:.2f}"),
        ("ratio compute / read_group", f"{compute_seconds / read_group_seconds:.2f}"),
        (
            "full push calls",
            f"{full_calls} for {len(full)} SKUs (target {math.ceil(n / 10)})",
        ),
        ("full push seconds", f"{full_seconds:.1f}"),
        (
            "1% change push calls",
            f"{delta_calls} for {len(delta)} SKUs "
            f"(target {math.ceil(len(changed) / 10)})",
        ),
        ("1% change push seconds", f"{delta_seconds:.2f}"),
        (
            "reconciliation calls",
            f"{reconcile_calls} (target {math.ceil(n / 10)})",
        ),
        ("reconciliation seconds", f"{reconcile_seconds:.1f}"),
        ("differences after push", len(differences)),
    ]


if __name__ == "__main__":
    sys.exit(main())
