"""Accounts: creation, look-ups, and cash deposits and withdrawals recorded from the bank."""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, NotFound
from market.extensions import db
from market.services import audit, catalogue, ledger
from market.services.identity.jurisdiction import jurisdiction_of
from market.services.transaction import use_case
from models import Account, JournalEntry, JournalTransaction, User
from models.ledger import CASH_ASSET


def get_account(account_id: int) -> Account:
    """The account, or 404."""
    account = db.session.get(Account, account_id)
    if account is None:
        raise NotFound("account", account_id)
    return account


def account_visible_to(actor: User, account_id: int) -> Account:
    """An account the actor may see: a trader only their own, a regulator those in its
    jurisdiction (others look like 404)."""
    if actor.role == "trader" and actor.account_id != account_id:
        raise NotFound("account", account_id)
    account = get_account(account_id)
    if not jurisdiction_of(actor).covers(account.district_id):
        raise NotFound("account", account_id)
    return account


def list_accounts(actor: User, district_code: str | None = None) -> list[Account]:
    """The accounts in the actor's jurisdiction, optionally those of one district."""
    query = select(Account).where(jurisdiction_of(actor).where(Account.district_id)) \
        .order_by(Account.id)
    if district_code:
        query = query.where(Account.district_id == catalogue.district_for_input(district_code).id)
    return list(db.session.scalars(query))


def cash_movements(actor: User, account_id: int, limit: int = 50) -> list[JournalEntry]:
    """The latest journal entries of the account's cash books (available, held), newest first."""
    account = account_visible_to(actor, account_id)
    books = [ledger.cash(account.id, bucket).name for bucket in ("available", "held")]
    return list(db.session.scalars(
        select(JournalEntry).join(JournalTransaction)
        .where(JournalEntry.book.in_(books), JournalEntry.asset == CASH_ASSET)
        .order_by(JournalTransaction.id.desc(), JournalEntry.id.desc()).limit(limit)))


@use_case
def create_account(actor: User, data: dict) -> Account:
    """Open a trading account in a district."""
    district = catalogue.district_for_input(data["district_code"])
    if db.session.scalar(select(Account.id).where(Account.name == data["name"])):
        raise DomainError("duplicate_name", lazy_gettext("an account named %(name)s exists",
                                                         name=repr(data["name"])),
                          {"name": [lazy_gettext("already taken")]})
    account = Account(name=data["name"], kind=data.get("kind", "bureau"), district=district,
                      cash_available=Decimal("0"), cash_held=Decimal("0"))
    db.session.add(account)
    db.session.flush()
    audit.record(actor, "account.create", "account", account.id,
                 {"name": account.name, "district": district.code, "kind": account.kind})
    return account


@use_case
def deposit_cash(actor: User, account_id: int, amount: Decimal, reference: str) -> Account:
    """Record money received from the bank into the account's available cash."""
    account = account_visible_to(actor, account_id)
    ledger.post("deposit", f"bank deposit {reference}",
                [ledger.Move(CASH_ASSET, ledger.BANK, ledger.cash(account.id, "available"),
                             amount)], actor=actor, reference=reference)
    audit.record(actor, "cash.deposit", "account", account.id,
                 {"amount": amount, "reference": reference})
    return account


@use_case
def withdraw_cash(actor: User, account_id: int, amount: Decimal, reference: str) -> Account:
    """Record money paid out to the bank from the account's available cash."""
    account = account_visible_to(actor, account_id)
    if account.cash_available < amount:
        raise DomainError("insufficient_funds",
                          lazy_gettext("available cash %(cash)s is less than %(amount)s",
                                       cash=account.cash_available, amount=amount),
                          {"amount": [lazy_gettext("exceeds available cash")]})
    ledger.post("withdrawal", f"bank withdrawal {reference}",
                [ledger.Move(CASH_ASSET, ledger.cash(account.id, "available"), ledger.BANK,
                             amount)], actor=actor, reference=reference)
    audit.record(actor, "cash.withdraw", "account", account.id,
                 {"amount": amount, "reference": reference})
    return account
