"""An auction's announced terms, checked against its instrument before anything is held."""

from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext

from market.errors import InvalidInput
from market.services.listings.rules import REFUSALS, spec_of
from matching.validation import Grid
from models import Instrument

# Longer than any platform's announcement plus bidding window: a typo, not a plan.
LONGEST = timedelta(days=180)


def check_price(grid: Grid, field: str, price: Decimal) -> None:
    """A price on the instrument's tick grid, inside its band and above its floor."""
    ticks = grid.price_ticks(price)
    if isinstance(ticks, str):
        raise InvalidInput(field, REFUSALS[ticks][1], code=ticks)


def check_quantity(instrument: Instrument, quantity: Decimal) -> None:
    """A quantity in whole lots of the instrument."""
    lots = Grid(spec_of(instrument)).quantity_lots(quantity)
    if isinstance(lots, str):
        raise InvalidInput("quantity", lazy_gettext("is not a multiple of the lot size"),
                           code="bad_lot")


def check_step(instrument: Instrument, field: str, step: Decimal) -> None:
    """An increment or decrement: a positive whole number of ticks."""
    if step <= 0 or step % instrument.tick_size:
        raise InvalidInput(field, lazy_gettext("must be a positive multiple of the tick size"),
                           code="bad_tick")


def check_times(data: dict, now: datetime) -> None:
    """now < announce_until ≤ bidding_opens_at < bidding_closes_at, within half a year."""
    announce, opens, closes = (data["announce_until"], data["bidding_opens_at"],
                               data["bidding_closes_at"])
    if announce <= now:
        raise InvalidInput("announce_until", lazy_gettext("must be in the future"),
                           code="bad_times")
    if opens < announce:
        raise InvalidInput("bidding_opens_at", lazy_gettext(
            "must not be before the announcement ends"), code="bad_times")
    if closes <= opens:
        raise InvalidInput("bidding_closes_at", lazy_gettext(
            "must be after bidding opens"), code="bad_times")
    if closes - now > LONGEST:
        raise InvalidInput("bidding_closes_at", lazy_gettext(
            "must be within 180 days"), code="bad_times")


def check_listing(instrument: Instrument, data: dict, now: datetime) -> None:
    """A listing's start, increment, ceiling, deposit and times."""
    grid = Grid(spec_of(instrument))
    check_quantity(instrument, data["quantity"])
    check_price(grid, "start_price", data["start_price"])
    check_step(instrument, "increment", data["increment"])
    ceiling = data.get("ceiling_price")
    if ceiling is not None:
        check_price(grid, "ceiling_price", ceiling)
        if ceiling < data["start_price"]:
            raise InvalidInput("ceiling_price", lazy_gettext(
                "must not be below the start price"), code="bad_ceiling")
    if data["bid_deposit"] > data["start_price"] * data["quantity"]:
        raise InvalidInput("bid_deposit", lazy_gettext(
            "must not exceed the listing's amount at the start price"), code="bad_deposit")
    check_times(data, now)


def check_procurement(instrument: Instrument, data: dict, now: datetime) -> None:
    """A procurement's start, floor, decrement, grade limit, deposit and times."""
    grid = Grid(spec_of(instrument))
    check_quantity(instrument, data["quantity"])
    check_price(grid, "start_price", data["start_price"])
    check_price(grid, "floor_price", data["floor_price"])
    check_step(instrument, "decrement", data["decrement"])
    if data["floor_price"] > data["start_price"]:
        raise InvalidInput("floor_price", lazy_gettext("must not be above the start price"),
                           code="bad_floor")
    if data.get("max_quality_grade") is not None and not instrument.has_quality_grade:
        raise InvalidInput("max_quality_grade", lazy_gettext(
            "%(code)s carries no quality grade", code=instrument.code))
    if data["bid_deposit"] > data["floor_price"] * data["quantity"]:
        raise InvalidInput("bid_deposit", lazy_gettext(
            "must not exceed the procurement's amount at the floor price"), code="bad_deposit")
    check_times(data, now)
