"""Money back: proceeds owed to a lot's beneficiaries and left unpaid too long."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services.surveillance.context import Context
from market.services.surveillance.detectors.drafts import Draft
from models import Lot, Payout, Settlement


def payout_overdue(ctx: Context) -> list[Draft]:
    """A completed sale whose beneficiaries are still owed money after `payout_overdue_days`.

    One alert per settlement (its key never changes, so it is raised once); the details name
    every beneficiary still owed and how much.
    """
    days = ctx.settings.get("payout_overdue_days")
    if days is None:
        return []
    cutoff = ctx.now - timedelta(days=int(days))
    owing: dict[int, list[Payout]] = defaultdict(list)
    for payout in db.session.scalars(select(Payout).where(
            Payout.owed > 0, Payout.owed_since < cutoff).order_by(Payout.id)):
        owing[payout.settlement_id].append(payout)
    drafts = []
    for settlement_id, payouts in owing.items():
        settlement = db.session.get(Settlement, settlement_id)
        lot = db.session.get(Lot, settlement.lot_id)
        owed = sum((payout.owed for payout in payouts), Decimal("0.00"))
        since = min(payout.owed_since for payout in payouts)
        age = (ctx.now - since).days
        drafts.append(Draft(
            "payout_overdue", f"payout_overdue:settlement:{settlement_id}",
            settlement.instrument_id,
            f"{owed} of settlement {settlement_id} ({lot.serial}) still owed to its "
            f"beneficiaries after {age} days (limit {int(days)})",
            {"settlement_id": settlement_id, "lot": lot.serial, "owed": owed,
             "owed_since": since, "days_owed": age, "threshold": days,
             "beneficiaries": [{"payout_id": p.id, "name": p.beneficiary_name,
                                "kind": p.beneficiary_kind, "owed": p.owed} for p in payouts]},
            [settlement.trade_id], [settlement.seller_account_id]))
    return drafts
