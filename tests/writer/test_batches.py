"""One batch, one commit: what the writer does with several commands that arrive together.

The writer is driven directly here (`OrderWriter.serve`), with the answers read from the
reply channel, so each test knows exactly which commands shared a batch.
"""

import threading
from decimal import Decimal

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from market.extensions import db
from market.services import identity, ledger
from models import (
    Account,
    BookCommand,
    Instrument,
    Lot,
    Order,
    OrderRejection,
    Settlement,
    Trade,
    User,
)
from tests.writer.commands import cancel, place


@pytest.fixture
def market(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    poor = world.trader("liangxi", "320213", cash="1000")
    serial = world.lot(seller, quantity="50", grade=4)
    return seller, buyer, poor, serial


def _serve(writer, raw, commands):
    writer.serve(commands, raw)
    db.session.rollback()  # read what the writer committed, not this session's snapshot


def test_commands_that_arrive_together_are_matched_and_committed_as_one_batch(
        writer, replies, market):
    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    commands = [place(seller, channel, "s1", "sell", "300000.00", "2", serial),
                place(buyer, channel, "b1", "buy", "300000.00", "1"),
                place(buyer, channel, "b2", "buy", "299000.00", "1")]
    _serve(writer, raw, commands)
    answers = collect(3)
    assert writer.batches == 1 and writer.commands == 3
    assert [("error" in answers[c.id]) for c in commands] == [False, False, False]
    trade = db.session.scalar(select(Trade))
    assert (trade.sell_order_id, trade.buy_order_id) == (answers[commands[0].id]["order_id"],
                                                         answers[commands[1].id]["order_id"])
    assert db.session.scalar(select(func.count()).select_from(BookCommand)) == 3
    resting = db.session.get(Order, answers[commands[2].id]["order_id"])
    assert (resting.status, resting.priority is not None) == ("open", True)


def test_a_refusal_before_any_write_answers_that_command_and_the_batch_goes_on(
        writer, replies, market):
    seller, buyer, poor, serial = market
    raw, channel, collect = replies
    commands = [place(seller, channel, "s1", "sell", "300000.00", "2", serial),
                place(poor, channel, "p1", "buy", "300000.00", "1"),  # 60,000 deposit
                place(buyer, channel, "b1", "buy", "300000.00", "1")]
    _serve(writer, raw, commands)
    answers = collect(3)
    assert answers[commands[1].id]["error"]["code"] == "insufficient_funds"
    assert "deposit" in answers[commands[1].id]["error"]["message"]  # in the sender's language
    assert "error" not in answers[commands[0].id] and "error" not in answers[commands[2].id]
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 1
    assert db.session.scalar(select(func.count()).select_from(Order)) == 2


def test_a_refusal_after_a_write_splits_the_batch_and_keeps_the_others(writer, replies, market):
    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    commands = [place(seller, channel, "s1", "sell", "300000.00", "2", serial),
                place(buyer, channel, "bad", "buy", "300050.00", "1"),  # not on the tick
                place(buyer, channel, "b1", "buy", "300000.00", "1")]
    _serve(writer, raw, commands)
    answers = collect(3)
    assert answers[commands[1].id]["error"]["code"] == "bad_tick"
    assert [answers[commands[i].id].get("replayed") for i in (0, 2)] == [False, False], answers
    orders = db.session.scalars(select(Order).order_by(Order.id)).all()
    assert [order.client_order_id for order in orders] == ["s1", "b1"]
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 1
    # The refusal is kept for surveillance once, though its batch was rolled back.
    assert db.session.scalar(select(func.count()).select_from(OrderRejection)) == 1


def test_a_retry_in_the_same_batch_as_its_original_is_a_replay(writer, replies, market):
    _seller, buyer, _poor, _serial = market
    raw, channel, collect = replies
    first = place(buyer, channel, "b1", "buy", "300000.00", "1")
    retry = place(buyer, channel, "b1", "buy", "300000.00", "1")
    _serve(writer, raw, [first, retry])
    answers = collect(2)
    assert answers[first.id]["replayed"] is False
    replay = {key: value for key, value in answers[retry.id].items()
              if key != "writer"}  # the batch's timing, for the web worker's log line
    assert replay == {"id": retry.id, "order_id": answers[first.id]["order_id"],
                      "replayed": True}
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_a_book_changed_inline_between_batches_catches_up_from_the_log_before_it_matches(
        writer, replies, market):
    from market.services import trading

    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "300000.00", "2", serial)
    _serve(writer, raw, [sell])
    order_id = collect(1)[sell.id]["order_id"]
    # A regulator's freeze (or any inline change) cancels the resting sell behind the
    # writer's back: the version moves, so the writer's book of FO-QTY is stale.
    version = db.session.scalar(select(Instrument.book_version).where(Instrument.code == "FO-QTY"))
    trading.cancel_order(seller.user, seller.user.account, order_id)
    db.session.rollback()
    assert db.session.scalar(select(Instrument.book_version).where(
        Instrument.code == "FO-QTY")) == version + 1
    rebuilds = writer.books.rebuilds
    buy = place(buyer, channel, "b1", "buy", "300000.00", "1")
    _serve(writer, raw, [buy])
    assert "error" not in collect(1)[buy.id]
    # It applied the logged cancel to its book rather than reading the whole book again.
    assert (writer.books.rebuilds, writer.books.catch_ups) == (rebuilds, 1)
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 0


def test_a_book_whose_terms_changed_is_rebuilt_from_the_rows(writer, replies, market):
    from market.services import catalogue

    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "300000.00", "2", serial)
    _serve(writer, raw, [sell])
    collect(1)
    catalogue.update_terms(writer_admin(), "FO-QTY", {"price_band": Decimal("0.25")})
    db.session.rollback()
    rebuilds = writer.books.rebuilds
    buy = place(buyer, channel, "b1", "buy", "300000.00", "1")
    _serve(writer, raw, [buy])
    assert "error" not in collect(1)[buy.id]
    assert writer.books.rebuilds == rebuilds + 1
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 1


def writer_admin():
    from models import User

    return db.session.scalar(select(User).where(User.role == "admin"))


def test_a_cancel_after_a_fill_in_the_same_batch_cancels_what_the_fill_left(
        writer, replies, market):
    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "300000.00", "5", serial)
    _serve(writer, raw, [sell])
    sell_id = collect(1)[sell.id]["order_id"]
    buy = place(buyer, channel, "b1", "buy", "300000.00", "2")
    cancel_it = cancel(seller, sell_id, channel)
    _serve(writer, raw, [buy, cancel_it])
    answers = collect(2)
    assert "error" not in answers[buy.id] and "error" not in answers[cancel_it.id]
    order = db.session.get(Order, sell_id)
    assert (order.status, order.filled, order.remaining) == ("cancelled", Decimal("2"),
                                                             Decimal("0"))
    # The fixture checks the ledger invariants too: the lot's encumbrance is all released.


def test_two_orders_of_one_batch_cannot_hold_the_same_cash_twice(writer, replies, world):
    # A batch sums its balance moves and applies them at its end; each order's check still
    # sees the cash the batch's earlier orders held.
    buyer = world.trader("xinwu", "320214", cash="70000")
    raw, channel, collect = replies
    commands = [place(buyer, channel, "b1", "buy", "300000.00", "1"),  # 60,000 deposit
                place(buyer, channel, "b2", "buy", "300000.00", "1")]
    _serve(writer, raw, commands)
    answers = collect(2)
    assert "error" not in answers[commands[0].id]
    assert answers[commands[1].id]["error"]["code"] == "insufficient_funds"
    account = db.session.get(Account, buyer.user.account_id)
    assert (account.cash_available, account.cash_held) == (Decimal("10000.00"),
                                                           Decimal("60000.00"))


def test_cash_withdrawn_while_a_batch_runs_sends_its_commands_one_by_one(
        app, writer, replies, world, monkeypatch):
    buyer = world.trader("xinwu", "320214", cash="130000")
    regulator_id, account_id = world.regulator_user.id, buyer.user.account_id
    raw, channel, collect = replies
    take_deferred = ledger.take_deferred

    def withdrawn_first():
        # Another transaction pays 50,000 out after both orders were checked in memory.
        def withdraw():
            with app.app_context():
                identity.withdraw_cash(db.session.get(User, regulator_id), account_id,
                                       Decimal("50000"), "W-1")
                db.session.remove()
        if not withdrawn:
            withdrawn.append(True)
            thread = threading.Thread(target=withdraw)
            thread.start()
            thread.join(10)
        return take_deferred()

    withdrawn: list = []
    monkeypatch.setattr(ledger, "take_deferred", withdrawn_first)
    commands = [place(buyer, channel, "b1", "buy", "300000.00", "1"),  # 60,000 deposit each
                place(buyer, channel, "b2", "buy", "300000.00", "1")]
    _serve(writer, raw, commands)
    answers = collect(2)
    assert "error" not in answers[commands[0].id]
    assert answers[commands[1].id]["error"]["code"] == "insufficient_funds"
    account = db.session.get(Account, account_id)
    assert (account.cash_available, account.cash_held) == (Decimal("20000.00"),
                                                           Decimal("60000.00"))
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1


@pytest.mark.parametrize("together", [True, False], ids=["same batch", "resting seller"])
def test_a_trade_that_settles_at_once_delivers_inside_the_batch(writer, replies, world,
                                                                together):
    # ECO-CARBON takes the whole price as deposit: its settlement completes as it opens,
    # before the batch has inserted the trade and the settlement it completes.
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000")
    serial = world.lot(seller, instrument="ECO-CARBON", quantity="100")
    raw, channel, collect = replies
    sell = place(seller, channel, "s1", "sell", "60.00", "10", serial, "ECO-CARBON")
    buy = place(buyer, channel, "b1", "buy", "60.00", "10", instrument="ECO-CARBON")
    if together:
        _serve(writer, raw, [sell, buy])
    else:
        _serve(writer, raw, [sell])
        _serve(writer, raw, [buy])
    answers = collect(2)
    assert "error" not in answers[sell.id] and "error" not in answers[buy.id], answers
    settlement = db.session.scalar(select(Settlement))
    assert settlement.status == "completed" and settlement.escrowed == 0
    child = db.session.get(Lot, settlement.child_lot_id)
    assert (child.owner_account_id, child.available) == (buyer.user.account_id, Decimal("10"))
    account = db.session.get(Account, buyer.user.account_id)
    assert (account.cash_available, account.cash_held) == (Decimal("9400.00"), Decimal("0.00"))


def test_a_batch_writes_its_new_rows_and_changed_orders_one_statement_a_table(
        writer, replies, market):
    """Resting orders filled, partly filled and re-held in several ways: one UPDATE of
    `orders` for them all, one INSERT per table for the new rows (all in the closing
    statement's round trip), and the rows as if the unit of work had written each
    change."""
    seller, buyer, _poor, serial = market
    raw, channel, collect = replies
    resting = [place(seller, channel, "s1", "sell", "300000.00", "1", serial),
               place(seller, channel, "s2", "sell", "301000.00", "2", serial),
               place(buyer, channel, "b0", "buy", "290000.00", "1")]
    _serve(writer, raw, resting)
    first = collect(3)
    placed_at = {c.id: db.session.get(Order, first[c.id]["order_id"]).updated_at
                 for c in resting}
    db.session.rollback()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        # One round trip may carry several statements (the batch's INSERTs): each, by its
        # first words, in the round trip's list.
        statements.append([" ".join(part.split()[:3]) for part in statement.split(";\n")])
        sql.append(" ".join(statement.split()))

    sql = []

    left_to_flush = []

    def flushing(session, _context, _instances):
        left_to_flush.extend(type(row).__name__ for row in (*session.dirty, *session.new))

    db.engine.dispose()  # a new connection, on which the closing statement is prepared anew
    sa_event.listen(db.engine, "before_cursor_execute", record)
    sa_event.listen(db.session, "before_flush", flushing)
    try:
        # A buy takes all of s1 and half of s2 (s2 stays open, its remaining down); a sell
        # fills b0 whole, closing it.
        commands = [place(buyer, channel, "b1", "buy", "301000.00", "2"),
                    place(seller, channel, "s3", "sell", "290000.00", "1", serial)]
        _serve(writer, raw, commands)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
        sa_event.remove(db.session, "before_flush", flushing)
    answers = collect(2)
    assert all("error" not in answer for answer in answers.values())
    # The balances, the fills' orders, the book's counters, the log and the answers: one
    # statement, whose one UPDATE of each table writes every changed row; the flush then
    # finds nothing to do.
    # (prepared once on the connection, then executed by name: services/prepared.py)
    [end] = [statement for statement in sql if statement.startswith("PREPARE ")]
    assert " AS WITH " in end
    executed = [trip for trip in statements if trip[-1].startswith("EXECUTE ")]
    assert len(executed) == 1
    updated = ("accounts", "lots", "orders", "instruments")
    assert all(end.count(f"UPDATE {table} AS t") == 1 for table in updated)
    assert "INSERT INTO book_commands" in end and "pg_notify" in end
    assert not any(f"UPDATE {table}" in statement for table in updated
                   for statement in sql if statement is not end)
    assert left_to_flush == []
    inserts = [trip for trip in statements if trip[0].startswith("INSERT INTO")]
    # The new rows of every table, then the closing statement: all in one round trip.
    assert inserts == executed
    assert sorted(inserts[0][:-1]) == sorted(f"INSERT INTO {table}" for table in (
        "orders", "trades", "settlements", "journal_transactions", "journal_entries"))
    s1, s2, b0 = (db.session.get(Order, first[c.id]["order_id"]) for c in resting)
    assert (s1.status, s1.filled, s1.remaining) == ("filled", Decimal("1"), Decimal("0"))
    assert (s2.status, s2.filled, s2.remaining) == ("open", Decimal("1"), Decimal("1"))
    assert (b0.status, b0.filled, b0.remaining, b0.held) == (
        "filled", Decimal("1"), Decimal("0"), Decimal("0"))
    assert all(order.updated_at > placed_at[c.id]
               for order, c in zip((s1, s2, b0), resting, strict=True))
    b1 = db.session.get(Order, answers[commands[0].id]["order_id"])
    assert (b1.status, b1.filled, b1.remaining, b1.held) == (
        "filled", Decimal("2"), Decimal("0"), Decimal("0"))
    assert db.session.scalar(select(func.count()).select_from(Trade)) == 3
    assert db.session.scalar(select(func.count()).select_from(Settlement)) == 3
