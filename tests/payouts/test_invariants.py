"""The ledger invariants cover the new books: a payout's owed money and a lot's pledged
bucket; a change behind the ledger's back is caught."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import ledger
from models import Lot, Payout, Pledge
from tests.payouts.helpers import VILLAGE, carbon_seller, sell_carbon
from tests.payouts.test_pledges_api import PLEDGE


def test_an_owed_balance_changed_outside_the_ledger_is_caught(world):
    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial)
    assert ledger.check_invariants() == []
    payout = db.session.scalar(select(Payout).order_by(Payout.id))
    payout.owed -= Decimal("1.00")
    db.session.flush()
    problems = ledger.check_invariants()
    assert any(f"payout:{payout.id}:owed holds" in p for p in problems)
    assert any(f"payout {payout.id} of" in p for p in problems)
    payout.owed += Decimal("1.00")
    db.session.flush()
    assert ledger.check_invariants() == []


def test_a_pledged_bucket_out_of_step_with_its_pledges_is_caught(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    pledge_id = seller.post(f"/api/v1/lots/{serial}/pledges", json=PLEDGE).json["id"]
    world.regulator.post(f"/api/v1/pledges/{pledge_id}/register")
    assert ledger.check_invariants() == []
    pledge = db.session.get(Pledge, pledge_id)
    pledge.status = "released"
    db.session.flush()
    problems = ledger.check_invariants()
    assert any("registered pledges account for 0" in p for p in problems)
    pledge.status = "registered"
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    lot.pledged += Decimal("1")
    db.session.flush()
    problems = ledger.check_invariants()
    assert any(f"lot:{lot.id}:pledged holds" in p for p in problems)
    assert any("issued" in p for p in problems)
    lot.pledged -= Decimal("1")
    db.session.flush()
    assert ledger.check_invariants() == []
