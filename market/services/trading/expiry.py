"""Orders whose time is up leave the book; their holds and encumbrances are released.

Two clocks: a GTD order's own expiry, and the expiry date of the lot a sell order sells from
(an expired indicator may no longer be sold, so its offers go).
"""

from datetime import datetime

from sqlalchemy import select

from market.calendar import market_day
from market.extensions import db
from market.services.catalogue import lock_instrument
from market.services.trading import engine, order_gateway
from market.services.trading.orders import cancel_open_orders
from market.services.transaction import end_read, use_case
from models import Lot, Order
from models.base import utcnow


def expire_due(now: datetime | None = None) -> int:
    """Expire open GTD orders past their time and sells of expired lots; safe to re-run."""
    now = now or utcnow()
    instrument_ids = db.session.scalars(
        select(Order.instrument_id).where(Order.status == "open", Order.tif == "GTD",
                                          Order.expires_at <= now).distinct()).all()
    lapsed_lots = db.session.execute(
        select(Order.lot_id, Order.instrument_id).join(Lot, Lot.id == Order.lot_id)
        .where(Order.status == "open", Lot.expires_on < market_day(now)).distinct()).all()
    end_read()
    expired = sum(_expire_instrument(instrument_id, now) for instrument_id in instrument_ids)
    return expired + sum(_withdraw_offers(lot_id, instrument_id, now)
                         for lot_id, instrument_id in lapsed_lots)


def _withdraw_offers(lot_id: int, instrument_id: int, now: datetime) -> int:
    if order_gateway.enabled():  # the writer holds the book: it withdraws them
        return order_gateway.run_book_job("withdraw", instrument_id, now,
                                          lot_id=lot_id)["closed"]
    return _withdraw_inline(lot_id)


@use_case
def _withdraw_inline(lot_id: int) -> int:
    return cancel_open_orders(None, "lot_expired", lot_id=lot_id)


def _expire_instrument(instrument_id: int, now: datetime) -> int:
    if order_gateway.enabled():  # the writer holds the book: it expires the orders
        return order_gateway.run_book_job("expire", instrument_id, now)["closed"]
    return _expire_inline(instrument_id, now)


@use_case
def _expire_inline(instrument_id: int, now: datetime) -> int:
    return len(engine.expire(lock_instrument(instrument_id), now).closed)
