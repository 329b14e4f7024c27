"""Run the sandbox in the foreground.

cd flipkart_sandbox && python3 -m simulator --port 8070 --seed 1
"""

import argparse
import contextlib
import logging
import signal
import sys

from .app import Sandbox
from .server import SandboxServer


def _parser():
    parser = argparse.ArgumentParser(
        prog="python3 -m simulator",
        description="Serve a simulated Flipkart Seller API until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8070)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shipments", type=int, default=50)
    parser.add_argument("--listings", type=int, default=100)
    parser.add_argument(
        "--locations", default="LOC0001,LOC0002", help="comma-separated location ids"
    )
    parser.add_argument("--rate-429", type=float, default=0.0)
    parser.add_argument("--rate-5xx", type=float, default=0.0)
    parser.add_argument("--rate-dependent", type=float, default=0.0)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per call")
    parser.add_argument(
        "--orders-per-minute",
        type=float,
        default=0.0,
        help="keep adding new orders at this rate (0: none)",
    )
    parser.add_argument("--max-orders", type=int, default=1000)
    parser.add_argument(
        "--notify-url", help="POST signed push notifications to this URL"
    )
    return parser


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    sandbox = Sandbox(
        seed=args.seed,
        shipments=args.shipments,
        listings=args.listings,
        locations=tuple(loc for loc in args.locations.split(",") if loc),
    )
    sandbox.faults.set(
        rate_429=args.rate_429,
        rate_5xx=args.rate_5xx,
        rate_dependent=args.rate_dependent,
        latency=args.latency,
    )
    if args.notify_url:
        sandbox.notify_to(args.notify_url)
    if args.orders_per_minute > 0:
        sandbox.start_generator(args.orders_per_minute / 60, args.max_orders)
    server = SandboxServer(sandbox, host=args.host, port=args.port)
    lines = [
        f"Flipkart sandbox serving at {server.base_url}",
        f"  seller id:  {sandbox.seller_id}",
    ]
    for app_id, secret in sandbox.apps.items():
        lines += [f"  app id:     {app_id}", f"  app secret: {secret}"]
    if args.notify_url:
        lines.append(f"  notifying:  {args.notify_url} (signed as the first app)")
    if args.orders_per_minute > 0:
        lines.append(f"  new orders: {args.orders_per_minute:g} a minute")
    lines += [
        f"  locations:  {', '.join(sandbox.locations)}",
        f"  data:       {len(sandbox.listings)} listings, "
        f"{len(sandbox.shipments)} shipments (seed {args.seed})",
        "Press Ctrl-C to stop.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    # SIGTERM (e.g. from a demo script) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    sandbox.stop_generator()
    sandbox.notify_to(None)
    server.stop()


if __name__ == "__main__":
    main()
