"""What each chart draws, as JSON the page embeds: an instrument's daily closes (or recent
trades until there are two trading days to draw) against its guide price, the flows between
counties as a Sankey diagram, and settlements by state per week."""

from datetime import timedelta
from decimal import Decimal

from flask_babel import gettext as _

from market.calendar import market_day
from market.services import history, trading
from market.web.filters import local_time
from market.web.messages import SETTLEMENT_BUCKETS
from models import Instrument

DAYS = 90
# A young market has traded on one day only; its trades then make a more useful line.
TRADES = 60


def price_series(instrument: Instrument) -> dict:
    """Labels and prices, oldest first, with the basis they were drawn on.

    Daily closes come from history.candles; the fallback reads the latest trades through
    trading.recent_trades. Prices stay decimal strings in the embedded JSON; the page
    script turns them into numbers only to draw them.
    """
    today = market_day()
    days = history.candles(instrument.code, "day", today - timedelta(days=DAYS - 1),
                                 today)["candles"]
    if len(days) >= 2:
        labels = [candle["start"].strftime("%m-%d") for candle in days]
        prices, basis = [candle["close"] for candle in days], "daily_close"
    else:
        trades = list(reversed(trading.recent_trades(instrument, TRADES)))
        labels = [local_time(trade.executed_at, "%m-%d %H:%M") for trade in trades]
        prices, basis = [trade.price for trade in trades], "trades"
    return {
        "code": instrument.code, "basis": basis, "labels": labels,
        "prices": [str(price) for price in prices],
        "guide": str(instrument.guide_price) if instrument.guide_price is not None else None,
        "names": price_names(),
    }


def price_names() -> dict:
    """The price chart's Chinese series names, for the page script (it has no catalogue)."""
    return {"price": _("Close"), "guide": _("Guide price"), "trade": _("Trade price")}


def flow_diagram(matrix: dict) -> dict:
    """The flow table as a Sankey diagram: seller county → buyer county, completed money.

    A county can sell and buy, so each side has its own node ("s:"/"b:" + code); `labels`
    names them. Rows of several instruments between the same two counties add up. Amounts
    stay decimal strings.
    """
    flows: dict[tuple[str, str], Decimal] = {}
    labels = {}
    for row in matrix["rows"]:
        if row["amount"] <= 0:
            continue
        source, target = f"s:{row['seller_district_code']}", f"b:{row['buyer_district_code']}"
        labels[source] = _("%(name)s (seller)", name=row["seller_district_name"])
        labels[target] = _("%(name)s (buyer)", name=row["buyer_district_name"])
        flows[(source, target)] = flows.get((source, target), Decimal("0")) + row["amount"]
    return {"flows": [{"from": source, "to": target, "flow": str(amount)}
                      for (source, target), amount in sorted(flows.items())],
            "labels": labels, "unit": _("yuan")}


# Stacked from the bottom: closed ones first, the open ones on top where the eye looks.
BUCKET_COLOURS = {"completed": "#2da44e", "cancelled": "#8c959f", "defaulted": "#cf222e",
                  "overdue": "#bc4c00", "due_within_3_days": "#d4a72c", "pending": "#0969da"}


def settlement_chart(weeks: dict) -> dict:
    """The weekly settlement counts by bucket as a stacked bar chart's data."""
    order = ["completed", "cancelled", "defaulted", "overdue", "due_within_3_days", "pending"]
    return {
        "labels": [_("%(month)s-%(day)s week", month=week["start"].strftime("%m"),
                     day=week["start"].strftime("%d")) for week in weeks["weeks"]],
        "datasets": [{"bucket": bucket, "label": str(SETTLEMENT_BUCKETS.get(bucket, bucket)),
                      "colour": BUCKET_COLOURS[bucket],
                      "data": [week["counts"][bucket] for week in weeks["weeks"]]}
                     for bucket in order],
    }
