"""Who trades with whom in a call auction: the most eligible volume, by price-time priority.

Without constraints any pairing of the crossing orders trades the lesser of demand and
supply, and the greedy one (each buy in price-time priority takes the sells in price-time
priority) is the answer. With eligibility (scope windows, grade limits) or an account on both
sides, greedy can strand volume: a buy may take the one lot a later buy needed while another
lot it could equally have taken stays unsold. The volume that can trade is then a maximum
flow from the buys through their eligible pairs to the sells.

Among the allocations that trade that maximum, this module picks the one that is
lexicographically largest over the pairs in priority order (buys by price-time, then sells by
price-time): the first pair trades as much as any maximum allocation lets it, then the second,
and so on. That is the greedy rule with the maximum kept, and it is what greedy gives whenever
greedy already reaches the maximum. It is found by starting from greedy, augmenting to a
maximum flow, then, pair by pair in that order, pushing flow round residual cycles through
the pair that leave every earlier pair unchanged.

Orders are indexed: buys ``0..len(buys)-1`` and sells ``0..len(sells)-1`` in priority order;
``adjacency[i]`` lists the sells buy ``i`` may trade with, ascending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PairCheck = Callable[[Any, Any], bool] | None
_UNBOUNDED = 1 << 62  # a pair edge limits nothing: its buy and sell totals do


def adjacency(buys: list, sells: list, pair_ok: Callable[[Any, Any], bool]) -> list[list[int]]:
    """Eligible sells of each buy, ascending; the check is cached per kind of order."""
    cache: dict[tuple, bool] = {}
    out = []
    keys = [(s.account_id, s.eligibility) for s in sells]
    for buy in buys:
        mine, row = (buy.account_id, buy.eligibility), []
        for j, sell in enumerate(sells):
            key = (mine, keys[j])
            ok = cache.get(key)
            if ok is None:
                ok = cache[key] = pair_ok(buy, sell)
            if ok:
                row.append(j)
        out.append(row)
    return out


class Flow:
    """An allocation between the first ``nb`` buys and the first ``ns`` sells."""

    def __init__(self, cap_b: list[int], cap_s: list[int], adj: list[list[int]]) -> None:
        self.cap_b, self.cap_s, self.adj = cap_b, cap_s, adj
        nb, ns = len(cap_b), len(cap_s)
        self.fb, self.fs = [0] * nb, [0] * ns
        self.out: list[dict[int, int]] = [{} for _ in range(nb)]  # buy -> {sell: lots}
        self.into: list[dict[int, int]] = [{} for _ in range(ns)]  # sell -> {buy: lots}
        self.augmented = False

    def volume(self) -> int:
        """Lots allocated."""
        return sum(self.fb)

    def push(self, i: int, j: int, qty: int) -> None:
        """Change the lots of pair (i, j) by qty (negative to take back)."""
        left = self.out[i].get(j, 0) + qty
        if left:
            self.out[i][j] = self.into[j][i] = left
        else:
            del self.out[i][j], self.into[j][i]
        self.fb[i] += qty
        self.fs[j] += qty

    def greedy(self) -> None:
        """Each buy in order takes the sells it may trade with, in order."""
        cap_s, fs = self.cap_s, self.fs
        for i, need in enumerate(self.cap_b):
            for j in self.adj[i]:
                if not need:
                    break
                room = cap_s[j] - fs[j]
                if room > 0:
                    qty = need if need < room else room
                    need -= qty
                    self.push(i, j, qty)

    def maximise(self) -> None:
        """Augment along shortest residual paths until no buy can get more."""
        while self._augment():
            self.augmented = True

    def _augment(self) -> bool:
        cap_b, cap_s, fb, fs = self.cap_b, self.cap_s, self.fb, self.fs
        # Breadth first from every buy with room; parent links: sell -> buy, buy -> sell.
        frontier = [i for i in range(len(cap_b)) if fb[i] < cap_b[i]]
        buy_parent: dict[int, int | None] = dict.fromkeys(frontier)
        sell_parent: dict[int, int] = {}
        while frontier:
            following = []
            for i in frontier:
                for j in self.adj[i]:
                    if j in sell_parent:
                        continue
                    sell_parent[j] = i
                    if fs[j] < cap_s[j]:
                        self._apply_path(j, buy_parent, sell_parent)
                        return True
                    for i2 in self.into[j]:
                        if i2 not in buy_parent:
                            buy_parent[i2] = j
                            following.append(i2)
            frontier = following
        return False

    def _apply_path(self, j: int, buy_parent: dict, sell_parent: dict) -> None:
        steps, delta = [], self.cap_s[j] - self.fs[j]
        while True:
            i = sell_parent[j]
            steps.append((i, j))
            back = buy_parent[i]
            if back is None:
                delta = min(delta, self.cap_b[i] - self.fb[i])
                break
            delta = min(delta, self.into[back][i])
            steps.append((i, back))
            j = back
        for k, (i, j2) in enumerate(steps):
            self.push(i, j2, delta if k % 2 == 0 else -delta)

    def prefer_priority(self) -> None:
        """Make the allocation the lexicographically largest maximum one, pair by pair."""
        for i in range(len(self.cap_b)):
            for j in self.adj[i]:
                while self._cycle(i, j):
                    pass

    def _cycle(self, i: int, j: int) -> bool:
        """Push flow round one residual cycle through pair (i, j) that spares earlier pairs."""
        cap_b, cap_s, fb, fs, adj = self.cap_b, self.cap_s, self.fb, self.fs, self.adj
        # Nodes: ("b", k), ("s", k), "S", "T". Search from sell j for buy i.
        parent: dict[Any, tuple[Any, int]] = {("s", j): (None, 0)}
        frontier: list[Any] = [("s", j)]
        while frontier:
            following = []
            for node in frontier:
                for nxt, room in self._residual(node, i, j, cap_b, cap_s, fb, fs, adj):
                    if nxt in parent:
                        continue
                    parent[nxt] = (node, room)
                    if nxt == ("b", i):
                        self._push_cycle(i, j, parent)
                        return True
                    following.append(nxt)
            frontier = following
        return False

    def _residual(self, node, i, j, cap_b, cap_s, fb, fs, adj):
        """Residual edges out of a node, skipping pairs at or before (i, j) in priority order."""
        if node == "S":
            return [(("b", k), cap_b[k] - fb[k]) for k in range(len(cap_b)) if fb[k] < cap_b[k]]
        if node == "T":
            return [(("s", k), fs[k]) for k in range(len(cap_s)) if fs[k] > 0]
        kind, k = node
        edges: list = []
        if kind == "s":
            if fs[k] < cap_s[k]:
                edges.append(("T", cap_s[k] - fs[k]))
            # Taking lots back from a later pair (k2 > i, or k2 == i after j).
            edges += [(("b", k2), q) for k2, q in self.into[k].items() if (k2, k) > (i, j)]
        else:
            if fb[k] > 0:
                edges.append(("S", fb[k]))
            edges += [(("s", k2), _UNBOUNDED) for k2 in adj[k] if (k, k2) > (i, j)]
        return edges

    def _push_cycle(self, i: int, j: int, parent: dict) -> None:
        path, node = [], ("b", i)
        while parent[node][0] is not None:
            prev, room = parent[node]
            path.append((prev, node, room))
            node = prev
        delta = min(room for _, _, room in path)
        self.push(i, j, delta)
        for prev, node, _ in path:
            # Edges through S or T only move a buy's or a sell's total, which push() keeps.
            if prev in ("S", "T") or node in ("S", "T"):
                continue
            if prev[0] == "s":
                self.push(node[1], prev[1], -delta)  # a pair gives lots back
            else:
                self.push(prev[1], node[1], delta)  # a pair takes more

    def pairs(self) -> list[tuple[int, int, int]]:
        """(buy, sell, lots) in priority order."""
        return [(i, j, self.out[i][j]) for i in range(len(self.cap_b)) for j in sorted(self.out[i])]


def best_allocation(buys: list, sells: list, adj: list[list[int]]) -> list[tuple]:
    """The maximum eligible allocation, lexicographically largest by priority."""
    flow = Flow([b.lots for b in buys], [s.lots for s in sells], adj)
    flow.greedy()
    flow.maximise()
    if flow.augmented:
        # Greedy is already the priority-best allocation whenever it reaches the maximum.
        flow.prefer_priority()
    return [(buys[i], sells[j], q) for i, j, q in flow.pairs()]


def max_volume(buys: list, sells: list, adj: list[list[int]]) -> int:
    """The most lots the eligible pairs among these orders can trade."""
    flow = Flow([b.lots for b in buys], [s.lots for s in sells], adj)
    flow.greedy()
    flow.maximise()
    return flow.volume()
