"""Who may trade with whom: the scope windows of a lot and the buyer's quality demand.

Scope follows seed 002 §4(四): surplus indicators are used locally first, and only what is
left may be 调剂 across the city ("仍有节余的可在市域范围内调剂使用"), then across the
province where the instrument allows it. Quality follows 占优补优: a buyer may require a
grade no worse than k (1 is best, 15 worst).
"""

from __future__ import annotations

from typing import Any

from matching.types import BuyerEligibility, LotEligibility

COUNTY = "county"
CITY = "city"
PROVINCE = "province"


def _before(at: Any, until: Any) -> bool:
    # An unknown time (None) is treated as the start of the window: the strictest stage.
    return at is None or at < until


def scope_at(lot: LotEligibility, at: Any, province_allowed: bool) -> str:
    """Return the stage a lot's scope is in at time ``at``: county, city or province."""
    if lot.local_until is not None and _before(at, lot.local_until):
        return COUNTY
    if lot.city_until is not None and _before(at, lot.city_until):
        return CITY
    if lot.province_wide and province_allowed:
        return PROVINCE
    return CITY


def can_trade(
    buyer: BuyerEligibility | None,
    lot: LotEligibility | None,
    at: Any,
    province_allowed: bool = False,
) -> bool:
    """Decide whether this buyer may take this lot at time ``at``.

    >>> can_trade(BuyerEligibility(max_quality_grade=3), LotEligibility(quality_grade=5), 0)
    False
    >>> can_trade(None, None, 0)
    True
    """
    wanted = buyer.max_quality_grade if buyer is not None else None
    if lot is None:
        # A sell without lot data is open to all, but cannot prove any quality grade.
        return wanted is None
    if wanted is not None and (lot.quality_grade is None or lot.quality_grade > wanted):
        return False
    stage = scope_at(lot, at, province_allowed)
    if buyer is None:
        # A buyer with no district cannot show it is inside any restricted scope.
        return False
    if stage == COUNTY:
        return buyer.county is not None and buyer.county == lot.county
    if stage == CITY:
        return buyer.city is not None and buyer.city == lot.city
    return buyer.province is not None and buyer.province == lot.province
