"""The resting orders' rows the writer keeps between batches (`LiveBooks.rows`).

A fill or a cancel of an order the writer placed reads no order row; a row changed behind the
writer (a freeze's cancels, inline) is read again, never used as kept.
"""

import threading

import pytest
from sqlalchemy import event, func, select

from market.extensions import db
from market.services import identity, trading
from models import Order, Trade, User
from tests.writer.commands import cancel, place


@pytest.fixture
def market(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="50", grade=4)
    return seller, buyer, serial


def _order_reads(statements: list[str]) -> list[str]:
    # Not the placements' retry lookup by client_order_id: that one every batch needs.
    return [sql for sql in statements if sql.startswith("SELECT orders.")
            and "orders.client_order_id IN" not in sql]


def test_a_fill_and_a_cancel_of_resting_orders_it_placed_read_no_order_row(
        writer, replies, market):
    seller, buyer, serial = market
    raw, channel, collect = replies
    resting = [place(seller, channel, "s1", "sell", "300000.00", "2", serial),
               place(buyer, channel, "b0", "buy", "290000.00", "1")]
    writer.serve(resting, raw)
    placed = collect(2)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        # A buy takes half of s1 (in an earlier batch); the resting buy is cancelled.
        later = [place(buyer, channel, "b1", "buy", "300000.00", "1"),
                 cancel(buyer, placed[resting[1].id]["order_id"], channel)]
        writer.serve(later, raw)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    answers = collect(2)
    assert all("error" not in answer for answer in answers.values()), answers
    assert statements, "the recorder saw nothing"
    assert _order_reads(statements) == []
    db.session.rollback()
    assert db.session.get(Order, placed[resting[0].id]["order_id"]).remaining == 1
    assert db.session.get(Order, placed[resting[1].id]["order_id"]).status == "cancelled"


def test_an_order_cancelled_behind_the_writer_is_read_again_not_used_as_kept(
        app, writer, replies, market):
    seller, buyer, serial = market
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "300000.00", "2", serial)
    writer.serve([sell], raw)
    order_id = collect(1)[sell.id]["order_id"]
    assert writer.books.rows[order_id].status == "open"  # kept, as the writer wrote it

    def cancel_inline_elsewhere():  # another process's session, as a freeze's cancels are
        with app.app_context():
            user = db.session.get(User, seller.user.id)
            trading.cancel_order(user, identity.get_account(user.account_id), order_id)
            db.session.remove()

    elsewhere = threading.Thread(target=cancel_inline_elsewhere)
    elsewhere.start()
    elsewhere.join(10)
    buy = place(buyer, channel, "b1", "buy", "300000.00", "1")
    again = cancel(seller, order_id, channel)
    writer.serve([buy, again], raw)
    answers = collect(2)
    assert "error" not in answers[buy.id]
    assert answers[again.id]["error"]["code"] == "order_closed"
    assert writer.failed_batches == 0  # not found out by a failed batch run again one by one
    assert order_id not in writer.books.rows
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 0
    assert db.session.get(Order, order_id).status == "cancelled"


def test_it_keeps_only_resting_orders_and_at_most_its_limit(writer, replies, market,
                                                            monkeypatch):
    from market.services.trading import live_books

    seller, buyer, serial = market
    raw, channel, collect = replies
    monkeypatch.setattr(live_books, "MAX_ROWS", 2)
    commands = [place(buyer, channel, f"b{n}", "buy", f"29{n}000.00", "1") for n in range(3)]
    commands.append(place(seller, channel, "s1", "sell", "292000.00", "1", serial))  # fills b2
    writer.serve(commands, raw)
    answers = collect(4)
    ids = [answers[command.id]["order_id"] for command in commands]
    # b2 and s1 closed; of b0 and b1, both resting, the limit keeps both.
    assert list(writer.books.rows) == ids[:2]
    writer.serve([place(buyer, channel, "b3", "buy", "280000.00", "1")], raw)
    newest = collect(1)
    assert list(writer.books.rows) == [ids[1], *[answer["order_id"]
                                                 for answer in newest.values()]]


def test_a_cancel_of_an_order_it_saw_close_is_refused_reading_nothing(writer, replies, market):
    seller, buyer, serial = market
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "300000.00", "1", serial)
    buy = place(buyer, channel, "b1", "buy", "300000.00", "1")  # fills the sell whole
    writer.serve([sell, buy], raw)
    filled = collect(2)[sell.id]["order_id"]
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        own, other = cancel(seller, filled, channel), cancel(buyer, filled, channel)
        writer.serve([own, other], raw)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    answers = collect(2)
    assert answers[own.id]["error"]["code"] == "order_closed"
    assert answers[other.id]["error"]["code"] == "not_found"  # as if it did not exist
    assert _order_reads(statements) == []
