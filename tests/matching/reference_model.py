"""A brute-force reference order book for the property tests: obviously right, slow.

Every resting order lives in one plain list, in Decimal throughout, and the whole book is
re-sorted on every step. It shares no code with the engine except the value types, the event
classes and ``can_trade``.
"""

from __future__ import annotations

from reference_amend import AmendRef
from reference_auction import AuctionRef

from matching import (
    Accepted,
    BookSpec,
    BuyerEligibility,
    Cancel,
    Cancelled,
    Expire,
    Filled,
    LotEligibility,
    Mode,
    Rejected,
    Rematch,
    Rested,
    Side,
    Submit,
    TimeInForce,
    can_trade,
)
from matching.validation import REJECT_MESSAGES

BUY, SELL = Side.BUY, Side.SELL
GTC, GTD, IOC, FOK = TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK


class Ref(AmendRef, AuctionRef):
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
                events.append(Cancelled(m["id"], m["rem"], "expired", m["side"], m["price"]))
            elif not self.ok(*self.pair(taker, m), at):
                continue
            elif m["acct"] == taker["acct"]:
                self.resting.remove(m)
                events.append(
                    Cancelled(m["id"], m["rem"], "self_trade_prevented", m["side"], m["price"])
                )
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
                        m["side"],
                        m["price"],
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
                    return events + [
                        Cancelled(c.order_id, c.quantity, "fok_unfillable", c.side, c.price)
                    ]
            self.match(o, at, events)
        if o["rem"]:
            if c.tif in (IOC, FOK):
                events.append(Cancelled(c.order_id, o["rem"], "ioc_remainder", c.side, c.price))
            else:
                self.rest(o, events)
        return events

    def cancel(self, c: Cancel):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        self.last_at = self.last_at if c.at is None else c.at
        self.resting.remove(o)
        return [Cancelled(o["id"], o["rem"], "cancelled", o["side"], o["price"])]

    def expire(self, c: Expire):
        self.last_at = c.now
        due = sorted(
            (o for o in self.resting if o["exp"] is not None and o["exp"] <= c.now),
            key=lambda o: o["prio"],
        )
        for o in due:
            self.resting.remove(o)
        return [Cancelled(o["id"], o["rem"], "expired", o["side"], o["price"]) for o in due]

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
                events.append(Cancelled(o["id"], o["rem"], "expired", o["side"], o["price"]))
                continue
            self.match(o, at, events)
            if o["rem"]:
                self.resting.append(o)
        return events

    def apply(self, c):
        return getattr(self, type(c).__name__.lower())(c)
