"""The order writer alone: what a command costs it, by batch size, on the crossing flow.

Run as ``.venv/bin/python bench/writer_batches.py [--commands 1600] [--batches 1,8,32]
[--clients 8] [--instruments 1] [--runs 3] [--profile PATH]``. Needs a PostgreSQL server
(``--server-url``, default the local one).

No HTTP and no web workers: the market of bench/orders_http.py (``--clients`` traders, half
funded buyers, half sellers with a verified lot of each instrument traded) is built once, and
per batch size and run a fresh copy of it is served ``--commands`` commands by an
`OrderWriter` in this process, ``--batches`` at a time (``OrderWriter.serve``, as the leader
does with what LISTEN brought), spread evenly over ``--instruments`` continuous instruments.
The commands are the HTTP benchmark's: crossing-flow placements (about half trade on arrival)
and, one in ten, a cancel of one of the client's earlier orders (often already filled: a
refusal), each naming its caller by a bearer token's digest, as a web worker sends them. It
prints, per batch size (medians of the runs): the writer's CPU time per command (this
process, user + system: stable on a loaded machine, unlike throughput), the database server's
CPU per command, wall time per command, SQL statements per command and the fills.
So it says how many commands a second one writer could carry, and what batching buys.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # before bench/: bench/matching.py is not the matching package

from order_flows import Flow  # noqa: E402
from orders_report import code_version, machine  # noqa: E402
from orders_world import Databases, build_world  # noqa: E402
from serving import BENCH_SECRET, CpuMeter, database_backends  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=1600)
    parser.add_argument("--batches", default="1,8,32", help="comma-separated batch sizes")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--instruments", type=int, default=1,
                        help="1 = FO-QTY; N = orders spread over the first N continuous ones")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--profile", metavar="PATH",
                        help="profile the writer's batches, stats to PATH.N per batch size")
    return parser.parse_args()


def serve_flow(database_url: str, usernames: list[str], lots: dict[str, dict[str, str]],
               flow: Flow, commands: int, batch_size: int, seed: int,
               profile_to: str | None = None) -> dict:
    """Serve `commands` commands in batches of `batch_size`; what it cost. With `profile_to`,
    the writer's batches run under cProfile, its stats written to `profile_to`.N (N the batch
    size; read them with pstats): slower, so the run's own figures are not comparable."""
    from market import create_app
    from market.extensions import db
    from market.services.identity.credentials import new_token, token_digest
    from market.services.trading import OrderWriter, command_bus
    from market.services.trading.order_writer import count_writes
    from market.services.trading.orders import request_digest
    from models import Trade, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": BENCH_SECRET,
                      "LOG_LEVEL": "ERROR"})
    rng = random.Random(seed)
    statements = [0]
    with app.app_context():
        users = {user.username: user for user in db.session.scalars(
            select(User).where(User.username.in_(usernames)))}
        # Each command names its caller as a web worker's does: by its bearer token's digest.
        digests = {user.id: token_digest(new_token(user)[0])
                   for user in users.values()}
        db.session.commit()
        count_writes(db.engine)
        writer = OrderWriter(app)
        raw = command_bus.dedicated_connection(db.engine)
        replies = command_bus.dedicated_connection(db.engine)
        command_bus.listen(replies, "bench_writer_replies")
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: statements.__setitem__(0, statements[0] + 1))
        backends = CpuMeter({"postgres": lambda: database_backends(database_url)})
        placed: dict[int, list[int]] = {user.id: [] for user in users.values()}
        senders: dict[str, int] = {}  # command id: user id
        sent = counted = 0
        refused: dict[str, int] = {}
        cpu = wall = 0.0
        profiler = cProfile.Profile() if profile_to else None
        backends.start()
        while sent < commands:
            batch = []
            for _ in range(min(batch_size, commands - sent)):
                user = users[usernames[sent % len(usernames)]]
                if placed[user.id] and rng.random() < 0.1:
                    kind, body = "cancel", {"order_id": rng.choice(placed[user.id])}
                else:
                    kind = "place"
                    body = _typed(flow.order_body(_Trader(user.username, lots), rng, f"w{sent}"))
                    body = {**body, "digest": request_digest(body)}
                batch.append(command_bus.new_command(kind, "bench_writer_replies",
                                                     time.time() + 60, "zh_CN", None, None,
                                                     body, digests[user.id]))
                senders[batch[-1].id] = user.id
                sent += 1
            before, started_cpu, started = statements[0], time.process_time(), \
                time.perf_counter()
            if profiler is not None:
                profiler.enable()
            writer.serve(batch, raw)
            if profiler is not None:
                profiler.disable()
            cpu += time.process_time() - started_cpu
            wall += time.perf_counter() - started
            counted += statements[0] - before
            for command, answer in _answers(replies, batch):
                if "error" in answer:
                    refused.setdefault(answer["error"]["code"], 0)
                    refused[answer["error"]["code"]] += 1
                elif command.kind == "place":
                    placed[senders[command.id]].append(answer["order_id"])
        backends.stop()
        if profiler is not None:
            profiler.dump_stats(f"{profile_to}.{batch_size}")
        fills = db.session.scalar(select(func.count(Trade.id)))
        raw.close()
        replies.close()
        db.session.remove()
        db.engine.dispose()
    return {"cpu_ms": 1000 * cpu / commands, "wall_ms": 1000 * wall / commands,
            "pg_ms": 1000 * backends.seconds["postgres"] / commands,
            "statements": counted / commands, "fills": fills / commands,
            "refused": sum(refused.values()) / commands, "why": refused}


def _answers(replies, batch) -> list[tuple]:
    """Each command of the batch with the writer's answer (every command gets one)."""
    from market.services.trading import command_bus

    waiting, answers, deadline = {command.id: command for command in batch}, [], \
        time.monotonic() + 30
    while waiting and time.monotonic() < deadline:
        for note in command_bus.wait_for_notifications(replies, 1.0):
            answer = json.loads(note.payload)
            command = waiting.pop(answer["id"], None)
            if command is not None:
                answers.append((command, answer))
    if waiting:
        raise RuntimeError(f"{len(waiting)} commands were never answered")
    return answers


class _Trader:
    """What `Flow.order_body` needs of a client."""

    def __init__(self, username: str, lots: dict[str, dict[str, str]]):
        self.side = "buy" if "-buy-" in username else "sell"
        self.lot_serials = lots[username]


def _typed(body: dict) -> dict:
    """The body as the API's schema hands it on (and the writer decodes it): Decimals."""
    from decimal import Decimal
    return {**body, "price": Decimal(body["price"]), "quantity": Decimal(body["quantity"])}


def main() -> None:
    args = arguments()
    sizes = [int(size) for size in args.batches.split(",")]
    databases = Databases(args.server_url)
    try:
        base = databases.create("base")
        traders, markets = build_world(databases.url_of(base), args.clients, args.instruments)
        flow = Flow("crossing", tuple(markets))
        usernames = [trader.username for trader in traders]
        lots = {trader.username: trader.lot_serials for trader in traders}
        results: dict[int, list[dict]] = {size: [] for size in sizes}
        for run in range(args.runs):
            for size in sizes:
                name = databases.create(f"b{size}_r{run}", template=base)
                result = serve_flow(databases.url_of(name), usernames, lots, flow,
                                    args.commands, size, seed=run, profile_to=args.profile)
                databases.drop(name)
                results[size].append(result)
                print(f"run {run + 1} batch {size:3d}: " + "  ".join(
                    f"{key} {value:.2f}" for key, value in result.items() if key != "why")
                    + f"  refusals {result['why']}", flush=True)
        print(f"\n{machine()}, {code_version()}; {args.commands} commands, {args.clients} "
              f"clients, crossing flow on {', '.join(m.code for m in markets)}, medians of "
              f"{args.runs} runs\n")
        print("| batch | writer CPU ms/command | PostgreSQL CPU ms/command | wall ms/command "
              "| statements/command | fills/command | commands/s of writer CPU |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            rows = results[size]

            def median(key, rows=rows):
                return statistics.median(row[key] for row in rows)
            print(f"| {size} | {median('cpu_ms'):.2f} | {median('pg_ms'):.2f} | "
                  f"{median('wall_ms'):.2f} | {median('statements'):.1f} | "
                  f"{median('fills'):.2f} | {1000 / median('cpu_ms'):.0f} |")
    finally:
        databases.close()


if __name__ == "__main__":
    main()
