"""What a completed sale owes a lot's beneficiaries: a part of completing the settlement."""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import ledger, row_ids
from market.services.payouts.split import split_by_shares
from models import Beneficiary, Payout, Settlement, User
from models.ledger import CASH_ASSET


def owe_proceeds(settlement: Settlement, actor: User | None, now) -> list[Payout]:
    """Split the seller's net proceeds among the sold lot's beneficiaries.

    Called once the proceeds (amount less fee) are in the seller's available cash: each
    beneficiary's part moves from there into its payout's `owed` book, so the seller cannot
    withdraw or spend it, and leaves only when a disbursement to the beneficiary is recorded.
    A lot without beneficiaries owes nobody (the seller keeps the proceeds).
    """
    named = list(db.session.scalars(select(Beneficiary).where(
        Beneficiary.lot_id == settlement.lot_id).order_by(Beneficiary.position)))
    net = settlement.amount - settlement.fee
    if not named or net <= 0:
        return []
    parts = split_by_shares(net, [beneficiary.share for beneficiary in named])
    payouts = [Payout(settlement_id=settlement.id, lot_id=settlement.lot_id,
                      seller_account_id=settlement.seller_account_id,
                      beneficiary_name=beneficiary.name, beneficiary_kind=beneficiary.kind,
                      share=beneficiary.share, amount=part, owed=Decimal(0), owed_since=now)
               # A share too small to come to a fen owes nothing (the fen went elsewhere).
               for beneficiary, part in zip(named, parts, strict=True) if part > 0]
    row_ids.add_all(payouts)  # their ids name the books the parts move into
    seller = ledger.cash(settlement.seller_account_id, "available")
    ledger.post("owe", f"proceeds of settlement {settlement.id} owed to its beneficiaries",
                [ledger.Move(CASH_ASSET, seller, ledger.owed(payout.id), payout.amount)
                 for payout in payouts],
                actor=actor, reference=f"settlement:{settlement.id}")
    return payouts
