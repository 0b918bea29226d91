"""The close job: idempotent, safe after a crash, and declared with its own lock."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market import jobs
from market.extensions import db
from market.services import listings, settlement
from models import Auction, Trade
from tests.listings.conftest import cash, listing_body, lot_buckets


@pytest.fixture
def bid_on(cast, clock):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(serial)).json["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    clock.at(61)
    buyer.post(f"/api/v1/listings/{lid}/bids", json={"price": "300000.00"})
    return lid, buyer, serial


def test_the_job_is_declared_with_its_own_lock():
    [job] = [job for job in jobs.JOBS if job.name == "close-listings-and-procurements"]
    assert job.run is listings.close_due and job.seconds == 15
    assert len({job.lock_id for job in jobs.JOBS}) == len(jobs.JOBS)


def test_a_close_before_time_or_twice_does_nothing(bid_on, clock):
    lid, buyer, serial = bid_on
    assert listings.close_auction(lid, clock.at(119)) is None
    assert db.session.get(Auction, lid).state == "open"
    assert listings.close_auction(lid, clock.at(120)).state == "closed"
    assert listings.close_auction(lid, clock.at(121)) is None
    assert listings.close_due(clock.at(122)) == 0
    assert db.session.scalar(select(func.count(Trade.id))) == 1


def test_a_close_that_crashes_half_way_leaves_nothing_and_reruns(bid_on, clock, monkeypatch):
    lid, buyer, serial = bid_on

    def crash(*_args, **_kwargs):
        raise RuntimeError("the process died while recording the deal")

    monkeypatch.setattr(settlement, "record_deal", crash)
    with pytest.raises(RuntimeError):
        listings.close_due(clock.at(130))
    db.session.expire_all()
    assert db.session.get(Auction, lid).state == "open"
    assert db.session.scalar(select(func.count(Trade.id))) == 0
    assert cash(buyer)[1] == Decimal("60000.00")
    assert lot_buckets(serial) == (Decimal("8.0000"), Decimal("2.0000"))
    monkeypatch.undo()
    assert listings.close_due(clock.at(131)) == 1
    assert db.session.get(Auction, lid).state == "closed"


def test_the_confirmation_names_both_parties_the_lot_the_amounts_and_the_code(bid_on, clock):
    from market.services.listings.confirmation import document

    lid, buyer, serial = bid_on
    listings.close_due(clock.at(130))
    found = listings.confirmation_for(buyer.user, "listing", lid)
    facts = [value for section in document(found).sections for _label, value in section.rows]
    text = " ".join(facts)
    for expected in (found.seller.name, found.buyer.name, serial, found.verification_code,
                     "600000.00", "540000.00", "2.0000"):
        assert expected in text, (expected, text)
    assert document(found).title == "成交确认书"
    assert found.due_at == db.session.get(Auction, lid).closed_at + timedelta(days=10)
