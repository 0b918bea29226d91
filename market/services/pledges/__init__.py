"""Pledges (质押): lot quantity securing a loan, registered, released or enforced by a
regulator; registered quantity sits in the lot's `pledged` ledger bucket."""

from market.services.pledges.pledges import (
    enforce_pledge,
    list_pledges,
    pledge_visible_to,
    register_pledge,
    reject_pledge,
    release_pledge,
    request_pledge,
)

__all__ = [
    "enforce_pledge", "list_pledges", "pledge_visible_to", "register_pledge", "reject_pledge",
    "release_pledge", "request_pledge",
]
