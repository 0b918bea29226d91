"""What bench/orders_http.py's clients send: which instruments, at which prices, how much.

Prices are whole ticks away from each instrument's guide price and quantities whole lots, so
one flow means the same on FO-QTY (tick 100 CNY, lot 0.01 mu) as on ECO-CARBON (tick 0.01,
lot 1 t). Buyers and sellers draw from ranges of ticks:

* ``crossing`` (the default): buys at −7…+13 ticks, sells at −13…+7. Buyers bid above where
  sellers offer, so the book stays a few dozen orders deep and about 55–60 % of placements
  trade on arrival (a price-time book fed this flow, 8 clients, 10 % cancels, 16,000 requests:
  57 % filled on arrival, 15–70 orders resting at the end).
* ``resting``: buys at −40…+10 ticks, sells at −10…+40 (the flow measured before the order
  writer): the book grows by thousands of orders and about 18 % trade on arrival.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

# (lowest, highest) ticks from the guide price, for buys and for sells.
FLOWS = {
    "crossing": {"buy": (-7, 13), "sell": (-13, 7)},
    "resting": {"buy": (-40, 10), "sell": (-10, 40)},
}
MAX_LOTS = 100  # an order is 1…100 lots


@dataclass(frozen=True)
class Market:
    """An instrument's terms as far as the clients price orders on it."""

    code: str
    tick: Decimal
    lot: Decimal
    guide: Decimal

    def price(self, ticks: int) -> str:
        return format(self.guide + self.tick * ticks, "f")

    def quantity(self, lots: int) -> str:
        return format((self.lot * lots).normalize(), "f")


FO_QTY = Market("FO-QTY", Decimal("100.00"), Decimal("0.01"), Decimal("300000.00"))


@dataclass
class Trader:
    """One client's identity: its bearer token, its side and, for a seller, a lot per market."""

    username: str
    token: str
    side: str
    lot_serials: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    """A flow of GTC limit orders over some markets (chosen at random, evenly)."""

    name: str = "crossing"
    markets: tuple[Market, ...] = (FO_QTY,)

    def order_body(self, trader: Trader, rng: random.Random, cid: str) -> dict:
        market = self.markets[0] if len(self.markets) == 1 else rng.choice(self.markets)
        low, high = FLOWS[self.name][trader.side]
        body = {"instrument": market.code, "side": trader.side,
                "price": market.price(rng.randint(low, high)),
                "quantity": market.quantity(rng.randint(1, MAX_LOTS)), "tif": "GTC",
                "client_order_id": cid}
        if trader.side == "sell":
            body["lot_serial"] = trader.lot_serials[market.code]
        return body
