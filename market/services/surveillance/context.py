"""What every detector reads: the time, the thresholds, the reference data, recent trades."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services.catalogue import DistrictTree, TermsBook
from models import Account, Instrument, Trade

# Per-trade detectors look back this far: a scheduler outage of up to a week loses nothing,
# and the dedup keys keep the overlap harmless.
LOOKBACK = timedelta(days=7)


def trades_between(start: datetime, end: datetime) -> list[Trade]:
    """Trades executed in (start, end], oldest first."""
    return list(db.session.scalars(
        select(Trade).where(Trade.executed_at > start, Trade.executed_at <= end)
        .order_by(Trade.executed_at, Trade.id)))


@dataclass
class Context:
    """What every detector needs: the time, the thresholds and the reference data."""

    now: datetime
    settings: dict[str, Decimal]
    districts: DistrictTree
    account_districts: dict[int, int]
    instruments: dict[int, Instrument]
    recent: list[Trade]
    # The terms history: a trade is judged by the guide price in force when it was made.
    terms: TermsBook | None = None

    @classmethod
    def load(cls, now: datetime, settings: dict[str, Decimal]) -> "Context":
        """Read the reference data and the trades of the look-back window."""
        accounts = dict(db.session.execute(select(Account.id, Account.district_id)).all())
        catalog = {i.id: i for i in db.session.scalars(select(Instrument))}
        return cls(now, settings, DistrictTree(), accounts, catalog,
                   trades_between(now - LOOKBACK, now), TermsBook())

    def guide_price(self, trade: Trade):
        """The guide price in force when the trade was made."""
        instrument = self.instruments[trade.instrument_id]
        if self.terms is None:
            return instrument.guide_price
        return self.terms.guide_price(instrument, trade.executed_at)

    def code(self, instrument_id: int) -> str:
        """An instrument's code."""
        return self.instruments[instrument_id].code
