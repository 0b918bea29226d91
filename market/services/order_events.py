"""Write the engine's events to the database: the rows, the cash and the quantity.

`apply` runs inside the caller's transaction, after the engine has decided; every event
changes rows and posts ledger moves, so a crash before commit leaves nothing behind.
"""

from dataclasses import dataclass, field

from market.extensions import db
from market.services import amounts, ledger, lot_movements, settlements
from matching import Cancelled, Filled, Reduced, Replaced, Rested
from models import Instrument, Order, Trade, User
from models.ledger import CASH_ASSET


@dataclass
class Outcome:
    """What a command did: the trades it made and the orders it closed."""

    trades: list[Trade] = field(default_factory=list)
    closed: list[Order] = field(default_factory=list)


def hold(order: Order, amount, actor: User | None) -> None:
    """Move `amount` of the buyer's available cash into held for this order."""
    if amount > 0:
        ledger.post("hold", f"hold for order {order.id}",
                    [ledger.Move(CASH_ASSET, ledger.cash(order.account_id, "available"),
                                 ledger.cash(order.account_id, "held"), amount)],
                    actor=actor, reference=f"order:{order.id}")


def rehold(order: Order, instrument: Instrument, actor: User | None) -> None:
    """Bring a buy order's hold to exactly the deposit on its open quantity."""
    needed = amounts.hold_for(instrument.deposit_ratio, order.price, order.remaining)
    delta = needed - order.held
    if delta > 0:
        hold(order, delta, actor)
    elif delta < 0:
        ledger.post("release", f"release hold of order {order.id}",
                    [ledger.Move(CASH_ASSET, ledger.cash(order.account_id, "held"),
                                 ledger.cash(order.account_id, "available"), -delta)],
                    actor=actor, reference=f"order:{order.id}")
    order.held = needed


def _close(order: Order, status: str, reason: str | None, outcome: Outcome) -> None:
    order.status = status
    order.close_reason = reason
    outcome.closed.append(order)


def _cancelled(event: Cancelled, order: Order, instrument: Instrument, actor, outcome) -> None:
    quantity = event.remaining_cancelled
    order.remaining -= quantity
    if order.side == "buy":
        rehold(order, instrument, actor)
    else:
        lot_movements.release(order.lot, quantity, actor, f"order {order.id} {event.reason}")
    _close(order, "expired" if event.reason == "expired" else "cancelled", event.reason, outcome)


def _filled(event: Filled, orders: dict[int, Order], instrument: Instrument, actor,
            now, outcome: Outcome) -> None:
    buy, sell = orders[event.buy_order_id], orders[event.sell_order_id]
    quantity, price = event.quantity, event.price
    amount = amounts.trade_amount(price, quantity)
    for order in (buy, sell):
        order.filled += quantity
        order.remaining -= quantity
    trade = Trade(
        instrument_id=instrument.id, buy_order_id=buy.id, sell_order_id=sell.id,
        buyer_account_id=buy.account_id, seller_account_id=sell.account_id, lot_id=sell.lot_id,
        price=price, quantity=quantity, amount=amount, executed_at=now,
        aggressor_side="buy" if event.taker_order_id == buy.id else "sell",
    )
    db.session.add(trade)
    db.session.flush()
    # The deposit for this fill leaves the buy order's hold for the settlement's escrow;
    # the rest of the hold is trued up to the deposit on what is still open.
    deposit = amounts.deposit_for(instrument.deposit_ratio, amount)
    settlement = settlements.open_for(trade, instrument, deposit, actor, now)
    buy.held -= deposit
    rehold(buy, instrument, actor)
    outcome.trades.append(trade)
    for order in (buy, sell):
        if order.remaining == 0:
            _close(order, "filled", None, outcome)
    if settlement.status == "pending_payment" and settlement.amount_due == 0:
        settlements.complete(settlement, actor, now)


def apply(events: list, orders: dict[int, Order], instrument: Instrument, actor: User | None,
          now) -> Outcome:
    """Persist the events of one engine command, in order."""
    outcome = Outcome()
    for event in events:
        kind = type(event)
        if kind is Filled:
            _filled(event, orders, instrument, actor, now, outcome)
        elif kind is Rested:
            orders[event.order_id].priority = event.priority
        elif kind is Cancelled:
            _cancelled(event, orders[event.order_id], instrument, actor, outcome)
        elif kind is Reduced:
            order = orders[event.order_id]
            released = event.old_remaining - event.new_remaining
            order.remaining = event.new_remaining
            order.quantity -= released
            if order.side == "buy":
                rehold(order, instrument, actor)
            else:
                lot_movements.release(order.lot, released, actor, f"order {order.id} reduced")
        elif kind is Replaced:
            order = orders[event.order_id]
            order.price = event.new_price
            if order.side == "buy":
                rehold(order, instrument, actor)
    return outcome


