"""What one book holds: its terms, both sides, the open orders and its counters (not public API).

The book's methods are layered on this state in one line of subclasses: queries, continuous
matching, amendments, the order lifecycle, then ``OrderBook``. One line rather than mixins, so
that the compiled build (mypyc, ``setup.py``) can lay every class out as a native class with
typed fields.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from matching.levels import BookSide, Order
from matching.types import BookSpec, Mode
from matching.validation import Grid


class BookState:
    """The state of one instrument's book, shared by every layer above it."""

    def __init__(self, spec: BookSpec) -> None:
        self.spec = spec
        self.grid = Grid(spec)
        self.bids = BookSide(True)
        self.asks = BookSide(False)
        self.orders: dict[Hashable, Order] = {}
        self._next_priority = 1
        self.trade_sequence = 0
        self.last_at: Any = None
        self.auction = Mode(spec.mode) is Mode.CALL_AUCTION
        self.province_allowed = spec.province_wide_allowed
