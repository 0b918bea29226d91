"""Off-book deals: a listing's, a procurement's or a negotiated transfer's one trade.

The book makes its trades from fills (`trading.event_writer`); the other mechanisms agree a
price and quantity elsewhere and record the deal here, so every trade settles the same way.
The caller has already set the quantity aside (encumbered on the lot) and the deposit aside
(held in the buyer's cash): the deal moves the deposit to the settlement's escrow and, when
nothing more is owed, delivers at once.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from market.extensions import db
from market.services import ledger
from market.services.settlement.lifecycle import complete_settlement, open_settlement
from models import Instrument, Lot, Settlement, Trade, User
from models.order import BOOK_MECHANISMS


@dataclass(frozen=True)
class Deal:
    """What two parties agreed off the book."""

    lot: Lot
    buyer_account_id: int
    price: Decimal
    quantity: Decimal
    mechanism: str
    # The side that made the deal final: the winning bidder (buy), offerer (sell), ...
    final_side: str
    # Cash already held for the buyer that becomes the settlement's paid-in deposit.
    deposit: Decimal


def record_deal(deal: Deal, actor: User | None, now: datetime) -> Settlement:
    """One trade for the deal and its settlement, inside the caller's transaction."""
    if deal.mechanism in BOOK_MECHANISMS:
        raise ValueError(f"{deal.mechanism} trades come from the book, not from a deal")
    instrument: Instrument = deal.lot.instrument
    amount = ledger.trade_amount(deal.price, deal.quantity)
    if deal.deposit > amount:
        raise ValueError("a deal's deposit cannot exceed its amount")
    trade = Trade(
        instrument_id=instrument.id, buyer_account_id=deal.buyer_account_id,
        seller_account_id=deal.lot.owner_account_id, lot_id=deal.lot.id, price=deal.price,
        quantity=deal.quantity, amount=amount, aggressor_side=deal.final_side,
        mechanism=deal.mechanism, executed_at=now,
    )
    db.session.add(trade)
    db.session.flush()
    settlement = open_settlement(trade, instrument, deal.deposit, actor, now)
    if settlement.amount_due == 0:
        complete_settlement(settlement, actor, now)
    return settlement
