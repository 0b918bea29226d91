"""Property tests: random command streams against a brute-force reference model.

The reference (reference_model.py) keeps every resting order in one plain list, works in
Decimal throughout and re-sorts the whole book on every step. It shares no code with the
engine except the value types, the event classes and ``can_trade`` (the eligibility rule
itself is unit-tested).
"""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from reference_model import Ref
from strategies_matching import PROVINCE_SPEC, SPEC, command_streams, window_streams

from matching import (
    REJECT_CODES,
    Accepted,
    Amend,
    Amended,
    BookSpec,
    Cancel,
    Cancelled,
    Filled,
    LotEligibility,
    Mode,
    OrderBook,
    Reduced,
    Rejected,
    Rematch,
    Replace,
    Rested,
    RestingOrder,
    Side,
    Submit,
    TimeInForce,
    Uncross,
    can_trade,
)

BUY, SELL = Side.BUY, Side.SELL
GTC, GTD, IOC, FOK = TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK


# --- invariants --------------------------------------------------------------------------


def check_invariants(book: OrderBook, cmd, events, ledger, priorities, static_eligibility):
    """Priority, conservation, no over-fill and no crossed (eligible) book."""
    makers = []
    for e in events:
        if isinstance(e, Rejected):
            assert e.code in REJECT_CODES
        if isinstance(e, Accepted):
            ledger[e.order_id] = {"qty": e.quantity, "filled": D(0), "gone": D(0)}
        if isinstance(e, Rested):
            priorities[e.order_id] = (e.price, e.priority)
        if isinstance(e, Filled):
            assert e.quantity > 0
            for oid in (e.buy_order_id, e.sell_order_id):
                ledger[oid]["filled"] += e.quantity
                assert ledger[oid]["filled"] <= ledger[oid]["qty"], "over-filled"
            makers.append(priorities[e.maker_order_id])
        if isinstance(e, Cancelled):
            ledger[e.order_id]["gone"] += e.remaining_cancelled
        if isinstance(e, Reduced):
            ledger[e.order_id]["gone"] += e.old_remaining - e.new_remaining
        if isinstance(e, Amended):
            # The open quantity changes by the amendment, up or down.
            ledger[e.order_id]["qty"] += e.remaining - e.old_remaining
    # Within one continuous command the makers are taken best price first, then oldest first.
    # A Rematch replays several takers in one command, so its fills interleave and the order
    # holds per taker only; the reference model checks those fills event by event.
    if makers and not isinstance(cmd, Uncross | Rematch):
        taker_buys = isinstance(cmd, Submit) and cmd.side == BUY
        if isinstance(cmd, Replace | Amend):
            taker_buys = book_side_of(events, cmd.order_id) == BUY
        keys = [((p if taker_buys else -p), prio) for p, prio in makers]
        assert keys == sorted(keys), "price-time priority violated"
    # Conservation: quantity = filled + cancelled/reduced + still resting.
    for oid, entry in ledger.items():
        resting = book.order(oid)
        left = resting.remaining if resting else D(0)
        assert entry["qty"] == entry["filled"] + entry["gone"] + left, oid
    check_not_crossed(book, cmd, static_eligibility)


def check_not_crossed(book: OrderBook, cmd, static_eligibility: bool) -> None:
    """No resting buy and sell that cross may still trade with each other."""
    auction = book.spec.mode == Mode.CALL_AUCTION
    if auction and not isinstance(cmd, Uncross):
        return  # a call collects crossed orders until it is uncrossed
    if not static_eligibility and not isinstance(cmd, Rematch):
        return  # scope windows change eligibility over time; Rematch catches up
    orders = book.resting_orders()
    sells = [o for o in orders if o.side == SELL]
    for b in (o for o in orders if o.side == BUY):
        for s in (o for o in sells if o.price <= b.price):
            if auction:
                # A single price cannot always clear every eligible pair (see auction.py).
                assert b.eligibility or s.eligibility, (b, s)
            else:
                assert not can_trade(
                    b.eligibility, s.eligibility, book.last_at, book.spec.province_wide_allowed
                ), (b, s)


def book_side_of(events, oid):
    for e in events:
        if isinstance(e, Filled):
            return BUY if e.buy_order_id == oid else SELL
    return None


def run(commands, spec, static_eligibility):
    book, ref = OrderBook(spec), Ref(spec)
    ledger, priorities = {}, {}
    for cmd in commands:
        # One account on both sides of a call: self-trade prevention constrains the uncross
        # like eligibility does, and one price may then leave an eligible pair crossed.
        resting = book.resting_orders()
        accounts = {o.account_id for o in resting if o.side == BUY}
        self_cross = not accounts.isdisjoint(o.account_id for o in resting if o.side == SELL)
        got = book.apply(cmd)
        assert got == ref.apply(cmd), cmd
        static = static_eligibility and not (self_cross and spec.mode == Mode.CALL_AUCTION)
        check_invariants(book, cmd, got, ledger, priorities, static)
    # Restoring from the snapshot gives the same book and the same future.
    again = OrderBook.restore(spec, book.resting_orders(), book.trade_sequence)
    assert again.resting_orders() == book.resting_orders()
    assert again.depth() == book.depth()
    return book


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(command_streams(with_eligibility=False, auction=False))
def test_continuous_matches_reference(commands):
    run(commands, SPEC, static_eligibility=False)


@SETTINGS
@given(command_streams(with_eligibility=True, auction=False))
def test_continuous_with_eligibility_matches_reference(commands):
    # Scope windows open with time, so a crossed pair may become eligible between commands.
    has_windows = any(
        isinstance(c, Submit)
        and isinstance(c.eligibility, LotEligibility)
        and (c.eligibility.local_until is not None or c.eligibility.city_until is not None)
        for c in commands
    )
    run(commands, PROVINCE_SPEC, static_eligibility=not has_windows)


@SETTINGS
@given(command_streams(with_eligibility=False, auction=True))
def test_auction_matches_reference(commands):
    run(commands, BookSpec("FARM", D("0.1"), D("1"), D("10"), mode=Mode.CALL_AUCTION), True)


@SETTINGS
@given(command_streams(with_eligibility=True, auction=True))
def test_auction_with_eligibility_matches_reference(commands):
    spec = BookSpec("FARM", D("0.1"), D("1"), None, mode=Mode.CALL_AUCTION)
    run(commands, spec, True)


@SETTINGS
@given(command_streams(with_eligibility=True, auction=False))
def test_same_commands_same_events(commands):
    first, second = OrderBook(SPEC), OrderBook(SPEC)
    assert [first.apply(c) for c in commands] == [second.apply(c) for c in commands]


def test_invariant_check_fires_on_a_crossed_book():
    """The no-crossed-book check itself fails on a crossed continuous book."""
    crossed = [
        RestingOrder(1, "a", BUY, D("10"), D("1"), D("1"), GTC, 1),
        RestingOrder(2, "b", SELL, D("9"), D("1"), D("1"), GTC, 2),
    ]
    book = OrderBook.restore(SPEC, crossed)
    assert book.best_bid()[0] > book.best_ask()[0]
    try:
        check_not_crossed(book, Cancel(9), True)
    except AssertionError:
        return
    raise AssertionError("a crossed continuous book passed the invariant check")


@SETTINGS
@given(window_streams())
def test_rematch_lets_newly_eligible_pairs_trade(commands):
    run(commands, PROVINCE_SPEC, static_eligibility=False)
