"""Amend: a same-price decrease keeps priority, a size-up or a new price loses it; reports."""

from __future__ import annotations

from decimal import Decimal as D

from helpers_matching import book, buy, fills, kinds, sell

from matching import Amend, Amended, Rested, Side


def test_amend_decrease_keeps_priority():
    b = book()
    b.apply(sell(1, "s1", "10.00", 5))
    b.apply(sell(2, "s2", "10.00", 5))
    assert b.apply(Amend(1, new_quantity=D("3"))) == [
        Amended(1, Side.SELL, D("10.00"), D("3"), D("3"), D("10.00"), D("5"), True)
    ]
    assert fills(b.apply(buy(3, "b", "10.00", 4)))[0] == (1, 3, D("10.00"), D("3"))


def test_amend_increase_loses_priority():
    b = book()
    b.apply(sell(1, "s1", "10.00", 5))
    b.apply(sell(2, "s2", "10.00", 5))
    events = b.apply(Amend(1, new_quantity=D("8")))
    assert events == [
        Amended(1, Side.SELL, D("10.00"), D("8"), D("8"), D("10.00"), D("5"), False),
        Rested(1, Side.SELL, D("10.00"), D("8"), 3),
    ]
    assert fills(b.apply(buy(3, "b", "10.00", 4)))[0] == (2, 3, D("10.00"), D("4"))


def test_amend_reprice_trades_at_once_and_counts_the_filled_part():
    b = book()
    b.apply(buy(1, "b1", "10.00", 10))
    b.apply(sell(2, "s", "10.00", 4))  # fills 4 of 10: 6 open
    b.apply(sell(3, "t", "10.05", 2))
    events = b.apply(Amend(1, new_quantity=D("12"), new_price=D("10.05")))
    assert kinds(events) == ["Amended", "Filled", "Rested"]
    assert events[0].remaining == D("8") and events[0].quantity == D("12")
    assert events[-1] == Rested(1, Side.BUY, D("10.05"), D("6"), 3)


def test_amend_rejections():
    b = book()
    b.apply(buy(1, "b1", "10.00", 10))
    b.apply(sell(2, "s", "10.00", 4))
    assert b.apply(Amend(1, new_quantity=D("4")))[0].code == "below_filled"
    assert b.apply(Amend(1, new_quantity=D("10")))[0].code == "no_change"
    assert b.apply(Amend(1, new_price=D("10.001")))[0].code == "bad_tick"
    assert b.apply(Amend(9, new_price=D("10.01")))[0].code == "unknown_order"
    assert b.order(1).remaining == D("6")


def test_reports_follow_the_events_without_the_book():
    from matching.reports import reports

    b = book()
    b.apply(sell(1, "s", "10.00", 5))
    got = reports(b.apply(buy(2, "b", "10.10", 3)))
    assert [(r.order_id, r.kind, r.side, r.leaves, r.last_quantity) for r in got] == [
        (2, "accepted", Side.BUY, D("3"), None),
        (1, "filled", Side.SELL, D("2"), D("3")),
        (2, "filled", Side.BUY, D("0"), D("3")),
    ]
    assert got[1].price == D("10.00") and got[1].last_price == D("10.00")


def test_every_event_kind_has_a_report():
    from matching import Cancel, Mode, Reduce, Replace, Uncross
    from matching.reports import reports

    b = book()
    events = b.apply(sell(1, "s", "10.00", 5)) + b.apply(Reduce(1, by=D("1")))
    events += b.apply(Replace(1, D("10.10"))) + b.apply(Amend(1, new_quantity=D("6")))
    events += b.apply(Cancel(1)) + b.apply(Cancel(1))
    got = [(r.kind, r.side, r.price, r.leaves, r.reason) for r in reports(events)]
    assert got == [
        ("accepted", Side.SELL, D("10.00"), D("5"), None),
        ("rested", Side.SELL, D("10.00"), D("5"), None),
        ("reduced", Side.SELL, D("10.00"), D("4"), None),
        ("replaced", Side.SELL, D("10.10"), D("4"), None),
        ("rested", Side.SELL, D("10.10"), D("4"), None),
        ("amended", Side.SELL, D("10.10"), D("6"), None),
        ("rested", Side.SELL, D("10.10"), D("6"), None),
        ("cancelled", Side.SELL, D("10.10"), D("0"), "cancelled"),
        ("rejected", None, None, None, "unknown_order"),
    ]
    assert reports(book(Mode.CALL_AUCTION).apply(Uncross(at=1))) == []
