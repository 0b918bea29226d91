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

_UNBOUNDED = 1 << 62  # a pair edge limits nothing: its buy and sell totals do
_SOURCE, _SINK, _NONE = -1, -2, -3


def adjacency(buys: list, sells: list, may_trade: Callable[[Any, Any], bool]) -> list[list[int]]:
    """Eligible sells of each buy, ascending: ``may_trade`` on the two eligibilities, and never
    a buy and a sell of the same account.

    Orders share eligibilities (a district, a grade), so the rule runs once per kind of buy
    and kind of sell, and buys of one kind share one row unless their account also sells.
    """
    kinds: dict[Any, int] = {}
    sell_kind = [kinds.setdefault(s.eligibility, len(kinds)) for s in sells]
    by_kind: list[list[int]] = [[] for _ in kinds]
    for j, kind in enumerate(sell_kind):
        by_kind[kind].append(j)
    selling = {s.account_id for s in sells}
    rows: dict[Any, list[int]] = {}
    out = []
    for buy in buys:
        row = rows.get(buy.eligibility)
        if row is None:
            eligible = [k for k, elig in enumerate(kinds) if may_trade(buy.eligibility, elig)]
            row = rows[buy.eligibility] = sorted(j for k in eligible for j in by_kind[k])
        if buy.account_id in selling:
            row = [j for j in row if sells[j].account_id != buy.account_id]
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
        cap_b, cap_s, fb, fs, out, into = self.cap_b, self.cap_s, self.fb, self.fs, self.out, \
            self.into
        nb = len(cap_b)
        for i in range(nb):
            # Nodes a failed search reached cannot reach buy i: later searches for it stop
            # there, until a push changes the residual graph.
            dead: set[int] = set()
            for j in self.adj[i]:
                # A pair can only grow if its buy can take more (room, or lots on a later pair
                # to move) and its sell can give more (room, or lots to a later buy): most
                # pairs fail one of these and cost no search.
                while (
                    nb + j not in dead
                    and (fb[i] < cap_b[i] or any(k > j for k in out[i]))
                    and (fs[j] < cap_s[j] or any(b > i for b in into[j]))
                ):
                    reached = self._cycle(i, j, dead)
                    if reached is None:
                        dead = set()
                    else:
                        dead |= reached
                        break

    def _cycle(self, i: int, j: int, dead: set[int]) -> set[int] | None:
        """Push lots round one residual cycle through pair (i, j) that spares earlier pairs.

        Breadth first from sell j back to buy i. Nodes are ints: buy b is b, sell k is
        nb + k, the source is -1 and the sink -2. Pairs at or before (i, j) in priority
        order are frozen: earlier buys have no usable edges at all. Returns None after a
        push, else the nodes reached (none of which can reach buy i).
        """
        cap_b, cap_s, fb, fs, adj, into = self.cap_b, self.cap_s, self.fb, self.fs, self.adj, \
            self.into
        nb = len(cap_b)
        parent: dict[int, tuple[int, int]] = {nb + j: (_NONE, 0)}
        frontier = [nb + j]
        while frontier:
            following = []
            for node in frontier:
                if node >= nb:  # a sell: to the sink if it has room, back to later buys
                    k = node - nb
                    if fs[k] < cap_s[k] and _SINK not in parent and _SINK not in dead:
                        parent[_SINK] = (node, cap_s[k] - fs[k])
                        following.append(_SINK)
                    for b, q in into[k].items():
                        if b == i and k > j:
                            parent[i] = (node, q)
                            self._push_cycle(i, j, parent)
                            return None
                        if b > i and b not in parent and b not in dead:
                            parent[b] = (node, q)
                            following.append(b)
                elif node == _SINK:  # back from the sink to any sell that has lots
                    for k in range(len(cap_s)):
                        if fs[k] > 0 and nb + k not in parent and nb + k not in dead:
                            parent[nb + k] = (node, fs[k])
                            following.append(nb + k)
                elif node == _SOURCE:  # from the source to buy i, or a later buy with room
                    if fb[i] < cap_b[i]:
                        parent[i] = (node, cap_b[i] - fb[i])
                        self._push_cycle(i, j, parent)
                        return None
                    for b in range(i + 1, nb):
                        if fb[b] < cap_b[b] and b not in parent and b not in dead:
                            parent[b] = (node, cap_b[b] - fb[b])
                            following.append(b)
                else:  # a later buy: back to the source, on to the sells it may take
                    if fb[node] > 0 and _SOURCE not in parent and _SOURCE not in dead:
                        parent[_SOURCE] = (node, fb[node])
                        following.append(_SOURCE)
                    for k in adj[node]:
                        if nb + k not in parent and nb + k not in dead:
                            parent[nb + k] = (node, _UNBOUNDED)
                            following.append(nb + k)
            frontier = following
        return set(parent)

    def _push_cycle(self, i: int, j: int, parent: dict[int, tuple[int, int]]) -> None:
        nb, path, node = len(self.cap_b), [], i
        while True:
            prev, room = parent[node]
            if prev == _NONE:
                break
            path.append((prev, node, room))
            node = prev
        delta = min(room for _, _, room in path)
        self.push(i, j, delta)
        for prev, node, _ in path:
            # Edges through the source or the sink only move a buy's or a sell's total,
            # which push() keeps.
            if prev < 0 or node < 0:
                continue
            if prev >= nb:
                self.push(node, prev - nb, -delta)  # sell -> buy: that pair gives lots back
            else:
                self.push(prev, node - nb, delta)  # buy -> sell: that pair takes more

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
