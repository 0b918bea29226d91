"""Price history: candles, statistics and indices from kept daily rows, lineage, exports."""

from market.services.history.daily_stats import (
    backfill_daily_stats,
    rebuild_daily_stats,
    refresh_daily_stats,
)
from market.services.history.exports import export_candles, export_trades
from market.services.history.lineage import lot_trades, trade_detail
from market.services.history.lot_record import lot_record
from market.services.history.queries import candles, date_range, price_index, stats

__all__ = [
    "backfill_daily_stats", "candles", "date_range", "export_candles", "export_trades",
    "lot_record", "lot_trades", "price_index", "rebuild_daily_stats", "refresh_daily_stats",
    "stats", "trade_detail",
]
