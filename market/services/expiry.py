"""GTD orders whose time is up leave the book; their holds and encumbrances are released."""

from datetime import datetime

from sqlalchemy import select

from market.extensions import db
from market.services import book_loader, order_events
from market.services.locks import lock_instrument
from market.services.retry import retrying
from matching import Expire
from models import Order
from models.base import utcnow


def expire_due(now: datetime | None = None) -> int:
    """Expire every open GTD order past its time; safe to run any number of times."""
    now = now or utcnow()
    instrument_ids = db.session.scalars(
        select(Order.instrument_id).where(Order.status == "open", Order.tif == "GTD",
                                          Order.expires_at <= now).distinct()).all()
    db.session.rollback()
    return sum(_expire_instrument(instrument_id, now) for instrument_id in instrument_ids)


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
