"""What listings and procurements hold and set aside, for the invariants.

A listing encumbers its quantity on the seller's lot while it is open; a procurement holds its
buyer's deposit; every registration holds its bidding deposit and a procurement seller's
registration encumbers the quantity on its lot. All of it returns to zero once the auction is
over: handed to the settlement or released.
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from market.extensions import db
from models import Auction, AuctionRegistration


def cash_held() -> dict[int, Decimal]:
    """Per account: the cash auctions hold (registration deposits, procurement deposits)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for account_id, held in db.session.execute(
            select(AuctionRegistration.account_id, func.sum(AuctionRegistration.held))
            .group_by(AuctionRegistration.account_id)):
        totals[account_id] += held or Decimal(0)
    for account_id, held in db.session.execute(
            select(Auction.owner_account_id, func.sum(Auction.held))
            .group_by(Auction.owner_account_id)):
        totals[account_id] += held or Decimal(0)
    return totals


def quantity_set_aside() -> dict[int, Decimal]:
    """Per lot: the quantity listings and procurement offers keep encumbered."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for lot_id, quantity in db.session.execute(
            select(Auction.lot_id, func.sum(Auction.encumbered))
            .where(Auction.lot_id.is_not(None)).group_by(Auction.lot_id)):
        totals[lot_id] += quantity or Decimal(0)
    for lot_id, quantity in db.session.execute(
            select(AuctionRegistration.lot_id, func.sum(AuctionRegistration.encumbered))
            .where(AuctionRegistration.lot_id.is_not(None))
            .group_by(AuctionRegistration.lot_id)):
        totals[lot_id] += quantity or Decimal(0)
    return totals


def auction_mismatches() -> list[str]:
    """Holds match their records: an open auction's registrants hold their deposits; once it
    is over nothing is held or encumbered; a closed one has its trade; a registration's deposit
    is held, released or escrowed as its state says."""
    problems = []
    for auction in db.session.scalars(select(Auction).where(Auction.state != "open")):
        if auction.held or auction.encumbered:
            problems.append(f"{auction.kind} {auction.id} is {auction.state} but still holds "
                            f"{auction.held} or encumbers {auction.encumbered}")
        if (auction.state == "closed") != (auction.trade_id is not None):
            problems.append(f"{auction.kind} {auction.id} is {auction.state} with trade "
                            f"{auction.trade_id}")
    rows = db.session.execute(
        select(AuctionRegistration.id, AuctionRegistration.deposit_state,
               AuctionRegistration.held, AuctionRegistration.deposit,
               AuctionRegistration.encumbered, Auction.state)
        .join(Auction, Auction.id == AuctionRegistration.auction_id))
    for registration_id, deposit_state, held, deposit, encumbered, state in rows:
        expected = deposit if deposit_state == "held" else Decimal(0)
        if held != expected:
            problems.append(f"registration {registration_id} ({deposit_state}) holds {held}, "
                            f"not {expected}")
        if deposit_state == "held" and state != "open":
            problems.append(f"registration {registration_id} still holds its deposit after "
                            f"its auction ended ({state})")
        if deposit_state != "held" and encumbered:
            problems.append(f"registration {registration_id} still encumbers {encumbered}")
    return problems
