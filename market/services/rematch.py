"""Let crossed resting orders trade once a lot's scope window opens.

A linkage-surplus offer open only to its own county can rest below a bid from elsewhere in
the city; the book is then crossed but nothing may trade. When the local-first window ends
the pair becomes eligible, yet neither order is new, so nothing would match them. This job
replays such crossed orders (engine `Rematch`), keeping their time priority.
"""

from datetime import datetime

from sqlalchemy import func, select

from market.extensions import db
from market.services import book_loader, order_events
from market.services.locks import lock_instrument
from market.services.retry import retrying
from matching import Rematch
from models import Instrument, Order
from models.base import utcnow


def _crossed_prices(instrument_id: int):
    best_bid = db.session.scalar(select(func.max(Order.price)).where(
        Order.instrument_id == instrument_id, Order.side == "buy", Order.status == "open"))
    best_ask = db.session.scalar(select(func.min(Order.price)).where(
        Order.instrument_id == instrument_id, Order.side == "sell", Order.status == "open"))
    if best_bid is None or best_ask is None or best_bid < best_ask:
        return None
    return best_bid, best_ask


def rematch_crossed(now: datetime | None = None) -> int:
    """Rematch every continuous book that is crossed; returns the number of trades made."""
    now = now or utcnow()
    instrument_ids = db.session.scalars(select(Instrument.id).where(
        Instrument.trading_mode == "continuous", Instrument.status == "open")).all()
    db.session.rollback()
    return sum(_rematch(instrument_id, now) for instrument_id in instrument_ids
               if _crossed_prices(instrument_id) is not None)


@retrying
def _rematch(instrument_id: int, now: datetime) -> int:
    instrument = lock_instrument(instrument_id)
    prices = _crossed_prices(instrument_id)
    if prices is None:
        db.session.rollback()
        return 0
    best_bid, best_ask = prices
    crossed = list(db.session.scalars(select(Order).where(
        Order.instrument_id == instrument_id, Order.status == "open",
        ((Order.side == "buy") & (Order.price >= best_ask))
        | ((Order.side == "sell") & (Order.price <= best_bid))).order_by(Order.priority)))
    book = book_loader.book_with(instrument, crossed)
    events = book.apply(Rematch(now))
    outcome = order_events.apply(events, {order.id: order for order in crossed}, instrument,
                                 None, now)
    db.session.commit()
    return len(outcome.trades)
