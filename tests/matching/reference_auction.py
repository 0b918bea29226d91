"""Slow, plain references for the call auction's allocation (for the tests only).

``oracle_allocation`` states the rule directly: the pairs in priority order each take as many
lots as they can while the rest can still trade the maximum. Its maximum is a textbook
Ford–Fulkerson on a dict of residual capacities. ``exhaustive_allocation`` enumerates every
allocation of a tiny book and picks the best by the rule's own definition. Neither shares
code with ``matching.allocation``.
"""

from __future__ import annotations

from decimal import Decimal as D

from matching import Expire, Filled, Mode, Side, Uncross, Uncrossed

BUY, SELL = Side.BUY, Side.SELL

BIG = 10**9


def max_flow(cap_b: list[int], cap_s: list[int], edges: list[tuple[int, int]]) -> int:
    """Most lots that can flow from buys to sells over these pairs (Ford–Fulkerson)."""
    residual: dict = {}
    for i, c in enumerate(cap_b):
        residual[("S", ("b", i))] = c
    for j, c in enumerate(cap_s):
        residual[(("s", j), "T")] = c
    for i, j in edges:
        residual[(("b", i), ("s", j))] = BIG
    links: dict = {}
    for a, b in list(residual):
        links.setdefault(a, []).append(b)
        links.setdefault(b, []).append(a)
        residual.setdefault((b, a), 0)

    def path(node, seen):
        if node == "T":
            return []
        seen.add(node)
        for nxt in links.get(node, []):
            if nxt not in seen and residual[(node, nxt)] > 0:
                rest = path(nxt, seen)
                if rest is not None:
                    return [(node, nxt), *rest]
        return None

    total = 0
    while (found := path("S", set())) is not None:
        delta = min(residual[e] for e in found)
        for a, b in found:
            residual[(a, b)] -= delta
            residual[(b, a)] += delta
        total += delta
    return total


def oracle_allocation(cap_b, cap_s, eligible) -> list[tuple[int, int, int]]:
    """(buy, sell, lots) of the lexicographically largest maximum allocation."""
    pairs = [(i, j) for i in range(len(cap_b)) for j in range(len(cap_s)) if eligible(i, j)]
    need, left = list(cap_b), list(cap_s)
    target = max_flow(need, left, pairs)
    out = []
    for k, (i, j) in enumerate(pairs):
        for q in range(min(need[i], left[j]), -1, -1):
            need[i] -= q
            left[j] -= q
            if q + max_flow(need, left, pairs[k + 1 :]) == target:
                break
            need[i] += q
            left[j] += q
        target -= q
        if q:
            out.append((i, j, q))
    return out


def exhaustive_allocation(cap_b, cap_s, eligible) -> list[tuple[int, int, int]]:
    """The same rule by enumerating every allocation (tiny books only)."""
    pairs = [(i, j) for i in range(len(cap_b)) for j in range(len(cap_s)) if eligible(i, j)]
    best: list = [None]
    need, left, amounts = list(cap_b), list(cap_s), []

    def walk(k):
        if k == len(pairs):
            key = (sum(amounts), tuple(amounts))
            if best[0] is None or key > best[0]:
                best[0] = key
            return
        i, j = pairs[k]
        for q in range(min(need[i], left[j]) + 1):
            need[i] -= q
            left[j] -= q
            amounts.append(q)
            walk(k + 1)
            amounts.pop()
            need[i] += q
            left[j] += q

    walk(0)
    return [(i, j, q) for (i, j), q in zip(pairs, best[0][1], strict=True) if q]


class AuctionRef:
    """The call auction of the brute-force book (a mixin of ``Ref``)."""

    def allocation(self, p, at):
        """The best maximum allocation at price p: [(buy, sell, qty)]."""
        buys = sorted(
            (o for o in self.resting if o["side"] == BUY and o["price"] >= p),
            key=lambda o: (-o["price"], o["prio"]),
        )
        sells = sorted(
            (o for o in self.resting if o["side"] == SELL and o["price"] <= p),
            key=lambda o: (o["price"], o["prio"]),
        )

        def eligible(i, j):
            b, s = buys[i], sells[j]
            return b["acct"] != s["acct"] and self.ok(b, s, at)

        lot = self.spec.lot_size
        found = oracle_allocation(
            [int(b["rem"] / lot) for b in buys], [int(s["rem"] / lot) for s in sells], eligible
        )
        return [(buys[i], sells[j], q * lot) for i, j, q in found]

    def uncross(self, c: Uncross):
        if self.spec.mode != Mode.CALL_AUCTION:
            return self.reject(None, "not_an_auction")
        events = self.expire(Expire(c.at)) if c.at is not None else []
        at = self.last_at
        cands = []
        for p in sorted({o["price"] for o in self.resting}):
            demand = sum(o["rem"] for o in self.resting if o["side"] == BUY and o["price"] >= p)
            supply = sum(o["rem"] for o in self.resting if o["side"] == SELL and o["price"] <= p)
            volume = sum(q for _, _, q in self.allocation(p, at))
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
        pairs = self.allocation(p, at)
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
                    maker["side"],
                    maker["price"],
                )
            )
        self.resting = [o for o in self.resting if o["rem"]]
        return events
