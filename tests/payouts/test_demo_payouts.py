"""The demo shows money back and pledges at work."""

from sqlalchemy import select

from market.services import ledger
from models import Payout, Pledge


def test_the_demo_has_a_partly_paid_payout_and_two_pledges(demo_session):
    rows = list(demo_session.scalars(select(Payout).order_by(Payout.id)))
    assert [p.beneficiary_kind for p in rows] == ["villager", "collective"]
    assert 0 < rows[0].owed < rows[0].amount and rows[1].owed == rows[1].amount
    # 2 mu at 295,000 less the 20 bp fee, split 85 / 15
    assert sum(p.amount for p in rows) == rows[0].settlement.amount - rows[0].settlement.fee
    pledges = demo_session.scalars(select(Pledge))
    assert sorted(p.status for p in pledges) == ["pending", "registered"]
    assert ledger.check_invariants() == []
