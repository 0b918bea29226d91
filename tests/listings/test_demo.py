"""The demo has a listing in each phase and a procurement, and loading it keeps the ledger."""

from sqlalchemy import select

from market.extensions import db
from market.services import ledger, listings
from models import Auction, Settlement, User


def test_the_demo_has_a_listing_in_each_phase_and_a_procurement(demo_session):
    national = db.session.scalar(select(User).where(User.username == "regulator"))
    auctions = db.session.scalars(select(Auction).order_by(Auction.id)).all()
    phases = {(a.kind, listings.status_of(a)) for a in auctions}
    assert phases == {("listing", "announced"), ("listing", "bidding"), ("listing", "closed"),
                      ("listing", "failed"), ("procurement", "bidding")}
    [closed] = [a for a in auctions if a.state == "closed"]
    seen = listings.view(national, closed)
    assert seen.lottery is not None and len(seen.lottery) == 2 and seen.seed
    assert db.session.get(Settlement, closed.settlement_id).status == "pending_payment"
    assert ledger.check_invariants() == []
