"""Write the engine's events to the database: the rows, the cash and the quantity.

Only the engine seam (`engine.py`) calls `apply`, inside the caller's transaction, after the
engine has decided; every event changes rows and posts ledger moves, so a crash before
commit leaves nothing behind.
"""

from dataclasses import dataclass, field

from market.services import ledger, row_ids, settlement
from matching import Amended, Cancelled, Filled, Reduced, Replaced, Rested
from models import Instrument, Order, Trade, User


@dataclass
class Written:
    """What the events changed: the trades they made and the orders they closed."""

    trades: list[Trade] = field(default_factory=list)
    closed: list[Order] = field(default_factory=list)


def rehold(order: Order, instrument: Instrument, actor: User | None) -> None:
    """Bring a buy order's hold to exactly the deposit on its open quantity."""
    needed = ledger.hold_for(instrument.deposit_ratio, order.price, order.remaining)
    delta = needed - order.held
    if delta > 0:
        ledger.hold_cash(order.account_id, delta, actor, memo=f"hold for order {order.id}",
                         reference=f"order:{order.id}")
    elif delta < 0:
        ledger.release_cash(order.account_id, -delta, actor,
                            memo=f"release hold of order {order.id}",
                            reference=f"order:{order.id}")
    order.held = needed


def _close(order: Order, status: str, reason: str | None, outcome: Written) -> None:
    order.status = status
    order.close_reason = reason
    outcome.closed.append(order)


def _cancelled(event: Cancelled, order: Order, instrument: Instrument, actor, outcome) -> None:
    quantity = event.remaining_cancelled
    order.remaining -= quantity
    if event.side == "buy":
        rehold(order, instrument, actor)
    else:
        ledger.release_encumbered(order.lot, quantity, actor, f"order {order.id} {event.reason}")
    _close(order, "expired" if event.reason == "expired" else "cancelled", event.reason, outcome)


def _filled(event: Filled, orders: dict[int, Order], instrument: Instrument, actor,
            now, outcome: Written, mechanism: str) -> None:
    buy, sell = orders[event.buy_order_id], orders[event.sell_order_id]
    quantity, price = event.quantity, event.price
    amount = ledger.trade_amount(price, quantity)
    for order in (buy, sell):
        order.filled += quantity
        order.remaining -= quantity
    trade = Trade(
        # The instrument as well as its key: the order writer answers with the trade unflushed.
        instrument=instrument, instrument_id=instrument.id, buy_order_id=buy.id,
        sell_order_id=sell.id,
        buyer_account_id=buy.account_id, seller_account_id=sell.account_id, lot_id=sell.lot_id,
        price=price, quantity=quantity, amount=amount, executed_at=now,
        aggressor_side="sell" if event.maker_side == "buy" else "buy", mechanism=mechanism,
    )
    row_ids.add(trade)
    # The deposit for this fill leaves the buy order's hold for the settlement's escrow;
    # the rest of the hold is trued up to the deposit on what is still open.
    deposit = ledger.deposit_for(instrument.deposit_ratio, amount)
    opened = settlement.open_settlement(trade, instrument, deposit, actor, now)
    buy.held -= deposit
    rehold(buy, instrument, actor)
    outcome.trades.append(trade)
    for order in (buy, sell):
        if order.remaining == 0:
            _close(order, "filled", None, outcome)
    if opened.status == "pending_payment" and opened.amount_due == 0:
        settlement.complete_settlement(opened, actor, now)


def _reduced(event: Reduced, order: Order, instrument: Instrument, actor) -> None:
    released = event.old_remaining - event.new_remaining
    order.remaining = event.new_remaining
    order.quantity -= released
    if event.side == "buy":
        rehold(order, instrument, actor)
    else:
        ledger.release_encumbered(order.lot, released, actor, f"order {order.id} reduced")


def _amended(event: Amended, order: Order, instrument: Instrument, actor) -> None:
    # The API only reduces or reprices, but an amendment may also raise the open quantity:
    # the hold or the encumbrance then grows with it.
    change = event.remaining - event.old_remaining
    order.price = event.price
    order.remaining = event.remaining
    order.quantity = order.filled + event.remaining
    if event.side == "buy":
        rehold(order, instrument, actor)
    elif change < 0:
        ledger.release_encumbered(order.lot, -change, actor, f"order {order.id} amended")
    elif change > 0:
        ledger.encumber(order.lot, change, actor, f"order {order.id} amended")


def apply(events: list, orders: dict[int, Order], instrument: Instrument, actor: User | None,
          now, mechanism: str = "continuous") -> Written:
    """Persist the events of one engine command, in order; fills become `mechanism` trades."""
    outcome = Written()
    for event in events:
        kind = type(event)
        if kind is Filled:
            _filled(event, orders, instrument, actor, now, outcome, mechanism)
        elif kind is Rested:
            orders[event.order_id].priority = event.priority
        elif kind is Cancelled:
            _cancelled(event, orders[event.order_id], instrument, actor, outcome)
        elif kind is Reduced:
            _reduced(event, orders[event.order_id], instrument, actor)
        elif kind is Replaced:
            order = orders[event.order_id]
            order.price = event.new_price
            if event.side == "buy":
                rehold(order, instrument, actor)
        elif kind is Amended:
            _amended(event, orders[event.order_id], instrument, actor)
    return outcome
