"""The invariants over auction holds catch a hold or a set-aside that its records do not
explain (the fixtures check them after every test; here they are made to fail)."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import ledger
from models import Auction, AuctionRegistration
from tests.listings.conftest import listing_body


def _listed_and_registered(cast):
    world, seller, buyer, rival, serial = cast
    lid = seller.post("/api/v1/listings", json=listing_body(serial)).json["id"]
    buyer.post(f"/api/v1/listings/{lid}/registrations")
    db.session.expire_all()
    return db.session.get(Auction, lid), db.session.scalar(select(AuctionRegistration))


def test_they_hold_after_a_listing_and_a_registration(cast):
    _listed_and_registered(cast)
    assert ledger.check_invariants() == []


def test_a_deposit_the_records_do_not_hold_is_caught(cast):
    _auction, registration = _listed_and_registered(cast)
    registration.held = Decimal("0")
    db.session.flush()
    problems = ledger.check_invariants()
    db.session.rollback()
    assert any("holds" in problem for problem in problems), problems


def test_an_encumbrance_the_listing_does_not_explain_is_caught(cast):
    auction, _registration = _listed_and_registered(cast)
    auction.encumbered = Decimal("1")
    db.session.flush()
    problems = ledger.check_invariants()
    db.session.rollback()
    assert any("encumbered" in problem for problem in problems), problems


def test_an_ended_auction_that_still_holds_is_caught(cast):
    auction, _registration = _listed_and_registered(cast)
    auction.state = "failed"
    db.session.flush()
    problems = ledger.check_invariants()
    db.session.rollback()
    assert any("still" in problem for problem in problems), problems
