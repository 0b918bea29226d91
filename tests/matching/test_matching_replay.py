"""A long generated stream (bench/flow.py) gives the same events in the engine and the reference.

The property tests explore many short streams; this one replays 100,000 messages of the
benchmark's hard flow (cancels, size-ups that lose priority, re-quotes, IOC orders, a flash
crash) and compares every event, so the benchmark measures an engine that is right on it.
"""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

from reference_model import Ref

from matching import Amend, BookSpec, Cancel, OrderBook, Side, Submit, TimeInForce

FLOW = Path(__file__).resolve().parents[2] / "bench" / "flow.py"
TICK = Decimal("0.01")


def _flow():
    spec = importlib.util.spec_from_file_location("bench_flow", FLOW)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def commands(stream, new, cancel):
    """The flow's messages as engine commands."""
    for m in stream:
        if m[0] == new:
            _, oid, is_buy, ticks, lots, ioc = m
            side = Side.BUY if is_buy else Side.SELL
            tif = TimeInForce.IOC if ioc else TimeInForce.GTC
            yield Submit(oid, oid, side, TICK * ticks, Decimal(lots), tif)
        elif m[0] == cancel:
            yield Cancel(m[1])
        else:
            yield Amend(m[1], Decimal(m[3]), TICK * m[2])


def test_flow_stream_matches_the_reference():
    flow = _flow()
    stream = flow.generate(flow.BY_NAME["flash-crash"], 100_000, seed=3)
    spec = BookSpec("FARM", TICK, Decimal("1"))
    book, ref = OrderBook(spec), Ref(spec)
    kinds = set()
    for n, command in enumerate(commands(stream, flow.NEW, flow.CANCEL)):
        got = book.apply(command)
        assert got == ref.apply(command), (n, command)
        kinds.update(type(e).__name__ for e in got)
    # The stream exercised every path the benchmark times.
    assert {"Filled", "Cancelled", "Amended", "Rested", "Rejected"} <= kinds
    assert sorted(o.order_id for o in book.resting_orders()) == sorted(
        o["id"] for o in ref.resting)
