"""Random batches of places and cancels: after every batch the rows are what the book holds.

The writer keeps its books in memory across batches and splits a batch where a command is
refused; whatever path a batch took, every open order in the database must rest in the live
book with the same open quantity (and nothing else may), and the inline rules (a filled order
is closed) must hold.
"""

import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.extensions import db
from market.services.trading import book_replay
from models import Instrument, Order, Trade
from tests.writer.commands import cancel, place


def _book_state(writer) -> dict[int, Decimal]:
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == "FO-QTY"))
    entry = writer.books._entries.get(instrument.id)
    if entry is None:
        return None
    return {order_id: order.lots * entry.book.grid.lot
            for order_id, order in entry.book.orders.items() if order.live}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_batches_leave_the_rows_and_the_live_book_alike(writer, replies, world, seed):
    raw, channel, collect = replies
    rng = random.Random(seed)
    sellers = [world.trader(f"seller{i}", "320282") for i in range(3)]
    serials = [world.lot(seller, quantity="1000", grade=4) for seller in sellers]
    # The last buyer can afford a deposit now and then: refusals before any write.
    buyers = [world.trader(f"buyer{i}", "320214", cash="100000000") for i in range(2)]
    buyers.append(world.trader("poor", "320213", cash="20000"))
    callers = {caller.user.id: caller for caller in sellers + buyers}
    placed: list[tuple] = []  # (caller, order id) of the orders accepted
    count = refused = 0
    for _ in range(40):
        commands = []
        for _ in range(rng.randint(1, 8)):
            count += 1
            if placed and rng.random() < 0.25:
                commands.append(cancel(*rng.choice(placed), channel=channel))
                continue
            index, side = rng.randrange(3), rng.choice(["buy", "sell"])
            # Now and then off the tick: the engine refuses it after its row and hold were
            # written, so the batch is rolled back and split there.
            ticks = 100 * rng.randint(-5, 5) + (50 if rng.random() < 0.05 else 0)
            price, quantity = f"{300000 + ticks}.00", f"0.{rng.randint(1, 99):02d}"
            if side == "buy":
                commands.append(place(buyers[index], channel, f"c{count}", side, price,
                                      quantity))
            else:
                commands.append(place(sellers[index], channel, f"c{count}", side, price,
                                      quantity, serials[index]))
        writer.serve(commands, raw)
        answers = collect(len(commands))
        assert len(answers) == len(commands)
        for command in commands:
            if "error" in answers[command.id]:
                refused += 1
            elif command.kind == "place":
                placed.append((callers[command.actor_id], answers[command.id]["order_id"]))
        db.session.rollback()  # read what the writer committed
        open_rows = {order.id: order.remaining for order in db.session.scalars(
            select(Order).where(Order.status == "open"))}
        assert all(remaining > 0 for remaining in open_rows.values()), open_rows
        live = _book_state(writer)
        if live is not None:
            assert live == open_rows
    assert refused and db.session.scalar(select(func.count(Trade.id)))
    assert book_replay.replay_mismatches() == []
