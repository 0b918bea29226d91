"""Rules a regulator's act must hold: detection run by a person is audited; a lot frozen
while its settlement is pending delivers only once it is unfrozen, or returns if cancelled."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import settlement
from models import Account, AuditEvent, Lot, Settlement
from models.base import utcnow

PRICE = "300000.00"


def _pending_sale(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="5")
    order = {"instrument": "FO-QTY", "price": PRICE, "quantity": "1"}
    seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                        "client_order_id": "s-1"})
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy", "client_order_id": "b-1"})
    assert bought.json["fills"], bought.json
    settlement_id = db.session.scalar(select(Settlement.id))
    return seller, buyer, serial, settlement_id


def _state(settlement_id):
    db.session.expire_all()
    row = db.session.get(Settlement, settlement_id)
    return row.status, row.child_lot_id


def test_running_detection_now_is_audited_with_who_and_how_many(world):
    assert world.regulator.post("/api/v1/surveillance/detect").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "surveillance.detect"))
    assert event is not None and event.actor_user_id == world.regulator_user.id


def test_a_frozen_lot_holds_delivery_until_unfrozen(world):
    _seller, buyer, serial, settlement_id = _pending_sale(world)
    assert world.regulator.post(f"/api/v1/lots/{serial}/freeze",
                                json={"reason": "核查验收材料"}).status_code == 200
    paid = buyer.post(f"/api/v1/settlements/{settlement_id}/pay")
    assert paid.status_code == 200, paid.json
    assert _state(settlement_id) == ("pending_payment", None)  # paid, not delivered
    assert paid.json["amount_due"] == "0.00"
    # Paid in full, so the deadline does not default it while the lot is frozen.
    assert settlement.default_overdue(utcnow() + timedelta(days=30)) == 0
    assert world.regulator.post(f"/api/v1/lots/{serial}/unfreeze",
                                json={"reason": "材料属实"}).status_code == 200
    status, child = _state(settlement_id)
    assert status == "completed" and child is not None
    assert db.session.get(Lot, child).owner_account_id == buyer.user.account_id


def test_cancelling_a_settlement_held_by_a_frozen_lot_returns_everything(world):
    seller, buyer, serial, settlement_id = _pending_sale(world)
    world.regulator.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "核查"})
    buyer.post(f"/api/v1/settlements/{settlement_id}/pay")
    cancelled = world.regulator.post(f"/api/v1/settlements/{settlement_id}/cancel",
                                     json={"reason": "验收材料不实"})
    assert cancelled.status_code == 200, cancelled.json
    db.session.expire_all()
    account = db.session.get(Account, buyer.user.account_id)
    # The deposit and the payment both come back: the buyer holds its funding again.
    assert (account.cash_available, account.cash_held) == (Decimal("1000000.00"), Decimal("0"))
    lot = db.session.scalar(select(Lot).where(Lot.serial == serial))
    assert lot.encumbered == Decimal("0") and lot.available == Decimal("5")
    assert _state(settlement_id) == ("cancelled", None)
    assert seller.get("/api/v1/accounts/me").json["cash_available"] == "0.00"
