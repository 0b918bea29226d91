"""Price detectors: a trade far from its instrument's guide price or from its recent VWAP."""

from collections import defaultdict, deque
from datetime import timedelta
from decimal import Decimal

from market.services.surveillance.context import LOOKBACK, Context, trades_between
from market.services.surveillance.detectors.drafts import Draft, percent, ratio, trade_draft
from models import Trade

VWAP_WINDOW = timedelta(days=30)


def guide_deviation(ctx: Context) -> list[Draft]:
    """A trade more than `guide_deviation` from the guide price in force when it was made."""
    threshold = ctx.settings["guide_deviation"]
    drafts = []
    for trade in ctx.recent:
        guide = ctx.guide_price(trade)
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
