"""Small builders shared by the matching unit tests."""

from __future__ import annotations

from decimal import Decimal as D

from matching import BookSpec, Mode, OrderBook, Side, Submit, TimeInForce

SPEC = BookSpec("FARM", D("0.01"), D("1"), D("10.00"), D("0.10"), D("9.50"))


def book(mode: Mode = Mode.CONTINUOUS, **terms) -> OrderBook:
    """A book on SPEC's terms with some overridden."""
    fields = dict(
        instrument="FARM",
        tick_size=D("0.01"),
        lot_size=D("1"),
        reference_price=D("10.00"),
        band_pct=D("0.10"),
        floor_price=D("9.50"),
        mode=mode,
    )
    fields.update(terms)
    return OrderBook(BookSpec(**fields))


def buy(oid, account, price, qty, tif=TimeInForce.GTC, **kw) -> Submit:
    """A buy order command."""
    return Submit(oid, account, Side.BUY, D(str(price)), D(str(qty)), tif, **kw)


def sell(oid, account, price, qty, tif=TimeInForce.GTC, **kw) -> Submit:
    """A sell order command."""
    return Submit(oid, account, Side.SELL, D(str(price)), D(str(qty)), tif, **kw)


def kinds(events) -> list[str]:
    """Event class names, for compact assertions."""
    return [type(e).__name__ for e in events]


def fills(events) -> list[tuple]:
    """(maker, taker, price, quantity) of each fill."""
    return [
        (e.maker_order_id, e.taker_order_id, e.price, e.quantity)
        for e in events
        if type(e).__name__ == "Filled"
    ]
