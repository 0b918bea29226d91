"""The demo's negotiated transfers: one per state the pages show."""

from sqlalchemy import select

from market.extensions import db
from models import NegotiatedTransfer, Settlement


def test_the_demo_has_a_transfer_awaiting_the_buyer_one_across_provinces_and_one_settled(
        demo_session):
    transfers = db.session.scalars(select(NegotiatedTransfer).order_by(NegotiatedTransfer.id))
    states = [(t.status, t.cross_province, t.seller.district.name, t.buyer.district.name)
              for t in transfers]
    assert states == [("proposed", False, "宜兴市", "梁溪区"),
                      ("accepted", True, "象山县", "新吴区"),
                      ("approved", False, "象山县", "鄞州区")]
    approved = db.session.scalar(select(NegotiatedTransfer).where(
        NegotiatedTransfer.status == "approved"))
    assert db.session.get(Settlement, approved.settlement_id).status == "completed"
