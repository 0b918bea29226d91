"""What a negotiated transfer must respect: the instrument's terms and the lot's scope.

The terms are the book's (tick, lot size, floor, the band around the guide price), checked by
the matching core's own grid, so a negotiated price is valid exactly when an order at that
price would be.

Scope (seed 002 §4(四), matching/eligibility.py): inside the seller's province a transfer
follows the lot's windows exactly as the book does: its county first, then its city, then the
province where the instrument allows it. The book never crosses a province; a negotiated
transfer is THE way across (跨省域调剂), so it lifts only the province line, and only for a lot
that has left its local-first windows and whose instrument may trade beyond its city: surplus
still serves its own county and city first, and an indicator that may not leave its city may
not leave its province either. Both provinces' regulators then approve.
"""

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext

from market.errors import DomainError
from market.services import trading
from market.services.catalogue import DistrictTree
from market.vocabulary import INSTRUMENT_STATUS, word
from matching import can_trade, scope_at
from matching.validation import Grid
from models import Account, Instrument, Lot

TERM_ERRORS = {
    "bad_tick": ("price", lazy_gettext("is not a multiple of the tick size")),
    "outside_band": ("price", lazy_gettext("is outside the price band around the guide price")),
    "below_floor": ("price", lazy_gettext("is below the floor price")),
    "non_positive_price": ("price", lazy_gettext("must be greater than zero")),
    "bad_lot": ("quantity", lazy_gettext("is not a multiple of the lot size")),
    "non_positive_quantity": ("quantity", lazy_gettext("must be greater than zero")),
}


def check_terms(instrument: Instrument, price: Decimal, quantity: Decimal) -> None:
    """Refuse (422) a price off the tick, below the floor or outside the band, or a quantity
    off the lot size."""
    grid = Grid(trading.spec_for(instrument))
    for code in (grid.price_ticks(price), grid.quantity_lots(quantity)):
        if isinstance(code, str):
            field, message = TERM_ERRORS[code]
            raise DomainError(code, lazy_gettext("%(field)s %(message)s", field=field,
                                                 message=message), {field: [message]},
                              status=422)


def check_open(instrument: Instrument, *accounts: Account) -> None:
    """Refuse while the instrument is halted or a party's account is frozen."""
    if instrument.status != "open":
        raise DomainError("instrument_halted", lazy_gettext(
            "%(code)s is %(status)s: %(reason)s", code=instrument.code,
            status=word(INSTRUMENT_STATUS, instrument.status), reason=instrument.status_reason))
    for account in accounts:
        if account.frozen:
            raise DomainError("account_frozen", lazy_gettext(
                "account %(name)s is frozen and cannot trade", name=account.name))


def province_of(district_id: int) -> str | None:
    """The code of the province a district lies in."""
    return DistrictTree().codes_by_level(district_id).get("province")


def crosses_provinces(lot: Lot, seller: Account, buyer: Account) -> bool:
    """Whether the indicator changes province: the seller, the lot's origin and the buyer do
    not all lie in one."""
    return len({province_of(seller.district_id), province_of(lot.origin_district_id),
                province_of(buyer.district_id)}) > 1


def check_scope(lot: Lot, buyer: Account, cross_province: bool, now: datetime) -> None:
    """Refuse (409 out_of_scope) a buyer the lot's scope windows do not reach now."""
    instrument = lot.instrument
    eligibility = trading.lot_eligibility(lot, instrument)
    allowed = instrument.cross_city_allowed
    stage = scope_at(eligibility, now, allowed)
    if cross_province:
        if stage == "province":
            return
    elif can_trade(trading.buyer_eligibility(buyer, None), eligibility, now, allowed):
        return
    if stage == "county":
        message = lazy_gettext("%(serial)s may go only to its own county until %(until)s",
                               serial=lot.serial, until=eligibility.local_until.date())
    elif stage == "city" and eligibility.city_until is not None:
        message = lazy_gettext("%(serial)s may go only to its own city until %(until)s",
                               serial=lot.serial, until=eligibility.city_until.date())
    elif stage == "city":
        message = lazy_gettext("%(code)s may not leave its city", code=instrument.code)
    else:
        message = lazy_gettext("%(serial)s may not leave its province", serial=lot.serial)
    raise DomainError("out_of_scope", message, {"buyer_account_id": [message]})
