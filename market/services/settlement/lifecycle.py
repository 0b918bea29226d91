"""Settlement: each trade becomes payment and delivery, exactly once (DESIGN.md).

pending_payment → completed (paid in full: quantity to a child lot, proceeds less fee to the
seller, delivery versus payment in one transaction), → defaulted (deadline passed), or →
cancelled (a regulator annuls it). Every step is a ledger transaction and, when a person or
the scheduler acts, an audit row.
"""

from datetime import timedelta
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, certificates, identity, ledger, payouts, registry, row_ids
from market.services.catalogue import lock_instrument
from market.services.transaction import end_read, use_case
from market.vocabulary import SETTLEMENT_STATUS, word
from models import Account, Instrument, Lot, Settlement, SettlementPayment, Trade, User
from models.base import utcnow
from models.ledger import CASH_ASSET


def _move_cash(kind: str, memo: str, source, target, amount: Decimal, actor, settlement_id):
    if amount > 0:
        ledger.post(kind, memo, [ledger.Move(CASH_ASSET, source, target, amount)], actor=actor,
                    reference=f"settlement:{settlement_id}")


def open_settlement(trade: Trade, instrument: Instrument, deposit: Decimal, actor: User | None,
             now) -> Settlement:
    """Create a trade's settlement and move the buyer's deposit from held cash to escrow."""
    # The trade itself as well as its id: the order writer's trades and settlements are not
    # inserted until its batch ends, and a settlement completed at once reads its trade.
    settlement = Settlement(
        trade=trade, trade_id=trade.id, instrument_id=instrument.id,
        buyer_account_id=trade.buyer_account_id,
        seller_account_id=trade.seller_account_id, lot_id=trade.lot_id,
        quantity=trade.quantity, amount=trade.amount, deposit=deposit,
        fee=ledger.fee_for(instrument.fee_bps, trade.amount), escrowed=Decimal("0"),
        status="pending_payment", due_at=now + timedelta(days=instrument.settlement_days),
        created_at=now,
    )
    row_ids.add(settlement)
    _move_cash("deposit", f"deposit for trade {trade.id}",
               ledger.cash(trade.buyer_account_id, "held"), ledger.escrow(settlement.id),
               deposit, actor, settlement.id)
    return settlement


def complete_settlement(settlement: Settlement, actor: User | None, now) -> None:
    """Delivery versus payment: quantity to the buyer's new lot, proceeds to the seller."""
    if settlement.lot is None:  # not inserted yet (the order writer's batch): no lazy load
        settlement.lot = db.session.get(Lot, settlement.lot_id)
    lot = settlement.lot
    child = registry.transfer_to_child(
        lot, settlement.quantity, db.session.get(Account, settlement.buyer_account_id), actor,
        reference=f"settlement:{settlement.id}")
    _move_cash("proceeds", f"proceeds of settlement {settlement.id} from {lot.serial}",
               ledger.escrow(settlement.id), ledger.cash(settlement.seller_account_id,
                                                         "available"),
               settlement.amount - settlement.fee, actor, settlement.id)
    _move_cash("fee", f"fee on settlement {settlement.id}", ledger.escrow(settlement.id),
               ledger.FEES, settlement.fee, actor, settlement.id)
    # The lot's beneficiaries are owed the proceeds just paid (经济反哺; services/payouts).
    payouts.owe_proceeds(settlement, actor, now)
    settlement.status = "completed"
    settlement.closed_at = now
    settlement.child_lot_id = child.id
    certificates.issue_certificate("transfer", settlement,
                                   certificates.transfer_facts(settlement), actor)


def _lock(settlement_id: int) -> Settlement:
    """The settlement, locked after its instrument's lock (the order matching takes them in)."""
    instrument_id = db.session.scalar(
        select(Settlement.instrument_id).where(Settlement.id == settlement_id))
    if instrument_id is None:
        raise NotFound("settlement", settlement_id)
    lock_instrument(instrument_id)
    settlement = db.session.scalar(
        select(Settlement).where(Settlement.id == settlement_id).with_for_update(of=Settlement)
        .execution_options(populate_existing=True))
    if settlement is None:
        raise NotFound("settlement", settlement_id)
    return settlement


def _require_pending(settlement: Settlement) -> None:
    if settlement.status != "pending_payment":
        raise DomainError("settlement_closed", lazy_gettext(
            "settlement %(id)s is %(status)s", id=settlement.id,
            status=word(SETTLEMENT_STATUS, settlement.status)))


def _record_payment(actor: User, settlement: Settlement, amount: Decimal, method: str,
                    reference: str | None, source) -> None:
    now = utcnow()
    _move_cash("payment", f"{method} payment toward settlement {settlement.id}", source,
               ledger.escrow(settlement.id), amount, actor, settlement.id)
    db.session.add(SettlementPayment(settlement=settlement, amount=amount, method=method,
                                     reference=reference, recorded_by_user_id=actor.id,
                                     recorded_at=now))
    audit.record(actor, f"settlement.pay_{method}", "settlement", settlement.id,
                 {"amount": amount, "reference": reference})
    if settlement.amount_due == 0:
        _deliver_unless_frozen(settlement, actor, now)


def _deliver_unless_frozen(settlement: Settlement, actor: User | None, now) -> None:
    """Deliver a fully paid settlement, unless a regulator froze its lot meanwhile: then the
    payment waits in escrow until the lot is unfrozen or the settlement cancelled."""
    if settlement.lot.status == "frozen":
        audit.record(actor, "settlement.delivery_held", "settlement", settlement.id,
                     {"lot": settlement.lot.serial, "escrowed": settlement.escrowed})
        return
    complete_settlement(settlement, actor, now)
    audit.record(actor, "settlement.complete", "settlement", settlement.id,
                 {"amount": settlement.amount, "quantity": settlement.quantity})


def deliver_held(actor: User, lot: Lot) -> int:
    """Deliver the paid settlements that waited for this lot to be unfrozen (a part of the
    unfreeze; the caller holds the instrument lock). Returns how many."""
    waiting = db.session.scalars(
        select(Settlement).where(Settlement.lot_id == lot.id,
                                 Settlement.status == "pending_payment",
                                 Settlement.escrowed >= Settlement.amount)
        .order_by(Settlement.id).with_for_update(of=Settlement)
        .execution_options(populate_existing=True)).all()
    now = utcnow()
    for settlement in waiting:
        _deliver_unless_frozen(settlement, actor, now)
    return len(waiting)


@use_case
def pay_from_cash(actor: User, account: Account, settlement_id: int) -> Settlement:
    """The buyer pays the balance due from its available cash."""
    settlement = _lock(settlement_id)
    if settlement.buyer_account_id != account.id:
        raise NotFound("settlement", settlement_id)
    _require_pending(settlement)
    due = settlement.amount_due
    if account.cash_available < due:
        raise DomainError("insufficient_funds",
                          lazy_gettext("%(due)s is due but only %(cash)s is available",
                                       due=due, cash=account.cash_available))
    _record_payment(actor, settlement, due, "cash", None, ledger.cash(account.id, "available"))
    return settlement


@use_case
def confirm_bank_payment(actor: User, settlement_id: int, amount: Decimal,
                         reference: str) -> Settlement:
    """A regulator confirms a bank transfer from the buyer toward the settlement."""
    settlement = _in_sight(actor, _lock(settlement_id), settlement_id)
    _require_pending(settlement)
    if amount > settlement.amount_due:
        raise InvalidInput("amount", lazy_gettext("exceeds the %(due)s still due",
                                                  due=settlement.amount_due), code="overpayment")
    _record_payment(actor, settlement, amount, "bank", reference, ledger.BANK)
    return settlement


def _unwind(settlement: Settlement, actor: User | None, refund: Decimal, why: str) -> None:
    """Give the quantity back to the seller and `refund` of the escrow back to the buyer."""
    _move_cash("refund", f"refund of settlement {settlement.id}: {why}",
               ledger.escrow(settlement.id), ledger.cash(settlement.buyer_account_id,
                                                         "available"),
               refund, actor, settlement.id)
    ledger.release_encumbered(settlement.lot, settlement.quantity, actor,
                          f"settlement {settlement.id} {why}")


@use_case
def cancel_settlement(actor: User, settlement_id: int, reason: str) -> Settlement:
    """A regulator annuls a settlement: cash back to the buyer, quantity back to the seller."""
    settlement = _in_sight(actor, _lock(settlement_id), settlement_id)
    _require_pending(settlement)
    _unwind(settlement, actor, settlement.escrowed, "cancelled")
    settlement.status = "cancelled"
    settlement.closed_at = utcnow()
    settlement.close_reason = reason
    audit.record(actor, "settlement.cancel", "settlement", settlement.id, {"reason": reason})
    return settlement


def default_overdue(now=None) -> int:
    """Default every pending settlement past its deadline; safe to run any number of times.

    The deposit is forfeited as the instrument says (to the seller, or to the fee account);
    any payment beyond the deposit goes back to the buyer; the quantity returns to the seller.
    One transaction per instrument, under its lock, like matching.
    """
    now = now or utcnow()
    instrument_ids = db.session.scalars(
        select(Settlement.instrument_id).where(*_overdue(now))
        .distinct().order_by(Settlement.instrument_id)).all()
    end_read()
    return sum(_default_instrument(instrument_id, now) for instrument_id in instrument_ids)


def _overdue(now) -> tuple:
    # A settlement paid in full is not in default even if its delivery waits (a frozen lot).
    return (Settlement.status == "pending_payment", Settlement.due_at <= now,
            Settlement.escrowed < Settlement.amount)


@use_case
def _default_instrument(instrument_id: int, now) -> int:
    instrument = lock_instrument(instrument_id)
    query = (select(Settlement).where(Settlement.instrument_id == instrument_id, *_overdue(now))
             .order_by(Settlement.id).with_for_update(of=Settlement, skip_locked=True)
             .execution_options(populate_existing=True))
    count = 0
    for settlement in db.session.scalars(query).all():
        forfeited = min(settlement.deposit, settlement.escrowed)
        target = (ledger.cash(settlement.seller_account_id, "available")
                  if instrument.forfeit_to == "seller" else ledger.FEES)
        _move_cash("forfeit", f"deposit forfeited on settlement {settlement.id}",
                   ledger.escrow(settlement.id), target, forfeited, None, settlement.id)
        _unwind(settlement, None, settlement.escrowed - forfeited, "defaulted")
        settlement.status = "defaulted"
        settlement.closed_at = now
        settlement.close_reason = f"unpaid at the deadline {settlement.due_at.isoformat()}"
        audit.record(None, "settlement.default", "settlement", settlement.id,
                     {"forfeited": forfeited, "to": instrument.forfeit_to},
                     actor_name="scheduler")
        count += 1
    return count


def settlement_visible_to(actor: User, settlement_id: int) -> Settlement:
    """A settlement its parties, or a regulator whose jurisdiction holds a party, may read."""
    return _in_sight(actor, db.session.get(Settlement, settlement_id), settlement_id)


def _in_sight(actor: User, settlement: Settlement | None, settlement_id: int) -> Settlement:
    if settlement is None or (actor.role == "trader" and actor.account_id not in (
            settlement.buyer_account_id, settlement.seller_account_id)):
        raise NotFound("settlement", settlement_id)
    parties = db.session.scalars(select(Account.district_id).where(
        Account.id.in_([settlement.buyer_account_id, settlement.seller_account_id]))).all()
    if not identity.jurisdiction_of(actor).covers(*parties):
        raise NotFound("settlement", settlement_id)
    return settlement


def list_settlements(actor: User, status: str | None, limit: int, offset: int) -> list[Settlement]:
    """A trader's own settlements (as buyer or seller), or a regulator's within its
    jurisdiction."""
    query = select(Settlement).order_by(Settlement.id.desc()).limit(limit).offset(offset) \
        .where(identity.parties_visible_to(actor, Settlement.buyer_account_id,
                                           Settlement.seller_account_id))
    if status:
        query = query.where(Settlement.status == status)
    return list(db.session.scalars(query))


def proceeds_received(account_id: int, start, end) -> Decimal:
    """What a seller received (price less fee) from settlements completed in [start, end)."""
    rows = db.session.execute(select(Settlement.amount, Settlement.fee).where(
        Settlement.seller_account_id == account_id, Settlement.status == "completed",
        Settlement.closed_at >= start, Settlement.closed_at < end)).all()
    return sum((amount - fee for amount, fee in rows), Decimal("0.00"))
