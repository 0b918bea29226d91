"""Settlements by state over time: per market week, how many of the settlements opened in it
are now in each of the monitor's buckets, and for how much.

A settlement counts in the week its trade opened it (Shanghai calendar, weeks from Monday),
in the bucket it is in now, so the last weeks show what is still open and the older ones how
their settlements ended. One grouped query per call (days × states), folded into weeks here.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Date, case, cast, func, literal, literal_column, select

from market.calendar import market_day, utc_bounds
from market.extensions import db
from market.services import catalogue, identity
from market.services.surveillance.alerts import DUE_SOON, SETTLEMENT_BUCKETS
from models import Settlement, User
from models.base import utcnow

WEEKS = 13


def settlement_weeks(actor: User, now: datetime | None = None, instrument: str | None = None,
                     weeks: int = WEEKS) -> dict:
    """The last `weeks` weeks up to this one, oldest first, with counts and amounts by bucket.

    Returns {"as_of", "weeks": [{"start", "end", "counts": {bucket: n},
    "amounts": {bucket: Decimal}, "total": n}], "buckets"}; the actor's jurisdiction applies
    as on the monitor.
    """
    now = now or utcnow()
    this_monday = market_day(now) - timedelta(days=market_day(now).weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    start, end = utc_bounds(first, this_monday + timedelta(days=6))
    where = [Settlement.created_at >= start, Settlement.created_at < end,
             identity.jurisdiction_of(actor).parties(Settlement.buyer_account_id,
                                                     Settlement.seller_account_id)]
    if instrument:
        where.append(Settlement.instrument_id == catalogue.instrument_for_input(instrument).id)
    # Grouped outside a subquery: PostgreSQL would not match the CASE's bound times between
    # the select list and GROUP BY.
    opened = select(_day_opened().label("day"), _bucket(now).label("bucket"),
                    Settlement.amount).where(*where).subquery()
    rows = db.session.execute(
        select(opened.c.day, opened.c.bucket, func.count(), func.sum(opened.c.amount))
        .group_by(opened.c.day, opened.c.bucket))
    table = [{"start": first + timedelta(weeks=n), "end": first + timedelta(weeks=n, days=6),
              "counts": dict.fromkeys(SETTLEMENT_BUCKETS, 0),
              "amounts": dict.fromkeys(SETTLEMENT_BUCKETS, Decimal("0.00")), "total": 0}
             for n in range(weeks)]
    for opened, state, count, amount in rows:
        week = table[(_as_date(opened) - first).days // 7]
        week["counts"][state] += count
        week["amounts"][state] += amount
        week["total"] += count
    return {"as_of": now, "weeks": table, "buckets": SETTLEMENT_BUCKETS}


def _bucket(now: datetime):
    """The monitor's bucket (surveillance.bucket_of) as SQL, so the database can group by it."""
    return case(
        (Settlement.status != "pending_payment", Settlement.status),
        (Settlement.due_at <= literal(now, Settlement.due_at.type), literal("overdue")),
        (Settlement.due_at <= literal(now + DUE_SOON, Settlement.due_at.type),
         literal("due_within_3_days")),
        else_=literal("pending"))


def _day_opened():
    """SQL for the Shanghai day a settlement opened; Shanghai keeps no daylight saving."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone(literal_column("'Asia/Shanghai'"), Settlement.created_at), Date)
    return func.date(Settlement.created_at, literal_column("'+8 hours'"))


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
