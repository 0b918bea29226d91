"""Property tests: random command streams against a brute-force reference model.

The reference keeps every resting order in one plain list, works in Decimal throughout and
re-sorts the whole book on every step. It shares no code with the engine except the value
types, the event classes and ``can_trade`` (the eligibility rule itself is unit-tested).
"""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import (
    REJECT_CODES,
    Accepted,
    BookSpec,
    BuyerEligibility,
    Cancel,
    Cancelled,
    Expire,
    Filled,
    LotEligibility,
    Mode,
    OrderBook,
    Reduce,
    Reduced,
    Rejected,
    Rematch,
    Replace,
    Replaced,
    Rested,
    RestingOrder,
    Side,
    Submit,
    TimeInForce,
    Uncross,
    Uncrossed,
    can_trade,
)
from matching.validation import REJECT_MESSAGES

BUY, SELL = Side.BUY, Side.SELL
GTC, GTD, IOC, FOK = TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK


class Ref:
    """Brute-force book: a list of dicts, sorted from scratch whenever it is needed."""

    def __init__(self, spec: BookSpec) -> None:
        self.spec = spec
        self.resting: list[dict] = []
        self.priority = 1
        self.sequence = 0
        self.last_at = None

    def find(self, oid):
        return next((o for o in self.resting if o["id"] == oid), None)

    def reject(self, oid, code):
        return [Rejected(oid, code, REJECT_MESSAGES[code])]

    def price_code(self, p):
        s = self.spec
        if p <= 0:
            return "non_positive_price"
        if p % s.tick_size:
            return "bad_tick"
        if s.floor_price is not None and p < s.floor_price:
            return "below_floor"
        if s.band_pct is not None and s.reference_price is not None:
            lo = s.reference_price * (1 - s.band_pct)
            hi = s.reference_price * (1 + s.band_pct)
            if not lo <= p <= hi:
                return "outside_band"
        return None

    def qty_code(self, q):
        if q <= 0:
            return "non_positive_quantity"
        if q % self.spec.lot_size:
            return "bad_lot"
        return None

    def ok(self, buy, sell, at):
        if buy["elig"] is None and sell["elig"] is None:
            return True
        return can_trade(buy["elig"], sell["elig"], at, self.spec.province_wide_allowed)

    def opposite(self, taker):
        """Crossing makers in price-time priority."""
        if taker["side"] == BUY:
            makers = [o for o in self.resting if o["side"] == SELL and o["price"] <= taker["price"]]
            return sorted(makers, key=lambda o: (o["price"], o["prio"]))
        makers = [o for o in self.resting if o["side"] == BUY and o["price"] >= taker["price"]]
        return sorted(makers, key=lambda o: (-o["price"], o["prio"]))

    def pair(self, taker, maker):
        return (taker, maker) if taker["side"] == BUY else (maker, taker)

    def match(self, taker, at, events):
        for m in self.opposite(taker):
            if taker["rem"] == 0:
                break
            if m["exp"] is not None and at is not None and m["exp"] <= at:
                self.resting.remove(m)
                events.append(Cancelled(m["id"], m["rem"], "expired"))
            elif not self.ok(*self.pair(taker, m), at):
                continue
            elif m["acct"] == taker["acct"]:
                self.resting.remove(m)
                events.append(Cancelled(m["id"], m["rem"], "self_trade_prevented"))
            else:
                q = min(taker["rem"], m["rem"])
                taker["rem"] -= q
                m["rem"] -= q
                self.sequence += 1
                buy, sell = self.pair(taker, m)
                events.append(
                    Filled(
                        m["id"],
                        taker["id"],
                        m["acct"],
                        taker["acct"],
                        buy["id"],
                        sell["id"],
                        m["price"],
                        q,
                        m["rem"],
                        taker["rem"],
                        self.sequence,
                    )
                )
                if m["rem"] == 0:
                    self.resting.remove(m)

    def rest(self, o, events):
        o["prio"] = self.priority
        self.priority += 1
        self.resting.append(o)
        events.append(Rested(o["id"], o["side"], o["price"], o["rem"], o["prio"]))

    def submit(self, c: Submit):
        code = self.qty_code(c.quantity) or self.price_code(c.price)
        if code:
            return self.reject(c.order_id, code)
        if (c.tif == GTD) != (c.expires_at is not None):
            return self.reject(c.order_id, "bad_expiry")
        at = self.last_at if c.at is None else c.at
        if c.tif == GTD and at is not None and c.expires_at <= at:
            return self.reject(c.order_id, "expired_on_arrival")
        kind = BuyerEligibility if c.side == BUY else LotEligibility
        if c.eligibility is not None and not isinstance(c.eligibility, kind):
            return self.reject(c.order_id, "bad_eligibility")
        auction = self.spec.mode == Mode.CALL_AUCTION
        if auction and c.tif in (IOC, FOK):
            return self.reject(c.order_id, "tif_not_allowed")
        if self.find(c.order_id):
            return self.reject(c.order_id, "duplicate_order_id")
        self.last_at = at
        events = [Accepted(c.order_id, c.account_id, c.side, c.price, c.quantity, c.tif)]
        o = dict(
            id=c.order_id,
            acct=c.account_id,
            side=c.side,
            price=c.price,
            rem=c.quantity,
            qty=c.quantity,
            exp=c.expires_at,
            elig=c.eligibility,
            prio=0,
        )
        if not auction:
            if c.tif == FOK:
                avail = sum(
                    m["rem"]
                    for m in self.opposite(o)
                    if not (m["exp"] is not None and at is not None and m["exp"] <= at)
                    and m["acct"] != o["acct"]
                    and self.ok(*self.pair(o, m), at)
                )
                if avail < o["rem"]:
                    return events + [Cancelled(c.order_id, c.quantity, "fok_unfillable")]
            self.match(o, at, events)
        if o["rem"]:
            if c.tif in (IOC, FOK):
                events.append(Cancelled(c.order_id, o["rem"], "ioc_remainder"))
            else:
                self.rest(o, events)
        return events

    def cancel(self, c: Cancel):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        self.last_at = self.last_at if c.at is None else c.at
        self.resting.remove(o)
        return [Cancelled(o["id"], o["rem"], "cancelled")]

    def reduce(self, c: Reduce):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        if (c.new_quantity is None) == (c.by is None):
            return self.reject(c.order_id, "not_a_reduction")
        amount = c.by if c.new_quantity is None else c.new_quantity
        code = self.qty_code(amount)
        if code:
            return self.reject(c.order_id, code)
        new = o["rem"] - c.by if c.new_quantity is None else c.new_quantity - (o["qty"] - o["rem"])
        if not 0 < new < o["rem"]:
            return self.reject(c.order_id, "not_a_reduction")
        self.last_at = self.last_at if c.at is None else c.at
        old = o["rem"]
        o["qty"] -= old - new
        o["rem"] = new
        return [Reduced(o["id"], old, new)]

    def replace(self, c: Replace):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        code = self.price_code(c.new_price)
        if code:
            return self.reject(c.order_id, code)
        self.last_at = at = self.last_at if c.at is None else c.at
        self.resting.remove(o)
        events = [Replaced(o["id"], o["price"], c.new_price, o["rem"])]
        o = dict(o, price=c.new_price)
        if self.spec.mode != Mode.CALL_AUCTION:
            self.match(o, at, events)
        if o["rem"]:
            self.rest(o, events)
        return events

    def expire(self, c: Expire):
        self.last_at = c.now
        due = sorted(
            (o for o in self.resting if o["exp"] is not None and o["exp"] <= c.now),
            key=lambda o: o["prio"],
        )
        for o in due:
            self.resting.remove(o)
        return [Cancelled(o["id"], o["rem"], "expired") for o in due]

    def rematch(self, c: Rematch):
        if self.spec.mode == Mode.CALL_AUCTION:
            return []
        self.last_at = at = c.at
        crossed = [
            o
            for o in self.resting
            if any(
                m["side"] != o["side"]
                and (m["price"] <= o["price"] if o["side"] == BUY else m["price"] >= o["price"])
                for m in self.resting
            )
        ]
        # Whole levels: any order at the price of a crossed order is replayed too.
        levels = {(o["side"], o["price"]) for o in crossed}
        replay = sorted(
            (o for o in self.resting if (o["side"], o["price"]) in levels), key=lambda o: o["prio"]
        )
        self.resting = [o for o in self.resting if o not in replay]
        events = []
        for o in replay:
            if o["exp"] is not None and o["exp"] <= at:
                events.append(Cancelled(o["id"], o["rem"], "expired"))
                continue
            self.match(o, at, events)
            if o["rem"]:
                self.resting.append(o)
        return events

    def greedy(self, p, at):
        """Brute-force greedy allocation at price p: [(buy, sell, qty)]."""
        buys = sorted(
            (o for o in self.resting if o["side"] == BUY and o["price"] >= p),
            key=lambda o: (-o["price"], o["prio"]),
        )
        sells = sorted(
            (o for o in self.resting if o["side"] == SELL and o["price"] <= p),
            key=lambda o: (o["price"], o["prio"]),
        )
        left = {s["id"]: s["rem"] for s in sells}
        pairs = []
        for b in buys:
            need = b["rem"]
            for s in sells:
                if need and left[s["id"]] and b["acct"] != s["acct"] and self.ok(b, s, at):
                    q = min(need, left[s["id"]])
                    need -= q
                    left[s["id"]] -= q
                    pairs.append((b, s, q))
        return pairs

    def uncross(self, c: Uncross):
        if self.spec.mode != Mode.CALL_AUCTION:
            return self.reject(None, "not_an_auction")
        events = self.expire(Expire(c.at)) if c.at is not None else []
        at = self.last_at
        cands = []
        for p in sorted({o["price"] for o in self.resting}):
            demand = sum(o["rem"] for o in self.resting if o["side"] == BUY and o["price"] >= p)
            supply = sum(o["rem"] for o in self.resting if o["side"] == SELL and o["price"] <= p)
            volume = sum(q for _, _, q in self.greedy(p, at))
            if volume:
                cands.append((p, volume, demand - supply))
        if not cands:
            return events + [Uncrossed(self.spec.instrument, None, D(0), D(0), at)]
        best = max(v for _, v, _ in cands)
        top = [c for c in cands if c[1] == best]
        least = min(abs(c[2]) for c in top)
        top = [c for c in top if abs(c[2]) == least]
        if all(c[2] > 0 for c in top):
            p = max(top)[0]
        elif all(c[2] < 0 for c in top):
            p = min(top)[0]
        else:
            ref = self.spec.reference_price
            if ref is None:
                ref = (top[0][0] + top[-1][0]) / 2
            p = min(top, key=lambda c: (abs(c[0] - ref), -c[0]))[0]
        p = p.quantize(self.spec.tick_size)
        pairs = self.greedy(p, at)
        surplus = next(c[2] for c in cands if c[0] == p)
        events.append(Uncrossed(self.spec.instrument, p, sum(q for _, _, q in pairs), surplus, at))
        for b, s, q in pairs:
            b["rem"] -= q
            s["rem"] -= q
            maker, taker = (b, s) if b["prio"] < s["prio"] else (s, b)
            self.sequence += 1
            events.append(
                Filled(
                    maker["id"],
                    taker["id"],
                    maker["acct"],
                    taker["acct"],
                    b["id"],
                    s["id"],
                    p,
                    q,
                    maker["rem"],
                    taker["rem"],
                    self.sequence,
                )
            )
        self.resting = [o for o in self.resting if o["rem"]]
        return events

    def apply(self, c):
        return getattr(self, type(c).__name__.lower())(c)


# --- strategies -------------------------------------------------------------------------

SPEC = BookSpec("FARM", D("0.1"), D("1"), D("10"), D("0.10"), D("9.2"))
PROVINCE_SPEC = BookSpec(
    "FARM", D("0.1"), D("1"), D("10"), D("0.10"), D("9.2"), province_wide_allowed=True
)
COUNTIES = [("c1", "x", "p"), ("c2", "x", "p"), ("c3", "y", "p"), ("c4", "z", "q")]

# Mostly valid values near the reference so that orders cross; a few bad ones for rejects.
BAD_PRICES = [D("10.05"), D(0), D("8.5"), D("11.5"), D("9.1")]
BAD_QUANTITIES = [D("0.5"), D(0), D(-1)]


@st.composite
def prices(draw):
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from(BAD_PRICES))
    return D(draw(st.integers(96, 104))) / 10


@st.composite
def quantities(draw):
    if draw(st.integers(0, 19)) == 0:
        return draw(st.sampled_from(BAD_QUANTITIES))
    return D(draw(st.integers(1, 8)))


@st.composite
def eligibilities(draw, side):
    if draw(st.integers(0, 3)) == 0:
        return None
    county, city, province = draw(st.sampled_from(COUNTIES))
    if side == BUY:
        grade = draw(st.none() | st.none() | st.integers(1, 15))
        return BuyerEligibility(county, city, province, grade)
    # Short windows, so that streams often cross from county to city to province scope.
    local = draw(st.none() | st.integers(0, 12))
    city_until = draw(st.none() | st.integers(0, 24))
    return LotEligibility(
        county,
        city,
        province,
        draw(st.none() | st.integers(1, 15)),
        local,
        city_until,
        draw(st.booleans()),
    )


@st.composite
def command_streams(draw, with_eligibility: bool, auction: bool):
    n = draw(st.integers(1, 40))
    commands, t = [], 0
    for _ in range(n):
        t += draw(st.integers(0, 3))
        kind = draw(st.sampled_from("SSSSSCRPEU" if auction else "SSSSSSCRPEW"))
        # New ids mostly; commands on existing orders pick one already used.
        used = len(commands)
        oid = draw(st.integers(max(1, used - 8), used + 1))
        if kind == "S" and draw(st.integers(0, 9)):
            oid = used + 1
        if kind == "S":
            side = draw(st.sampled_from([BUY, SELL]))
            tif = draw(st.sampled_from([GTC, GTC, GTD, IOC, FOK]))
            expires = t + draw(st.integers(-1, 20)) if tif == GTD else None
            elig = draw(eligibilities(side)) if with_eligibility else None
            account = draw(st.sampled_from("abcd"))
            cmd = Submit(
                oid, account, side, draw(prices()), draw(quantities()), tif, expires, t, elig
            )
        elif kind == "C":
            cmd = Cancel(oid, t)
        elif kind == "R":
            if draw(st.booleans()):
                cmd = Reduce(oid, by=draw(quantities()), at=t)
            else:
                cmd = Reduce(oid, new_quantity=draw(quantities()), at=t)
        elif kind == "P":
            cmd = Replace(oid, draw(prices()), t)
        elif kind == "E":
            cmd = Expire(t)
        elif kind == "W":
            cmd = Rematch(t)
        else:
            cmd = Uncross(t)
        commands.append(cmd)
    return commands


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
    # Within one continuous command the makers are taken best price first, then oldest first.
    # A Rematch replays several takers in one command, so its fills interleave and the order
    # holds per taker only; the reference model checks those fills event by event.
    if makers and not isinstance(cmd, Uncross | Rematch):
        taker_buys = isinstance(cmd, Submit) and cmd.side == BUY
        if isinstance(cmd, Replace):
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


@st.composite
def window_streams(draw):
    """Crossing orders with scope windows, and rematches as the windows pass."""
    commands, t = [], 0
    for oid in range(1, draw(st.integers(2, 25)) + 1):
        t += draw(st.integers(0, 4))
        if draw(st.integers(0, 3)) == 0:
            commands.append(Rematch(t))
            continue
        county, city, province = draw(st.sampled_from(COUNTIES))
        price = D(draw(st.integers(99, 101))) / 10
        if draw(st.booleans()):
            elig = BuyerEligibility(county, city, province)
            commands.append(
                Submit(oid, draw(st.sampled_from("abc")), BUY, price, D(2), at=t, eligibility=elig)
            )
        else:
            local = t + draw(st.integers(0, 8))
            elig = LotEligibility(
                county,
                city,
                province,
                None,
                local,
                local + draw(st.integers(0, 8)),
                draw(st.booleans()),
            )
            commands.append(
                Submit(oid, draw(st.sampled_from("abc")), SELL, price, D(3), at=t, eligibility=elig)
            )
    return commands


@SETTINGS
@given(window_streams())
def test_rematch_lets_newly_eligible_pairs_trade(commands):
    run(commands, PROVINCE_SPEC, static_eligibility=False)
