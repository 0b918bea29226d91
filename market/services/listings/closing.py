"""The close: a scheduled job, idempotent and safe after a crash.

Each due auction closes in a use case of its own under its instrument's lock and its own row
lock, and only while it is still `open` and due: a close that already happened (or a job
that crashed half-way, whose transaction rolled back) leaves nothing to redo twice.

The best bid or offer makes one trade and its settlement (`settlement.record_deal`):
- a listing: the winning buyer's held bidding deposit is the settlement's paid-in deposit
  (amount_due = amount − deposit); the listed quantity, already encumbered, is what settles;
- a procurement: the winning seller's lot quantity, encumbered at registration, is what
  settles; the buyer's deposit at the winning price (the instrument's ratio) is the
  settlement's, the rest of its hold comes back. Sellers' bidding deposits secure their offers
  while bidding runs and all come back at the close: delivery is already secured by the
  encumbered quantity, and the buyer is the one who must pay.
Every other deposit is released. No bid: `failed`, and the quantity or the buyer's hold
comes back.
"""

import secrets
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import audit, ledger, settlement
from market.services.listings import auctions, clock, rules
from market.services.transaction import end_read, use_case
from matching.listing_auction import Awarded, Close, Refused
from models import Auction

SCHEDULER = "scheduler"


def close_due(now: datetime | None = None) -> int:
    """Close every auction whose (extended) close has passed; how many closed."""
    now = now or clock.now()
    due = db.session.scalars(select(Auction.id).where(
        Auction.state == "open", Auction.closes_at <= now).order_by(Auction.id)).all()
    end_read()
    return sum(1 for auction_id in due if close_auction(auction_id, now) is not None)


@use_case
def close_auction(auction_id: int, now: datetime) -> Auction | None:
    """Close one auction if it is still open and due; None when there is nothing to do."""
    kind = db.session.scalar(select(Auction.kind).where(Auction.id == auction_id))
    auction = auctions.lock_auction(kind, auction_id)
    if auction.state != "open" or auction.closes_at > now:
        return None
    events = rules.rules_of(auction).apply(Close(now, seed=auction.seed))
    if any(isinstance(event, Refused) for event in events):
        return None
    award = next((event for event in events if isinstance(event, Awarded)), None)
    if award is not None and _deliverable(auction, award):
        _award(auction, award, events, now)
    else:
        _fail(auction, now)
    auction.closed_at = now
    return auction


def _deliverable(auction: Auction, award: Awarded) -> bool:
    # A lot frozen or revoked while the auction ran cannot settle: the auction fails.
    winner = _registration(auction, award.bidder)
    lot = auction.lot if auction.kind == "listing" else winner.lot
    return lot.status == "active"


def _registration(auction: Auction, registration_id):
    return next(r for r in auction.registrations if r.id == registration_id)


def _award(auction: Auction, award: Awarded, events, now: datetime) -> None:
    winner = _registration(auction, award.bidder)
    amount = ledger.trade_amount(award.price, auction.quantity)
    why = f"{auction.kind} {auction.id} closed"
    if auction.kind == "listing":
        lot, buyer_id, side = auction.lot, winner.account_id, "buy"
        deposit = winner.held
        # The rules escrow the winner's deposit (DepositEscrowed): its hold becomes the
        # settlement's paid-in deposit, which record_deal moves held → escrow.
        winner.held, winner.deposit_state = Decimal("0"), "escrowed"
        auction.encumbered = Decimal("0")
    else:
        lot, buyer_id, side = winner.lot, auction.owner_account_id, "sell"
        deposit = min(ledger.deposit_for(auction.instrument.deposit_ratio, amount), auction.held)
        ledger.release_cash(buyer_id, auction.held - deposit, None,
                            memo=f"procurement deposit beyond the deal: {why}",
                            reference=f"procurement:{auction.id}")
        auction.held = Decimal("0")
        # The seller's set-aside quantity is now the settlement's encumbrance.
        winner.encumbered = Decimal("0")
    auctions.released_by(events, auction, None, why)
    deal = settlement.Deal(lot=lot, buyer_account_id=buyer_id, price=award.price,
                           quantity=auction.quantity, mechanism=auction.kind, final_side=side,
                           deposit=deposit)
    opened = settlement.record_deal(deal, None, now)
    auction.state = "closed"
    auction.winner_registration_id = winner.id
    auction.price = award.price
    auction.trade_id, auction.settlement_id = opened.trade_id, opened.id
    auction.lottery = ",".join(award.lottery) if award.lottery else None
    auction.verification_code = secrets.token_urlsafe(18)
    audit.record(None, f"{auction.kind}.close", auction.kind, auction.id, {
        "winner_registration": winner.id, "price": award.price, "amount": amount,
        "trade": opened.trade_id, "settlement": opened.id, "lottery": auction.lottery,
        "seed": auction.seed if award.lottery else None}, actor_name=SCHEDULER)


def _fail(auction: Auction, now: datetime) -> None:
    why = f"{auction.kind} {auction.id} failed"
    for registration in auction.registrations:
        if registration.deposit_state == "held":
            auctions.release_deposit(registration, None, why)
    auctions.release_owner(auction, None, why)
    auction.state = "failed"
    audit.record(None, f"{auction.kind}.fail", auction.kind, auction.id,
                 {"bids": len(auction.bids)}, actor_name=SCHEDULER)
