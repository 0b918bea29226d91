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
from market.services.trading import engine, order_gateway
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
    instrument_id, now = catalogue.instrument_by_code(code).id, now or utcnow()
    if order_gateway.enabled():  # the writer holds the book: it uncrosses it
        answer = order_gateway.run_book_job("uncross", instrument_id, now, slot_at=slot_at,
                                            actor=actor)
        return _result_from(answer["result"])
    try:
        return uncross_locked(catalogue.lock_instrument(instrument_id), actor, slot_at, now)
    except IntegrityError:  # another scheduler ran this slot first
        db.session.rollback()
        return None


def _result_from(answer: dict | None) -> AuctionResult | None:
    """The writer's answer (amounts as text) as the result an inline uncross returns."""
    if answer is None:
        return None
    price = None if answer["price"] is None else Decimal(answer["price"])
    return AuctionResult(answer["instrument"], price, Decimal(answer["volume"]),
                         answer["trades"])


def uncross_locked(instrument: Instrument, actor: User | None, slot_at: datetime | None,
                   now: datetime) -> AuctionResult | None:
    """Uncross the book of `instrument`, whose row the caller has locked (None if the slot
    has run already)."""
    code = instrument.code
    if instrument.trading_mode != "call_auction":
        raise DomainError("not_an_auction", lazy_gettext("%(code)s trades continuously", code=code))
    if instrument.status != "open":
        raise DomainError("instrument_halted", lazy_gettext(
            "%(code)s is %(status)s", code=code,
            status=word(INSTRUMENT_STATUS, instrument.status)))
    if slot_at is not None and db.session.scalar(select(AuctionRun.id).where(
            AuctionRun.instrument_id == instrument.id, AuctionRun.slot_at == slot_at)):
        return None
    outcome = engine.uncross(instrument, actor, now)
    summary = outcome.uncrossed
    db.session.add(AuctionRun(instrument_id=instrument.id, slot_at=slot_at or now, ran_at=now,
                              price=summary.price, volume=summary.volume,
                              trades=len(outcome.trades)))
    audit.record(actor, "auction.uncross", "instrument", code,  # flushes the run too
                 {"price": summary.price, "volume": summary.volume, "slot": slot_at or now},
                 actor_name="scheduler")
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
