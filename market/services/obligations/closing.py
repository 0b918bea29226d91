"""At a period's end the scheduler judges each obligation: met, or short (and alerted).

Idempotent: only open obligations whose period has ended are judged, each once; the alert's
dedup key is the obligation's, so a rerun after a crash between the two writes nothing new.
"""

from datetime import datetime

from sqlalchemy import select

from market.calendar import market_day
from market.extensions import db
from market.services import audit, catalogue, surveillance
from market.services.obligations.quotas import ZERO, surrendered_by
from market.services.transaction import use_case
from models import Account, Obligation, User
from models.base import utcnow


@use_case
def close_ended(now: datetime | None = None, actor: User | None = None) -> int:
    """Mark every open obligation whose period has ended met or short; return how many."""
    now = now or utcnow()
    ended = list(db.session.scalars(
        select(Obligation).where(Obligation.status == "open",
                                 Obligation.period_end < market_day(now))
        .order_by(Obligation.id).with_for_update(of=Obligation)
        .execution_options(populate_existing=True)))
    done = surrendered_by([o.id for o in ended])
    tree = catalogue.DistrictTree() if ended else None
    for obligation in ended:
        surrendered = done.get(obligation.id) or ZERO
        shortfall = max(obligation.quantity - surrendered, ZERO)
        obligation.status = "met" if shortfall == 0 else "short"
        obligation.closed_at = now
        details = {"district": obligation.district.code, "target": obligation.target,
                   "quantity": obligation.quantity, "surrendered": surrendered,
                   "shortfall": shortfall, "period_end": obligation.period_end,
                   "status": obligation.status}
        audit.record(actor, "obligation.close", "obligation", obligation.id, details,
                     actor_name="scheduler")
        if shortfall:
            accounts = list(db.session.scalars(select(Account).where(
                Account.district_id.in_(tree.descendants(obligation.district_id)))
                .order_by(Account.id)))
            surveillance.raise_alert(
                "obligation_shortfall", f"obligation_shortfall:{obligation.id}",
                f"{obligation.district.name} {obligation.target} short {shortfall} of "
                f"{obligation.quantity} for {obligation.period_start}–{obligation.period_end}",
                {"obligation_id": obligation.id, **details}, accounts=accounts,
                instrument_id=obligation.instrument_id, now=now)
    return len(ended)
