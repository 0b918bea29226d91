"""A hand-checked trading history for ECO-CARBON (100 % deposit, settles at the match).

Lots come from three cities in two provinces; buyers stay inside their province because
carbon sink lots trade province-wide at most.

  lot W 宜兴市 (无锡市, 江苏省)   lot N 象山县 (宁波市, 浙江省)   lot J 平湖市 (嘉兴市, 浙江省)

  market day (Shanghai)   trade  lot  price × quantity = amount   executed_at (UTC)
  Mon 2024-04-29          t1     W    60.00 × 10 = 600.00         04-29 02:00 (10:00 local)
                          t2     N    62.00 ×  5 = 310.00         04-29 06:00 (14:00 local)
  Tue 2024-04-30          t3     W    58.00 × 20 = 1160.00        04-30 15:59 (23:59 local)
  Wed 2024-05-01          t4     J    61.00 × 10 = 610.00         04-30 17:00 (01:00 local)
                          t5     W    59.50 ×  4 = 238.00         04-30 16:30 (00:30 local)
  Mon 2024-05-06          t6     N    64.00 ×  5 = 320.00         05-06 02:00 (10:00 local)

t5 has a higher id than t4 but an earlier time: open and close follow trade ids (the order
the engine matched them in), so 2024-05-01 opens at 61.00 and closes at 59.50. t3 and t4/t5
sit either side of midnight Shanghai, which is 16:00 UTC.

Trades are made through the API (the real path: orders, matching, settlement); only their
`executed_at` is then moved into the past with an UPDATE, since the API stamps the time of the
request.
"""

import itertools
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import update

from market.extensions import db
from models import Trade

_ids = itertools.count(1)


def trade(seller, buyer, lot, price, quantity, instrument="ECO-CARBON"):
    """A sell then a crossing buy of the same size; the trade's id."""
    n = next(_ids)
    sell = seller.post("/api/v1/orders", json={
        "instrument": instrument, "side": "sell", "price": price, "quantity": quantity,
        "lot_serial": lot, "client_order_id": f"s-{n}"})
    assert sell.status_code == 201, sell.json
    buy = buyer.post("/api/v1/orders", json={
        "instrument": instrument, "side": "buy", "price": price, "quantity": quantity,
        "client_order_id": f"b-{n}"})
    assert buy.status_code == 201, buy.json
    [fill] = buy.json["fills"]
    return fill["id"]


def executed_at(trade_id: int, at: datetime) -> None:
    """Move a trade into the past (the API stamps the time of the request)."""
    db.session.execute(update(Trade).where(Trade.id == trade_id).values(executed_at=at))
    db.session.commit()


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def carbon(world):
    """The history above, with the statistics job not yet run."""
    wuxi_seller = world.trader("yixing", "320282")
    ningbo_seller = world.trader("xiangshan", "330225")
    jiaxing_seller = world.trader("pinghu", "330482")
    jiangsu_buyer = world.trader("xinwu", "320214", cash="100000")
    zhejiang_buyer = world.trader("yinzhou", "330212", cash="100000")
    lot_w = world.lot(wuxi_seller, instrument="ECO-CARBON", quantity="100")
    lot_n = world.lot(ningbo_seller, instrument="ECO-CARBON", quantity="100")
    lot_j = world.lot(jiaxing_seller, instrument="ECO-CARBON", quantity="100")
    plan = [
        (wuxi_seller, jiangsu_buyer, lot_w, "60.00", "10", utc(2024, 4, 29, 2)),
        (ningbo_seller, zhejiang_buyer, lot_n, "62.00", "5", utc(2024, 4, 29, 6)),
        (wuxi_seller, jiangsu_buyer, lot_w, "58.00", "20", utc(2024, 4, 30, 15, 59)),
        (jiaxing_seller, zhejiang_buyer, lot_j, "61.00", "10", utc(2024, 4, 30, 17)),
        (wuxi_seller, jiangsu_buyer, lot_w, "59.50", "4", utc(2024, 4, 30, 16, 30)),
        (ningbo_seller, zhejiang_buyer, lot_n, "64.00", "5", utc(2024, 5, 6, 2)),
    ]
    ids = []
    for seller, buyer, lot, price, quantity, at in plan:
        ids.append(trade(seller, buyer, lot, price, quantity))
        executed_at(ids[-1], at)
    return SimpleNamespace(world=world, trades=ids, lots=(lot_w, lot_n, lot_j),
                           sellers=(wuxi_seller, ningbo_seller, jiaxing_seller),
                           buyers=(jiangsu_buyer, zhejiang_buyer))
