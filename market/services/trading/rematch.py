"""Let crossed resting orders trade once a lot's scope window opens.

A linkage-surplus offer open only to its own county can rest below a bid from elsewhere in
the city; the book is then crossed but nothing may trade. When the local-first window ends
the pair becomes eligible, yet neither order is new, so nothing would match them. This job
replays such crossed orders (engine `Rematch`), keeping their time priority.
"""

from datetime import datetime

from sqlalchemy import select

from market.extensions import db
from market.services.catalogue import lock_instrument
from market.services.trading import engine, order_gateway
from market.services.transaction import end_read, use_case
from models import Instrument
from models.base import utcnow


def rematch_crossed(now: datetime | None = None) -> int:
    """Rematch every continuous book that is crossed; returns the number of trades made."""
    now = now or utcnow()
    instrument_ids = db.session.scalars(select(Instrument.id).where(
        Instrument.trading_mode == "continuous", Instrument.status == "open")).all()
    end_read()
    return sum(_rematch(instrument_id, now) for instrument_id in instrument_ids
               if engine.crossed_prices(instrument_id) is not None)


def _rematch(instrument_id: int, now: datetime) -> int:
    if order_gateway.enabled():  # the writer holds the book: it rematches it
        return order_gateway.run_book_job("rematch", instrument_id, now)["trades"]
    return _rematch_inline(instrument_id, now)


@use_case
def _rematch_inline(instrument_id: int, now: datetime) -> int:
    return len(engine.rematch(lock_instrument(instrument_id), now).trades)
