"""The auction allocation trades the most eligible volume, by price-time priority.

Brute force on tiny books: every allocation is enumerated and the best one by the rule's own
definition (most lots, then the lexicographically largest vector of pair amounts in priority
order) must be what ``matching.allocation`` and the uncross produce.
"""

from __future__ import annotations

from decimal import Decimal as D
from types import SimpleNamespace

from helpers_matching import book, buy, kinds, sell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_auction import exhaustive_allocation, oracle_allocation

from matching import BuyerEligibility, Filled, LotEligibility, Mode, Uncross, Uncrossed, can_trade
from matching.allocation import best_allocation, max_volume

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def small_books(draw):
    cap_b = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    cap_s = draw(st.lists(st.integers(1, 3), min_size=1, max_size=4))
    ok = {(i, j) for i in range(len(cap_b)) for j in range(len(cap_s)) if draw(st.booleans())}
    return cap_b, cap_s, ok


@SETTINGS
@given(small_books())
def test_allocation_is_the_best_maximum(case):
    cap_b, cap_s, ok = case
    buys = [SimpleNamespace(lots=c, index=i) for i, c in enumerate(cap_b)]
    sells = [SimpleNamespace(lots=c, index=j) for j, c in enumerate(cap_s)]
    adj = [[j for j in range(len(cap_s)) if (i, j) in ok] for i in range(len(cap_b))]
    expected = exhaustive_allocation(cap_b, cap_s, lambda i, j: (i, j) in ok)
    got = [(b.index, s.index, q) for b, s, q in best_allocation(buys, sells, adj)]
    assert got == expected
    assert max_volume(buys, sells, adj) == sum(q for _, _, q in expected)
    # The reference model's oracle states the same rule.
    assert oracle_allocation(cap_b, cap_s, lambda i, j: (i, j) in ok) == expected


COUNTIES = [("c1", "x", "p"), ("c2", "x", "p"), ("c3", "y", "p")]


@st.composite
def auction_books(draw):
    orders = []
    for oid in range(1, draw(st.integers(2, 7)) + 1):
        county, city, province = draw(st.sampled_from(COUNTIES))
        price, qty, account = draw(st.integers(99, 101)), draw(st.integers(1, 3)), draw(
            st.sampled_from("abcd"))
        if draw(st.booleans()):
            elig = BuyerEligibility(county, city, province, draw(st.none() | st.integers(1, 4)))
            orders.append(buy(oid, account, D(price) / 10, qty, eligibility=elig))
        else:
            elig = LotEligibility(county, city, province, draw(st.none() | st.integers(1, 4)),
                                  draw(st.none() | st.integers(0, 2)))
            orders.append(sell(oid, account, D(price) / 10, qty, eligibility=elig))
    return orders, draw(st.integers(0, 3))


@SETTINGS
@given(auction_books())
def test_uncross_trades_the_most_eligible_volume(case):
    orders, at = case
    b = book(Mode.CALL_AUCTION, reference_price=None, floor_price=None, tick_size=D("0.1"),
             band_pct=None)
    for order in orders:
        assert kinds(b.apply(order)) == ["Accepted", "Rested"]
    resting = b.resting_orders()
    events = b.apply(Uncross(at=at))
    summary = next(e for e in events if isinstance(e, Uncrossed))

    def best_at(price):
        buys = [o for o in resting if o.side == "buy" and o.price >= price]
        sells = [o for o in resting if o.side == "sell" and o.price <= price]
        buys.sort(key=lambda o: (-o.price, o.priority))
        sells.sort(key=lambda o: (o.price, o.priority))

        def eligible(i, j):
            x, y = buys[i], sells[j]
            return x.account_id != y.account_id and can_trade(x.eligibility, y.eligibility, at)

        found = exhaustive_allocation([int(o.remaining) for o in buys],
                                      [int(o.remaining) for o in sells], eligible)
        return [(buys[i].order_id, sells[j].order_id, q) for i, j, q in found]

    # Rule 1: no price in the book could have traded more.
    prices = {o.price for o in resting}
    most = max(sum(q for *_, q in best_at(p)) for p in prices)
    if summary.price is None:
        assert most == 0
        return
    assert summary.volume == most
    fills = [(e.buy_order_id, e.sell_order_id, int(e.quantity)) for e in events
             if isinstance(e, Filled)]
    assert fills == best_at(summary.price)


def test_greedy_would_strand_a_lot_that_the_maximum_trades():
    # B1 could take either lot; B2 only the grade-2 one. Greedy gives B1 the grade-2 lot
    # (first in priority) and B2 nothing: 1 lot. The maximum trades both.
    b = book(Mode.CALL_AUCTION)
    b.apply(sell("S1", "s1", "10.00", 1, eligibility=LotEligibility("c1", "X", "P", 2)))
    b.apply(sell("S2", "s2", "10.00", 1, eligibility=LotEligibility("c1", "X", "P", 5)))
    b.apply(buy("B1", "b1", "10.00", 1, eligibility=BuyerEligibility("c2", "X", "P")))
    b.apply(buy("B2", "b2", "10.00", 1, eligibility=BuyerEligibility("c2", "X", "P", 3)))
    events = b.apply(Uncross(at=1))
    assert events[0].volume == D("2")
    assert [(e.buy_order_id, e.sell_order_id) for e in events[1:]] == [("B1", "S2"), ("B2", "S1")]
    assert len(b) == 0
