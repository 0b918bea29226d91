"""Call auctions: orders collect without matching and uncross at scheduled times.

Unlike continuous matching, an uncross needs the whole book: one clearing price is chosen
over every open order (the rule is in matching/auction.py).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from market.calendar import MARKET_TIME
from market.errors import DomainError
from market.extensions import db
from market.services import audit, catalogue
from market.services.trading import engine
from market.services.transaction import use_case
from market.vocabulary import INSTRUMENT_STATUS, word
from models import AuctionRun, Instrument, User
from models.base import utcnow


@dataclass
class AuctionResult:
    """What an uncross did."""

    instrument: str
    price: Decimal | None
    volume: Decimal
    trades: int


@use_case
def uncross(code: str, actor: User | None = None, slot_at: datetime | None = None,
            now: datetime | None = None) -> AuctionResult | None:
    """Uncross one call-auction book; with a slot, at most once per slot (None if done)."""
    instrument = catalogue.lock_instrument(catalogue.instrument_by_code(code).id)
    if instrument.trading_mode != "call_auction":
        raise DomainError("not_an_auction", lazy_gettext("%(code)s trades continuously", code=code))
    if instrument.status != "open":
        raise DomainError("instrument_halted", lazy_gettext(
            "%(code)s is %(status)s", code=code,
            status=word(INSTRUMENT_STATUS, instrument.status)))
    now = now or utcnow()
    if slot_at is not None and db.session.scalar(select(AuctionRun.id).where(
            AuctionRun.instrument_id == instrument.id, AuctionRun.slot_at == slot_at)):
        return None
    outcome = engine.uncross(instrument, actor, now)
    summary = outcome.uncrossed
    db.session.add(AuctionRun(instrument_id=instrument.id, slot_at=slot_at or now, ran_at=now,
                              price=summary.price, volume=summary.volume,
                              trades=len(outcome.trades)))
    audit.record(actor, "auction.uncross", "instrument", code,
                 {"price": summary.price, "volume": summary.volume, "slot": slot_at or now},
                 actor_name="scheduler")
    try:
        db.session.flush()
    except IntegrityError:  # another scheduler ran this slot first
        db.session.rollback()
        return None
    return AuctionResult(code, summary.price, summary.volume, len(outcome.trades))


def slots_on(instrument: Instrument, day) -> list[datetime]:
    """The instrument's uncross times on a market-calendar day, in UTC."""
    result = []
    for text in (instrument.auction_times or "").split(","):
        if text.strip():
            hour, minute = (int(part) for part in text.strip().split(":"))
            local = datetime.combine(day, time(hour, minute), tzinfo=MARKET_TIME)
            result.append(local.astimezone(ZoneInfo("UTC")))
    return sorted(result)


def next_auction(instrument: Instrument, now: datetime | None = None) -> datetime | None:
    """The instrument's next uncross time after now, in UTC (None for continuous books)."""
    now = now or utcnow()
    today = now.astimezone(MARKET_TIME).date()
    upcoming = [slot for day in (today, today + timedelta(days=1))
                for slot in slots_on(instrument, day) if slot > now]
    return upcoming[0] if upcoming else None


def run_due_auctions(now: datetime | None = None) -> list[AuctionResult]:
    """Uncross every call-auction book whose latest scheduled slot has passed but not run.

    A slot missed while the scheduler was down runs late, once; older missed slots are not
    replayed, since one uncross clears the same book they would have.
    """
    now = now or utcnow()
    today = now.astimezone(MARKET_TIME).date()
    results = []
    for instrument in db.session.scalars(select(Instrument).where(
            Instrument.trading_mode == "call_auction", Instrument.status == "open")).all():
        past = [slot for day in (today - timedelta(days=1), today)
                for slot in slots_on(instrument, day) if slot <= now]
        if past:
            result = uncross(instrument.code, slot_at=past[-1], now=now)
            if result is not None:
                results.append(result)
    return results
