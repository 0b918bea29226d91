"""Small helpers for surveillance scenarios: trades through the real order API, and one
scenario that raises an alert of every kind."""

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from market.extensions import db
from market.services import surveillance
from models import ALERT_KINDS, Alert, Settlement, Trade

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


# Kinds with scenarios of their own (tests/listings, tests/quotas, tests/payouts): they need
# auctions, ended periods or months of unpaid proceeds this scenario does not build.
OWN_SCENARIOS = {"listing_single_bidder", "listing_ceiling_rush", "listing_same_district_bidders",
                 "obligation_shortfall", "payout_overdue"}


def raise_every_kind(world) -> list[Alert]:
    """One scenario per detector, then detection: an alert of every kind."""
    yixing = world.trader("yixing", "320282")
    huangtu = world.trader("huangtu", "320281100")
    xinwu = world.trader("xinwu", "320214", cash="50000000")
    liangxi = world.trader("liangxi", "320213", cash="50000000")
    huishan = world.trader("huishan", "320206", cash="50000000")
    yixing_buyer = world.trader("yixing-buyer", "320282", cash="5000000")
    jiangyin = world.trader("jiangyin", "320281", cash="5000000")
    lot = world.lot(yixing, quantity="100")
    huangtu_lot = world.lot(huangtu, quantity="100")
    eco = world.lot(yixing, instrument="ECO-CARBON", quantity="1000")
    own = world.lot(xinwu, quantity="10")
    trade(yixing, xinwu, lot, "300000.00", "2")                 # xinwu buys …
    trade(xinwu, liangxi, own, "340000.00", "1")                # … sells: circular; guide
    trade(yixing, yixing_buyer, lot, "300000.00", "1")          # wash (one district)
    trade(huangtu, jiangyin, huangtu_lot, "300000.00", "1")     # cross (one county)
    for buyer, quantity in ((xinwu, "10"), (xinwu, "10"), (liangxi, "5"), (xinwu, "10"),
                            (huishan, "5")):
        trade(yixing, buyer, eco, "60.00", quantity, "ECO-CARBON")   # concentration
    trade(yixing, huishan, eco, "80.00", "1", "ECO-CARBON")     # far from the VWAP of 60
    for number in range(10):
        refused = huishan.post("/api/v1/orders", json=order(
            "FO-QTY", "buy", "500000.00", "1", f"far-{number}"))
        assert refused.json["error"]["code"] == "outside_band"
    for number in range(20):
        placed = liangxi.post("/api/v1/orders", json=order(
            "ECO-CARBON", "buy", "50.00", "1", f"c{number}"))
        assert liangxi.delete(f"/api/v1/orders/{placed.json['order']['id']}").status_code == 200
    proposed = yixing.post("/api/v1/negotiated-transfers", json={     # +20 % from the guide
        "lot_serial": lot, "quantity": "1", "price": "360000.00",
        "buyer_account_id": xinwu.user.account_id})
    assert proposed.status_code == 201, proposed.json
    surveillance.detect()
    found = alerts()
    assert set(ALERT_KINDS) - OWN_SCENARIOS <= {alert.kind for alert in found}
    return found
