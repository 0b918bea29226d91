"""Demo data for certificates: a use (核销) of bought carbon credits, so the demo shows every
kind the market issues by itself (verification and completed trades make the others)."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import registry
from models import Instrument, Lot, User


def load(traders: dict[str, User]) -> None:
    """鄞州区 retires part of the carbon it bought against its ecological quota."""
    buyer = traders["yinzhou"]
    bought = db.session.scalar(
        select(Lot).join(Instrument, Instrument.id == Lot.instrument_id)
        .where(Lot.owner_account_id == buyer.account_id, Lot.parent_id.is_not(None),
               Instrument.code == "ECO-CARBON").order_by(Lot.id).limit(1))
    if bought is None or bought.available < Decimal("200"):
        return
    registry.retire_from_lot(buyer, buyer.account, bought.serial, {
        "quantity": Decimal("200"), "project_name": "鄞州区 2026 年度生态产品限额清缴",
        "project_code": "DEMO-330212-ECO-2026", "obligation": "宁波市生态产品价值实现限额"})
