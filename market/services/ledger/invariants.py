"""The ledger invariants of DESIGN.md, checked against the live database.

Run by the tests after every scenario and by `flask check-invariants` in operations. Beyond
invariants 1–3 it reconciles every stored balance with the journal, so a balance changed
outside `ledger.post` is caught too.
"""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, or_, select

from market.extensions import db
from market.services.ledger import auction_reservations
from models import (
    Account,
    Instrument,
    JournalEntry,
    JournalTransaction,
    Lot,
    NegotiatedTransfer,
    Order,
    Payout,
    Pledge,
    Settlement,
    Trade,
)

LOT_BUCKETS = ("available", "encumbered", "pledged", "retired")


def check_all() -> list[str]:
    """Every violation found, as readable sentences; empty when all hold."""
    return [*unbalanced_transactions(), *negative_balances(), *issuance_mismatches(),
            *unreconciled_balances(), *order_mismatches(), *settlement_mismatches(),
            *auction_reservations.auction_mismatches(),
            *payout_mismatches(), *pledge_mismatches()]


def unbalanced_transactions() -> list[str]:
    """Invariant 1: every journal transaction sums to zero per asset."""
    rows = db.session.execute(
        select(JournalEntry.transaction_id, JournalEntry.asset, func.sum(JournalEntry.amount))
        .group_by(JournalEntry.transaction_id, JournalEntry.asset)
        .having(func.sum(JournalEntry.amount) != 0)
    ).all()
    return [f"journal transaction {txn} does not balance in {asset}: {total}"
            for txn, asset, total in rows]


def negative_balances() -> list[str]:
    """Invariant 2: no available or held balance (cash or quantity) is negative."""
    problems = []
    for account in db.session.scalars(
        select(Account).where(or_(Account.cash_available < 0, Account.cash_held < 0))
    ):
        problems.append(f"account {account.id} has a negative cash balance")
    for lot in db.session.scalars(
        select(Lot).where(or_(Lot.available < 0, Lot.encumbered < 0, Lot.retired < 0,
                              Lot.pledged < 0))
    ):
        problems.append(f"lot {lot.serial} has a negative bucket")
    return problems


def _book_totals(prefix: str) -> dict[tuple[str, str], Decimal]:
    rows = db.session.execute(
        select(JournalEntry.book, JournalEntry.asset, func.sum(JournalEntry.amount))
        .where(JournalEntry.book.like(f"{prefix}%"))
        .group_by(JournalEntry.book, JournalEntry.asset)
    ).all()
    return {(book, asset): total for book, asset, total in rows}


def issuance_mismatches() -> list[str]:
    """Invariant 3: per instrument, issued − revoked = Σ lots (available + encumbered + pledged
    + retired)."""
    system = _book_totals("system:")
    held = dict(db.session.execute(
        select(Instrument.code,
               func.sum(Lot.available + Lot.encumbered + Lot.pledged + Lot.retired))
        .join(Lot, Lot.instrument_id == Instrument.id).group_by(Instrument.code)
    ).all())
    problems = []
    for code in db.session.scalars(select(Instrument.code)):
        issued = -system.get(("system:issuance", code), Decimal(0))
        revoked = system.get(("system:revoked", code), Decimal(0))
        in_lots = held.get(code) or Decimal(0)
        if issued - revoked != in_lots:
            problems.append(f"{code}: issued {issued} − revoked {revoked} ≠ {in_lots} held in lots")
    return problems


def unreconciled_balances() -> list[str]:
    """Every stored balance equals the sum of its journal entries."""
    journal: dict[str, Decimal] = defaultdict(Decimal)
    for (book, _asset), total in {**_book_totals("account:"), **_book_totals("lot:"),
                                  **_book_totals("payout:")}.items():
        journal[book] += total
    problems = []
    for account_id, available, held in db.session.execute(
        select(Account.id, Account.cash_available, Account.cash_held)
    ):
        for bucket, stored in (("available", available), ("held", held)):
            book = f"account:{account_id}:{bucket}"
            if journal.get(book, Decimal(0)) != stored:
                problems.append(f"{book} holds {stored} but its journal says {journal.get(book)}")
    for lot_id, *buckets in db.session.execute(
        select(Lot.id, Lot.available, Lot.encumbered, Lot.pledged, Lot.retired)
    ):
        for bucket, stored in zip(LOT_BUCKETS, buckets, strict=True):
            book = f"lot:{lot_id}:{bucket}"
            if journal.get(book, Decimal(0)) != stored:
                problems.append(f"{book} holds {stored} but its journal says {journal.get(book)}")
    for payout_id, stored in db.session.execute(select(Payout.id, Payout.owed)):
        book = f"payout:{payout_id}:owed"
        if journal.get(book, Decimal(0)) != stored:
            problems.append(f"{book} holds {stored} but its journal says {journal.get(book)}")
    return problems




def order_mismatches() -> list[str]:
    """Invariant 4, and what open orders and settlements hold.

    No order is over-filled; an account's held cash is exactly what its open buy orders and
    its accepted negotiated transfers hold; a lot's encumbered quantity is exactly its open
    sell orders, its open negotiated transfers and its settlements in flight
    (plus, for both, what listings and procurements hold and set aside).
    """
    problems = [f"order {order_id} filled {filled} of {quantity}" for order_id, filled, quantity
                in db.session.execute(select(Order.id, Order.filled, Order.quantity)
                                      .where(Order.filled > Order.quantity))]
    problems += [f"closed order {order_id} still holds {held} or has {remaining} open"
                 for order_id, held, remaining in db.session.execute(
                     select(Order.id, Order.held, Order.remaining)
                     .where(Order.status != "open", (Order.held != 0) | (Order.remaining != 0)))]
    problems += [f"negotiated transfer {transfer_id} is {status} but settlement {settled} and "
                 f"deposit {deposit} say otherwise"
                 for transfer_id, status, settled, deposit in db.session.execute(
                     select(NegotiatedTransfer.id, NegotiatedTransfer.status,
                            NegotiatedTransfer.settlement_id, NegotiatedTransfer.deposit)
                     .where(((NegotiatedTransfer.status == "approved")
                             & NegotiatedTransfer.settlement_id.is_(None))
                            | (NegotiatedTransfer.status.in_(("withdrawn", "declined",
                                                               "rejected", "proposed"))
                               & (NegotiatedTransfer.deposit != 0))))]
    held = dict(db.session.execute(
        select(Order.account_id, func.sum(Order.held)).where(Order.status == "open")
        .group_by(Order.account_id)).all())
    for account_id, deposit in db.session.execute(
            select(NegotiatedTransfer.buyer_account_id, func.sum(NegotiatedTransfer.deposit))
            .where(NegotiatedTransfer.status == "accepted")
            .group_by(NegotiatedTransfer.buyer_account_id)):
        held[account_id] = held.get(account_id, Decimal(0)) + deposit
    for account_id, amount in auction_reservations.cash_held().items():
        held[account_id] = held.get(account_id, Decimal(0)) + amount
    for account_id, stored in db.session.execute(select(Account.id, Account.cash_held)):
        if held.get(account_id, Decimal(0)) != stored:
            problems.append(f"account {account_id} holds {stored} but its open orders and "
                            f"transfers hold {held.get(account_id, Decimal(0))}")
    listed = dict(db.session.execute(
        select(Order.lot_id, func.sum(Order.remaining))
        .where(Order.status == "open", Order.side == "sell").group_by(Order.lot_id)).all())
    settling = dict(db.session.execute(
        select(Settlement.lot_id, func.sum(Settlement.quantity))
        .where(Settlement.status == "pending_payment").group_by(Settlement.lot_id)).all())
    for lot_id, quantity in db.session.execute(
            select(NegotiatedTransfer.lot_id, func.sum(NegotiatedTransfer.quantity))
            .where(NegotiatedTransfer.status.in_(("proposed", "accepted")))
            .group_by(NegotiatedTransfer.lot_id)):
        listed[lot_id] = listed.get(lot_id, Decimal(0)) + quantity
    set_aside = auction_reservations.quantity_set_aside()
    for lot_id, serial, encumbered in db.session.execute(
            select(Lot.id, Lot.serial, Lot.encumbered)):
        expected = (listed.get(lot_id, Decimal(0)) + settling.get(lot_id, Decimal(0))
                    + set_aside.get(lot_id, Decimal(0)))
        if expected != encumbered:
            problems.append(f"lot {serial} has {encumbered} encumbered; orders, transfers "
                            f"and settlements account for {expected}")
    return problems


def settlement_mismatches() -> list[str]:
    """Invariant 5: one settlement per trade; a completed one moved exactly what it should."""
    problems = [f"trade {trade_id} has {count} settlements" for trade_id, count in
                db.session.execute(
                    select(Trade.id, func.count(Settlement.id))
                    .outerjoin(Settlement, Settlement.trade_id == Trade.id)
                    .group_by(Trade.id).having(func.count(Settlement.id) != 1))]
    moved = defaultdict(Decimal)
    for reference, kind, amount in db.session.execute(
        select(JournalTransaction.reference, JournalTransaction.kind, JournalEntry.amount)
        .join(JournalEntry, JournalEntry.transaction_id == JournalTransaction.id)
        .where(JournalTransaction.kind.in_(("proceeds", "fee", "deliver")),
               JournalEntry.amount > 0)
    ):
        moved[(reference, kind)] += amount
    for settlement in db.session.scalars(select(Settlement)):
        reference = f"settlement:{settlement.id}"
        if settlement.status != "pending_payment" and settlement.escrowed != 0:
            problems.append(f"closed settlement {settlement.id} still escrows "
                            f"{settlement.escrowed}")
        if settlement.status != "completed":
            continue
        if moved[(reference, "proceeds")] != settlement.amount - settlement.fee:
            problems.append(f"settlement {settlement.id} paid the seller "
                            f"{moved[(reference, 'proceeds')]}, not amount less fee")
        if moved[(reference, "fee")] != settlement.fee:
            problems.append(f"settlement {settlement.id} charged {moved[(reference, 'fee')]} "
                            f"in fees, not {settlement.fee}")
        if moved[(reference, "deliver")] != settlement.quantity:
            problems.append(f"settlement {settlement.id} delivered "
                            f"{moved[(reference, 'deliver')]}, not {settlement.quantity}")
    return problems


def payout_mismatches() -> list[str]:
    """Money back: a settlement's payouts split exactly its net proceeds, and each payout's
    unpaid part is exactly its amount less what was disbursed from it."""
    problems = []
    split = db.session.execute(
        select(Payout.settlement_id, func.sum(Payout.amount), Settlement.amount, Settlement.fee,
               Settlement.status)
        .join(Settlement, Settlement.id == Payout.settlement_id)
        .group_by(Payout.settlement_id, Settlement.amount, Settlement.fee, Settlement.status))
    for settlement_id, owed, amount, fee, status in split:
        if status != "completed" or owed != amount - fee:
            problems.append(f"settlement {settlement_id} ({status}) owes its beneficiaries "
                            f"{owed}, not its net proceeds {amount - fee}")
    paid = dict(db.session.execute(
        select(JournalTransaction.reference, func.sum(JournalEntry.amount))
        .join(JournalEntry, JournalEntry.transaction_id == JournalTransaction.id)
        .where(JournalTransaction.kind == "disbursement", JournalEntry.amount > 0)
        .group_by(JournalTransaction.reference)).all())
    for payout_id, amount, owed in db.session.execute(
            select(Payout.id, Payout.amount, Payout.owed)):
        disbursed = paid.get(f"payout:{payout_id}", Decimal(0))
        if amount - disbursed != owed:
            problems.append(f"payout {payout_id} of {amount} disbursed {disbursed} but still "
                            f"owes {owed}")
    return problems


def pledge_mismatches() -> list[str]:
    """A lot's pledged bucket is exactly the quantity of its registered pledges."""
    registered = dict(db.session.execute(
        select(Pledge.lot_id, func.sum(Pledge.quantity)).where(Pledge.status == "registered")
        .group_by(Pledge.lot_id)).all())
    return [f"lot {serial} has {pledged} pledged; registered pledges account for "
            f"{registered.get(lot_id, Decimal(0))}"
            for lot_id, serial, pledged in db.session.execute(
                select(Lot.id, Lot.serial, Lot.pledged))
            if registered.get(lot_id, Decimal(0)) != pledged]
