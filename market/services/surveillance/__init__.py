"""Surveillance: detection, alerts and their review, thresholds, the settlement monitor."""

from market.services.surveillance.alerts import (
    SETTLEMENT_BUCKETS,
    SEVERITY,
    bucket_of,
    detect,
    get_alert,
    instrument_code,
    list_alerts,
    list_settings,
    review_alert,
    reviewer_name,
    settlement_monitor,
    thresholds,
    update_settings,
)

__all__ = [
    "SETTLEMENT_BUCKETS", "SEVERITY", "bucket_of", "detect",
    "get_alert", "instrument_code", "list_alerts", "list_settings", "review_alert",
    "reviewer_name", "settlement_monitor", "thresholds", "update_settings",
]
