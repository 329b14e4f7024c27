#!/usr/bin/env python3
"""Soak test: a sale day against a faulty Flipkart, with a worker killed.

An Odoo server with 2 HTTP workers and a cron worker serves a scratch copy
of the given database. The simulator (loopback only) answers its calls with
10 % 5xx, 5 % 429 and 2 % DEPENDENT_SYSTEM_CALL_FAILED, with latency, and
posts its push notifications to Odoo over real HTTP, signed as Flipkart
signs them, 10 % of them twice and out of order. N shipments arrive in
waves; some are held and released, some partly or wholly cancelled. Half
way through, one HTTP worker is killed with SIGKILL. A corpus of forged,
replayed, oversized, malformed and wrong-typed notifications is posted
meanwhile. Then faults stop, scheduled retries are brought forward, and the
run waits (bounded) for Odoo to converge.

It prints its figures and exits non-zero unless all of these hold: every
shipment is exactly one order; each order's state, hold and quantities are
the simulator's; no event is left pending; the stock sent to Flipkart
equals the formula (free stock minus pending demand minus buffer); every
bad notification was refused (400, 401, 413) and nothing was processed from
any forged one; no secret or token appears in Odoo's log (which records
urllib3 at DEBUG and request lines at INFO).

    py=$(scripts/setup --python)
    $py -m odoo -d fkbench --addons-path=. -i flipkart_connector \\
        --without-demo=all --stop-after-init
    $py benchmarks/soak.py --db fkbench            # N=2000, at most 20 min

The given database is only a template: the run works on a scratch copy
that it drops at the end, with its Odoo log kept in a temporary folder.
"""

import argparse
import base64
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

import requests
from bench_setup import REPO, create_seller, environment, report, scratch_database

APP_ID, APP_SECRET = "soak-app", "soak-secret-7d1f0c"
LOCATION = "LOC0001"
STOCK_PER_SKU = 400
# The scheduled actions the run sets to every minute and wakes while it waits.
WORKING_CRONS = (
    "ir_cron_flipkart_import_orders",
    "ir_cron_flipkart_sync_shipments",
    "ir_cron_flipkart_process_events",
    "ir_cron_flipkart_fetch_documents",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="template database")
    parser.add_argument("-n", "--shipments", type=int, default=2000)
    parser.add_argument(
        "--minutes", type=float, default=20, help="bound on the whole run"
    )
    args = parser.parse_args()
    with scratch_database(args.db) as (scratch, registry):
        rows, failures = Soak(scratch, registry, args).run()
    report(rows)
    if failures:
        sys.stdout.write("FAILED: " + "; ".join(failures) + "\n")
        return 1
    sys.stdout.write("All checks hold.\n")
    return 0


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Soak:
    def __init__(self, db, registry, args):
        self.db, self.registry = db, registry
        self.n = args.shipments
        self.deadline = time.monotonic() + args.minutes * 60
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/flipkart/notifications"
        self.logdir = tempfile.mkdtemp(prefix="flipkart-soak-")
        self.logfile = os.path.join(self.logdir, "odoo.log")
        self.rng = random.Random(13)
        self.issued = []  # every token the simulator gave out
        self.forged = Counter()  # (class, status) -> count
        self.figures = []
        self.failures = []

    # ------------------------------------------------------------- the run

    def run(self):
        from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

        self.sandbox = Sandbox(
            seed=21,
            shipments=0,
            listings=40,
            locations=(LOCATION,),
            apps={APP_ID: APP_SECRET},
        )
        issue = self.sandbox.tokens.issue

        def recording_issue(*args, **kwargs):
            body = issue(*args, **kwargs)
            self.issued += [body["access_token"], body.get("refresh_token")]
            return body

        self.sandbox.tokens.issue = recording_issue
        start = time.monotonic()
        with SandboxServer(self.sandbox) as server:
            self.set_up(server.base_url)
            odoo = self.start_odoo()
            try:
                self.load(odoo)
                self.converge()
                self.check(odoo)
            finally:
                self.sandbox.notify_to(None)
                odoo.send_signal(signal.SIGTERM)
                try:
                    odoo.wait(60)
                except subprocess.TimeoutExpired:
                    odoo.kill()
        self.check_log()
        self.figures.insert(0, ("Run", f"{time.monotonic() - start:.0f} s"))
        self.figures.append(("Odoo log", self.logfile))
        return self.figures, self.failures

    def set_up(self, base_url):
        """The seller, its stock and account; scheduled actions every minute."""
        with self.registry.cursor() as cr:
            env, company, warehouse, (account,) = create_seller(
                environment(cr), self.sandbox, base_url, (("soak", LOCATION),)
            )
            account.write({"app_id": APP_ID, "app_secret": APP_SECRET})
            stock = warehouse.lot_stock_id
            for listing in account.listing_ids:
                env["stock.quant"]._update_available_quantity(
                    listing.product_id, stock, STOCK_PER_SKU
                )
            env["ir.config_parameter"].set_param(
                "web.base.url", f"http://127.0.0.1:{self.port}"
            )
            for xmlid in WORKING_CRONS:
                env.ref(f"flipkart_connector.{xmlid}").write(
                    {"interval_number": 1, "interval_type": "minutes"}
                )
            self.account_id, self.company_id = account.id, company.id
            self.warehouse_id = warehouse.id

    def start_odoo(self):
        import odoo

        # odoo-bin, not "-m odoo": the server starts its gevent process with
        # its own argv[0].
        odoo_bin = os.path.join(
            os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"
        )
        command = [
            sys.executable,
            odoo_bin,
            "-d",
            self.db,
            f"--db-filter=^{self.db}$",
            f"--addons-path={REPO}",
            "--workers=2",
            "--max-cron-threads=1",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            "--limit-time-real=600",
            "--limit-time-real-cron=0",
            f"--logfile={self.logfile}",
            # The levels at which secrets would show, if they could.
            "--log-handler=urllib3.connectionpool:DEBUG",
            "--log-handler=werkzeug:INFO",
            "--log-handler=odoo.addons.flipkart_connector:DEBUG",
        ]
        odoo = subprocess.Popen(command, cwd=REPO)
        for _wait in range(120):
            try:
                requests.get(
                    self.url.replace("/flipkart/notifications", "/web/login"), timeout=5
                )
                return odoo
            except requests.ConnectionError:
                time.sleep(0.5)
        odoo.kill()
        raise RuntimeError(f"Odoo did not start; see {self.logfile}")

    def load(self, odoo):
        """Shipments in waves under faults, with holds, cancellations, a
        killed worker and the forged corpus."""
        self.sandbox.faults.set(
            rate_429=0.05,
            rate_5xx=0.10,
            rate_dependent=0.02,
            latency=0.01,
            retry_after=1,
        )
        self.sandbox.notify_to(
            self.url, duplicate_rate=0.10, shuffle=True, attempts=8, retry_pause=1.0
        )
        wave, added, killed = 50, 0, None
        self.held, self.cancelled, self.cancelled_ids = set(), Counter(), set()
        while added < self.n and time.monotonic() < self.deadline:
            count = min(wave, self.n - added)
            held = self.sandbox.add_shipments(
                count // 10, hold=True, location_id=LOCATION
            )
            self.sandbox.add_shipments(
                count - len(held), hold=False, location_id=LOCATION
            )
            self.held.update(held)
            added += count
            self.disturb()
            self.post_forged(added // wave)
            if killed is None and added >= self.n // 2:
                killed = self.kill_a_worker(odoo)
            time.sleep(1.0)
        self.figures += [
            ("Shipments", f"{added}"),
            ("Worker killed (SIGKILL)", f"pid {killed}" if killed else "none"),
        ]
        self.shipments_added = added

    def disturb(self):
        """Release some held shipments; cancel, partly or wholly, some that
        Odoo already imported (one it never saw would have no order)."""
        for shipment_id in self.rng.sample(sorted(self.held), len(self.held) // 3):
            self.held.discard(shipment_id)
            try:
                self.sandbox.unhold(shipment_id)
            except ValueError:  # cancelled meanwhile
                continue
        imported = self.imported_ids()
        candidates = sorted(imported - self.cancelled_ids)
        for shipment_id in self.rng.sample(candidates, min(5, len(candidates))):
            with self.sandbox.lock:
                items = [
                    i
                    for i in self.sandbox.shipments[shipment_id]["orderItems"]
                    if i["status"] not in ("CANCELLED", "SHIPPED", "DELIVERED")
                ]
            if not items:
                continue
            item = items[0]
            partly = item["quantity"] > 1 and self.rng.random() < 0.5
            quantities = {item["orderItemId"]: 1} if partly else None
            try:
                self.sandbox.cancel_items(shipment_id, quantities)
            except ValueError:
                continue
            self.cancelled["partly" if partly else "wholly"] += 1
            self.cancelled_ids.add(shipment_id)

    def imported_ids(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT flipkart_shipment_id FROM sale_order"
                " WHERE flipkart_account_id = %s",
                [self.account_id],
            )
            return {row[0] for row in cr.fetchall()}

    def kill_a_worker(self, odoo):
        """SIGKILL an HTTP worker: the master forks the HTTP workers first,
        so while none died yet they are its oldest children that are not
        the gevent process."""
        workers = []
        for pid in self.children(odoo.pid):
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if b"\0gevent\0" not in handle.read():
                    workers.append(pid)
        if not workers:
            return None
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        return victim

    @staticmethod
    def children(pid):
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
        ).stdout
        return [int(p) for p in out.split()]

    # ------------------------------------------------------- forged corpus

    def post_forged(self, round_number):
        """One of each forgery per wave; each answer counted by kind."""
        from odoo.addons.flipkart_connector.flipkart import sign

        forged_id = f"FORGED-{round_number}"
        body = {
            "eventType": "shipment_created",
            "source": "flipkart",
            "version": "v3",
            "timestamp": "2026-11-30T10:00:00+05:30",
            "shipmentId": forged_id,
            "locationId": LOCATION,
            "attributes": {},
        }
        now = time.time()
        good = sign(APP_ID, APP_SECRET, self.url, "POST", now)
        plain = json.dumps(body)
        corpus = {
            "wrong secret": (sign(APP_ID, "guess", self.url, "POST", now), plain),
            "unknown application": (
                sign("other-app", APP_SECRET, self.url, "POST", now),
                plain,
            ),
            "no signature": ({}, plain),
            "replayed an hour later": (
                sign(APP_ID, APP_SECRET, self.url, "POST", now - 3600),
                plain,
            ),
            "oversized (2 MiB)": (good, json.dumps(dict(body, pad="x" * (2 << 20)))),
            "malformed JSON": (good, plain[:-3]),
            "deeply nested JSON": (good, "[" * 50_000 + "]" * 50_000),
            "wrong types": (good, json.dumps(dict(body, shipmentId=[forged_id]))),
            "internal kind named": (
                good,
                json.dumps(dict(body, eventType="shipment_import")),
            ),
            # The signature does not cover the body: under a captured
            # header pair, a made-up shipment is accepted as a hint and
            # re-read from Flipkart, who does not know it.
            "made-up shipment under a captured signature": (good, plain),
        }
        for kind, (headers, data) in corpus.items():
            try:
                answer = requests.post(
                    self.url,
                    data=data.encode(),
                    headers={"Content-Type": "application/json", **headers},
                    timeout=30,
                )
                status = answer.status_code
            except requests.ConnectionError:
                status = "connection closed"
            self.forged[(kind, status)] += 1
        self.forged_ids = {f"FORGED-{n}" for n in range(round_number + 1)}

    # ----------------------------------------------------------- converge

    def converge(self):
        """Faults off, deliveries done; scheduled retries brought forward
        and the scheduled actions woken until Odoo has caught up."""
        flushed = self.sandbox.flush_notifications(timeout=120)
        self.sandbox.faults.clear()
        self.figures += [
            ("Notifications emitted", f"{len(self.sandbox.notifications)}"),
            (
                "Notifications undelivered",
                f"{len(self.sandbox.notification_failures)}"
                + ("" if flushed else " (delivery still running)"),
            ),
            ("Faults injected", self.fault_counts()),
        ]
        start = time.monotonic()
        while time.monotonic() < self.deadline:
            with self.registry.cursor() as cr:
                cr.execute(
                    "UPDATE flipkart_event SET retry_at = now() at time zone 'utc'"
                    " WHERE state = 'error' AND retry_at IS NOT NULL"
                )
                env = environment(cr, self.company_id)
                for xmlid in WORKING_CRONS:
                    env.ref(f"flipkart_connector.{xmlid}")._trigger()
            time.sleep(15)
            if not self.differences() and not self.pending_events():
                break
        self.figures.append(
            ("Convergence after faults", f"{time.monotonic() - start:.0f} s")
        )

    def fault_counts(self):
        statuses = Counter(
            c["status"] for c in self.sandbox.calls if isinstance(c["status"], int)
        )
        calls = sum(1 for c in self.sandbox.calls if c["path"].startswith("/sellers"))
        server_errors = sum(v for k, v in statuses.items() if k >= 500)
        return f"{calls} API calls; 5xx {server_errors}, 429 {statuses.get(429, 0)}"

    def pending_events(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM flipkart_event WHERE state = 'pending'"
                " OR (state = 'error' AND retry_at IS NOT NULL)"
            )
            return cr.fetchone()[0]

    def differences(self):
        """Shipments whose order is missing, doubled or not in Flipkart's
        state (state, hold, item quantities)."""
        from odoo.addons.flipkart_connector.flipkart import Shipment, mapping

        with self.sandbox.lock:
            shipments = {
                sid: Shipment.from_json(json.loads(json.dumps(s)))
                for sid, s in self.sandbox.shipments.items()
            }
        with self.registry.cursor() as cr:
            cr.execute(
                """
                SELECT o.flipkart_shipment_id, count(DISTINCT o.id),
                       min(o.state), bool_or(p.flipkart_hold),
                       min(p.flipkart_state)
                  FROM sale_order o
                  LEFT JOIN stock_picking p
                    ON p.sale_id = o.id AND p.flipkart_state IS NOT NULL
                 WHERE o.flipkart_account_id = %s
                 GROUP BY o.flipkart_shipment_id
                """,
                [self.account_id],
            )
            orders = {row[0]: row[1:] for row in cr.fetchall()}
            cr.execute(
                "SELECT flipkart_order_item_id, product_uom_qty"
                " FROM sale_order_line WHERE flipkart_account_id = %s"
                " AND flipkart_order_item_id IS NOT NULL",
                [self.account_id],
            )
            quantities = dict(cr.fetchall())
        problems = Counter()
        self.examples = {}

        def problem(kind, sid):
            problems[kind] += 1
            self.examples.setdefault(kind, sid)

        self.never_seen = 0
        for sid, shipment in shipments.items():
            if sid not in orders:
                if mapping.shipment_state(shipment) == "CANCELLED":
                    # Cancelled before Odoo saw it: nothing to ship, no order.
                    self.never_seen += 1
                else:
                    problem("missing", sid)
                continue
            count, order_state, hold, picking_state = orders[sid]
            state = mapping.shipment_state(shipment)
            if count != 1:
                problem("more than one order", sid)
            if state == "CANCELLED":
                if order_state != "cancel":
                    problem("cancelled on Flipkart, not in Odoo", sid)
                continue
            if picking_state != state:
                problem(f"state differs ({picking_state} for {state})", sid)
            if bool(hold) != bool(shipment.hold):
                problem("hold differs", sid)
            for item in shipment.order_items:
                expected = 0 if item.status == "CANCELLED" else item.quantity
                if quantities.get(item.order_item_id) != expected:
                    problem("quantity differs", sid)
        problems["orders Flipkart does not have"] = len(set(orders) - set(shipments))
        return +problems

    # --------------------------------------------------------------- checks

    def check(self, odoo):
        problems = self.differences()
        self.figures.append(
            (
                "Orders vs shipments",
                ", ".join(f"{k}: {v}" for k, v in problems.items())
                or "every shipment exactly one order, in Flipkart's state",
            )
        )
        self.figures.append(
            (
                "Cancellations",
                f"{self.cancelled['wholly']} whole, {self.cancelled['partly']} partial",
            )
        )
        for kind, sid in self.examples.items():
            self.figures.append((f"  e.g. {kind}", self.describe(sid)))
        if problems:
            self.failures.append("orders differ from Flipkart")
        self.figures.append(
            (
                "Cancelled before Odoo saw them",
                f"{self.never_seen} (no order, by design)",
            )
        )
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM flipkart_event GROUP BY state")
            states = dict(cr.fetchall())
            cr.execute(
                "SELECT kind, count(*), min(left(last_error, 160)) FROM flipkart_event"
                " WHERE state = 'error' AND kind != 'malformed'"
                " AND payload NOT LIKE '%%FORGED-%%' GROUP BY kind"
            )
            errors = {kind: (count, text) for kind, count, text in cr.fetchall()}
        self.figures.append(
            (
                "Events by state",
                ", ".join(f"{k} {v}" for k, v in sorted(states.items())),
            )
        )
        self.figures.append(
            ("Events in error, not forged", f"{sum(c for c, _t in errors.values())}")
        )
        for kind, (count, text) in sorted(errors.items()):
            self.figures.append((f"  {kind} x{count}", text))
            named = [sid for sid in self.sandbox.shipments if sid in (text or "")]
            if named:
                self.figures.append(("    that shipment", self.describe(named[0])))
        if self.pending_events():
            self.failures.append("events left pending")
        self.check_forged()
        self.check_stock()
        alive = len(self.children(odoo.pid))
        self.figures.append(
            ("Odoo processes at the end", f"{alive} (2 HTTP, 1 cron, 1 gevent)")
        )

    def describe(self, shipment_id):
        """A shipment as both sides see it, and its events: for a person."""
        with self.sandbox.lock:
            shipment = self.sandbox.shipments[shipment_id]
            flipkart = (
                [(i["status"], i["quantity"]) for i in shipment["orderItems"]],
                shipment["hold"],
            )
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT kind, state, left(coalesce(last_error, ''), 120)"
                " FROM flipkart_event WHERE payload LIKE %s OR idempotency_key LIKE %s"
                " ORDER BY id",
                [f"%{shipment_id}%", f"%{shipment_id}%"],
            )
            events = cr.fetchall()
            cr.execute(
                "SELECT flipkart_state, flipkart_hold, flipkart_pack_queued,"
                " flipkart_message FROM stock_picking WHERE flipkart_shipment_id = %s",
                [shipment_id],
            )
            odoo = cr.fetchall()
        return f"{shipment_id}: Flipkart {flipkart}; Odoo {odoo}; events {events}"

    def check_forged(self):
        refused = {
            "wrong secret": {401},
            "unknown application": {401},
            "no signature": {401},
            "replayed an hour later": {401},
            "oversized (2 MiB)": {413, "connection closed"},
            "malformed JSON": {400},
            "deeply nested JSON": {400},
            "wrong types": {400},
            "internal kind named": {200},  # stored, ignored
            "made-up shipment under a captured signature": {200},  # a hint only
        }
        by_kind = {}
        for (kind, status), count in self.forged.items():
            by_kind.setdefault(kind, Counter())[status] += count
            if status not in refused[kind]:
                self.failures.append(f"forged '{kind}' answered {status}")
        for kind, statuses in by_kind.items():
            self.figures.append(
                (f"Forged: {kind}", ", ".join(f"{s} x{c}" for s, c in statuses.items()))
            )
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM sale_order"
                " WHERE flipkart_shipment_id LIKE 'FORGED-%%'"
            )
            orders = cr.fetchone()[0]
            cr.execute(
                "SELECT kind, state, count(*) FROM flipkart_event"
                " WHERE payload LIKE '%%FORGED-%%' GROUP BY kind, state"
            )
            stored = cr.fetchall()
        self.figures.append(
            ("Forged: stored as", ", ".join(f"{k}/{s} {c}" for k, s, c in stored))
        )
        self.figures.append(("Forged: orders made from them", f"{orders}"))
        if orders:
            self.failures.append("an order was made from a forged notification")
        if any(kind == "shipment_import" for kind, _s, _c in stored):
            self.failures.append("a forged body was run as an internal kind")

    def check_stock(self):
        """Push the whole stock, then compare Flipkart's figures with the
        formula computed here: free stock - pending demand - buffer."""
        with self.registry.cursor() as cr:
            env = environment(cr, self.company_id)
            account = env["flipkart.account"].browse(self.account_id)
            env["flipkart.inventory"]._push(account, full=True)
            warehouse = env["stock.warehouse"].browse(self.warehouse_id)
            free = {
                product.id: quantity - reserved
                for product, quantity, reserved in env["stock.quant"]._read_group(
                    [("location_id", "child_of", warehouse.lot_stock_id.id)],
                    ["product_id"],
                    ["quantity:sum", "reserved_quantity:sum"],
                )
            }
            waiting = env["flipkart.event"].search_count(
                [("kind", "=", "shipment_import"), ("state", "=", "error")]
            )
            expected = {
                listing.seller_sku: max(
                    0,
                    int(free.get(listing.product_id.id, 0) - account.inventory_buffer),
                )
                for listing in account.listing_ids
            }
        with self.sandbox.lock:
            sent = {
                sku: next(
                    loc["inventory"]
                    for loc in listing["locations"]
                    if loc["id"] == LOCATION
                )
                for sku, listing in self.sandbox.listings.items()
            }
        wrong = {sku for sku in expected if sent.get(sku) != expected[sku]}
        self.figures.append(
            (
                "Stock on Flipkart vs formula",
                f"{len(expected) - len(wrong)}/{len(expected)} SKUs equal"
                + (f" ({waiting} shipments still waiting)" if waiting else ""),
            )
        )
        if wrong or waiting:
            self.failures.append("stock on Flipkart differs from the formula")

    def check_log(self):
        with open(self.logfile, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
        basic = base64.b64encode(f"{APP_ID}:{APP_SECRET}".encode()).decode()
        secrets = [APP_SECRET, basic, *(t for t in self.issued if t)]
        leaked = [s for s in secrets if s in log]
        self.figures.append(
            (
                "Secrets in Odoo's log",
                f"{len(leaked)} of {len(secrets)} (log {len(log) // 1024} KiB,"
                f" {log.count('oauth-service/oauth/token')} token calls logged)",
            )
        )
        if leaked:
            self.failures.append("a secret or token reached the log")


if __name__ == "__main__":
    sys.exit(main())
