"""The one converter between order rows and the matching engine's values (for `engine.py`).

Matching loads only what it needs: the open orders on the other side that can cross a
price, or the single order being changed, never the whole book (auctions excepted).
"""

from datetime import timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import lazyload, selectinload

from market.extensions import db
from market.services.catalogue import DistrictTree
from matching import (
    BookSpec,
    BuyerEligibility,
    LotEligibility,
    Mode,
    OrderBook,
    RestingOrder,
    Side,
    TimeInForce,
)
from models import Account, Instrument, Lot, Order


def spec_for(instrument: Instrument) -> BookSpec:
    """The engine's view of an instrument's terms."""
    return BookSpec(
        instrument=instrument.code, tick_size=instrument.tick_size,
        lot_size=instrument.lot_size, reference_price=instrument.guide_price,
        band_pct=instrument.price_band, floor_price=instrument.floor_price,
        mode=Mode(instrument.trading_mode), province_wide_allowed=instrument.cross_city_allowed,
    )


@lru_cache(maxsize=4096)
def _chain(district_id: int) -> tuple[str | None, str | None, str | None]:
    # Districts are reference data that never change while the app runs.
    codes = DistrictTree().codes_by_level(district_id)
    return codes.get("county"), codes.get("city"), codes.get("province")


def buyer_eligibility(account: Account, max_quality_grade: int | None) -> BuyerEligibility:
    """Where a buyer sits, and the worst grade it accepts (占优补优)."""
    county, city, province = _chain(account.district_id)
    return BuyerEligibility(county, city, province, max_quality_grade)


def lot_eligibility(lot: Lot, instrument: Instrument) -> LotEligibility:
    """Where a lot may go and when: its county first, then its city, then the province."""
    county, city, province = _chain(lot.origin_district_id)
    local_until = city_until = None
    start = lot.verified_at
    if start is not None and instrument.local_first_days:
        local_until = start + timedelta(days=instrument.local_first_days)
    if start is not None and instrument.city_first_days:
        city_until = (local_until or start) + timedelta(days=instrument.city_first_days)
    return LotEligibility(county, city, province, lot.quality_grade, local_until, city_until,
                          province_wide=instrument.cross_city_allowed)


def eligibility_of(order: Order, instrument: Instrument):
    """The eligibility an order brings to the book."""
    if order.side == "buy":
        return buyer_eligibility(order.account, order.max_quality_grade)
    return lot_eligibility(order.lot, instrument)


def resting(order: Order, instrument: Instrument) -> RestingOrder:
    """An open order row as the engine holds it."""
    return RestingOrder(
        order_id=order.id, account_id=order.account_id, side=Side(order.side),
        price=order.price, quantity=order.filled + order.remaining, remaining=order.remaining,
        tif=TimeInForce(order.tif), priority=order.priority, expires_at=order.expires_at,
        eligibility=eligibility_of(order, instrument),
    )


# Resting orders need only their own columns plus the buyer's account (its district) or the
# sell's lot (origin, grade, verification): two batched loads instead of joining accounts,
# districts and instruments into every row or loading each lot on its own.
_BOOK_LOADING = (
    lazyload(Order.instrument),
    selectinload(Order.account).lazyload("*"),
    selectinload(Order.lot).lazyload("*"),
)


def crossing_orders(instrument: Instrument, side: str, price) -> list[Order]:
    """Open orders on the other side of `side` that a `price` limit could trade with."""
    other = "sell" if side == "buy" else "buy"
    query = select(Order).where(Order.instrument_id == instrument.id, Order.side == other,
                                Order.status == "open")
    query = query.where(Order.price <= price) if side == "buy" else query.where(
        Order.price >= price)
    return list(db.session.scalars(query.order_by(Order.priority).options(*_BOOK_LOADING)))


def all_open_orders(instrument: Instrument) -> list[Order]:
    """The whole book: for call auctions, which clear everything at once."""
    return list(db.session.scalars(
        select(Order).where(Order.instrument_id == instrument.id, Order.status == "open")
        .order_by(Order.priority).options(*_BOOK_LOADING)))


def book_with(instrument: Instrument, orders: list[Order]) -> OrderBook:
    """A book holding just these open orders, numbering new arrivals after every order."""
    return OrderBook.restore(spec_for(instrument), [resting(order, instrument) for order in orders],
                             next_priority=instrument.next_priority)
