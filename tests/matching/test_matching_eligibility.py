"""Eligibility: scope windows (county → city → province) and quality grade, both ways."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from helpers_matching import book, buy, fills, sell

from matching import BuyerEligibility, LotEligibility, Mode, Rematch, Replace, can_trade, scope_at

LOT = LotEligibility(
    "c1", "X", "P", quality_grade=4, local_until=100, city_until=200, province_wide=True
)
SAME_COUNTY = BuyerEligibility("c1", "X", "P")
SAME_CITY = BuyerEligibility("c2", "X", "P")
SAME_PROVINCE = BuyerEligibility("c3", "Y", "P")
ELSEWHERE = BuyerEligibility("c4", "Z", "Q")


@pytest.mark.parametrize(
    ("at", "allowed", "expected"),
    [
        (50, True, {"c1"}),
        (99, True, {"c1"}),
        (100, True, {"c1", "c2"}),
        (199, True, {"c1", "c2"}),
        (200, True, {"c1", "c2", "c3"}),
        (200, False, {"c1", "c2"}),  # the instrument does not allow province-wide
        (None, True, {"c1"}),  # no time known: the strictest stage
    ],
)
def test_scope_windows(at, allowed, expected):
    buyers = [SAME_COUNTY, SAME_CITY, SAME_PROVINCE, ELSEWHERE]
    assert {b.county for b in buyers if can_trade(b, LOT, at, allowed)} == expected


def test_scope_stage_names_and_lot_opt_in():
    assert scope_at(LOT, 0, True) == "county"
    assert scope_at(LOT, 150, True) == "city"
    assert scope_at(LOT, 250, True) == "province"
    city_only = LotEligibility("c1", "X", "P", local_until=100)
    assert scope_at(city_only, 250, True) == "city"
    assert scope_at(LotEligibility("c1", "X", "P"), 0, False) == "city"


def test_quality_grade_no_worse_than_required():
    lot = LotEligibility("c1", "X", "P", quality_grade=3)
    assert can_trade(BuyerEligibility("c2", "X", "P", max_quality_grade=3), lot, 0)
    assert can_trade(BuyerEligibility("c2", "X", "P", max_quality_grade=5), lot, 0)
    assert not can_trade(BuyerEligibility("c2", "X", "P", max_quality_grade=2), lot, 0)
    ungraded = LotEligibility("c1", "X", "P")
    assert not can_trade(BuyerEligibility("c2", "X", "P", max_quality_grade=15), ungraded, 0)
    assert not can_trade(BuyerEligibility(max_quality_grade=15), None, 0)


def test_unrestricted_sell_is_open_to_anyone_and_restricted_needs_a_district():
    assert can_trade(None, None, 0) and can_trade(ELSEWHERE, None, 0)
    assert not can_trade(None, LOT, 500, True)


def test_buyer_skips_ineligible_sells_which_keep_their_place():
    b = book()
    b.apply(sell(1, "s1", "10.00", 2, eligibility=LotEligibility("c1", "X", "P", 5)))
    b.apply(sell(2, "s2", "10.00", 2, eligibility=LotEligibility("c1", "X", "P", 2)))
    picky = BuyerEligibility("c9", "X", "P", max_quality_grade=3)
    assert fills(b.apply(buy(3, "b1", "10.00", 2, eligibility=picky))) == [
        (2, 3, D("10.00"), D("2"))
    ]
    # The skipped grade-5 lot is still first in line for a buyer who accepts it.
    assert b.order(1).priority == 1
    anyone = BuyerEligibility("c9", "X", "P")
    assert fills(b.apply(buy(4, "b2", "10.00", 1, eligibility=anyone))) == [
        (1, 4, D("10.00"), D("1"))
    ]


def test_buyer_may_take_a_worse_priced_eligible_sell():
    b = book()
    b.apply(sell(1, "s1", "9.90", 2, eligibility=LotEligibility("c1", "X", "P", 9)))
    b.apply(sell(2, "s2", "10.10", 2, eligibility=LotEligibility("c1", "X", "P", 1)))
    picky = BuyerEligibility("c2", "X", "P", max_quality_grade=3)
    events = b.apply(buy(3, "b", "10.20", 3, eligibility=picky))
    assert fills(events) == [(2, 3, D("10.10"), D("2"))]
    # Crossed with an ineligible pair: allowed, since they may not trade.
    assert b.best_bid()[0] > b.best_ask()[0]


def test_sell_taker_skips_buys_that_want_better_quality():
    b = book()
    b.apply(buy(1, "b1", "10.20", 2, eligibility=BuyerEligibility("c2", "X", "P", 3)))
    b.apply(buy(2, "b2", "10.00", 2, eligibility=BuyerEligibility("c2", "X", "P")))
    lot = LotEligibility("c1", "X", "P", quality_grade=5)
    assert fills(b.apply(sell(3, "s", "10.00", 3, eligibility=lot))) == [(2, 3, D("10.00"), D("2"))]
    assert b.order(1).remaining == D("2")


def test_sell_taker_skips_buyers_outside_its_current_scope():
    b = book(province_wide_allowed=True)
    b.apply(buy(1, "far", "10.30", 1, at=1, eligibility=SAME_PROVINCE))
    b.apply(buy(2, "city", "10.20", 1, at=2, eligibility=SAME_CITY))
    b.apply(buy(3, "home", "10.10", 1, at=3, eligibility=SAME_COUNTY))
    lot = LotEligibility("c1", "X", "P", None, local_until=100, city_until=200, province_wide=True)
    assert fills(b.apply(sell(4, "s", "10.00", 3, at=50, eligibility=lot))) == [
        (3, 4, D("10.10"), D("1"))
    ]
    # Later, in the city-wide window, a replace re-enters the lot and reaches the city buyer.
    assert fills(b.apply(Replace(4, D("10.00"), at=150))) == [(2, 4, D("10.20"), D("1"))]
    assert fills(b.apply(Replace(4, D("10.00"), at=250))) == [(1, 4, D("10.30"), D("1"))]


def test_buyer_without_district_cannot_take_a_scoped_lot():
    b = book()
    b.apply(sell(1, "s", "10.00", 1, eligibility=LotEligibility("c1", "X", "P")))
    assert fills(b.apply(buy(2, "b", "10.00", 1))) == []


def test_rematch_trades_a_pair_once_the_local_window_ends():
    b = book()
    lot = LotEligibility("c1", "X", "P", local_until=10)
    b.apply(sell(1, "s", "10.00", 2, at=0, eligibility=lot))
    b.apply(buy(2, "b", "10.10", 1, at=1, eligibility=SAME_CITY))
    assert b.best_bid()[0] > b.best_ask()[0]  # crossed, but the lot is still county-only
    assert b.apply(Rematch(9)) == []
    # The older order (the sell) is the maker, so the trade is at its price.
    assert fills(b.apply(Rematch(10))) == [(1, 2, D("10.00"), D("1"))]
    assert b.order(1).remaining == D("1") and b.order(1).priority == 1
    assert b.order(2) is None


def test_rematch_keeps_priority_of_what_does_not_trade():
    b = book()
    lot = LotEligibility("c1", "X", "P", local_until=10)
    b.apply(sell(1, "s", "10.00", 1, at=0, eligibility=lot))
    b.apply(buy(2, "far", "10.00", 1, at=1, eligibility=ELSEWHERE))
    b.apply(buy(3, "near", "10.00", 1, at=2, eligibility=SAME_CITY))
    assert fills(b.apply(Rematch(10))) == [(1, 3, D("10.00"), D("1"))]
    assert [(o.order_id, o.priority) for o in b.resting_orders()] == [(2, 2)]


def test_rematch_does_nothing_on_an_uncrossed_book_or_in_an_auction():
    b = book()
    b.apply(buy(1, "b", "9.90", 1))
    b.apply(sell(2, "s", "10.00", 1))
    assert b.apply(Rematch(5)) == []
    assert book(Mode.CALL_AUCTION).apply(Rematch(5)) == []
