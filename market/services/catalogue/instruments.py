"""The instrument catalogue and the regulator's changes to its terms."""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, InvalidInput
from market.extensions import db
from market.services import audit
from market.services.catalogue.terms import record_terms
from market.services.transaction import use_case
from market.vocabulary import INSTRUMENT_STATUS, word
from models import Instrument, Order, User


def list_instruments() -> list[Instrument]:
    """The whole catalogue."""
    return list(db.session.scalars(select(Instrument).order_by(Instrument.id)))


def _find(code: str, lock: bool) -> Instrument | None:
    query = select(Instrument).where(Instrument.code == code)
    if lock:
        # The matching lock (see locks.py): serializes writers, lets foreign keys check.
        query = query.with_for_update(of=Instrument, key_share=True) \
            .execution_options(populate_existing=True)
    return db.session.scalar(query)


def instrument_by_code(code: str) -> Instrument:
    """The instrument a path names, or a 404 that names the field."""
    instrument = _find(code, lock=False)
    if instrument is None:
        raise DomainError("not_found", lazy_gettext("instrument %(code)s not found",
                                                    code=str(code)),
                          {"instrument": [lazy_gettext("unknown instrument %(code)s",
                                                       code=repr(code))]}, status=404)
    return instrument


def instrument_for_input(code: str, field: str = "instrument", lock: bool = False) -> Instrument:
    """The instrument a request body or query names (locked if asked), or a 422 naming it."""
    instrument = _find(code, lock)
    if instrument is None:
        raise InvalidInput(field, lazy_gettext("unknown instrument %(code)s", code=repr(code)),
                           code="unknown_instrument")
    return instrument


def lock_instrument_by_code(code: str, field: str = "instrument") -> Instrument:
    """Take the matching lock of the instrument a request names; a 422 if there is none."""
    return instrument_for_input(code, field, lock=True)


@use_case
def update_terms(actor: User, code: str, changes: dict) -> Instrument:
    """Change trading terms; the audit row keeps each field's old and new value."""
    instrument = instrument_by_code(code)
    _check_terms(instrument, changes)
    diff = {}
    for field, value in changes.items():
        old = getattr(instrument, field)
        if old != value:
            diff[field] = {"old": old, "new": value}
            setattr(instrument, field, value)
    if not diff:
        raise DomainError("no_change", lazy_gettext("the request changes nothing"), status=422)
    record_terms(instrument, actor)
    audit.record(actor, "instrument.update", "instrument", code, diff)
    return instrument


@use_case
def create_instrument(actor: User, data: dict) -> Instrument:
    """Add an instrument to the catalogue, every term checked as a change would be; audited."""
    if _find(data["code"], lock=False) is not None:
        raise DomainError("instrument_exists", lazy_gettext(
            "instrument %(code)s already exists", code=data["code"]),
            {"code": [lazy_gettext("already taken")]})
    instrument = Instrument(**{"status": "open", "forfeit_to": "seller",
                               "local_first_days": 0, "city_first_days": 0,
                               "cross_city_allowed": False, "next_priority": 1, **data})
    _check_terms(instrument, data)
    if instrument.trading_mode == "call_auction" and not instrument.auction_times:
        raise InvalidInput("auction_times",
                           lazy_gettext("a call-auction instrument needs its auction times"))
    db.session.add(instrument)
    db.session.flush()
    record_terms(instrument, actor)
    audit.record(actor, "instrument.create", "instrument", instrument.code,
                 {name: getattr(instrument, name) for name in sorted(data)})
    return instrument


def _check_terms(instrument: Instrument, changes: dict) -> None:
    """Refuse terms that contradict each other or the orders already in the book."""
    def term(name):
        return changes.get(name, getattr(instrument, name))

    if term("floor_price") is not None and term("guide_price") is not None \
            and term("floor_price") > term("guide_price"):
        raise InvalidInput("floor_price",
                           lazy_gettext("floor %(floor)s is above the guide price %(guide)s",
                                        floor=term("floor_price"), guide=term("guide_price")))
    if term("local_first_days") > 3650 or term("city_first_days") > 3650:
        raise InvalidInput("local_first_days" if term("local_first_days") > 3650
                           else "city_first_days", lazy_gettext("at most 3650 days"))
    step = term("tick_size") * term("lot_size")
    if step != step.quantize(Decimal("0.01")):
        # Every trade amount must be a whole number of fen.
        raise InvalidInput("tick_size",
                           lazy_gettext("tick size × lot size must be a whole number of fen"))
    if term("settlement_days") == 0 and term("deposit_ratio") != 1:
        raise InvalidInput("settlement_days",
                           lazy_gettext("a zero-day window settles at the match, so it needs "
                                        "a 100 % deposit"))
    grid_changes = {"tick_size", "lot_size", "trading_mode"} & changes.keys()
    if grid_changes and instrument.id is not None and db.session.scalar(select(Order.id).where(
            Order.instrument_id == instrument.id, Order.status == "open").limit(1)):
        raise DomainError("open_orders_exist",
                          lazy_gettext("%(terms)s cannot change while orders rest in the book; "
                                       "halt the instrument and cancel them first",
                                       terms=", ".join(sorted(grid_changes))))


@use_case
def set_instrument_status(actor: User, code: str, status: str, reason: str) -> Instrument:
    """Halt or resume trading in an instrument."""
    instrument = instrument_by_code(code)
    if instrument.status == status:
        raise DomainError("already_in_state", lazy_gettext(
            "%(code)s is already %(status)s", code=code,
            status=word(INSTRUMENT_STATUS, status)))
    if instrument.status == "closed":
        raise DomainError("instrument_closed", lazy_gettext("%(code)s is closed for good",
                                                             code=code))
    old = instrument.status
    instrument.status = status
    instrument.status_reason = reason
    audit.record(actor, "instrument.halt" if status == "halted" else "instrument.resume",
                 "instrument", code, {"old": old, "new": status, "reason": reason})
    return instrument
