"""Listing auctions (挂牌竞价) and procurements (指标收购, reverse auctions).

The rules are pure (matching/listing_auction.py); these use cases announce, register, review,
bid, cancel and close, each under the instrument's and the auction's lock, every act audited.
Deposits and set-aside quantities are ledger reservations (ledger/auction_reservations.py
keeps the invariants over them); the close makes one trade through `settlement.record_deal`.
"""

from market.services.listings.auctions import (
    AuctionView,
    cancel_auction,
    create_listing,
    create_procurement,
    get_visible,
    list_visible,
    registrations_for,
    status_of,
    view,
)
from market.services.listings.bidding import place_bid
from market.services.listings.clock import replaying
from market.services.listings.closing import close_auction, close_due
from market.services.listings.confirmation import (
    Confirmation,
    confirmation_for,
    confirmation_pdf,
)
from market.services.listings.registrations import approve, register, reject
from market.services.listings.words import (
    AUCTION_KIND,
    AUCTION_STATUS,
    DEPOSIT_STATE,
    QUALIFICATION,
    REGISTRATION_STATUS,
)

__all__ = [
    "AUCTION_KIND", "AUCTION_STATUS", "AuctionView", "Confirmation", "DEPOSIT_STATE",
    "QUALIFICATION", "REGISTRATION_STATUS", "approve", "cancel_auction", "close_auction",
    "close_due", "confirmation_for", "confirmation_pdf", "create_listing", "create_procurement",
    "get_visible", "list_visible", "place_bid", "register", "registrations_for", "reject",
    "replaying",
    "status_of", "view",
]
