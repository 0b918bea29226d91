"""Orders whose time is up leave the book; their holds and encumbrances are released.

Two clocks: a GTD order's own expiry, and the expiry date of the lot a sell order sells from
(an expired indicator may no longer be sold, so its offers go).
"""

from datetime import datetime

from sqlalchemy import select

from market.calendar import market_day
from market.extensions import db
from market.services import book_loader, order_events, orders
from market.services.locks import lock_instrument
from market.services.retry import retrying
from matching import Expire
from models import Lot, Order
from models.base import utcnow


def expire_due(now: datetime | None = None) -> int:
    """Expire open GTD orders past their time and sells of expired lots; safe to re-run."""
    now = now or utcnow()
    instrument_ids = db.session.scalars(
        select(Order.instrument_id).where(Order.status == "open", Order.tif == "GTD",
                                          Order.expires_at <= now).distinct()).all()
    lapsed_lots = db.session.scalars(
        select(Order.lot_id).join(Lot, Lot.id == Order.lot_id)
        .where(Order.status == "open", Lot.expires_on < market_day(now)).distinct()).all()
    db.session.rollback()
    expired = sum(_expire_instrument(instrument_id, now) for instrument_id in instrument_ids)
    return expired + sum(_withdraw_offers(lot_id) for lot_id in lapsed_lots)


@retrying
def _withdraw_offers(lot_id: int) -> int:
    count = orders.cancel_open(None, "lot_expired", lot_id=lot_id)
    db.session.commit()
    return count


@retrying
def _expire_instrument(instrument_id: int, now: datetime) -> int:
    instrument = lock_instrument(instrument_id)
    due = list(db.session.scalars(select(Order).where(
        Order.instrument_id == instrument_id, Order.status == "open", Order.tif == "GTD",
        Order.expires_at <= now).order_by(Order.priority)))
    if not due:
        db.session.rollback()
        return 0
    book = book_loader.book_with(instrument, due)
    events = book.apply(Expire(now))
    outcome = order_events.apply(events, {order.id: order for order in due}, instrument, None,
                                 now)
    db.session.commit()
    return len(outcome.closed)
