"""Negotiated transfers (协议转让, incl. 跨省域调剂): proposal, acceptance, approvals, the deal."""

from market.services.negotiated.transfers import (
    accept,
    approve,
    awaits,
    decline,
    list_transfers,
    propose,
    reject,
    sides_of,
    transfer_visible_to,
    withdraw,
)

__all__ = [
    "accept", "approve", "awaits", "decline", "list_transfers", "propose", "reject", "sides_of",
    "transfer_visible_to", "withdraw",
]
