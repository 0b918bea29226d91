"""The price series each overview chart draws, read from the trades themselves."""

from market.services import market_data
from market.web.filters import local_time
from models import Instrument

# Enough points to show the recent trend on a card without a heavy page.
POINTS = 60


def price_series(instrument: Instrument, points: int = POINTS) -> dict:
    """The instrument's latest trades, oldest first: labels (market time) and prices.

    Read-only, through market_data.recent_trades. Prices stay decimal strings in the embedded
    JSON; the page script turns them into numbers only to draw them.
    """
    trades = list(reversed(market_data.recent_trades(instrument, points)))
    return {
        "code": instrument.code,
        "labels": [local_time(trade.executed_at, "%m-%d %H:%M") for trade in trades],
        "prices": [str(trade.price) for trade in trades],
        "guide": str(instrument.guide_price) if instrument.guide_price is not None else None,
        "last": trades[-1].price if trades else None,
    }
