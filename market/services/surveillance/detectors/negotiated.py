"""Negotiated transfers priced far from the guide, raised while the regulators still decide.

The band (checked at approval) is the hard limit; this threshold, inside it, asks a regulator
to look before approving a price two parties agreed between themselves. It reads the
proposals themselves rather than their trades, so the alert is there before the approval.
"""

from sqlalchemy import select

from market.extensions import db
from market.services.surveillance.context import LOOKBACK, Context
from market.services.surveillance.detectors.drafts import Draft, percent, ratio
from models import NegotiatedTransfer


def negotiated_deviation(ctx: Context) -> list[Draft]:
    """A negotiated transfer proposed more than `negotiated_deviation` from the guide price."""
    threshold = ctx.settings["negotiated_deviation"]
    drafts = []
    for transfer in db.session.scalars(
            select(NegotiatedTransfer)
            .where(NegotiatedTransfer.proposed_at > ctx.now - LOOKBACK,
                   NegotiatedTransfer.proposed_at <= ctx.now)
            .order_by(NegotiatedTransfer.id)):
        guide = ctx.instruments[transfer.instrument_id].guide_price
        if not guide:
            continue
        deviation = (transfer.price - guide) / guide
        if abs(deviation) <= threshold:
            continue
        trade_ids = [transfer.trade_id] if transfer.trade_id else []
        drafts.append(Draft(
            "negotiated_deviation", f"negotiated_deviation:transfer:{transfer.id}",
            transfer.instrument_id,
            f"{ctx.code(transfer.instrument_id)} negotiated transfer {transfer.id} at "
            f"{transfer.price} is {percent(deviation)} from the guide price {guide}",
            {"transfer_id": transfer.id, "price": transfer.price, "guide_price": guide,
             "deviation": ratio(deviation), "threshold": threshold,
             "cross_province": transfer.cross_province},
            trade_ids, [transfer.seller_account_id, transfer.buyer_account_id]))
    return drafts
