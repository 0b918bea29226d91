"""The history of instrument terms: every change writes the terms now in force.

Reports and surveillance judge a trade by the guide price, floor and band in force when it
was made, not by today's. Rows are only ever added; the row in force at `t` is the latest
whose `valid_from` is at or before `t`. Revision 0014 seeded each instrument of the time with
its terms as then in force, valid since records began.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError
from market.extensions import db
from models import HISTORY_TERMS, Instrument, InstrumentTerms, User
from models.base import utcnow


def record_terms(instrument: Instrument, actor: User | None,
                 at: datetime | None = None) -> InstrumentTerms:
    """Add the instrument's current terms to its history, in force from `at` (now)."""
    row = InstrumentTerms(instrument_id=instrument.id, valid_from=at or utcnow(),
                          changed_by_user_id=actor.id if actor else None,
                          **{name: getattr(instrument, name) for name in HISTORY_TERMS})
    db.session.add(row)
    return row


def terms_history(instrument: Instrument) -> list[InstrumentTerms]:
    """Every set of terms the instrument has had, oldest first."""
    return list(db.session.scalars(
        select(InstrumentTerms).where(InstrumentTerms.instrument_id == instrument.id)
        .order_by(InstrumentTerms.valid_from, InstrumentTerms.id)))


def terms_at(instrument: Instrument, at: datetime) -> InstrumentTerms:
    """The terms in force at `at`, or a 404 before the instrument had any."""
    row = db.session.scalar(
        select(InstrumentTerms).where(InstrumentTerms.instrument_id == instrument.id,
                                      InstrumentTerms.valid_from <= at)
        .order_by(InstrumentTerms.valid_from.desc(), InstrumentTerms.id.desc()).limit(1))
    if row is None:
        raise DomainError("not_found", lazy_gettext(
            "%(code)s had no terms in force at %(at)s", code=instrument.code,
            at=at.isoformat()), {"at": [lazy_gettext("before the instrument's first terms")]},
            status=404)
    return row


class TermsBook:
    """Every instrument's terms history in memory, for reading many trades at once."""

    def __init__(self):
        self._rows: dict[int, list[InstrumentTerms]] = defaultdict(list)
        for row in db.session.scalars(select(InstrumentTerms).order_by(
                InstrumentTerms.valid_from, InstrumentTerms.id)):
            self._rows[row.instrument_id].append(row)
        self._starts = {key: [row.valid_from for row in rows]
                        for key, rows in self._rows.items()}

    def at(self, instrument: Instrument, when: datetime):
        """The terms in force at `when`; the instrument's own (current) terms when its
        history says nothing that early."""
        starts = self._starts.get(instrument.id, [])
        index = bisect_right(starts, when)
        return self._rows[instrument.id][index - 1] if index else instrument

    def guide_price(self, instrument: Instrument, when: datetime):
        """The guide price in force at `when` (None: no guide)."""
        return self.at(instrument, when).guide_price


def _view(code: str, row: InstrumentTerms, valid_until: datetime | None) -> dict:
    return {"instrument": code, "valid_from": row.valid_from, "valid_until": valid_until,
            **{name: getattr(row, name) for name in HISTORY_TERMS}}


def history_view(instrument: Instrument) -> list[dict]:
    """The history as the API shows it: each set of terms with the span it was in force."""
    rows = terms_history(instrument)
    ends = [row.valid_from for row in rows[1:]] + [None]
    return [_view(instrument.code, row, end) for row, end in zip(rows, ends, strict=True)]


def terms_view(instrument: Instrument, at: datetime | None) -> dict:
    """The terms in force at `at` (now), with when they began and (if so) ended."""
    at = at or utcnow()
    row = terms_at(instrument, at)
    following = db.session.scalar(
        select(InstrumentTerms.valid_from).where(InstrumentTerms.instrument_id == instrument.id,
                                                 InstrumentTerms.valid_from > row.valid_from)
        .order_by(InstrumentTerms.valid_from).limit(1))
    return _view(instrument.code, row, following)
