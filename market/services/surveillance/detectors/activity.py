"""Activity detectors: volume concentration, cancels per fill and price-band rejection storms."""

from collections import Counter, defaultdict, deque
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from market.calendar import MARKET_TIME, local, month_bounds
from market.extensions import db
from market.services.surveillance.context import LOOKBACK, Context, trades_between
from market.services.surveillance.detectors.drafts import Draft, account_draft, percent, ratio
from models import Order, OrderRejection, Trade
from models.order import BOOK_MECHANISMS

STORM_WINDOW = timedelta(hours=1)
BAND_CODES = ("outside_band", "below_floor")


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
        drafts.append(account_draft(
            ctx, "concentration", instrument_id, account_id, month,
            f"account {account_id} holds {percent(max(shares.values())).lstrip('+')} of the "
            f"{ctx.code(instrument_id)} {'/'.join(over)} volume in {month}",
            {"month": month, "volume": total, "trades": len(trades),
             "buy_share": ratio(shares["buy"]), "sell_share": ratio(shares["sell"]),
             "sides": over, "threshold": threshold},
            sorted(t.id for side in over for t in legs[side])))
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
        # Only the book's trades are fills of orders: an off-book deal (listing, procurement,
        # negotiated) says nothing about how an account treats its orders.
        fills = list(db.session.scalars(select(Trade.id).where(
            Trade.instrument_id == instrument_id, Trade.mechanism.in_(BOOK_MECHANISMS),
            Trade.executed_at >= start,
            Trade.executed_at < start + timedelta(days=1),
            (Trade.buyer_account_id == account_id) | (Trade.seller_account_id == account_id))))
        cancels = Decimal(len(order_ids))
        if fills and cancels / len(fills) <= threshold:
            continue
        drafts.append(account_draft(
            ctx, "cancel_fill_ratio", instrument_id, account_id, day,
            f"account {account_id} cancelled {len(order_ids)} {ctx.code(instrument_id)} orders "
            f"against {len(fills)} fills on {day}",
            {"day": day, "cancels": len(order_ids), "fills": len(fills),
             "ratio": ratio(cancels / len(fills)) if fills else None, "threshold": threshold,
             "min_cancels": int(ctx.settings["cancel_fill_min_cancels"]),
             "cancelled_order_ids": sorted(order_ids)},
            sorted(fills)))
    return drafts
