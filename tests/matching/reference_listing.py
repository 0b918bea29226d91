"""A small reference model of listing auctions and procurements, for the property tests.

It shares nothing with matching/listing_auction.py but the lottery formula (restated here
from the module's documentation): it keeps every bid in a plain list and decides each one
from first principles — the best so far is recomputed by sorting the whole list.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal


class RefAuction:
    """Brute-force rules: up (listing) or down (procurement), integer times."""

    def __init__(self, up, start, step, limit, registration_until, opens, closes, extension):
        self.up, self.start, self.step, self.limit = up, start, step, limit
        self.registration_until, self.opens, self.closes = registration_until, opens, closes
        self.extension = extension
        self.deposits: dict[str, Decimal] = {}
        self.approved: set[str] = set()
        self.rejected: set[str] = set()
        self.bids: list[tuple[str, Decimal, int]] = []  # bidder, price, at
        self.over = False

    def register(self, bidder, deposit, at, approved) -> bool:
        if self.over or at >= self.registration_until or bidder in self.deposits:
            return False
        self.deposits[bidder] = deposit
        if approved:
            self.approved.add(bidder)
        return True

    def approve(self, bidder) -> bool:
        if self.over or bidder not in self.deposits or bidder in self.approved \
                or bidder in self.rejected:
            return False
        self.approved.add(bidder)
        return True

    def reject(self, bidder) -> bool:
        if self.over or bidder not in self.deposits or bidder in self.approved \
                or bidder in self.rejected:
            return False
        self.rejected.add(bidder)
        return True

    def ranked(self):
        """Bids best first: price (high for up, low for down), then the earliest."""
        order = sorted(range(len(self.bids)), key=lambda i: (
            -self.bids[i][1] if self.up else self.bids[i][1], i))
        return [self.bids[i] for i in order]

    def valid(self, bidder, price, at) -> bool:
        if self.over or bidder not in self.approved or not self.opens <= at < self.closes:
            return False
        at_limit = self.limit is not None and price == self.limit
        limit_bidders = {b for b, p, _ in self.bids if self.limit is not None and p == self.limit}
        if at_limit and bidder in limit_bidders:
            return False
        ranked = self.ranked()
        if self.up:
            if price <= 0 or (self.limit is not None and price > self.limit):
                return False
            if limit_bidders:
                return at_limit
            if not ranked:
                return price >= self.start
            return price >= ranked[0][1] + self.step or (at_limit and price > ranked[0][1])
        if price <= 0 or (self.limit is not None and price < self.limit):
            return False
        if not ranked:
            return price <= self.start
        return at_limit or price <= ranked[0][1] - self.step

    def bid(self, bidder, price, at) -> bool:
        if not self.valid(bidder, price, at):
            return False
        self.bids.append((bidder, price, at))
        if self.extension and at >= self.closes - self.extension:
            self.closes = max(self.closes, at + self.extension)
        return True

    def close(self, at, seed):
        """The winner and price, or None; and the deposits escrowed."""
        if self.over or at < self.closes:
            return "not_due"
        self.over = True
        if not self.bids:
            return None
        ranked = self.ranked()
        winner, price = ranked[0][0], ranked[0][1]
        acceptors = [b for b, p, _ in self.bids if self.limit is not None and p == self.limit]
        if self.up and len(acceptors) > 1:
            text = seed + ":" + ",".join(acceptors)
            winner = acceptors[int(hashlib.sha256(text.encode()).hexdigest(), 16)
                               % len(acceptors)]
        return winner, price
