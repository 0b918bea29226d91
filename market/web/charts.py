"""The price series each overview chart draws: daily closes, or recent trades until there are
two trading days to draw."""

from datetime import timedelta

from market.calendar import market_day
from market.services import history, trading
from market.web.filters import local_time
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
    }
