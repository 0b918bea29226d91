"""A deterministic generator of hard, realistic order flow for the matching benchmark.

What makes real flow hard for a book is not matching but churn: most orders are cancelled
(here about 95 % of the passive ones, most of them soon after arrival, a few after a long
time), about 20 % are modified before that (most modifies raise the quantity, which loses
time priority, and many reprice, which is cancel-and-reinsert), about 15 % of orders are
IOC, and the distance of a passive order from the mid-price follows a power law, so the book
is deep and thin far from the touch and dense near it. The mid-price moves per scenario.

A message is a plain tuple, so every engine gets the same stream and builds its own input:

- ``(NEW, order_id, is_buy, ticks, lots, ioc)``
- ``(CANCEL, order_id)``
- ``(MODIFY, order_id, ticks, lots)``: the new limit and the new *total* quantity
  (FIX-style, filled part included), either or both changed.

No two orders share an account, so no engine's self-trade rule ever fires.
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass

NEW, CANCEL, MODIFY = 0, 1, 2
MID = 1000  # ticks: 10.00 at a tick of 0.01


@dataclass(frozen=True)
class Scenario:
    """How the mid-price moves and how long orders live in one benchmark scenario."""

    name: str
    # Resting orders placed before the flow starts (part of the stream, never cancelled).
    warm: int = 0
    # Power-law exponent of the distance from the mid: smaller is deeper.
    alpha: float = 1.3
    # Scale (in messages) of the Pareto lifetime of a passive order before its cancel.
    lifetime: float = 40.0
    # Random-walk step of the mid per message, in ticks, and a pull back to MID.
    volatility: float = 0.0
    reversion: float = 0.0
    # Total drift of the mid over the stream, as a fraction of MID.
    trend: float = 0.0
    # Flash crash: (start, length) as fractions of the stream, and the drop in ticks.
    crash: tuple[float, float] | None = None
    crash_ticks: int = 0


SCENARIOS = [
    Scenario("static-deep", warm=100_000, alpha=0.9, lifetime=200.0),
    Scenario("steady", volatility=0.05, reversion=0.001),
    Scenario("volatile", alpha=1.6, lifetime=20.0, volatility=0.4, reversion=0.002),
    Scenario("trending", volatility=0.1, trend=0.5),
    Scenario("flash-crash", volatility=0.05, reversion=0.0005, crash=(0.6, 0.02),
             crash_ticks=250),
]
BY_NAME = {s.name: s for s in SCENARIOS}

CANCELLED = 0.95  # share of passive orders that get a cancel
MODIFIED = 0.20  # share of orders modified before their cancel (or for good)
IOC = 0.15  # share of new orders that are IOC
MARKETABLE = 0.05  # share of new orders that are plain limits priced through the touch


def _distance(rng: random.Random, alpha: float) -> int:
    """Ticks from the mid to a passive limit: P(d >= k) ~ k**-alpha, at least one tick."""
    return min(int(rng.paretovariate(alpha)), 2000)


def _lots(rng: random.Random) -> int:
    """Order size in lots: mostly small, a heavy tail of large orders."""
    return min(int(rng.paretovariate(1.5)), 200)


def generate(scenario: Scenario, messages: int, seed: int = 7) -> list[tuple]:
    """Return ``messages`` messages of the scenario's flow, the same for the same arguments."""
    rng = random.Random(f"{scenario.name}:{seed}")
    out: list[tuple] = []
    due: list[tuple[int, int, int]] = []  # (time, tiebreak, order_id): cancels and modifies
    state: dict[int, list] = {}  # order id -> [is_buy, ticks, lots, modifies left]
    mid = float(MID)
    drift = scenario.trend * MID / max(messages, 1)
    crash = scenario.crash
    crash_start = int(crash[0] * messages) if crash else -1
    crash_len = max(int(crash[1] * messages), 1) if crash else 1
    next_id, serial, t = 1, 0, 0
    for _ in range(min(scenario.warm, messages)):
        is_buy = rng.random() < 0.5
        d = 1 + _distance(rng, scenario.alpha)
        out.append((NEW, next_id, is_buy, max(MID - d, 1) if is_buy else MID + d, _lots(rng),
                    False))
        next_id += 1
    while len(out) < messages:
        t += 1
        mid += drift + scenario.volatility * rng.gauss(0.0, 1.0)
        mid += scenario.reversion * (MID * (1 + scenario.trend * t / messages) - mid)
        crash_mid = mid
        phase = t - crash_start
        if crash and 0 <= phase < 6 * crash_len:
            # Down over one crash length, back up over five.
            depth = phase / crash_len if phase < crash_len else 1 - (phase - crash_len) / (
                5 * crash_len)
            crash_mid = mid - scenario.crash_ticks * depth
        centre = max(int(round(crash_mid)), 50)
        if due and due[0][0] <= t:
            _, _, oid = heapq.heappop(due)
            order = state.get(oid)
            if order is None:
                continue
            if order[3] > 0:
                order[3] -= 1
                out.append(_modify(rng, oid, order, centre))
            else:
                del state[oid]
                out.append((CANCEL, oid))
            continue
        oid, next_id = next_id, next_id + 1
        is_buy = rng.random() < 0.5
        if crash and 0 <= phase < crash_len:
            is_buy = rng.random() < 0.3  # the crash is selling
        roll = rng.random()
        lots = _lots(rng)
        if roll < IOC + MARKETABLE:
            through = rng.randint(0, 6)
            ticks = centre + through if is_buy else centre - through
            out.append((NEW, oid, is_buy, max(ticks, 1), lots, roll < IOC))
            if roll < IOC:
                continue
        else:
            d = 1 + _distance(rng, scenario.alpha)
            out.append((NEW, oid, is_buy, max(centre - d, 1) if is_buy else centre + d, lots,
                        False))
        # Shares are of all orders; IOC orders are never modified or cancelled.
        modifies = 1 if rng.random() < MODIFIED / (1 - IOC) else 0
        steps = modifies + (1 if rng.random() < CANCELLED else 0)
        state[oid] = [is_buy, out[-1][3], lots, modifies]
        life = scenario.lifetime * (rng.paretovariate(1.1) - 1) + 1
        for k in range(steps):
            serial += 1
            heapq.heappush(due, (t + int(life * (k + 1) / steps) + 1, serial, oid))
    return out[:messages]


def _modify(rng: random.Random, oid: int, order: list, centre: int) -> tuple:
    """A modify: mostly a larger quantity, often a new price (from the current mid)."""
    is_buy, ticks, lots = order[0], order[1], order[2]
    roll = rng.random()
    if roll < 0.45:
        lots += 1 + _lots(rng)  # size up, same price: loses priority
    elif roll < 0.85:
        d = 1 + _distance(rng, 1.3)
        # Re-quote from the mid: cancel and reinsert.
        ticks = max(centre - d, 1) if is_buy else centre + d
        if rng.random() < 0.6:
            lots += 1 + _lots(rng)
    else:
        lots = max(lots - 1 - int(math.sqrt(lots)), 1)  # size down: keeps priority
    order[1], order[2] = max(ticks, 1), lots
    return (MODIFY, oid, order[1], lots)


def summary(stream: list[tuple]) -> dict[str, float]:
    """Shares that describe a stream, to check the generator against its targets."""
    news = [m for m in stream if m[0] == NEW]
    n = max(len(news), 1)
    modifies = [m for m in stream if m[0] == MODIFY]
    return {
        "messages": len(stream),
        "orders": len(news),
        "cancels/order": sum(1 for m in stream if m[0] == CANCEL) / n,
        "modified/order": len({m[1] for m in modifies}) / n,
        "ioc/order": sum(1 for m in news if m[5]) / n,
    }
