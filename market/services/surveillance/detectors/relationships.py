"""Relationship detectors: trades between parties that sit together (wash, cross, circular)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from market.calendar import local
from market.services.surveillance.context import LOOKBACK, Context, trades_between
from market.services.surveillance.detectors.drafts import Draft, trade_draft
from models import Trade


def wash_and_cross(ctx: Context) -> list[Draft]:
    """Trades between accounts of one district (wash) or of one county (cross).

    wash_trade: buyer and seller accounts sit in the very same district. cross_trade (lower
    severity): different districts under the same county, e.g. two towns of 江阴市 or a town
    and its county bureau. Sharing only a city is not flagged: most trades in a city market
    do. Nor is a same-county trade inside the lot's local-first window, when the instrument's
    rules allow nothing else (seed 002 §4(四)).
    """
    drafts = []
    for trade in ctx.recent:
        buyer = ctx.account_districts[trade.buyer_account_id]
        seller = ctx.account_districts[trade.seller_account_id]
        county = ctx.districts.at_most(buyer, "county")
        if buyer == seller:
            kind, why = "wash_trade", f"both in {ctx.districts.name(buyer)}"
        elif county == ctx.districts.at_most(seller, "county") and \
                ctx.districts.rows[county].level == "county" and not _local_only(ctx, trade):
            kind, why = "cross_trade", f"both under {ctx.districts.name(county)}"
        else:
            continue
        drafts.append(trade_draft(
            ctx, kind, trade,
            f"between accounts {trade.seller_account_id} and {trade.buyer_account_id}, {why}",
            {"quantity": trade.quantity, "amount": trade.amount,
             "buyer_district": ctx.districts.code(buyer),
             "seller_district": ctx.districts.code(seller),
             "county": ctx.districts.code(county)}))
    return drafts


def _local_only(ctx: Context, trade: Trade) -> bool:
    days = ctx.instruments[trade.instrument_id].local_first_days
    verified = trade.lot.verified_at if days else None
    return verified is not None and trade.executed_at < verified + timedelta(days=days)


def circular(ctx: Context) -> list[Draft]:
    """A district buying and selling one instrument within `circular_days`.

    The district is the account's own district. One alert per instrument, district and
    month of the trade that closed the round trip, linking every leg seen so far.
    """
    span = timedelta(days=int(ctx.settings["circular_days"]))
    recent = {trade.id for trade in ctx.recent}
    legs: dict[tuple[int, int], list[tuple[str, Trade]]] = defaultdict(list)
    for trade in trades_between(ctx.now - LOOKBACK - span, ctx.now):
        legs[(trade.instrument_id, ctx.account_districts[trade.buyer_account_id])].append(
            ("buy", trade))
        legs[(trade.instrument_id, ctx.account_districts[trade.seller_account_id])].append(
            ("sell", trade))
    drafts = []
    for (instrument_id, district_id), entries in legs.items():
        months: dict[str, dict[int, tuple[str, Trade]]] = {}
        for index, (side, trade) in enumerate(entries):
            if trade.id not in recent:
                continue
            earlier = [(s, t) for s, t in entries[:index] if s != side and t.id != trade.id
                       and t.executed_at >= trade.executed_at - span]
            if earlier:
                month = months.setdefault(local(trade.executed_at).strftime("%Y-%m"), {})
                for leg in [*earlier, (side, trade)]:
                    month[(leg[0], leg[1].id)] = leg
        for month, found in months.items():
            drafts.append(_circular_draft(ctx, instrument_id, district_id, month,
                                          list(found.values()), span))
    return drafts


def _circular_draft(ctx, instrument_id, district_id, month, legs, span) -> Draft:
    code, district = ctx.code(instrument_id), ctx.districts.code(district_id)
    bought = sum((t.quantity for s, t in legs if s == "buy"), Decimal("0"))
    sold = sum((t.quantity for s, t in legs if s == "sell"), Decimal("0"))
    accounts = {t.buyer_account_id if s == "buy" else t.seller_account_id for s, t in legs}
    return Draft(
        "circular", f"circular:{code}:{district}:{month}", instrument_id,
        f"{ctx.districts.name(district_id)} ({district}) bought {bought} and sold {sold} "
        f"{code} within {span.days} days",
        {"district": district, "month": month, "days": span.days, "bought": bought,
         "sold": sold, "buy_trade_ids": sorted(t.id for s, t in legs if s == "buy"),
         "sell_trade_ids": sorted(t.id for s, t in legs if s == "sell")},
        sorted({t.id for _s, t in legs}), sorted(accounts))
