"""Slow, plain references for the call auction's allocation (for the tests only).

``oracle_allocation`` states the rule directly: the pairs in priority order each take as many
lots as they can while the rest can still trade the maximum. Its maximum is a textbook
Ford–Fulkerson on a dict of residual capacities. ``exhaustive_allocation`` enumerates every
allocation of a tiny book and picks the best by the rule's own definition. Neither shares
code with ``matching.allocation``.
"""

from __future__ import annotations

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
