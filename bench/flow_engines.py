"""The engines the flow benchmark drives, each through its cheapest honest adapter.

Each adapter builds its input from the same stream (``bench/flow.py``) before the clock starts,
replays it in chunks (stopping at its CPU budget) and reports the traded volume.

- **this engine**: ``Submit`` (IOC or GTC), ``Cancel`` and ``Amend`` dataclasses with Decimal
  price and quantity, prebuilt; ``apply`` validates each and returns events. The build is
  whatever ``pip install -e .`` made (compiled by mypyc, ``setup.py``); ``--pure`` measures
  the interpreted sources.
- **pyorderbook**: its ``Order`` objects prebuilt (the constructor draws a uuid4 and parses a
  Decimal), one per new order and one per modify; IOC is ``match`` then ``cancel`` of any
  rest (it has no IOC); a modify that keeps priority lowers ``order.quantity`` in place, any
  other is ``cancel`` then ``match`` of the prebuilt replacement; it has no modify call.
- **lightmatchingengine**: integer ticks; IOC is ``add_order`` then ``cancel_order`` of any
  rest; a same-price decrease lowers ``leaves_qty`` in place, any other modify is cancel and
  add; it keeps filled orders in its id map, so the adapter checks ``leaves_qty`` first.
- **akhil4n-orderbook**: integer ticks; its ``Order`` dataclasses prebuilt; IOC is
  ``add_limit_order`` then ``cancel_order``; modifies as for pyorderbook, keeping its level
  total in step on an in-place decrease.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flow import CANCEL, MODIFY, NEW  # noqa: E402

from matching import (  # noqa: E402
    Amend,
    BookSpec,
    Cancel,
    Filled,
    OrderBook,
    Side,
    Submit,
    TimeInForce,
)

TICK = Decimal("0.01")
SPEC = BookSpec("FARM", TICK, Decimal("1"))  # no band: a trend or a crash may go anywhere
CHUNK = 65536  # messages between two looks at the CPU clock


def chunks(items: list) -> list[list]:
    """The stream cut into chunks."""
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


class Ours:
    """This repository's engine through ``OrderBook.apply``."""

    name = "this engine"

    def __init__(self, stream: list[tuple]) -> None:
        # One Decimal per distinct price and size, as a gateway's parser cache would give.
        prices: dict[int, Decimal] = {}
        sizes: dict[int, Decimal] = {}
        price = lambda ticks: prices.setdefault(ticks, TICK * ticks)  # noqa: E731
        size = lambda lots: sizes.setdefault(lots, Decimal(lots))  # noqa: E731
        buy, sell, gtc, ioc = Side.BUY, Side.SELL, TimeInForce.GTC, TimeInForce.IOC
        commands: list = []
        for m in stream:
            if m[0] == NEW:
                _, oid, is_buy, ticks, lots, is_ioc = m
                commands.append(Submit(oid, oid, buy if is_buy else sell, price(ticks),
                                       size(lots), ioc if is_ioc else gtc))
            elif m[0] == CANCEL:
                commands.append(Cancel(m[1]))
            else:
                commands.append(Amend(m[1], size(m[3]), price(m[2])))
        self.chunks = chunks(commands)
        self.volume = 0

    def prepare(self) -> OrderBook:
        return OrderBook(SPEC)

    def __call__(self, book: OrderBook, deadline: float) -> int:
        apply, volume, done = book.apply, 0, 0
        for chunk in self.chunks:
            for command in chunk:
                for event in apply(command):
                    if event.__class__ is Filled:
                        volume += event.quantity
            done += len(chunk)
            if time.process_time() > deadline:
                break
        self.volume = int(volume)
        return done


class PyOrderBook:
    """pyorderbook 0.4.9."""

    name = "pyorderbook"

    def __init__(self, stream: list[tuple]) -> None:
        import logging

        import pyorderbook

        logging.getLogger("pyorderbook").setLevel(logging.WARNING)
        self.lib, self.stream = pyorderbook, stream
        self.volume = 0

    def prepare(self):
        lib = self.lib
        bid, ask = lib.Side.BID, lib.Side.ASK
        side_of: dict[int, object] = {}
        items = []
        for m in self.stream:
            if m[0] == NEW:
                side_of[m[1]] = bid if m[2] else ask
                items.append((NEW, m[1], lib.Order(side_of[m[1]], "FARM", TICK * m[3], m[4]),
                              m[5], m[3], m[4]))
            elif m[0] == CANCEL:
                items.append((CANCEL, m[1]))
            else:
                items.append((MODIFY, m[1], lib.Order(side_of[m[1]], "FARM", TICK * m[2], m[3]),
                              m[2], m[3]))
        return lib.Book(), chunks(items)

    def __call__(self, prepared, deadline: float) -> int:
        book, parts = prepared
        live: dict[int, list] = {}  # id -> [order, ticks, total]
        order_map, match, cancel = book.order_map, book.match, book.cancel
        volume = done = 0
        for part in parts:
            for item in part:
                kind = item[0]
                if kind == NEW:
                    order = item[2]
                    volume += sum(t.fill_quantity for t in match(order).trades)
                    if order.quantity:
                        if item[3]:
                            cancel(order)
                        else:
                            live[item[1]] = [order, item[4], item[5]]
                    continue
                entry = live.get(item[1])
                if entry is None or entry[0].id not in order_map:
                    continue
                order = entry[0]
                if kind == CANCEL:
                    cancel(order)
                    del live[item[1]]
                    continue
                _, _, new, ticks, total = item
                leaves = total - (entry[2] - order.quantity)
                if leaves <= 0 or (ticks == entry[1] and leaves == order.quantity):
                    continue
                if ticks == entry[1] and leaves < order.quantity:
                    order.quantity = leaves
                    entry[2] = total
                    continue
                cancel(order)
                new.quantity = new.original_quantity = leaves
                volume += sum(t.fill_quantity for t in match(new).trades)
                entry[:] = [new, ticks, total]
            done += len(part)
            if time.process_time() > deadline:
                break
        self.volume = volume
        return done


class LightMatching:
    """lightmatchingengine 2019.1.4."""

    name = "lightmatchingengine"

    def __init__(self, stream: list[tuple]) -> None:
        from lightmatchingengine.lightmatchingengine import LightMatchingEngine, Side

        self.engine_class, self.buy, self.sell = LightMatchingEngine, Side.BUY, Side.SELL
        self.chunks = chunks(stream)
        self.volume = 0

    def prepare(self):
        return self.engine_class()

    def __call__(self, engine, deadline: float) -> int:
        live: dict[int, list] = {}  # id -> [order, total]
        buy, sell = self.buy, self.sell
        add, cancel = engine.add_order, engine.cancel_order
        volume = done = 0
        for chunk in self.chunks:
            for m in chunk:
                kind = m[0]
                if kind == NEW:
                    order, trades = add("FARM", m[3], m[4], buy if m[2] else sell)
                    # One aggressor trade per level plus the passive ones: count the aggressor.
                    volume += sum(t.trade_qty for t in trades if t.order_id == order.order_id)
                    if order.leaves_qty > 0:
                        if m[5]:
                            cancel(order.order_id, "FARM")
                        else:
                            live[m[1]] = [order, m[4]]
                    continue
                entry = live.get(m[1])
                if entry is None or entry[0].leaves_qty <= 0:
                    continue
                order = entry[0]
                if kind == CANCEL:
                    cancel(order.order_id, "FARM")
                    del live[m[1]]
                    continue
                _, _, ticks, total = m
                leaves = total - (entry[1] - order.leaves_qty)
                if leaves <= 0 or (ticks == order.price and leaves == order.leaves_qty):
                    continue
                if ticks == order.price and leaves < order.leaves_qty:
                    order.leaves_qty = leaves
                    entry[1] = total
                    continue
                cancel(order.order_id, "FARM")
                order, trades = add("FARM", ticks, leaves, order.side)
                volume += sum(t.trade_qty for t in trades if t.order_id == order.order_id)
                entry[:] = [order, total]
            done += len(chunk)
            if time.process_time() > deadline:
                break
        self.volume = volume
        return done


class Akhil4n:
    """akhil4n-orderbook 0.1.1 (module ``orderbook``)."""

    name = "akhil4n-orderbook"

    def __init__(self, stream: list[tuple]) -> None:
        import orderbook

        self.lib, self.stream = orderbook, stream
        self.volume = 0

    def prepare(self):
        lib = self.lib
        bid, ask = lib.OrderSide.BID, lib.OrderSide.ASK
        side_of: dict[int, object] = {}
        items = []
        for m in self.stream:
            if m[0] == NEW:
                side_of[m[1]] = bid if m[2] else ask
                items.append((NEW, m[1], lib.Order(side_of[m[1]], m[3], m[4]), m[5], m[4]))
            elif m[0] == CANCEL:
                items.append((CANCEL, m[1]))
            else:
                items.append((MODIFY, m[1], lib.Order(side_of[m[1]], m[2], m[3]), m[2], m[3]))
        return lib.OrderBook(), chunks(items)

    def __call__(self, prepared, deadline: float) -> int:
        book, parts = prepared
        live: dict[int, list] = {}  # id -> [order, total]
        orders, add, cancel = book.orders, book.add_limit_order, book.cancel_order
        done = 0
        for part in parts:
            for item in part:
                kind = item[0]
                if kind == NEW:
                    order = item[2]
                    add(order)
                    if order.remaining_quantity:
                        if item[3]:
                            cancel(order.order_id)
                        else:
                            live[item[1]] = [order, item[4]]
                    continue
                entry = live.get(item[1])
                if entry is None or entry[0].order_id not in orders:
                    continue
                order = entry[0]
                if kind == CANCEL:
                    cancel(order.order_id)
                    del live[item[1]]
                    continue
                _, _, new, ticks, total = item
                left = order.remaining_quantity
                leaves = total - (entry[1] - left)
                if leaves <= 0 or (ticks == order.price and leaves == left):
                    continue
                if ticks == order.price and leaves < left:
                    orders[order.order_id][0].total_quantity -= left - leaves
                    order.remaining_quantity = leaves
                    entry[1] = total
                    continue
                cancel(order.order_id)
                new.original_quantity = new.remaining_quantity = leaves
                add(new)
                entry[:] = [new, total]
            done += len(part)
            if time.process_time() > deadline:
                break
        self.volume = sum(t.quantity_filled for t in book.trade_log)
        return done


ENGINES = [Ours, PyOrderBook, Akhil4n, LightMatching]
