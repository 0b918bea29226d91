"""Demo listings and a procurement: one listing in each phase, made by the ordinary use cases.

- announced: Xiangshan lists 5 mu of FO-QTY, reviewed qualification; Yinzhou waits for review;
- bidding: Huangtu lists 4 mu, Xinwu and Liangxi are bidding, the close is tomorrow;
- closed: Yixing listed 3 mu with a ceiling two days ago; Xinwu and Liangxi both accepted it
  and the lottery chose one (its seed is published; its settlement awaits payment);
- failed: Yixing listed 10 mu of paddy area three days ago; nobody bid;
- a procurement: Liangxi wants 5 mu of FO-QTY; Huangtu offers from its lot.
Past phases are replayed with `listings.replaying`, so their times are true to the story.
"""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import listings
from models import Lot, User
from models.base import utcnow


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def _lot(owner: str, instrument: str) -> str:
    lots = db.session.scalars(select(Lot).where(
        Lot.owner_account_id == _user(owner).account_id).order_by(Lot.id))
    return next(lot.serial for lot in lots if lot.instrument.code == instrument)


def _terms(start, opens, closes, **extra) -> dict:
    return {"start_price": Decimal(start), "announce_until": opens, "bidding_opens_at": opens,
            "bidding_closes_at": closes, "extension_minutes": 5, "qualification": "open",
            **extra}


def _listing(owner: str, instrument: str, quantity: str, terms: dict):
    user = _user(owner)
    return listings.create_listing(user, user.account, {
        "lot_serial": _lot(owner, instrument), "quantity": Decimal(quantity),
        "increment": Decimal("1000.00"), "bid_deposit": Decimal("50000.00"), **terms})


def _register(auction, names, kind="listing", lot=None) -> None:
    for name in names:
        user = _user(name)
        listings.register(user, user.account, kind, auction.id, lot)


def _bid(auction, name: str, price: str, at, kind="listing") -> None:
    user = _user(name)
    with listings.replaying(at):
        listings.place_bid(user, user.account, kind, auction.id, Decimal(price))


def load_listings() -> None:
    """Create the demo's listings and procurement (the rest of the demo must exist)."""
    now = utcnow().replace(second=0, microsecond=0)
    day = timedelta(days=1)

    announced = _listing("xiangshan", "FO-QTY", "5", _terms(
        "300000.00", now + 2 * day, now + 2 * day + timedelta(hours=2),
        qualification="review", ceiling_price=Decimal("330000.00")))
    _register(announced, ["yinzhou"])

    with listings.replaying(now - timedelta(hours=3)):
        bidding = _listing("huangtu", "FO-QTY", "4", _terms(
            "295000.00", now - timedelta(hours=1), now + day))
        _register(bidding, ["xinwu", "liangxi"])
    _bid(bidding, "xinwu", "295000.00", now - timedelta(minutes=40))
    _bid(bidding, "liangxi", "297000.00", now - timedelta(minutes=20))

    opened = now - 2 * day
    with listings.replaying(opened - day):
        closed = _listing("yixing", "FO-QTY", "3", _terms(
            "300000.00", opened, opened + timedelta(hours=1),
            ceiling_price=Decimal("310000.00")))
        _register(closed, ["xinwu", "liangxi"])
    _bid(closed, "xinwu", "305000.00", opened + timedelta(minutes=3))
    _bid(closed, "liangxi", "310000.00", opened + timedelta(minutes=6))
    _bid(closed, "xinwu", "310000.00", opened + timedelta(minutes=8))

    with listings.replaying(now - 4 * day):
        failed = _listing("yixing", "FO-PADDY", "10", _terms(
            "200000.00", now - 3 * day, now - 3 * day + timedelta(hours=1)))
    # The close job's work on the past listings, as the scheduler did it a minute after each.
    for auction in (failed, closed):
        listings.close_auction(auction.id, auction.closes_at + timedelta(minutes=1))

    with listings.replaying(now - timedelta(hours=2)):
        liangxi = _user("liangxi")
        demand = listings.create_procurement(liangxi, liangxi.account, {
            **_terms("300000.00", now - timedelta(hours=1), now + day),
            "instrument": "FO-QTY", "quantity": Decimal("5"), "max_quality_grade": 6,
            "floor_price": Decimal("260000.00"), "decrement": Decimal("1000.00"),
            "bid_deposit": Decimal("20000.00")})
        _register(demand, ["huangtu"], "procurement", _lot("huangtu", "FO-QTY"))
    _bid(demand, "huangtu", "298000.00", now - timedelta(minutes=30), "procurement")
