"""Hypothesis strategies for the matching property tests: command streams near the reference."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import strategies as st

from matching import (
    Amend,
    BookSpec,
    BuyerEligibility,
    Cancel,
    Expire,
    LotEligibility,
    Reduce,
    Rematch,
    Replace,
    Side,
    Submit,
    TimeInForce,
    Uncross,
)

BUY, SELL = Side.BUY, Side.SELL
GTC, GTD, IOC, FOK = TimeInForce.GTC, TimeInForce.GTD, TimeInForce.IOC, TimeInForce.FOK

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
        kind = draw(st.sampled_from("SSSSSCRPAEU" if auction else "SSSSSSCRPAAEW"))
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
        elif kind == "A":
            new_quantity = draw(st.none() | quantities())
            cmd = Amend(oid, new_quantity, draw(st.none() | prices()), t)
        elif kind == "E":
            cmd = Expire(t)
        elif kind == "W":
            cmd = Rematch(t)
        else:
            cmd = Uncross(t)
        commands.append(cmd)
    return commands


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
