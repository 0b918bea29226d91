"""Bid on a listing or offer to a procurement, under the instrument's and the auction's lock.

The rules (matching/listing_auction.py) decide; this writes what they say: the bid in its
sequence and, for a late bid, the later close.
"""

from decimal import Decimal

from market.extensions import db
from market.services import audit
from market.services.listings import auctions, clock, rules
from market.services.transaction import use_case
from matching.listing_auction import Bid, BidAccepted, Extended
from models import Account, AuctionBid, User


@use_case
def place_bid(actor: User, account: Account, kind: str, auction_id: int, price: Decimal
              ) -> AuctionBid:
    """A registrant's bid (listing) or offer (procurement) at `price`."""
    auction = auctions.lock_auction(kind, auction_id)
    auctions.check_can_trade(account, auction.instrument)
    registration = next((r for r in auction.registrations if r.account_id == account.id), None)
    if registration is None:
        raise rules.refusal("not_registered")
    now = clock.now()
    events = rules.applied(rules.rules_of(auction), Bid(registration.id, price, now))
    accepted = next(event for event in events if isinstance(event, BidAccepted))
    bid = AuctionBid(auction_id=auction.id, registration_id=registration.id, price=price,
                     at_limit=accepted.at_limit, sequence=accepted.sequence, placed_at=now)
    db.session.add(bid)
    for event in events:
        if isinstance(event, Extended):
            auction.closes_at = event.closes_at
    # The auction's row lock orders bids; the unique sequence is the last line of defence.
    db.session.flush()
    audit.record(actor, f"{kind}.bid", kind, auction.id, {
        "registration": registration.id, "price": price, "sequence": bid.sequence,
        "closes_at": auction.closes_at.isoformat()})
    return bid
