"""Surveillance: detection, alerts and their review, thresholds, the settlement monitor."""

from market.services.surveillance.alerts import (
    KINDS,
    SETTLEMENT_BUCKETS,
    SEVERITY,
    alert_trade_ids,
    bucket_of,
    detect,
    get_alert,
    list_alerts,
    list_settings,
    raise_alert,
    review_alert,
    settlement_monitor,
    thresholds,
    update_settings,
)
from market.services.surveillance.settlement_weeks import settlement_weeks
from models.surveillance import REVIEW_STATUSES

__all__ = [
    "KINDS", "REVIEW_STATUSES", "SETTLEMENT_BUCKETS", "SEVERITY", "alert_trade_ids", "bucket_of",
    "detect", "get_alert", "list_alerts", "list_settings", "raise_alert", "review_alert",
    "settlement_monitor", "settlement_weeks", "thresholds", "update_settings",
]
