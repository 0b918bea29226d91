"""Call auction: worked uncrossing examples with hand-checked prices, one per rule."""

from __future__ import annotations

from decimal import Decimal as D

from helpers_matching import book, buy, fills, kinds, sell

from matching import (
    BuyerEligibility,
    Cancel,
    Indicative,
    LotEligibility,
    Mode,
    Replace,
    Uncross,
    Uncrossed,
)

A = Mode.CALL_AUCTION


def auction(*orders, reference="10.00"):
    b = book(A, reference_price=D(reference) if reference else None, floor_price=None)
    for order in orders:
        events = b.apply(order)
        assert kinds(events) == ["Accepted", "Rested"], "a call never matches on arrival"
    return b


def test_rule_1_maximum_volume():
    # price   9.80 9.90 10.00 10.10 10.20
    # demand    14   14    12     7     3
    # supply     2    5     9    15    15
    # volume     2    5     9     7     3   -> 10.00, volume 9, surplus 12 - 9 = 3
    b = auction(
        buy("B1", "b1", "10.20", 3),
        buy("B2", "b2", "10.10", 4),
        buy("B3", "b3", "10.00", 5),
        buy("B4", "b4", "9.90", 2),
        sell("S1", "s1", "9.80", 2),
        sell("S2", "s2", "9.90", 3),
        sell("S3", "s3", "10.00", 4),
        sell("S4", "s4", "10.10", 6),
    )
    assert b.indicative() == Indicative(D("10.00"), D("9"), D("3"))
    events = b.apply(Uncross(at=5))
    assert events[0] == Uncrossed("FARM", D("10.00"), D("9"), D("3"), 5)
    # Buys by price-time take sells by price-time, all at the one clearing price.
    assert [(e.buy_order_id, e.sell_order_id, e.quantity) for e in events[1:]] == [
        ("B1", "S1", D("2")),
        ("B1", "S2", D("1")),
        ("B2", "S2", D("2")),
        ("B2", "S3", D("2")),
        ("B3", "S3", D("2")),
    ]
    assert {e.price for e in events[1:]} == {D("10.00")}
    assert [(o.order_id, o.remaining) for o in b.resting_orders()] == [
        ("B3", D("3")),
        ("B4", D("2")),
        ("S4", D("6")),
    ]
    assert b.indicative() is None  # nothing crosses any more


def test_rule_2_minimum_surplus():
    # price 9.90: demand 6, supply 5 -> volume 5, surplus +1
    # price 10.10: demand 5, supply 8 -> volume 5, surplus -3   -> 9.90
    b = auction(
        buy(1, "b", "10.10", 5),
        buy(2, "c", "9.90", 1),
        sell(3, "s", "9.90", 5),
        sell(4, "t", "10.10", 3),
    )
    assert b.indicative() == Indicative(D("9.90"), D("5"), D("1"))


def test_rule_3_buy_pressure_takes_the_highest_price():
    # 9.90: d 7 s 5 v 5 +2 | 10.00: d 7 s 5 v 5 +2 | 10.10: d 5 s 8 v 5 -3
    # Rule 2 keeps 9.90 and 10.00, both with surplus on the buy side -> 10.00.
    b = auction(
        buy(1, "b", "10.10", 5),
        buy(2, "c", "10.00", 2),
        sell(3, "s", "9.90", 5),
        sell(4, "t", "10.10", 3),
    )
    assert b.indicative() == Indicative(D("10.00"), D("5"), D("2"))


def test_rule_3_sell_pressure_takes_the_lowest_price():
    # 9.90: d 5 s 3 v 3 | 10.00: d 5 s 6 v 5 -1 | 10.10: d 5 s 6 v 5 -1 -> 10.00
    b = auction(buy(1, "b", "10.10", 5), sell(2, "s", "9.90", 3), sell(3, "t", "10.00", 3))
    assert b.indicative() == Indicative(D("10.00"), D("5"), D("-1"))


def test_rule_4_nearest_the_reference_price():
    # 9.90: d 7 s 5 v 5 +2 | 10.10: d 5 s 7 v 5 -2: surplus on both sides -> reference.
    orders = [
        buy(1, "b", "10.10", 5),
        buy(2, "c", "9.90", 2),
        sell(3, "s", "9.90", 5),
        sell(4, "t", "10.10", 2),
    ]
    assert auction(*orders, reference="9.95").indicative().price == D("9.90")
    assert auction(*orders, reference="10.08").indicative().price == D("10.10")
    # Equidistant from 10.00: the higher price.
    assert auction(*orders, reference="10.00").indicative().price == D("10.10")


def test_rule_4_zero_surplus_and_no_reference_uses_the_middle():
    # 9.80 and 10.20 both clear 4 with no surplus; no reference: middle 10.00, tie -> higher.
    orders = [buy(1, "b", "10.20", 4), sell(2, "s", "9.80", 4)]
    assert auction(*orders, reference=None).indicative().price == D("10.20")
    assert auction(*orders, reference="9.90").indicative().price == D("9.80")


def test_no_cross_reports_none_and_uncross_does_nothing():
    b = auction(buy(1, "b", "9.90", 5), sell(2, "s", "10.00", 5))
    assert b.indicative() is None
    assert b.apply(Uncross(at=1)) == [Uncrossed("FARM", None, D("0"), D("0"), 1)]
    assert len(b) == 2


def test_indicative_follows_the_call():
    b = auction(buy(1, "b", "10.10", 5))
    assert b.indicative() is None
    b.apply(sell(2, "s", "9.90", 3))
    # 9.90: d 5 s 3 v 3 +2 | 10.10: d 5 s 3 v 3 +2 -> buy pressure -> 10.10
    assert b.indicative() == Indicative(D("10.10"), D("3"), D("2"))
    b.apply(Replace(2, D("10.00")))
    assert b.indicative() == Indicative(D("10.10"), D("3"), D("2"))
    b.apply(Cancel(1))
    assert b.indicative() is None


def test_call_keeps_priority_for_fills_and_older_order_is_maker():
    b = auction(
        sell("S1", "s1", "10.00", 2), sell("S2", "s2", "10.00", 2), buy("B1", "b", "10.00", 3)
    )
    events = b.apply(Uncross())
    assert fills(events) == [("S1", "B1", D("10.00"), D("2")), ("S2", "B1", D("10.00"), D("1"))]
    assert b.order("S2").remaining == D("1")


def test_auction_skips_ineligible_pairs():
    # The grade-5 lot is cheapest but the only buyer wants grade 3 or better.
    # 9.90: eligible volume 0 | 10.00 and 10.10: B1 takes S2 -> 3; supply 7, surplus -4
    # -> both sell side -> lowest -> 10.00.
    picky = BuyerEligibility("c2", "X", "P", max_quality_grade=3)
    b = auction(
        sell("S1", "s1", "9.90", 4, eligibility=LotEligibility("c1", "X", "P", 5)),
        sell("S2", "s2", "10.00", 3, eligibility=LotEligibility("c1", "X", "P", 2)),
        buy("B1", "b", "10.10", 3, eligibility=picky),
    )
    assert b.indicative() == Indicative(D("10.00"), D("3"), D("-4"))
    events = b.apply(Uncross())
    assert fills(events) == [("S2", "B1", D("10.00"), D("3"))]
    assert b.order("S1").remaining == D("4")


def test_auction_scope_uses_the_uncross_time():
    lot = LotEligibility("c1", "X", "P", local_until=100)
    b = auction(
        sell(1, "s", "10.00", 2, eligibility=lot),
        buy(2, "b", "10.00", 2, eligibility=BuyerEligibility("c2", "X", "P")),
    )
    assert b.indicative(at=50) is None
    assert b.indicative(at=100) == Indicative(D("10.00"), D("2"), D("0"))
    assert fills(b.apply(Uncross(at=100))) == [(1, 2, D("10.00"), D("2"))]


def test_auction_never_pairs_an_account_with_itself():
    # 9.90: a's buy vs a's sell only -> 0 | 10.00, 10.10: a's buy takes t's sell -> 2, s -2
    b = auction(buy(1, "a", "10.10", 2), sell(2, "a", "9.90", 2), sell(3, "t", "10.00", 2))
    events = b.apply(Uncross())
    assert fills(events) == [(1, 3, D("10.00"), D("2"))]
    assert b.order(2).remaining == D("2")


def test_gtd_orders_expire_before_the_uncross():
    from matching import TimeInForce

    b = auction(
        buy(1, "b", "10.00", 2, TimeInForce.GTD, expires_at=10, at=1), sell(2, "s", "10.00", 2)
    )
    events = b.apply(Uncross(at=10))
    assert events[0].reason == "expired" and events[1].price is None
