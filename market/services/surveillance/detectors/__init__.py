"""Surveillance detectors: each reads recent market data and proposes alerts (drafts).

A detector never writes; `surveillance.detect` inserts the drafts whose `dedup_key` is new, so
detection can run any number of times over overlapping windows. Every number an alert rests
on (price, reference, deviation, threshold, counts) goes into its details. They come in three
families: prices (`prices.py`), relationships between the parties (`relationships.py`) and one
account's or instrument's activity (`activity.py`); `payouts.py` watches money owed to
beneficiaries.
"""

from market.services.surveillance.detectors.activity import (
    band_rejection_storm,
    cancel_fill_ratio,
    concentration,
)
from market.services.surveillance.detectors.drafts import Draft
from market.services.surveillance.detectors.payouts import payout_overdue
from market.services.surveillance.detectors.prices import guide_deviation, vwap_deviation
from market.services.surveillance.detectors.relationships import circular, wash_and_cross

DETECTORS = [guide_deviation, vwap_deviation, band_rejection_storm, wash_and_cross, circular,
             concentration, cancel_fill_ratio, payout_overdue]

__all__ = [
    "DETECTORS", "Draft", "band_rejection_storm", "cancel_fill_ratio", "circular",
    "concentration", "guide_deviation", "payout_overdue", "vwap_deviation", "wash_and_cross",
]
