"""Continuous matching: priority, fills, time in force, self-trade prevention, amendments."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from helpers_matching import book, buy, fills, kinds, sell

from matching import (
    Accepted,
    Cancel,
    Cancelled,
    Expire,
    Filled,
    OrderBook,
    Reduce,
    Reduced,
    Rejected,
    Replace,
    Replaced,
    Rested,
    Side,
    TimeInForce,
    Uncross,
)

GTD, IOC, FOK = TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK


def test_resting_order_events():
    b = book()
    events = b.apply(sell(1, "s", "10.00", 5))
    assert events == [
        Accepted(1, "s", Side.SELL, D("10.00"), D("5"), TimeInForce.GTC),
        Rested(1, Side.SELL, D("10.00"), D("5"), 1),
    ]
    assert b.best_ask() == (D("10.00"), D("5")) and b.best_bid() is None


def test_trade_at_resting_price_with_full_fill_event():
    b = book()
    b.apply(sell(1, "s", "10.00", 5))
    events = b.apply(buy(2, "b", "10.30", 3))
    assert events[1] == Filled(
        1, 2, "s", "b", 2, 1, D("10.00"), D("3"), D("2"), D("0"), 1, Side.SELL, D("10.00")
    )
    assert kinds(events) == ["Accepted", "Filled"]


def test_price_priority_then_time_priority():
    b = book()
    b.apply(sell(1, "s1", "10.10", 1))
    b.apply(sell(2, "s2", "10.00", 1))
    b.apply(sell(3, "s3", "10.00", 1))
    b.apply(sell(4, "s4", "9.90", 1))
    events = b.apply(buy(5, "b", "10.10", 4))
    assert [f[0] for f in fills(events)] == [4, 2, 3, 1]
    assert [f[2] for f in fills(events)] == [D("9.90"), D("10.00"), D("10.00"), D("10.10")]


def test_sell_taker_walks_bids_from_highest():
    b = book()
    b.apply(buy(1, "b1", "9.90", 2))
    b.apply(buy(2, "b2", "10.00", 2))
    events = b.apply(sell(3, "s", "9.90", 3))
    assert fills(events) == [(2, 3, D("10.00"), D("2")), (1, 3, D("9.90"), D("1"))]
    assert b.order(1).remaining == D("1")


def test_partial_fill_rests_the_remainder():
    b = book()
    b.apply(sell(1, "s", "10.00", 2))
    events = b.apply(buy(2, "b", "10.00", 5))
    assert kinds(events) == ["Accepted", "Filled", "Rested"]
    assert events[-1] == Rested(2, Side.BUY, D("10.00"), D("3"), 2)
    assert b.order(2).filled == D("2")


def test_no_trade_when_prices_do_not_cross():
    b = book()
    b.apply(sell(1, "s", "10.10", 2))
    assert kinds(b.apply(buy(2, "b", "10.00", 2))) == ["Accepted", "Rested"]


def test_ioc_cancels_the_remainder():
    b = book()
    b.apply(sell(1, "s", "10.00", 2))
    events = b.apply(buy(2, "b", "10.00", 5, IOC))
    assert events[-1] == Cancelled(2, D("3"), "ioc_remainder", Side.BUY, D("10.00"))
    assert b.order(2) is None


def test_fok_fills_completely_or_not_at_all():
    b = book()
    b.apply(sell(1, "s", "10.00", 2))
    b.apply(sell(2, "s", "10.05", 2))
    events = b.apply(buy(3, "b", "10.05", 5, FOK))
    assert kinds(events) == ["Accepted", "Cancelled"]
    assert events[-1] == Cancelled(3, D("5"), "fok_unfillable", Side.BUY, D("10.05"))
    assert b.order(1).remaining == D("2")
    events = b.apply(buy(4, "b", "10.05", 4, FOK))
    assert kinds(events) == ["Accepted", "Filled", "Filled"]
    assert len(b) == 0


def test_fok_does_not_count_own_orders():
    b = book()
    b.apply(sell(1, "b", "10.00", 3))
    b.apply(sell(2, "s", "10.00", 3))
    events = b.apply(buy(3, "b", "10.00", 4, FOK))
    assert events[-1].reason == "fok_unfillable"
    assert b.order(1) is not None, "an unfillable FOK must not trigger self-trade cancels"


def test_self_trade_prevention_cancels_the_resting_order_and_keeps_matching():
    b = book()
    b.apply(sell(1, "a", "10.00", 2))
    b.apply(sell(2, "c", "10.00", 2))
    events = b.apply(buy(3, "a", "10.00", 3))
    assert events[1] == Cancelled(1, D("2"), "self_trade_prevented", Side.SELL, D("10.00"))
    assert fills(events) == [(2, 3, D("10.00"), D("2"))]
    assert events[-1] == Rested(3, Side.BUY, D("10.00"), D("1"), 3)
    assert all(e.maker_account_id != e.taker_account_id for e in events if isinstance(e, Filled))


def test_gtd_expire_command_cancels_due_orders_oldest_first():
    b = book()
    b.apply(sell(1, "s", "10.00", 1, GTD, expires_at=50, at=1))
    b.apply(sell(2, "s", "10.10", 1, GTD, expires_at=40, at=2))
    b.apply(sell(3, "s", "10.20", 1, GTD, expires_at=90, at=3))
    assert b.apply(Expire(50)) == [
        Cancelled(1, D("1"), "expired", Side.SELL, D("10.00")),
        Cancelled(2, D("1"), "expired", Side.SELL, D("10.10")),
    ]
    assert [o.order_id for o in b.resting_orders()] == [3]


def test_expired_maker_is_never_traded_even_before_expire_runs():
    b = book()
    b.apply(sell(1, "s", "10.00", 1, GTD, expires_at=10, at=1))
    b.apply(sell(2, "t", "10.00", 1, at=2))
    events = b.apply(buy(3, "b", "10.00", 1, at=10))
    assert events[1] == Cancelled(1, D("1"), "expired", Side.SELL, D("10.00"))
    assert fills(events) == [(2, 3, D("10.00"), D("1"))]


def test_gtd_must_expire_after_arrival():
    b = book()
    assert b.apply(buy(1, "b", "10", 1, GTD, expires_at=5, at=5))[0].code == "expired_on_arrival"
    assert b.apply(buy(2, "b", "10", 1, GTD, at=5))[0].code == "bad_expiry"
    assert b.apply(buy(3, "b", "10", 1, expires_at=9, at=5))[0].code == "bad_expiry"


def test_cancel():
    b = book()
    b.apply(buy(1, "b", "10.00", 4))
    assert b.apply(Cancel(1)) == [Cancelled(1, D("4"), "cancelled", Side.BUY, D("10.00"))]
    assert b.apply(Cancel(1))[0].code == "unknown_order"
    assert b.depth().bids == ()


def test_reduce_keeps_time_priority():
    b = book()
    b.apply(sell(1, "s1", "10.00", 5))
    b.apply(sell(2, "s2", "10.00", 5))
    assert b.apply(Reduce(1, by=D("3"))) == [Reduced(1, D("5"), D("2"), Side.SELL, D("10.00"))]
    events = b.apply(buy(3, "b", "10.00", 3))
    assert fills(events) == [(1, 3, D("10.00"), D("2")), (2, 3, D("10.00"), D("1"))]


def test_reduce_new_quantity_counts_the_filled_part():
    b = book()
    b.apply(sell(1, "s", "10.00", 10))
    b.apply(buy(2, "b", "10.00", 4))
    # 10 ordered, 4 filled, 6 open: a new total of 7 leaves 3 open.
    reduced = Reduced(1, D("6"), D("3"), Side.SELL, D("10.00"))
    assert b.apply(Reduce(1, new_quantity=D("7"))) == [reduced]
    assert b.order(1).quantity == D("7") and b.order(1).filled == D("4")


def test_reduce_rejections():
    b = book()
    b.apply(sell(1, "s", "10.00", 5))
    assert b.apply(Reduce(1, by=D("5")))[0].code == "not_a_reduction"
    assert b.apply(Reduce(1, new_quantity=D("6")))[0].code == "not_a_reduction"
    assert b.apply(Reduce(1))[0].code == "not_a_reduction"
    assert b.apply(Reduce(1, by=D("0.5")))[0].code == "bad_lot"
    assert b.apply(Reduce(9, by=D("1")))[0].code == "unknown_order"
    assert b.order(1).remaining == D("5")


def test_replace_loses_time_priority():
    b = book()
    b.apply(sell(1, "s1", "10.00", 1))
    b.apply(sell(2, "s2", "10.10", 1))
    events = b.apply(Replace(1, D("10.10")))
    assert events == [
        Replaced(1, D("10.00"), D("10.10"), D("1"), Side.SELL),
        Rested(1, Side.SELL, D("10.10"), D("1"), 3),
    ]
    assert fills(b.apply(buy(3, "b", "10.10", 1))) == [(2, 3, D("10.10"), D("1"))]


def test_replace_that_crosses_trades_as_taker():
    b = book()
    b.apply(buy(1, "b", "10.00", 2))
    b.apply(sell(2, "s", "10.20", 3))
    events = b.apply(Replace(2, D("9.90")))
    assert kinds(events) == ["Replaced", "Filled", "Rested"]
    assert fills(events) == [(1, 2, D("10.00"), D("2"))]
    assert b.best_ask() == (D("9.90"), D("1"))


def test_replace_rejects_bad_price_and_changes_nothing():
    b = book()
    b.apply(buy(1, "b", "10.00", 2))
    assert b.apply(Replace(1, D("10.001")))[0].code == "bad_tick"
    assert b.apply(Replace(1, D("12.00")))[0].code == "outside_band"
    assert b.order(1).price == D("10.00") and b.order(1).priority == 1


def test_duplicate_open_order_id_is_rejected():
    b = book()
    b.apply(buy(1, "b", "10.00", 2))
    assert b.apply(buy(1, "b", "10.00", 2))[0].code == "duplicate_order_id"


def test_uncross_is_refused_in_continuous_mode():
    assert book().apply(Uncross())[0] == Rejected(
        None, "not_an_auction", "this book is not in call auction mode"
    )


def test_depth_and_queries():
    b = book()
    for i, (price, qty) in enumerate([("10.00", 1), ("10.00", 2), ("9.90", 4)], start=1):
        b.apply(buy(i, f"b{i}", price, qty))
    b.apply(sell(4, "s", "10.20", 3))
    depth = b.depth()
    assert [(lv.price, lv.quantity, lv.orders) for lv in depth.bids] == [
        (D("10.00"), D("3"), 2),
        (D("9.90"), D("4"), 1),
    ]
    assert [(lv.price, lv.quantity) for lv in depth.asks] == [(D("10.20"), D("3"))]
    assert len(b.depth(1).bids) == 1
    assert [o.order_id for o in b.resting_orders()] == [1, 2, 3, 4]
    assert b.order(99) is None


def test_restore_keeps_priority_and_continues_the_sequence():
    b = book()
    b.apply(sell(1, "s1", "10.00", 2))
    b.apply(sell(2, "s2", "10.00", 2))
    b.apply(Reduce(1, by=D("1")))
    b.apply(buy(3, "b", "10.00", 2))
    restored = OrderBook.restore(b.spec, reversed(b.resting_orders()), b.trade_sequence)
    assert restored.resting_orders() == b.resting_orders()
    cmd = buy(4, "c", "10.00", 1)
    assert restored.apply(cmd) == b.apply(cmd)
    assert restored.apply(sell(5, "s", "10.50", 1)) == b.apply(sell(5, "s", "10.50", 1))


def test_restore_numbers_new_arrivals_from_next_priority_and_it_is_read_only():
    b = book()
    b.apply(sell(1, "s", "10.00", 2))
    restored = OrderBook.restore(b.spec, b.resting_orders(), next_priority=40)
    assert restored.next_priority == 40
    assert restored.apply(sell(2, "s", "10.10", 1))[-1].priority == 40
    assert restored.next_priority == 41
    with pytest.raises(AttributeError):
        restored.next_priority = 7  # type: ignore[misc]


def test_commands_go_in_through_apply_only():
    b = book()
    handlers = ("submit", "cancel", "reduce", "replace", "expire", "rematch", "uncross")
    assert [name for name in handlers if hasattr(b, name)] == []
    with pytest.raises(TypeError):
        b.apply(object())  # type: ignore[arg-type]


def test_decimal_lot_sizes():
    b = book(lot_size=D("0.5"))
    b.apply(sell(1, "s", "10.00", "2.5"))
    events = b.apply(buy(2, "b", "10.00", "1.5"))
    assert fills(events) == [(1, 2, D("10.00"), D("1.5"))]
    assert b.order(1).remaining == D("1.0")
    assert b.apply(buy(3, "b", "10.00", "0.7"))[0].code == "bad_lot"

