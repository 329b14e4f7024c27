#!/usr/bin/env python3
"""Benchmark: validating receipts into Flipkart Smart bins, checks on.

Prints, measured in one run: seconds to validate N receipt moves (one
receipt of N lines, N distinct SKUs) into the bins of a Smart root, with the
one-bin-per-SKU and capacity checks, beside the same moves into an ordinary
location (target ratio <= 1.3); and the number of queries the checks make
when 10, 100 and N moves are validated at once (target: the same for all).

    python3 -m odoo -d fkbench --addons-path=. \\
        -i flipkart_connector,flipkart_smart_bins --without-demo=all --stop-after-init
    python3 benchmarks/smart_bins.py --db fkbench -n 1000

The given database is only a template (flipkart_smart_bins installed): the
run works on a scratch copy that it drops at the end.
"""

import argparse
import sys
import time

from bench_setup import admin_sql, environment, report, scratch_database

BINS = 200


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--moves", type=int, default=1000)
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        if "flipkart.smart.assignment" not in registry:
            sys.stderr.write(
                f"{args.db} lacks flipkart_smart_bins: install it in the template "
                "(-i flipkart_connector,flipkart_smart_bins, or -u on an older one).\n"
            )
            return 2
        report(run(scratch, registry, args.moves))
    return 0


def run(db, registry, n_moves):
    with registry.cursor() as cr:  # committed: the scratch copy's setup
        env = environment(cr)
        company = env.company
        env = environment(cr, company.id)
        smart = env["stock.warehouse"].create(
            {"name": "Smart", "code": "SMT", "company_id": company.id}
        )
        ordinary = env["stock.warehouse"].create(
            {"name": "Ordinary", "code": "ORD", "company_id": company.id}
        )
        account = env["flipkart.account"].create(
            {
                "name": "Smart bench",
                "channel_type": "smart",
                "environment": "sandbox",
                "app_id": "smart-bench",
                "company_id": company.id,
                "location_ids": [
                    (
                        0,
                        0,
                        {"flipkart_location_id": "LOC0001", "warehouse_id": smart.id},
                    )
                ],
            }
        )
        root = account.location_ids.smart_root_id
        root._flipkart_import_bins([f"BIN-{n:04d}" for n in range(BINS)])
        products = env["product.product"].create(
            [{"name": f"SKU {n}", "is_storable": True} for n in range(n_moves)]
        )
        ids = {
            "company": company.id,
            "bins": root.child_ids.sorted("name").ids,
            "ordinary": ordinary.lot_stock_id.id,
            "products": products.ids,
            "receipt_type": smart.in_type_id.id,
        }
    admin_sql("VACUUM ANALYZE", db)

    smart_seconds = validate(registry, ids, n_moves, into_bins=True)
    ordinary_seconds = validate(registry, ids, n_moves, into_bins=False)
    queries = {n: check_queries(registry, ids, n) for n in (10, 100, n_moves)}
    return [
        ("moves validated at once", n_moves),
        ("into Smart bins s", f"{smart_seconds:.2f}"),
        ("into an ordinary location s", f"{ordinary_seconds:.2f}"),
        ("ratio (target <= 1.3)", f"{smart_seconds / ordinary_seconds:.2f}"),
        (
            "check queries at 10/100/N",
            " / ".join(str(queries[n]) for n in (10, 100, n_moves)),
        ),
    ]


def receipt(env, ids, n_moves, into_bins):
    """A receipt of ``n_moves`` lines, confirmed and filled, not validated."""
    supplier = env.ref("stock.stock_location_suppliers")
    bins = ids["bins"]
    moves = []
    for n, product in enumerate(ids["products"][:n_moves]):
        destination = bins[n % len(bins)] if into_bins else ids["ordinary"]
        moves.append(
            (
                0,
                0,
                {
                    "name": f"bench {n}",
                    "product_id": product,
                    "product_uom_qty": 3,
                    "location_id": supplier.id,
                    "location_dest_id": destination,
                },
            )
        )
    picking = env["stock.picking"].create(
        {
            "picking_type_id": ids["receipt_type"],
            "location_id": supplier.id,
            "location_dest_id": bins[0] if into_bins else ids["ordinary"],
            "move_ids": moves,
        }
    )
    picking.action_confirm()
    picking.action_assign()
    for move in picking.move_ids:
        move.move_line_ids.write(
            {"quantity": 3, "location_dest_id": move.location_dest_id.id}
        )
    picking.move_ids.picked = True
    env.flush_all()
    return picking


def validate(registry, ids, n_moves, into_bins):
    """Seconds of ``button_validate``; rolled back afterwards."""
    with registry.cursor() as cr:
        env = environment(cr, ids["company"])
        picking = receipt(env, ids, n_moves, into_bins)
        start = time.perf_counter()
        picking.button_validate()
        env.flush_all()
        seconds = time.perf_counter() - start
        assert picking.state == "done", picking.state
        cr.rollback()
    return seconds


def check_queries(registry, ids, n_moves):
    """Queries made by the Smart checks when ``n_moves`` are validated."""
    with registry.cursor() as cr:
        env = environment(cr, ids["company"])
        picking = receipt(env, ids, n_moves, into_bins=True)
        Move = type(env["stock.move"])
        original = Move._flipkart_check_smart_bins
        counted = []

        def counting(moves):
            moves.env.flush_all()  # what the validation wrote is not the checks'
            before = cr.sql_log_count
            original(moves)
            counted.append(cr.sql_log_count - before)

        Move._flipkart_check_smart_bins = counting
        try:
            picking.button_validate()
        finally:
            Move._flipkart_check_smart_bins = original
            cr.rollback()
    return sum(counted)


if __name__ == "__main__":
    sys.exit(main())
