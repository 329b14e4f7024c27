#!/usr/bin/env python3
"""Benchmark: pack N imported shipments and bring back their labels.

Prints, measured in one run: API calls per step (pack, state reads,
courier details, label PDFs, ready to dispatch, invoice data and PDFs),
calls per 25 shipments, and seconds from "pack" to "label attached" (ready
to dispatch included). The sandbox makes labels at once (label_delay 0), so
the time is the connector's and Odoo's own, not Flipkart's generation delay.
Then the same for N Flipkart Smart shipments through picklists of 25
released through the picklist endpoints (batch, picklist release, pack with
its re-read, labels, hand over: picklist pack and confirm, validation),
printed beside the standard flow.

    python3 -m odoo -d fkbench --addons-path=. \\
        -i flipkart_connector,flipkart_smart_bins --without-demo=all --stop-after-init
    python3 benchmarks/fulfilment.py --db fkbench -n 500

The given database is only a template: the run works on a scratch copy
that it drops at the end; the measurement runs in its own transaction
after VACUUM ANALYZE.
"""

import argparse
import sys
import time

from bench_setup import (
    admin_sql,
    create_seller,
    environment,
    report,
    scratch_database,
)

# (label, HTTP method, path fragment) of each kind of call counted.
CALLS = (
    ("pack", "POST", "/v3/shipments/labels"),
    ("state reads", "GET", "/v3/shipments?"),
    ("courier details", "GET", "/details"),
    ("label PDFs", "GET", "/labels"),
    ("ready to dispatch", "POST", "/v3/shipments/dispatch"),
    ("invoice data + PDFs", "GET", "/invoices"),
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--shipments", type=int, default=500)
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        report(run(scratch, registry, args.shipments))
    return 0


def count(sandbox, method, fragment):
    """Calls of one kind; the details call is GET /v3/shipments/{ids}."""
    found = 0
    for call in sandbox.calls:
        path = call["path"] + ("?" if call.get("query") else "")
        if call["method"] != method:
            continue
        if fragment == "/details":
            tail = call["path"].removeprefix("/sellers/v3/shipments/")
            found += tail != call["path"] and "/" not in tail and tail != "filter"
        else:
            found += fragment in path
    return found


def run(db, registry, n_shipments):
    from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

    sandbox = Sandbox(
        seed=13,
        shipments=0,
        listings=50,
        locations=("LOC0001", "LOC0002", "LOC0003"),
        apps={
            "bench-app": "bench-secret",
            "warmup-app": "warmup-secret",
            "smart-app": "smart-secret",
        },
    )
    sandbox.label_delay = 0.0
    actionable = {
        "status": "APPROVED",
        "hold": False,
        "dispatch_after_date": time.time() - 3600,
    }
    sandbox.add_shipments(n_shipments, location_id="LOC0001", **actionable)
    # A small run on another account first warms Odoo's caches.
    sandbox.add_shipments(20, location_id="LOC0002", **actionable)
    sandbox.add_shipments(
        n_shipments,
        location_id="LOC0003",
        service_profile="Smart_Fulfilment",
        **actionable,
    )

    with SandboxServer(sandbox) as server:
        with registry.cursor() as cr:  # committed: the scratch copy's setup
            env, company, _warehouse, accounts = create_seller(
                environment(cr),
                sandbox,
                server.base_url,
                (("bench", "LOC0001"), ("warmup", "LOC0002")),
            )
            accounts.write({"pack_on": "manual", "invoice_creation": "off"})
            smart = smart_account(env, company, server.base_url, accounts[0])
            for account in accounts | smart:
                env["flipkart.shipment.import"]._pull(account)
            Fulfilment = env["flipkart.fulfilment"]
            warmup = deliveries(env, accounts[1])
            Fulfilment._pack(warmup)
            Fulfilment._collect_documents(warmup)
            ids = {"company": company.id, "account": accounts[0].id, "smart": smart.id}

        admin_sql("VACUUM ANALYZE", db)
        sandbox.reset_calls()
        with registry.cursor() as cr:
            env = environment(cr, ids["company"])
            account = env["flipkart.account"].browse(ids["account"])
            pickings = deliveries(env, account)
            Fulfilment = env["flipkart.fulfilment"]
            start = time.perf_counter()
            Fulfilment._pack(pickings)
            packed = time.perf_counter()
            Fulfilment._collect_documents(pickings)
            env.flush_all()
            end = time.perf_counter()
            labelled = len(pickings.filtered("flipkart_label_ready"))
            dispatched = len(
                pickings.filtered(lambda p: p.flipkart_state == "READY_TO_DISPATCH")
            )
            cr.rollback()

        counts = {label: count(sandbox, m, f) for label, m, f in CALLS}
        sandbox.reset_calls()
        with registry.cursor() as cr:
            env = environment(cr, ids["company"])
            smart = env["flipkart.account"].browse(ids["smart"])
            smart_seconds, smart_n, smart_done = smart_flow(env, smart)
            cr.rollback()
        smart_calls = len(sandbox.calls)
        picklist_calls = sum(
            "/v3/smart/picklists" in call["path"] for call in sandbox.calls
        )

    n = len(pickings)
    core = sum(
        counts[k]
        for k in ("pack", "state reads", "courier details", "ready to dispatch")
    )
    rows = [
        ("deliveries", f"{n} ({labelled} labelled, {dispatched} ready to dispatch)"),
        ("seconds pack -> label attached", f"{end - start:.2f}"),
        ("  of which pack calls", f"{packed - start:.2f}"),
        ("shipments per second", f"{n / (end - start):.1f}"),
    ]
    rows += [(f"calls: {label}", counts[label]) for label, _m, _f in CALLS]
    rows += [
        (
            "pack+states+details+RTD per 25",
            f"{core / max(n, 1) * 25:.2f} (target <= 3)",
        ),
        (
            "label PDF calls per 100",
            f"{counts['label PDFs'] / max(n, 1) * 100:.2f} (target <= 1)",
        ),
    ]
    rows += [
        ("Smart deliveries", f"{smart_n} ({smart_done} handed over)"),
        ("Smart seconds batch -> handover", f"{smart_seconds:.2f}"),
        ("Smart shipments per second", f"{smart_n / smart_seconds:.1f}"),
        ("Smart calls per shipment", f"{smart_calls / max(smart_n, 1):.2f}"),
        (
            "  of which picklist calls per 25",
            f"{picklist_calls / max(smart_n, 1) * 25:.2f}",
        ),
        ("standard calls per shipment", f"{sum(counts.values()) / max(n, 1):.2f}"),
        ("Smart / standard seconds", f"{smart_seconds / (end - start):.2f}"),
    ]
    return rows


def smart_account(env, company, base_url, mapped_from):
    """A Flipkart Smart account with its own warehouse, 25 bins, stock, and
    the SKUs of ``mapped_from``."""
    warehouse = env["stock.warehouse"].create(
        {"name": "Smart", "code": "SMT", "company_id": company.id}
    )
    account = env["flipkart.account"].create(
        {
            "name": "smart",
            "channel_type": "smart",
            "company_id": company.id,
            "environment": "sandbox",
            "api_base_url": base_url,
            "app_id": "smart-app",
            "app_secret": "smart-secret",
            "pack_on": "manual",
            "rtd_at": "manifest",
            "invoice_creation": "off",
            "smart_picklist_release": "endpoints",
            "location_ids": [
                (
                    0,
                    0,
                    {"flipkart_location_id": "LOC0003", "warehouse_id": warehouse.id},
                )
            ],
        }
    )
    root = account.location_ids.smart_root_id
    root._flipkart_import_bins([f"BIN-{n:02d}" for n in range(25)])
    bins = root.child_ids.sorted("name")
    listings = env["flipkart.listing"].search([("account_id", "=", mapped_from.id)])
    env["flipkart.listing"].create(
        [
            {
                "account_id": account.id,
                "seller_sku": listing.seller_sku,
                "fsn": listing.fsn,
                "product_id": listing.product_id.id,
                "tax_rate": listing.tax_rate,
            }
            for listing in listings
        ]
    )
    for n, product in enumerate(listings.product_id):
        env["stock.quant"]._update_available_quantity(
            product, bins[n % len(bins)], 1000
        )
    return account


def smart_flow(env, account, size=25):
    """Seconds to take every Smart delivery of ``account`` through
    picklists of ``size``: batch, picklist released at pack, labels, hand
    over."""
    pickings = deliveries(env, account)
    Fulfilment = env["flipkart.fulfilment"]
    start = time.perf_counter()
    pickings.action_assign()
    batches = env["stock.picking.batch"]
    for n in range(0, len(pickings), size):
        batches |= batches.create({"picking_ids": [(6, 0, pickings[n : n + size].ids)]})
    for batch in batches:
        Fulfilment._pack(batch.picking_ids)
        Fulfilment._collect_documents(batch.picking_ids)
        batch.action_flipkart_smart_handover()
    env.flush_all()
    seconds = time.perf_counter() - start
    return seconds, len(pickings), len(pickings.filtered(lambda p: p.state == "done"))


def deliveries(env, account):
    return env["stock.picking"].search(
        [
            ("flipkart_account_id", "=", account.id),
            ("picking_type_code", "=", "outgoing"),
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
