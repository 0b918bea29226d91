"""Listing auctions and procurements: unit examples, then random streams against a reference."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st
from reference_listing import RefAuction

from matching import BookSpec
from matching.listing_auction import (
    REFUSALS,
    Approve,
    Approved,
    Auction,
    Awarded,
    Bid,
    BidAccepted,
    Cancel,
    Close,
    DepositEscrowed,
    DepositReleased,
    Direction,
    Extended,
    Failed,
    Refused,
    Register,
    Registered,
    Reject,
    Terms,
    commitment,
    draw,
    phase,
)

UP, DOWN = Direction.UP, Direction.DOWN


def listing(ceiling=D("130"), extension=5, spec=None):
    return Auction(Terms(UP, D("100"), D("10"), registration_until=10, opens_at=10,
                         closes_at=60, extension=extension, limit_price=ceiling, spec=spec))


def procurement(floor=D("50")):
    return Auction(Terms(DOWN, D("100"), D("10"), registration_until=10, opens_at=10,
                         closes_at=60, extension=5, limit_price=floor))


def registered(auction, *bidders, deposit=D("7")):
    for bidder in bidders:
        assert isinstance(auction.apply(Register(bidder, deposit, 0))[0], Registered)
    return auction


def codes(events):
    return [e.code for e in events if isinstance(e, Refused)]


def test_first_bid_at_least_start_then_by_the_increment():
    auction = registered(listing(), "a", "b")
    assert codes(auction.apply(Bid("a", D("90"), 20))) == ["below_start"]
    assert isinstance(auction.apply(Bid("a", D("100"), 20))[0], BidAccepted)
    assert codes(auction.apply(Bid("b", D("109"), 21))) == ["increment_too_small"]
    assert isinstance(auction.apply(Bid("b", D("110"), 21))[0], BidAccepted)
    assert auction.best.bidder == "b"


def test_only_approved_registrants_bid_and_only_in_the_window():
    auction = listing()
    auction.apply(Register("p", D("7"), 0, approved=False))
    assert codes(auction.apply(Bid("x", D("100"), 20))) == ["not_registered"]
    assert codes(auction.apply(Bid("p", D("100"), 20))) == ["not_approved"]
    auction.apply(Approve("p"))
    assert codes(auction.apply(Bid("p", D("100"), 9))) == ["not_open_yet"]
    assert codes(auction.apply(Bid("p", D("100"), 60))) == ["bidding_closed"]
    assert codes(auction.apply(Register("late", D("7"), 10))) == ["registration_closed"]


def test_rejection_releases_the_deposit_at_once_and_bars_bidding():
    auction = listing()
    auction.apply(Register("p", D("7"), 0, approved=False))
    assert auction.apply(Reject("p")) == [DepositReleased("p", D("7"))]
    assert codes(auction.apply(Bid("p", D("100"), 20))) == ["not_registered"]
    assert codes(auction.apply(Approve("p"))) == ["not_pending"]


def test_a_late_bid_extends_the_close_and_only_later():
    auction = registered(listing(), "a", "b")
    events = auction.apply(Bid("a", D("100"), 57))
    assert events[1] == Extended(60, 62)
    assert auction.closes_at == 62
    auction.apply(Bid("b", D("110"), 61))
    assert auction.closes_at == 66
    assert codes(auction.apply(Close(65))) == ["not_due"]


def test_ceiling_accepts_refuses_above_and_then_only_acceptances():
    auction = registered(listing(), "a", "b", "c")
    assert codes(auction.apply(Bid("a", D("140"), 20))) == ["above_ceiling"]
    auction.apply(Bid("a", D("125"), 20))
    # the ceiling is allowed although it is less than best + increment
    assert auction.apply(Bid("b", D("130"), 21))[0].at_limit
    assert codes(auction.apply(Bid("c", D("130"), 22))) == []
    assert codes(auction.apply(Bid("a", D("120"), 23))) == ["ceiling_reached"]
    assert codes(auction.apply(Bid("b", D("130"), 23))) == ["already_accepted"]
    events = auction.apply(Close(60, seed="seed-1"))
    award = events[0]
    assert award.lottery == ("b", "c")
    assert award.bidder == draw("seed-1", ["b", "c"]) and award.seed == "seed-1"
    assert DepositEscrowed(award.bidder, D("7")) in events


def test_a_lottery_without_a_seed_is_refused():
    auction = registered(listing(), "a", "b")
    auction.apply(Bid("a", D("130"), 20))
    auction.apply(Bid("b", D("130"), 21))
    assert codes(auction.apply(Close(60))) == ["no_seed"]
    assert auction.state == "open"


def test_prices_meet_the_instrument_grid():
    spec = BookSpec("X", tick_size=D("5"), lot_size=D("1"), reference_price=D("100"),
                    band_pct=D("0.2"), floor_price=D("90"))
    auction = registered(listing(ceiling=None, spec=spec), "a")
    assert codes(auction.apply(Bid("a", D("101"), 20))) == ["bad_tick"]
    assert codes(auction.apply(Bid("a", D("125"), 20))) == ["outside_band"]


def test_no_bid_fails_and_releases_everyone():
    auction = registered(listing(), "a", "b")
    events = auction.apply(Close(60))
    assert isinstance(events[0], Failed)
    assert {e.bidder for e in events if isinstance(e, DepositReleased)} == {"a", "b"}
    assert codes(auction.apply(Bid("a", D("100"), 30))) == ["auction_over"]


def test_cancel_before_close_releases_all_and_not_after():
    auction = registered(listing(), "a")
    assert codes(auction.apply(Cancel(60))) == ["too_late_to_cancel"]
    events = auction.apply(Cancel(30))
    assert events[1] == DepositReleased("a", D("7")) and auction.state == "cancelled"


def test_procurement_offers_fall_by_the_decrement_never_below_the_floor():
    auction = registered(procurement(), "s", "t", "u")
    assert codes(auction.apply(Bid("s", D("110"), 20))) == ["above_start"]
    auction.apply(Bid("s", D("100"), 20))
    assert codes(auction.apply(Bid("t", D("95"), 21))) == ["decrement_too_small"]
    auction.apply(Bid("t", D("55"), 21))
    assert codes(auction.apply(Bid("u", D("40"), 22))) == ["below_floor_price"]
    auction.apply(Bid("u", D("50"), 22))  # the floor, though less than the decrement below
    auction.apply(Bid("s", D("50"), 23))  # a tie at the floor
    events = auction.apply(Close(60))
    assert events[0] == Awarded("u", D("50"), 4)  # lowest, earliest
    assert not any(isinstance(e, DepositEscrowed) for e in events)
    assert {e.bidder for e in events if isinstance(e, DepositReleased)} == {"s", "t", "u"}


def test_phase_follows_times_and_state():
    terms = listing().terms
    assert [phase(terms, "open", 60, at) for at in (5, 10, 70)] == \
        ["announced", "bidding", "bidding"]
    assert phase(terms, "failed", 60, 5) == "failed"


def test_commitment_is_the_seeds_sha256():
    assert commitment("abc") == \
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# --- properties against the reference ----------------------------------------------------

BIDDERS = ["a", "b", "c", "d"]
prices = st.integers(min_value=40, max_value=160).map(D)
steps = st.one_of(
    st.tuples(st.just("register"), st.sampled_from(BIDDERS), st.integers(0, 12), st.booleans()),
    st.tuples(st.just("approve"), st.sampled_from(BIDDERS)),
    st.tuples(st.just("reject"), st.sampled_from(BIDDERS)),
    st.tuples(st.just("bid"), st.sampled_from(BIDDERS), prices, st.integers(0, 90)),
)


@st.composite
def scenarios(draw_):
    up = draw_(st.booleans())
    start = D(draw_(st.integers(80, 120)))
    step = D(draw_(st.integers(1, 15)))
    if up:
        limit = draw_(st.one_of(st.none(), st.integers(int(start), 150).map(D)))
    else:
        limit = D(draw_(st.integers(40, int(start))))
    extension = draw_(st.sampled_from([0, 3, 10]))
    commands = draw_(st.lists(steps, max_size=40))
    # Bids in time order, as the service gives them (each bid is made "now").
    bid_times = sorted(c[3] for c in commands if c[0] == "bid")
    timed, index = [], 0
    for command in commands:
        if command[0] == "bid":
            command = (*command[:3], bid_times[index])
            index += 1
        timed.append(command)
    return up, start, step, limit, extension, timed, draw_(st.text(min_size=1, max_size=8))


def _run(up, start, step, limit, extension, commands, seed):
    terms = Terms(UP if up else DOWN, start, step, registration_until=10, opens_at=10,
                  closes_at=60, extension=extension, limit_price=limit)
    auction = Auction(terms)
    reference = RefAuction(up, start, step, limit, 10, 10, 60, extension)
    held = released = escrowed = D(0)
    closes_seen = [auction.closes_at]
    for command in commands:
        kind, bidder = command[0], command[1]
        if kind == "register":
            events = auction.apply(Register(bidder, D("7"), command[2], command[3]))
            assert reference.register(bidder, D("7"), command[2], command[3]) == \
                isinstance(events[0], Registered)
        elif kind == "approve":
            events = auction.apply(Approve(bidder))
            assert reference.approve(bidder) == (events == [Approved(bidder)])
        elif kind == "reject":
            events = auction.apply(Reject(bidder))
            assert reference.reject(bidder) == isinstance(events[0], DepositReleased)
        else:
            events = auction.apply(Bid(bidder, command[2], command[3]))
            accepted = isinstance(events[0], BidAccepted)
            assert reference.bid(bidder, command[2], command[3]) == accepted, (command, events)
            if accepted:
                # never outside the window (its close as extended before this bid)
                assert terms.opens_at <= command[3] < closes_seen[-1]
        for event in events:
            if isinstance(event, Refused):
                assert event.code in REFUSALS
            held += event.deposit if isinstance(event, Registered) else 0
            released += event.amount if isinstance(event, DepositReleased) else 0
        closes_seen.append(auction.closes_at)
        assert auction.closes_at == reference.closes
    return auction, reference, held, released, escrowed, closes_seen


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_random_streams_match_the_reference(scenario):
    up, start, step, limit, extension, commands, seed = scenario
    auction, reference, held, released, escrowed, closes_seen = _run(*scenario)
    assert closes_seen == sorted(closes_seen), "the close only moves later"
    events = auction.apply(Close(auction.closes_at, seed=seed))
    expected = reference.close(auction.closes_at, seed)
    award = next((e for e in events if isinstance(e, Awarded)), None)
    if expected is None:
        assert award is None and isinstance(events[0], Failed)
    else:
        assert (award.bidder, award.price) == expected
        # the winner's bid is the best valid bid
        best = max(b.price for b in auction.bids) if up else min(b.price for b in auction.bids)
        assert award.price == best
    for event in events:
        released += event.amount if isinstance(event, DepositReleased) else 0
        escrowed += event.amount if isinstance(event, DepositEscrowed) else 0
    assert held == released + escrowed, "deposits held = released + escrowed"
    assert escrowed == (D("7") if up and award is not None else 0)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.lists(st.text(min_size=1, alphabet="0123456789"), min_size=1,
                                     max_size=6, unique=True))
def test_the_lottery_is_a_function_of_the_seed_and_the_acceptors(seed, acceptors):
    assert draw(seed, acceptors) == draw(seed, list(acceptors)) and \
        draw(seed, acceptors) in acceptors


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=8), st.integers(2, 4), st.integers(0, 3))
def test_the_lottery_winner_does_not_depend_on_anything_but_the_seed(seed, acceptors, noise):
    """The same acceptances with different earlier bids and deposits draw the same winner."""
    winners = set()
    for extra in range(noise + 1):
        auction = registered(listing(), *BIDDERS, "z", deposit=D(7 + extra))
        for n in range(extra):
            auction.apply(Bid("z", D(100 + 10 * n), 11 + n))
        for n, bidder in enumerate(BIDDERS[:acceptors]):
            auction.apply(Bid(bidder, D("130"), 20 + n))
        award = auction.apply(Close(60, seed=seed))[0]
        assert award.lottery == tuple(BIDDERS[:acceptors])
        winners.add(award.bidder)
    assert len(winners) == 1
