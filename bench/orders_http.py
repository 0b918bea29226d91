"""Orders over HTTP: placement throughput and latency through gunicorn, against a floor.

Run as ``.venv/bin/python bench/orders_http.py [--seconds 20] [--clients 8] [--runs 3]
[--configs inline:gthread:2:4,writer:gthread:2:4] [--instruments 1,6] [--flow crossing]``.

* Builds a scratch PostgreSQL database (``--server-url``, default the local server): schema by
  ``flask db upgrade``, then demo data for the admin and regulator, who create one account per
  client over the API (half buyers with ample cash, half sellers with a large verified lot of
  each instrument traded), and a scratch table for the floor. Every phase works on a fresh copy
  of it (``CREATE DATABASE … TEMPLATE``), so every phase starts from the same book.
* Per server configuration (``--configs``: ``[inline:|writer:]sync:W`` or ``…gthread:W:T``, the
  mode defaulting to ``--mode``), instrument count (``--instruments``) and run: serves
  ``wsgi:app`` with gunicorn on loopback. In ``writer`` mode gunicorn runs with
  ``ORDER_WRITER=writer`` next to one ``flask order-writer`` process (two with ``--standby``),
  started first and stopped with it. ``--clients`` threads, each with one keep-alive
  connection and its own account, place GTC limit orders for ``--seconds`` after ``--warmup``
  (``bench/order_flows.py``: ``--flow crossing``, about half trade on arrival, or ``resting``,
  the flow measured before the writer) on FO-QTY, or spread over the first N continuous
  instruments; about one request in ten cancels one of the client's open orders. Then the floor
  (bench/floor_app.py: token digest lookup, instrument read, one INSERT, commit) with the same
  gunicorn settings, clients and request bodies, and the locked floor (the same, the instrument
  read ``FOR UPDATE``) unless ``--no-locked-floor``.
* Prints, per phase and as medians of the runs: orders/s, p50/p90/p99 of placements and of
  cancels, the floor's req/s and latency, orders/s ÷ floor (per run, then the median), and the
  CPU time of the order writer per command, of gunicorn and of the database's server processes
  per request over the measured seconds (from /proc). Through the writer, each orders phase
  also prints where the commands' time went (from the web workers' request log lines): the
  command's batch in the writer, the round trip the web worker saw, the whole request in the
  web worker (the client's latency beyond it is gunicorn's and the client's), and the batch
  sizes.
* ``--profile N`` instead runs N order requests in process (Flask test client, same database
  set-up, inline matching) under cProfile, and prints SQL statements per request, time in the
  database and the top costs.

The scratch databases are dropped and the servers stopped at the end, also on Ctrl-C.
"""


from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/: bench/matching.py is not the matching package

from http_load import ORDERS, drive  # noqa: E402
from order_flows import FLOWS, FO_QTY, Flow  # noqa: E402
from orders_profile import profile  # noqa: E402
from orders_report import code_version, machine, phase_line, report, writer_line  # noqa: E402
from orders_world import Databases, build_world  # noqa: E402
from serving import (  # noqa: E402
    MODES,
    CpuMeter,
    OrderWriter,
    Process,
    Server,
    ServerConfig,
    database_backends,
    process_tree,
)

FLOOR_PHASES = [("floor", "/floor"), ("floor-locked", "/floor-locked")]


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per phase")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1,
                        help="runs per configuration, interleaved (the table shows medians)")
    parser.add_argument("--mode", choices=MODES, default="inline",
                        help="how orders are matched where a configuration does not say")
    parser.add_argument("--configs", default="sync:2,sync:4,gthread:2:4",
                        help="[inline:|writer:]sync:W or [inline:|writer:]gthread:W:T, "
                             "comma-separated")
    parser.add_argument("--instruments", default="1",
                        help="comma-separated counts: 1 = FO-QTY, N = the first N continuous "
                             "instruments (FO-QTY first; there are 6)")
    parser.add_argument("--flow", choices=sorted(FLOWS), default="crossing")
    parser.add_argument("--standby", action="store_true",
                        help="in writer mode, start a second order writer that stands by")
    parser.add_argument("--cancel-share", type=float, default=0.1)
    parser.add_argument("--no-locked-floor", action="store_true",
                        help="skip the floor variant that locks the instrument row")
    parser.add_argument("--server-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--profile", type=int, metavar="N", default=0,
                        help="profile N in-process order requests instead of the HTTP runs")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    parser.add_argument("--profile-writer", action="store_true",
                        help="run the order writer under cProfile and print where its time goes "
                             "(slows it: its phases' numbers are not comparable)")
    return parser.parse_args()


def serve_orders(url: str, config: ServerConfig, args, logs: Path):
    """gunicorn for the market, after its order writers in writer mode; all to stop."""
    writers = []
    if config.mode == "writer":
        profile_to = logs.with_suffix(".writer-profile.txt") if args.profile_writer else None
        writers = [OrderWriter(url, logs, profile_to)]
        writers[0].wait_leading()
        if args.standby:  # started once the first leads, so the first is the one profiled
            writers.append(OrderWriter(url, logs))
    server = Server("wsgi:app", url, config, "/healthz", logs)
    return server, writers


def measure_phase(label, traders, flow, url, config, args, run, logs):
    """One phase on the database at `url`: its servers started, driven, stopped."""
    writers = []
    if label == "orders":
        server, writers = serve_orders(url, config, args, logs)
        path = ORDERS
    else:
        server = Server("bench.floor_app:app", url, config.gunicorn, "/floor", logs)
        path = dict(FLOOR_PHASES)[label]
    groups = {"web": lambda: process_tree(server.pid),
              "postgres": lambda: database_backends(url)}
    if writers:
        groups["writer"] = lambda: [writer.pid for writer in writers]
    offset = logs.stat().st_size if logs.exists() else 0
    measured_from = time.time() + 0.2 + args.warmup  # as drive() lays out its window
    try:
        m = drive(label, traders, server.port, path, flow, args.seconds, args.warmup,
                  args.cancel_share, seed=run, meter=CpuMeter(groups))
        return m, _writer_timings(logs, offset, measured_from, measured_from + args.seconds)
    finally:
        server.stop()
        for writer in writers:
            writer.stop()
            if writer.profile_to is not None and writer.profile_to.exists():
                print(writer.profile_to.read_text())


def _writer_timings(logs: Path, offset: int, since: float, until: float) -> list[dict]:
    """The order writer's timings of the orders answered in [since, until), read from the
    web workers' request log lines written to `logs` after `offset`."""
    timings = []
    with open(logs, "rb") as log:
        log.seek(offset)
        for raw in log:
            if not raw.startswith(b"{") or b'"writer"' not in raw:
                continue
            line = json.loads(raw)
            at = datetime.fromisoformat(line["ts"].replace("Z", "+00:00")).timestamp()
            if line.get("event") == "request" and since <= at < until:
                timings.append({**line["writer"], "request_ms": line["duration_ms"]})
    return timings


def main() -> int:
    args = arguments()
    configs = [ServerConfig.parse(text, args.mode) for text in args.configs.split(",") if text]
    counts = [int(text) for text in args.instruments.split(",") if text]

    def interrupted(*_):
        raise KeyboardInterrupt

    # Ctrl-C and kill both end in the finally below (SIGINT too, even if inherited as ignored).
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    databases = Databases(args.server_url)
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"{databases.prefix}.log"
    try:
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}; "
              f"code: {code_version()}; logs: {logs}")
        base = databases.create("base")
        started = time.perf_counter()
        traders, markets = build_world(databases.url_of(base), args.clients, max(counts))
        print(f"set-up: {len(traders)} traders, markets "
              f"{', '.join(market.code for market in markets)}, in "
              f"{time.perf_counter() - started:.1f} s")
        if len(markets) < max(counts):
            raise SystemExit(f"only {len(markets)} continuous instruments to trade")
        flows = {count: Flow(args.flow, tuple(markets[:count]) if count > 1 else (FO_QTY,))
                 for count in counts}
        if args.profile:
            work = databases.create("profile", template=base)
            profile(databases.url_of(work), traders, args.profile, args.top, flows[counts[0]])
            return 0
        floors = [label for label, _ in FLOOR_PHASES
                  if label == "floor" or not args.no_locked_floor]
        results: dict[tuple, list] = defaultdict(list)
        for run in range(1, args.runs + 1):
            for count in counts:
                phases = [("orders", config) for config in configs]
                # The floor once per gunicorn setting, whatever matches the orders.
                settings = list(dict.fromkeys(config.gunicorn for config in configs))
                phases += [(label, setting) for setting in settings for label in floors]
                for label, config in phases:
                    work = databases.create(f"r{run}_{label.replace('-', '_')}_{config.mode}_"
                                            f"{config.worker_class}{config.workers}_{count}i",
                                            template=base)
                    try:
                        m, timings = measure_phase(label, traders, flows[count],
                                                   databases.url_of(work), config, args, run,
                                                   logs)
                    finally:
                        databases.drop(work)
                    results[(label, config, count)].append(m)
                    print(phase_line(run, config, count, m), flush=True)
                    timing_line = writer_line(timings)
                    if timing_line:
                        print(timing_line, flush=True)
                    for error in m.errors[:5]:
                        print(f"    {error}")
        report([(config, count, results[("orders", config, count)],
                 results[("floor", config.gunicorn, count)],
                 results.get(("floor-locked", config.gunicorn, count), []))
                for count in counts for config in configs], args)
        return 0
    except KeyboardInterrupt:
        print("interrupted: stopping servers, dropping databases", file=sys.stderr)
        return 130
    finally:
        Process.stop_all()
        databases.close()


if __name__ == "__main__":
    sys.exit(main())
