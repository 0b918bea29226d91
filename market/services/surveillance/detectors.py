"""Surveillance detectors: each reads recent market data and proposes alerts (drafts).

A detector never writes; `surveillance.detect` inserts the drafts whose `dedup_key` is new, so
detection can run any number of times over overlapping windows. Every number an alert rests
on (price, reference, deviation, threshold, counts) goes into its details.
"""

from collections import Counter, defaultdict, deque
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from market.calendar import MARKET_TIME, local, month_bounds
from market.extensions import db
from market.services.surveillance.context import LOOKBACK, Context, trades_between
from market.services.surveillance.drafts import Draft, percent, ratio, trade_draft
from models import Order, OrderRejection, Trade

VWAP_WINDOW = timedelta(days=30)
STORM_WINDOW = timedelta(hours=1)
BAND_CODES = ("outside_band", "below_floor")


def guide_deviation(ctx: Context) -> list[Draft]:
    """A trade more than `guide_deviation` from its instrument's guide price."""
    threshold = ctx.settings["guide_deviation"]
    drafts = []
    for trade in ctx.recent:
        guide = ctx.instruments[trade.instrument_id].guide_price
        if not guide:
            continue
        deviation = (trade.price - guide) / guide
        if abs(deviation) > threshold:
            drafts.append(trade_draft(
                ctx, "guide_deviation", trade,
                f"at {trade.price} is {percent(deviation)} from the guide price {guide}",
                {"guide_price": guide, "deviation": ratio(deviation), "threshold": threshold}))
    return drafts


def vwap_deviation(ctx: Context) -> list[Draft]:
    """A trade more than `vwap_deviation` from the VWAP of the 30 days before it."""
    threshold = ctx.settings["vwap_deviation"]
    recent = {trade.id for trade in ctx.recent}
    by_instrument: dict[int, list[Trade]] = defaultdict(list)
    for trade in trades_between(ctx.now - LOOKBACK - VWAP_WINDOW, ctx.now):
        by_instrument[trade.instrument_id].append(trade)
    drafts = []
    for trades in by_instrument.values():
        window: deque[Trade] = deque()
        volume = turnover = Decimal("0")
        for trade in trades:
            while window and window[0].executed_at < trade.executed_at - VWAP_WINDOW:
                old = window.popleft()
                volume -= old.quantity
                turnover -= old.amount
            # Only earlier trades make the reference: a trade cannot drag its own benchmark.
            if trade.id in recent and volume > 0:
                vwap = turnover / volume
                deviation = (trade.price - vwap) / vwap
                if abs(deviation) > threshold:
                    drafts.append(trade_draft(
                        ctx, "vwap_deviation", trade,
                        f"at {trade.price} is {percent(deviation)} from the 30-day VWAP "
                        f"{vwap:.2f}",
                        {"vwap": vwap.quantize(Decimal("0.01")), "deviation": ratio(deviation),
                         "threshold": threshold, "window_trades": len(window),
                         "window_volume": volume, "window_days": VWAP_WINDOW.days}))
            window.append(trade)
            volume += trade.quantity
            turnover += trade.amount
    return drafts


def band_rejection_storm(ctx: Context) -> list[Draft]:
    """At least `band_rejection_storm` band or floor rejections in one instrument in an hour.

    A sliding one-hour window; one alert per instrument per clock hour (UTC) in which the
    window reached the threshold, so a storm that goes on raises one alert an hour.
    """
    threshold = ctx.settings["band_rejection_storm"]
    rows = db.session.scalars(
        select(OrderRejection).where(OrderRejection.code.in_(BAND_CODES),
                                     OrderRejection.at > ctx.now - LOOKBACK,
                                     OrderRejection.at <= ctx.now)
        .order_by(OrderRejection.instrument_id, OrderRejection.at, OrderRejection.id))
    by_instrument: dict[int, list[OrderRejection]] = defaultdict(list)
    for row in rows:
        by_instrument[row.instrument_id].append(row)
    drafts = []
    for instrument_id, rejections in by_instrument.items():
        window: deque[OrderRejection] = deque()
        seen_hours = set()
        for rejection in rejections:
            window.append(rejection)
            while window[0].at <= rejection.at - STORM_WINDOW:
                window.popleft()
            hour = rejection.at.strftime("%Y-%m-%dT%HZ")
            if len(window) < threshold or hour in seen_hours:
                continue
            seen_hours.add(hour)
            drafts.append(Draft(
                "band_rejection_storm", f"band_rejection_storm:{ctx.code(instrument_id)}:{hour}",
                instrument_id,
                f"{len(window)} price-band rejections in {ctx.code(instrument_id)} within an hour",
                {"rejections": len(window), "threshold": threshold,
                 "codes": dict(Counter(row.code for row in window)), "window_start": window[0].at,
                 "window_end": rejection.at, "rejection_ids": [row.id for row in window]},
                [], sorted({row.account_id for row in window})))
    return drafts


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


def concentration(ctx: Context) -> list[Draft]:
    """One account bought (or sold) more than `concentration_share` of a month's volume."""
    threshold = ctx.settings["concentration_share"]
    months = {(local(moment).year, local(moment).month)
              for moment in (ctx.now - LOOKBACK, ctx.now)}
    drafts = []
    for year, month in sorted(months):
        start, end = month_bounds(year, month)
        by_instrument: dict[int, list[Trade]] = defaultdict(list)
        for trade in trades_between(start - timedelta(microseconds=1), min(end, ctx.now)):
            if trade.executed_at < end:
                by_instrument[trade.instrument_id].append(trade)
        for instrument_id, trades in by_instrument.items():
            # With a handful of trades someone always holds most of the volume.
            if len(trades) >= ctx.settings["concentration_min_trades"]:
                drafts += _concentrated(ctx, instrument_id, f"{year:04d}-{month:02d}", trades,
                                        threshold)
    return drafts


def _concentrated(ctx, instrument_id, month, trades, threshold) -> list[Draft]:
    total = sum((t.quantity for t in trades), Decimal("0"))
    sides: dict[int, dict[str, list[Trade]]] = defaultdict(lambda: {"buy": [], "sell": []})
    for trade in trades:
        sides[trade.buyer_account_id]["buy"].append(trade)
        sides[trade.seller_account_id]["sell"].append(trade)
    drafts = []
    for account_id, legs in sorted(sides.items()):
        shares = {side: sum((t.quantity for t in legs[side]), Decimal("0")) / total
                  for side in ("buy", "sell")}
        over = [side for side, share in shares.items() if share > threshold]
        if not over:
            continue
        code = ctx.code(instrument_id)
        drafts.append(Draft(
            "concentration", f"concentration:{code}:{account_id}:{month}", instrument_id,
            f"account {account_id} holds {percent(max(shares.values())).lstrip('+')} of the "
            f"{code} {'/'.join(over)} volume in {month}",
            {"account_id": account_id, "month": month, "volume": total,
             "trades": len(trades), "buy_share": ratio(shares["buy"]),
             "sell_share": ratio(shares["sell"]), "sides": over, "threshold": threshold},
            sorted(t.id for side in over for t in legs[side]), [account_id]))
    return drafts


def cancel_fill_ratio(ctx: Context) -> list[Draft]:
    """An account cancelling more than `cancel_fill_ratio` orders per fill in a market day.

    Counted per account, instrument and Shanghai day, once it has `cancel_fill_min_cancels`
    cancels; only cancels the trader asked for (not IOC remainders, expiries or STP).
    """
    threshold = ctx.settings["cancel_fill_ratio"]
    rows = db.session.execute(
        select(Order.id, Order.account_id, Order.instrument_id, Order.updated_at)
        .where(Order.status == "cancelled", Order.close_reason == "cancelled",
               Order.updated_at > ctx.now - LOOKBACK, Order.updated_at <= ctx.now))
    groups: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for row in rows:
        groups[(row.account_id, row.instrument_id,
                local(row.updated_at).strftime("%Y-%m-%d"))].append(row.id)
    drafts = []
    for (account_id, instrument_id, day), order_ids in sorted(groups.items()):
        if len(order_ids) < ctx.settings["cancel_fill_min_cancels"]:
            continue
        start = datetime.fromisoformat(day).replace(tzinfo=MARKET_TIME)
        fills = list(db.session.scalars(select(Trade.id).where(
            Trade.instrument_id == instrument_id, Trade.executed_at >= start,
            Trade.executed_at < start + timedelta(days=1),
            (Trade.buyer_account_id == account_id) | (Trade.seller_account_id == account_id))))
        cancels = Decimal(len(order_ids))
        if fills and cancels / len(fills) <= threshold:
            continue
        code = ctx.code(instrument_id)
        drafts.append(Draft(
            "cancel_fill_ratio", f"cancel_fill_ratio:{code}:{account_id}:{day}", instrument_id,
            f"account {account_id} cancelled {len(order_ids)} {code} orders against "
            f"{len(fills)} fills on {day}",
            {"account_id": account_id, "day": day, "cancels": len(order_ids),
             "fills": len(fills), "ratio": ratio(cancels / len(fills)) if fills else None,
             "threshold": threshold,
             "min_cancels": int(ctx.settings["cancel_fill_min_cancels"]),
             "cancelled_order_ids": sorted(order_ids)},
            sorted(fills), [account_id]))
    return drafts


DETECTORS = [guide_deviation, vwap_deviation, band_rejection_storm, wash_and_cross, circular,
             concentration, cancel_fill_ratio]
