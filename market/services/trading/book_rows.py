"""The one converter between order rows and the matching engine's values (for `engine.py`).

Matching loads only what it needs: the open orders on the other side that can cross a
price, or the single order being changed, never the whole book (auctions excepted).
"""

from datetime import UTC, timedelta
from functools import lru_cache

from sqlalchemy import Numeric, select, type_coerce
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


def whole_book(instrument: Instrument) -> OrderBook:
    """The instrument's whole book straight from the rows: how the order writer rebuilds.

    A deep book is read as plain tuples (no ORM objects: a hundred thousand of them would
    cost seconds and hundreds of MB; PostgreSQL's numerics arrive as Decimals already), and
    each account's or lot's eligibility is built once and shared by all its orders. Orders
    still without a priority are being submitted right now, in this very transaction, and are
    not in the book yet.
    """
    def exact(column):
        return type_coerce(column, Numeric(asdecimal=True))

    rows = db.session.execute(
        select(Order.id, Order.account_id, Order.side, exact(Order.price), exact(Order.filled),
               exact(Order.remaining), Order.tif, Order.priority, Order.expires_at,
               Order.lot_id, Order.max_quality_grade)
        .where(Order.instrument_id == instrument.id, Order.status == "open",
               Order.priority.is_not(None))).tuples().all()
    accounts = {row[1] for row in rows if row[2] == "buy"}
    lots = {row[9] for row in rows if row[2] == "sell"}
    buyers = dict(db.session.execute(select(Account.id, Account.district_id)
                                     .where(Account.id.in_(accounts))).tuples().all()) \
        if accounts else {}
    sellers = {lot.id: lot_eligibility(lot, instrument) for lot in db.session.scalars(
        select(Lot).where(Lot.id.in_(lots)).options(lazyload("*")))} if lots else {}
    buyer_eligibilities: dict = {}
    resting_orders = []
    for (order_id, account_id, side, price, filled, remaining, tif, priority, expires_at,
         lot_id, max_grade) in rows:
        if side == "buy":
            eligibility = buyer_eligibilities.get((account_id, max_grade))
            if eligibility is None:
                eligibility = buyer_eligibilities[(account_id, max_grade)] = BuyerEligibility(
                    *_chain(buyers[account_id]), max_grade)
        else:
            eligibility = sellers[lot_id]
        resting_orders.append(RestingOrder(
            order_id=order_id, account_id=account_id, side=_SIDES[side], price=price,
            quantity=filled + remaining, remaining=remaining, tif=_TIFS[tif], priority=priority,
            expires_at=expires_at.replace(tzinfo=UTC) if expires_at and not expires_at.tzinfo
            else expires_at, eligibility=eligibility))
    return OrderBook.restore(spec_for(instrument), resting_orders,
                             next_priority=instrument.next_priority)


_SIDES = {side.value: side for side in Side}
_TIFS = {tif.value: tif for tif in TimeInForce}


def book_with(instrument: Instrument, orders: list[Order]) -> OrderBook:
    """A book holding just these open orders, numbering new arrivals after every order."""
    return OrderBook.restore(spec_for(instrument), [resting(order, instrument) for order in orders],
                             next_priority=instrument.next_priority)
