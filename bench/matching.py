"""Benchmark of the matching engine against Python order-book libraries from PyPI.

Run as ``python bench/matching.py`` (``--quick`` for a short run). Prints commands per second
for a mixed stream (passive places, cancels, crossing orders) on one core, the time to uncross
a call auction of 100,000 orders, and the ratio to each peer library that is installed
(``lightmatchingengine``, ``pyorderbook``). Timings are medians of several repeats.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

# The project root first: this script's own directory (bench/) has a matching.py too.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import engine_build  # noqa: E402

engine_build.choose(sys.argv)

from matching import (  # noqa: E402
    BookSpec,
    Cancel,
    Filled,
    Mode,
    OrderBook,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)

TICK = Decimal("0.01")
MID = 1000  # ticks: 10.00 CNY
SPEC = BookSpec("FARM", TICK, Decimal("1"), Decimal("10.00"), Decimal("0.10"), Decimal("9.00"))


def make_stream(n: int, seed: int = 7) -> list[tuple]:
    """A deterministic mix: 60% passive places, 25% cancels, 15% crossing orders.

    Each item is (kind, order_id, is_buy, price_ticks, quantity); kind is "place" or "cancel".
    """
    rng = random.Random(seed)
    stream: list[tuple] = []
    placed: list[int] = []
    next_id = 1
    for _ in range(n):
        roll = rng.random()
        if roll < 0.25 and placed:
            # Cancel a recent order (it may have traded already: that is a reject, as in life).
            target = placed[-1 - rng.randrange(min(len(placed), 200))]
            stream.append(("cancel", target, None, None, None))
            continue
        is_buy = rng.random() < 0.5
        qty = rng.randint(1, 10)
        if roll < 0.40:
            # Crossing: reach up to 5 ticks through the touch.
            ticks = MID + rng.randint(1, 5) if is_buy else MID - rng.randint(1, 5)
        else:
            ticks = MID - rng.randint(1, 20) if is_buy else MID + rng.randint(1, 20)
        stream.append(("place", next_id, is_buy, ticks, qty))
        placed.append(next_id)
        next_id += 1
    return stream


CPU_TIMES: dict[str, list[float]] = {}


def timed(run, repeats: int, label: str) -> list[float]:
    """Wall times of ``run()`` over several repeats, with the collector paused.

    The process CPU times go to CPU_TIMES[label]: on a shared machine they are the steadier
    measure, since they do not count time spent waiting for a core.
    """
    times, cpu = [], []
    for _ in range(repeats):
        prepared = run.prepare()
        gc.collect()
        gc.disable()
        start, start_cpu = time.perf_counter(), time.process_time()
        run(prepared)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        gc.enable()
    CPU_TIMES[label] = cpu
    return times


class Ours:
    """This repository's engine, fed prebuilt command dataclasses through apply()."""

    name = "matching (this repo)"

    def __init__(self, stream: list[tuple]) -> None:
        self.commands = []
        for kind, oid, is_buy, ticks, qty in stream:
            if kind == "cancel":
                self.commands.append(Cancel(oid))
            else:
                side = Side.BUY if is_buy else Side.SELL
                self.commands.append(
                    Submit(oid, oid % 997, side, TICK * ticks, Decimal(qty), TimeInForce.GTC)
                )
        self.volume = 0

    def prepare(self) -> OrderBook:
        return OrderBook(SPEC)

    def __call__(self, book: OrderBook) -> None:
        apply = book.apply
        volume = 0
        for command in self.commands:
            for event in apply(command):
                if event.__class__ is Filled:
                    volume += event.quantity
        self.volume = int(volume)


class LightMatching:
    """lightmatchingengine: integer ticks (the cheapest input for it)."""

    name = "lightmatchingengine"

    def __init__(self, stream: list[tuple]) -> None:
        from lightmatchingengine.lightmatchingengine import LightMatchingEngine, Side

        self.engine_class, self.buy, self.sell = LightMatchingEngine, Side.BUY, Side.SELL
        self.stream = stream
        self.volume = 0

    def prepare(self):
        return self.engine_class()

    def __call__(self, engine) -> None:
        orders: dict[int, object] = {}
        buy, sell, volume = self.buy, self.sell, 0
        add, cancel = engine.add_order, engine.cancel_order
        for kind, oid, is_buy, ticks, qty in self.stream:
            if kind == "cancel":
                order = orders.get(oid)
                # It keeps filled orders in its id map and asserts on cancelling them.
                if order is not None and order.leaves_qty > 0:
                    cancel(order.order_id, "FARM")
            else:
                order, trades = add("FARM", ticks, qty, buy if is_buy else sell)
                orders[oid] = order
                # Each match yields one aggressor trade plus the passive ones: count once.
                volume += sum(t.trade_qty for t in trades if t.order_id == order.order_id)
        self.volume = volume


class PyOrderBook:
    """pyorderbook: prebuilt Order objects (its constructor draws a uuid4)."""

    name = "pyorderbook"

    def __init__(self, stream: list[tuple]) -> None:
        import logging

        import pyorderbook

        logging.getLogger("pyorderbook").setLevel(logging.WARNING)
        self.lib = pyorderbook
        self.stream = stream
        self.volume = 0

    def prepare(self):
        lib = self.lib
        orders = {}
        items = []
        for kind, oid, is_buy, ticks, qty in self.stream:
            if kind == "cancel":
                items.append(("cancel", orders.get(oid)))
            else:
                side = lib.Side.BID if is_buy else lib.Side.ASK
                order = lib.Order(side, "FARM", TICK * ticks, qty)
                orders[oid] = order
                items.append(("place", order))
        return lib.Book(), items

    def __call__(self, prepared) -> None:
        book, items = prepared
        volume = 0
        order_map = book.order_map
        for kind, order in items:
            if kind == "cancel":
                if order is not None and order.id in order_map:
                    book.cancel(order)
            else:
                blotter = book.match(order)
                volume += sum(t.fill_quantity for t in blotter.trades)
        self.volume = volume


PEERS = [LightMatching, PyOrderBook]


def auction_book(n: int, seed: int = 11) -> OrderBook:
    """A call-auction book holding n random limit orders around the reference price."""
    rng = random.Random(seed)
    book = OrderBook(BookSpec("FARM", TICK, Decimal("1"), Decimal("10.00"), mode=Mode.CALL_AUCTION))
    for oid in range(1, n + 1):
        is_buy = rng.random() < 0.5
        ticks = MID + rng.randint(-50, 50)
        side = Side.BUY if is_buy else Side.SELL
        book.apply(Submit(oid, oid, side, TICK * ticks, Decimal(rng.randint(1, 10))))
    return book


class AuctionRun:
    """Time Uncross on a freshly filled book."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.events = 0

    def prepare(self) -> OrderBook:
        return auction_book(self.n)

    def __call__(self, book: OrderBook) -> None:
        self.events = len(book.apply(Uncross(at=1)))


def main() -> None:
    """Run the benchmark and print a report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200_000)
    parser.add_argument("--auction-orders", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="20,000 commands, 3 repeats")
    parser.add_argument("--pure", action="store_true",
                        help="the engine from its interpreted sources, not the compiled build")
    args = parser.parse_args()
    if args.quick:
        args.commands, args.auction_orders, args.repeats = 20_000, 20_000, 3

    print(f"python {platform.python_version()} on {platform.machine()}, {time.strftime('%F')}, "
          f"engine {engine_build.describe()}")
    stream = make_stream(args.commands)
    kinds = {k: sum(1 for s in stream if s[0] == k) for k in ("place", "cancel")}
    print(f"stream: {len(stream):,} commands {kinds}, repeats {args.repeats}, median shown")
    results = {}
    for runner_class in [Ours, *PEERS]:
        try:
            runner = runner_class(stream)
        except ImportError as exc:
            print(f"  {runner_class.name:24} not installed ({exc.name})")
            continue
        times = timed(runner, args.repeats, runner.name)
        rate = len(stream) / statistics.median(times)
        cpu_rate = len(stream) / statistics.median(CPU_TIMES[runner.name])
        results[runner.name] = (rate, cpu_rate)
        spread = f"min {len(stream) / max(times):,.0f} max {len(stream) / min(times):,.0f}"
        print(
            f"  {runner.name:24} {rate:12,.0f} commands/s wall ({spread}), "
            f"{cpu_rate:,.0f}/s CPU; traded volume {runner.volume:,}"
        )
    final = OrderBook(SPEC)
    for command in Ours(stream).commands:
        final.apply(command)
    print(f"book at the end of the stream: {len(final):,} resting orders")
    ours = results.pop(Ours.name)
    if results:
        for i, measure in enumerate(("wall", "CPU")):
            fastest = max(results, key=lambda name, i=i: results[name][i])
            ratio = ours[i] / results[fastest][i]
            print(f"ratio to the fastest peer by {measure} time ({fastest}): {ratio:.2f}x")
        for name, (rate, cpu_rate) in results.items():
            print(f"  vs {name}: {ours[0] / rate:.2f}x wall, {ours[1] / cpu_rate:.2f}x CPU")
    run = AuctionRun(args.auction_orders)
    times = timed(run, args.repeats, "uncross")
    print(
        f"uncross of {args.auction_orders:,} orders: median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}) wall, "
        f"{statistics.median(CPU_TIMES['uncross']):.3f} s CPU; {run.events:,} events"
    )
    book = auction_book(args.auction_orders)
    start = time.perf_counter()
    book.indicative()
    print(f"indicative() on the same book: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
