"""A cast and a controllable clock for listing and procurement tests."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from market.extensions import db
from market.services import identity
from market.services.listings import clock as listing_clock
from models import Account, Lot
from models.base import utcnow

T0 = utcnow().replace(microsecond=0) + timedelta(days=1)


class Clock:
    """The listings' notion of now, moved by the test."""

    def __init__(self):
        self.now = T0

    def at(self, minutes: float):
        """Set now to T0 + minutes."""
        self.now = T0 + timedelta(minutes=minutes)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Now is T0 until the test moves it."""
    fake = Clock()
    monkeypatch.setattr(listing_clock, "now", lambda: fake.now)
    return fake


def iso(minutes: float) -> str:
    """T0 + minutes, as the API takes times."""
    return (T0 + timedelta(minutes=minutes)).isoformat()


def listing_body(serial, **changes):
    """A listing of 2 mu of FO-QTY: announced for an hour, bidding for the next."""
    body = {"lot_serial": serial, "quantity": "2", "start_price": "300000.00",
            "increment": "1000.00", "bid_deposit": "60000.00", "announce_until": iso(60),
            "bidding_opens_at": iso(60), "bidding_closes_at": iso(120), "extension_minutes": 5,
            "qualification": "open"}
    return {**body, **changes}


def procurement_body(**changes):
    """A demand for 2 mu of FO-QTY from 300,000 down to 250,000."""
    body = {"instrument": "FO-QTY", "quantity": "2", "start_price": "300000.00",
            "floor_price": "250000.00", "decrement": "1000.00", "bid_deposit": "20000.00",
            "announce_until": iso(60), "bidding_opens_at": iso(60),
            "bidding_closes_at": iso(120)}
    return {**body, **changes}


def regulator_of(world, username, district_code):
    """A regulator with a jurisdiction."""
    user = identity.create_user(world.admin_user, {
        "username": username, "password": "correct-horse-battery", "role": "regulator",
        "district_code": district_code})
    return world.caller(user)


def cash(caller) -> tuple[Decimal, Decimal]:
    """(available, held) of a trader's account, as committed."""
    db.session.expire_all()
    account = db.session.get(Account, caller.user.account_id)
    return account.cash_available, account.cash_held


def lot_buckets(serial) -> tuple[Decimal, Decimal]:
    """(available, encumbered) of a lot, as committed."""
    db.session.expire_all()
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    return lot.available, lot.encumbered


@pytest.fixture
def cast(world, clock):
    """A Yixing seller with a 10 mu lot and two Wuxi buyers with cash."""
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    rival = world.trader("liangxi", "320213", cash="1000000")
    serial = world.lot(seller, quantity="10")
    return world, seller, buyer, rival, serial
