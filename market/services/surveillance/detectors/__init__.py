"""Surveillance detectors: each reads recent market data and proposes alerts (drafts).

A detector never writes; `surveillance.detect` inserts the drafts whose `dedup_key` is new, so
detection can run any number of times over overlapping windows. Every number an alert rests
on (price, reference, deviation, threshold, counts) goes into its details. They come in four
families: prices (`prices.py`), relationships between the parties (`relationships.py`), one
account's or instrument's activity (`activity.py`) negotiated proposals (`negotiated.py`)
and listings (`listings.py`); `payouts.py` watches money owed to beneficiaries.
"""

from market.services.surveillance.detectors.activity import (
    band_rejection_storm,
    cancel_fill_ratio,
    concentration,
)
from market.services.surveillance.detectors.drafts import Draft
from market.services.surveillance.detectors.listings import (
    ceiling_rush,
    same_district_bidders,
    single_bidder,
)
from market.services.surveillance.detectors.negotiated import negotiated_deviation
from market.services.surveillance.detectors.payouts import payout_overdue
from market.services.surveillance.detectors.prices import guide_deviation, vwap_deviation
from market.services.surveillance.detectors.relationships import circular, wash_and_cross

DETECTORS = [guide_deviation, vwap_deviation, band_rejection_storm, wash_and_cross, circular,
             concentration, cancel_fill_ratio, negotiated_deviation, single_bidder,
             ceiling_rush, same_district_bidders, payout_overdue]

__all__ = [
    "DETECTORS", "Draft", "band_rejection_storm", "cancel_fill_ratio", "ceiling_rush",
    "circular", "concentration", "guide_deviation", "negotiated_deviation", "payout_overdue",
    "same_district_bidders", "single_bidder", "vwap_deviation", "wash_and_cross",
]
