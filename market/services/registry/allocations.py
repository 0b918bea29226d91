"""Allocations (下达/奖励): a regulator issues new indicators straight to an account.

Seeds 001 §二(六) and 003 §(十七) reward districts that do well with farmland-offset
indicators, and a province allocates planned scale to its cities. An allocated lot is born
verified: its quantity is issued from the system's issuance book like any verification (so
the registry's totals, invariant 3, count it), and from then on it trades like any lot.
"""

from flask_babel import lazy_gettext

from market.calendar import market_day
from market.errors import DomainError, InvalidInput
from market.extensions import db
from market.services import audit, catalogue, identity, ledger
from market.services.transaction import use_case
from models import Lot, User
from models.base import utcnow


@use_case
def allocate_lot(actor: User, data: dict) -> Lot:
    """Issue a verified lot with `source: allocation` to an account in the actor's sight."""
    account = identity.account_visible_to(actor, data["account_id"])
    if account.frozen:
        raise DomainError("account_frozen",
                          lazy_gettext("a frozen account cannot receive indicators"))
    instrument = catalogue.instrument_for_input(data["instrument"])
    if instrument.status == "closed":
        raise DomainError("instrument_closed", lazy_gettext("%(code)s is closed for good",
                                                             code=instrument.code))
    origin = account.district
    if data.get("origin_district_code"):
        origin = catalogue.district_for_input(data["origin_district_code"],
                                              "origin_district_code")
        if not catalogue.DistrictTree().within(origin.id, account.district_id):
            raise InvalidInput("origin_district_code", lazy_gettext(
                "%(origin)s is outside the account's district %(district)s",
                origin=origin.name, district=account.district.name),
                code="origin_outside_district")
    grade = data.get("quality_grade")
    if instrument.has_quality_grade and grade is None:
        raise InvalidInput("quality_grade",
                           lazy_gettext("farmland indicators need a quality grade 1–15"))
    if not instrument.has_quality_grade and grade is not None:
        raise InvalidInput("quality_grade", lazy_gettext("%(code)s carries no quality grade",
                                                         code=instrument.code))
    today = market_day()
    if data.get("expires_on") and data["expires_on"] <= today:
        raise InvalidInput("expires_on", lazy_gettext("expiry must come after acceptance"))
    lot = Lot(
        instrument=instrument, owner=account, origin_district=origin,
        project_name=data.get("project_name") or data["reason"][:200],
        project_code=data.get("project_code") or data["document_number"],
        accepted_on=today, vintage_year=data.get("vintage_year") or today.year,
        expires_on=data.get("expires_on"), quality_grade=grade, quantity=data["quantity"],
        status="active", verified_at=utcnow(), source="allocation",
        allocation_reason=data["reason"], document_number=data["document_number"],
    )
    db.session.add(lot)
    db.session.flush()
    lot.assign_serial()
    ledger.post("issue", f"allocate {lot.serial} under {data['document_number']}",
                [ledger.Move(instrument.code, ledger.ISSUANCE, ledger.lot(lot.id, "available"),
                             lot.quantity)], actor=actor, reference=lot.serial)
    audit.record(actor, "lot.allocate", "lot", lot.serial,
                 {"quantity": lot.quantity, "instrument": instrument.code,
                  "account_id": account.id, "reason": data["reason"],
                  "document_number": data["document_number"]})
    return lot
