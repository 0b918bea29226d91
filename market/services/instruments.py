"""The instrument catalogue and the regulator's changes to its terms."""

from sqlalchemy import select

from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit
from models import Instrument, User


def list_instruments() -> list[Instrument]:
    """The whole catalogue."""
    return list(db.session.scalars(select(Instrument).order_by(Instrument.id)))


def by_code(code: str) -> Instrument:
    """The instrument, or 404."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
    if instrument is None:
        raise NotFound("instrument", code)
    return instrument


def by_code_for_input(code: str, field: str = "instrument") -> Instrument:
    """The instrument named in a request body, or a 422 naming the field."""
    instrument = db.session.scalar(select(Instrument).where(Instrument.code == code))
    if instrument is None:
        raise InvalidInput(field, f"unknown instrument {code!r}", code="unknown_instrument")
    return instrument


def update_terms(actor: User, code: str, changes: dict) -> Instrument:
    """Change trading terms; the audit row keeps each field's old and new value."""
    instrument = by_code(code)
    floor = changes.get("floor_price", instrument.floor_price)
    guide = changes.get("guide_price", instrument.guide_price)
    if floor is not None and guide is not None and floor > guide:
        raise InvalidInput("floor_price", f"floor {floor} is above the guide price {guide}")
    diff = {}
    for field, value in changes.items():
        old = getattr(instrument, field)
        if old != value:
            diff[field] = {"old": old, "new": value}
            setattr(instrument, field, value)
    if not diff:
        raise DomainError("no_change", "the request changes nothing", status=422)
    audit.record(actor, "instrument.update", "instrument", code, diff)
    db.session.commit()
    return instrument


def set_status(actor: User, code: str, status: str, reason: str) -> Instrument:
    """Halt or resume trading in an instrument."""
    instrument = by_code(code)
    if instrument.status == status:
        raise DomainError("no_change", f"{code} is already {status}")
    if instrument.status == "closed":
        raise DomainError("instrument_closed", f"{code} is closed for good")
    old = instrument.status
    instrument.status = status
    instrument.status_reason = reason
    audit.record(actor, "instrument.halt" if status == "halted" else "instrument.resume",
                 "instrument", code, {"old": old, "new": status, "reason": reason})
    db.session.commit()
    return instrument
