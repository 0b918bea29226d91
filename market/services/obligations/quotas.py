"""Obligations (限额): a regulator sets them on a district; the district's traders surrender.

An obligation names one instrument (`"ECO-CARBON"`) or a kind (`"eco_product"`: any
instrument of that kind; codes are upper-case, kinds lower-case, so one field takes both).
A trader whose account sits in the obligation's district (or below it: a town counts toward
its county) surrenders quantity from its own active lots: the quantity is retired against the
obligation in the same ledger transaction (`registry.retire_quantity`), so "surrendered" is
the sum of the retirements that name it and is never stored twice.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import force_locale, gettext, lazy_gettext
from sqlalchemy import func, select

from market.calendar import market_day
from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, catalogue, identity, registry
from market.services.catalogue import lock_lot
from market.services.transaction import use_case
from models import INSTRUMENT_KINDS, Account, Obligation, Retirement, User

ZERO = Decimal("0.0000")


@dataclass(frozen=True)
class ObligationView:
    """An obligation with what has been surrendered against it and what is still missing."""

    obligation: Obligation
    surrendered: Decimal

    def __getattr__(self, name):
        return getattr(self.obligation, name)

    @property
    def shortfall(self) -> Decimal:
        """What is still to surrender (never negative)."""
        return max(self.obligation.quantity - self.surrendered, ZERO)

    @property
    def district_code(self) -> str:
        return self.obligation.district.code

    @property
    def district_name(self) -> str:
        return self.obligation.district.name

    @property
    def instrument_code(self) -> str | None:
        return self.obligation.instrument.code if self.obligation.instrument else None


def surrendered_by(obligation_ids: list[int]) -> dict[int, Decimal]:
    """The quantity surrendered against each obligation."""
    if not obligation_ids:
        return {}
    return dict(db.session.execute(
        select(Retirement.obligation_id, func.sum(Retirement.quantity))
        .where(Retirement.obligation_id.in_(obligation_ids))
        .group_by(Retirement.obligation_id)).all())


def views(obligations: list[Obligation]) -> list[ObligationView]:
    """The obligations with their surrendered quantities, read in one query."""
    done = surrendered_by([o.id for o in obligations])
    return [ObligationView(o, done.get(o.id) or ZERO) for o in obligations]


def _target(text: str) -> tuple[int | None, str]:
    """(instrument id or None, kind) for an instrument code or a kind."""
    if text in INSTRUMENT_KINDS:
        return None, text
    instrument = catalogue.instrument_for_input(text)
    return instrument.id, instrument.kind


@use_case
def create_obligation(actor: User, data: dict, today: date | None = None) -> ObligationView:
    """Set a quota on a district in the regulator's jurisdiction (audited).

    `today` is the market day the rule "the period has not ended yet" is judged on; only the
    demo loader, which builds a past, passes another.
    """
    district = catalogue.district_for_input(data["district_code"])
    if not identity.jurisdiction_of(actor).covers(district.id):
        raise InvalidInput("district_code", lazy_gettext(
            "%(code)s is outside your jurisdiction", code=district.code),
            code="outside_jurisdiction")
    instrument_id, kind = _target(data["instrument"])
    if data["period_end"] < data["period_start"]:
        raise InvalidInput("period_end", lazy_gettext("the period ends before it starts"),
                           code="bad_period")
    if data["period_end"] < (today or market_day()):
        raise InvalidInput("period_end", lazy_gettext("the period has ended already"),
                           code="period_closed")
    obligation = Obligation(district_id=district.id, instrument_id=instrument_id, kind=kind,
                            quantity=data["quantity"], period_start=data["period_start"],
                            period_end=data["period_end"], status="open",
                            created_by_user_id=actor.id)
    db.session.add(obligation)
    db.session.flush()
    audit.record(actor, "obligation.create", "obligation", obligation.id,
                 {"district": district.code, "instrument": data["instrument"],
                  "quantity": obligation.quantity, "period_start": obligation.period_start,
                  "period_end": obligation.period_end})
    return ObligationView(obligation, ZERO)


def _visible(actor: User):
    """An SQL condition: obligations the actor may see."""
    if actor.role == "trader":
        account = db.session.get(Account, actor.account_id)
        chain = [node.id for node in catalogue.DistrictTree().ancestors(account.district_id)]
        return Obligation.district_id.in_(chain)
    return identity.jurisdiction_of(actor).where(Obligation.district_id)


def list_obligations(actor: User, filters: dict | None = None) -> list[ObligationView]:
    """Obligations in sight: a regulator's jurisdiction, a trader's own district (and the
    districts above it), newest period first."""
    filters = filters or {}
    query = select(Obligation).where(_visible(actor))
    if filters.get("status"):
        query = query.where(Obligation.status == filters["status"])
    if filters.get("district_code"):
        district = catalogue.district_for_input(filters["district_code"])
        query = query.where(Obligation.district_id.in_(
            catalogue.DistrictTree().descendants(district.id)))
    query = query.order_by(Obligation.period_end.desc(), Obligation.id.desc()) \
        .limit(filters.get("limit", 100)).offset(filters.get("offset", 0))
    return views(list(db.session.scalars(query)))


def get_obligation(actor: User, obligation_id: int) -> ObligationView:
    """One obligation in sight, or 404."""
    obligation = db.session.scalar(select(Obligation).where(
        Obligation.id == obligation_id, _visible(actor)))
    if obligation is None:
        raise NotFound("obligation", obligation_id)
    return views([obligation])[0]


def surrenders_of(obligation_id: int) -> list[Retirement]:
    """The retirements that count against an obligation, oldest first."""
    return list(db.session.scalars(select(Retirement).where(
        Retirement.obligation_id == obligation_id).order_by(Retirement.id)))


def _lock(actor: User, obligation_id: int) -> Obligation:
    # Serializes surrenders against one obligation, so two cannot both fill the last of it.
    obligation = db.session.scalar(
        select(Obligation).where(Obligation.id == obligation_id, _visible(actor))
        .with_for_update(of=Obligation).execution_options(populate_existing=True))
    if obligation is None:
        raise NotFound("obligation", obligation_id)
    return obligation


@use_case
def surrender(actor: User, obligation_id: int, data: dict,
              now: datetime | None = None) -> Retirement:
    """Retire quantity of one of the trader's own active lots against the obligation."""
    obligation = _lock(actor, obligation_id)
    account = db.session.get(Account, actor.account_id)
    today = market_day(now)
    if obligation.status != "open" or today > obligation.period_end:
        raise DomainError("period_closed", lazy_gettext(
            "obligation %(id)s closed on %(day)s", id=obligation.id, day=obligation.period_end))
    if today < obligation.period_start:
        raise DomainError("period_not_started", lazy_gettext(
            "obligation %(id)s opens on %(day)s", id=obligation.id,
            day=obligation.period_start))
    lot = lock_lot(data["lot_serial"])
    if lot.owner_account_id != account.id:
        raise NotFound("lot", data["lot_serial"])
    if (obligation.instrument_id is not None and lot.instrument_id != obligation.instrument_id) \
            or lot.instrument.kind != obligation.kind:
        raise InvalidInput("lot_serial", lazy_gettext(
            "%(serial)s is %(code)s, which does not count toward this obligation (%(target)s)",
            serial=lot.serial, code=lot.instrument.code, target=obligation.target),
            code="wrong_instrument")
    outstanding = obligation.quantity - (surrendered_by([obligation.id]).get(obligation.id)
                                         or ZERO)
    if data["quantity"] > outstanding:
        raise DomainError("exceeds_obligation", lazy_gettext(
            "only %(outstanding)s is still to surrender", outstanding=outstanding),
            {"quantity": [lazy_gettext("exceeds what is still to surrender")]})
    # The retirement's record is Chinese whoever asked (it is data, not a message).
    with force_locale("zh"):
        use = gettext("Obligation of %(district)s %(start)s–%(end)s",
                      district=obligation.district.name, start=obligation.period_start,
                      end=obligation.period_end)
    return registry.retire_quantity(actor, account, lot, {
        "quantity": data["quantity"], "obligation_id": obligation.id,
        "project_name": use[:200],
        "project_code": f"OBLIGATION-{obligation.id}",
        "obligation": f"obligation {obligation.id}"})
