"""Demo data for money back and pledges: a town's lot with beneficiaries, sold and partly
paid out, a registered pledge and a pending one. Through the ordinary use cases."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import payouts, pledges, settlement
from models import Instrument, Lot, User

# 璜土镇's farmland lot: 85 % to the villagers whose land was consolidated, 15 % to the
# village collective (the Chongqing 地票 split, DOMAIN.md).
BENEFICIARIES = [
    {"name": "璜土镇石庄村村民", "kind": "villager", "share": Decimal("0.85")},
    {"name": "璜土镇石庄村村集体", "kind": "collective", "share": Decimal("0.15")},
]


def _lot(owner: User, instrument: str) -> Lot:
    return db.session.scalar(select(Lot).join(Instrument).where(
        Lot.owner_account_id == owner.account_id, Instrument.code == instrument,
        Lot.parent_id.is_(None)).order_by(Lot.id))


def load_payouts(traders: dict[str, User], regulator: User) -> None:
    """Beneficiaries, one sale owing them and a first payment; two pledges."""
    town, buyer = traders["huangtu"], traders["liangxi"]
    farmland = _lot(town, "FO-QTY")
    payouts.name_beneficiaries(town, farmland.serial, BENEFICIARIES)
    # The morning's session left 梁溪区 owing for 2 mu of this lot: it pays now, so the sale
    # completes and owes the beneficiaries (the earlier sale, before they were named, owes none).
    for due in settlement.list_settlements(buyer, "pending_payment", 10, 0):
        if due.lot_id == farmland.id:
            settlement.pay_from_cash(buyer, buyer.account, due.id)
    villagers = payouts.list_payouts(town, {"limit": 10})[0]
    payouts.record_disbursement(town, villagers.id, Decimal("300000.00"), "ABC-JY-2026-0815")
    grain = _lot(traders["yixing"], "FO-GRAIN")
    registered = pledges.request_pledge(traders["yixing"], grain.serial, {
        "quantity": Decimal("20000"), "pledgee_name": "江苏银行宜兴支行",
        "amount": Decimal("5000000.00"), "reference": "JSB-YX-2026-018"})
    pledges.register_pledge(regulator, registered.id)
    wetland = _lot(traders["xuxiake"], "ECO-WETLAND")
    pledges.request_pledge(traders["xuxiake"], wetland.serial, {
        "quantity": Decimal("50"), "pledgee_name": "江阴农村商业银行徐霞客支行",
        "amount": Decimal("1200000.00"), "reference": "JRCB-XXK-2026-007"})
