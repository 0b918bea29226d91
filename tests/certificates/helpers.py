"""Certificates of a scenario: a verified lot, a completed sale, a retirement."""

from sqlalchemy import select

from market.extensions import db
from models import Certificate, Lot
from tests.surveillance.helpers import settlement_of, trade


def certificate(kind: str, **where) -> Certificate:
    """The one certificate of this kind (and subject, if given)."""
    db.session.expire_all()
    query = select(Certificate).where(Certificate.kind == kind)
    for name, value in where.items():
        query = query.where(getattr(Certificate, name) == value)
    [found] = db.session.scalars(query).all()
    return found


def lot_id(serial: str) -> int:
    return db.session.scalar(select(Lot.id).where(Lot.serial == serial))


def completed_sale(world, quantity="10", price="300000.00"):
    """A seller's verified lot, sold to a buyer who pays in full: (seller, buyer, serial,
    settlement)."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="100000000")
    serial = world.lot(seller, quantity="50", grade=4)
    fill = trade(seller, buyer, serial, price, quantity)
    settlement = settlement_of(fill["id"])
    paid = buyer.post(f"/api/v1/settlements/{settlement.id}/pay")
    assert paid.status_code == 200, paid.json
    db.session.expire_all()
    return seller, buyer, serial, settlement_of(fill["id"])
