"""Small helpers for surveillance scenarios: trades through the real order API."""

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from market.extensions import db
from models import Alert, Settlement, Trade

_numbers = itertools.count(1)


def order(instrument, side, price, quantity, cid, **extra):
    return {"instrument": instrument, "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


def trade(seller, buyer, serial, price, quantity, instrument="FO-QTY") -> dict:
    """The seller lists, the buyer lifts at the same price: exactly one trade (the fill)."""
    number = next(_numbers)
    sell = seller.post("/api/v1/orders", json=order(instrument, "sell", price, quantity,
                                                    f"s{number}", lot_serial=serial))
    assert sell.status_code == 201, sell.json
    buy = buyer.post("/api/v1/orders", json=order(instrument, "buy", price, quantity,
                                                  f"b{number}"))
    assert buy.status_code == 201, buy.json
    [fill] = buy.json["fills"]
    return fill


def settlement_of(trade_id: int) -> Settlement:
    return db.session.scalar(select(Settlement).where(Settlement.trade_id == trade_id))


def alerts(kind=None) -> list[Alert]:
    query = select(Alert).order_by(Alert.id)
    if kind:
        query = query.where(Alert.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query))


def move_trade(trade_id: int, when: datetime, closed_at: datetime | None = None,
               days: int = 10) -> None:
    """Time-shift a trade and its settlement, so a report period is fixed and repeatable."""
    row = db.session.get(Trade, trade_id)
    row.executed_at = when
    settlement = settlement_of(trade_id)
    settlement.created_at = when
    settlement.due_at = when + timedelta(days=days)
    if settlement.closed_at is not None:
        settlement.closed_at = closed_at or when
    db.session.commit()
