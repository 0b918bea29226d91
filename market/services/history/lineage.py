"""Lineage between prices and the registry: the trades that moved a lot, the lots of a trade.

Every trade names the lot it sold from; its settlement names the child lot it delivered into
once the buyer has paid. So from a serial one reaches the trade that created the lot and the
trades that sold out of it, and from a trade both lots. Read-only.
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from market.errors import NotFound
from market.extensions import db
from market.services import identity, registry
from models import Account, Settlement, Trade, User


def _entry(trade: Trade, settlement: Settlement | None, direction: str | None = None) -> dict:
    child = settlement.child_lot if settlement is not None else None
    return {
        "trade": trade, "direction": direction, "lot_serial": trade.lot.serial,
        "origin_district_code": trade.lot.origin_district.code,
        "child_lot_serial": child.serial if child is not None else None,
        "settlement_id": settlement.id if settlement is not None else None,
        "settlement_status": settlement.status if settlement is not None else None,
    }


def _with_settlements():
    return (select(Trade, Settlement)
            .outerjoin(Settlement, Settlement.trade_id == Trade.id)
            .options(selectinload(Trade.lot), selectinload(Settlement.child_lot)))


def lot_trades(actor: User, serial: str, latest: int | None = None) -> list[dict]:
    """The trade that created a lot (`in`, child lots only) and the trades out of it (`out`),
    all of them or only the `latest` ones out (a busy lot sells thousands of times).

    Trades whose settlement was cancelled or defaulted are listed too, with that status: the
    quantity came back, but the trade happened.
    """
    lot = registry.lot_visible_to(actor, serial)
    created = db.session.execute(
        _with_settlements().where(Settlement.child_lot_id == lot.id)).all()
    out = _with_settlements().where(Trade.lot_id == lot.id)
    if latest is None:
        sold = db.session.execute(out.order_by(Trade.id)).all()
    else:
        sold = db.session.execute(out.order_by(Trade.id.desc()).limit(latest)).all()[::-1]
    return ([_entry(trade, settlement, "in") for trade, settlement in created]
            + [_entry(trade, settlement, "out") for trade, settlement in sold])


def trade_detail(actor: User, trade_id: int) -> dict:
    """One trade with its source lot, its settlement and the child lot it delivered into.

    Only its buyer, its seller and regulators whose jurisdiction holds a party may see it;
    anyone else gets a 404, so trade ids reveal nothing.
    """
    row = db.session.execute(_with_settlements().where(Trade.id == trade_id)).first()
    if row is None:
        raise NotFound("trade", trade_id)
    trade, settlement = row
    if actor.role != "regulator" and actor.account_id not in (
            trade.buyer_account_id, trade.seller_account_id):
        raise NotFound("trade", trade_id)
    parties = db.session.scalars(select(Account.district_id).where(
        Account.id.in_([trade.buyer_account_id, trade.seller_account_id]))).all()
    if not identity.jurisdiction_of(actor).covers(*parties):
        raise NotFound("trade", trade_id)
    return _entry(trade, settlement)
