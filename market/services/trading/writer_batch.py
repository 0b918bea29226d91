"""What an order writer's batch reads first, once for all its commands.

In this order, as every use case takes its locks: the batch's instruments, locked in id order,
with their live books checked against the locked rows (so the order rows the writer keeps are
current for the whole batch); its sell orders' lots, locked; its bearer tokens with their
users and accounts, judged by the rule every request's own lookup uses (`identity.is_live`),
after the instruments' locks so that a freeze committed before them is seen; the other
accounts and the actors; and the orders its placements' retries name (an API caller's with
its token, in the same statement). `caller` then answers
who each trader's command acts for, 401 or 403 as a request's own checks would.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload

from market.errors import Unauthorized
from market.extensions import db
from market.services import catalogue, identity, ledger
from market.services.trading import command_bus, live_books
from models import Account, ApiToken, Instrument, Order, User

# Built once (not a statement and its cache key per batch).
_INSTRUMENTS_OF_ORDERS = select(Order.instrument_id).where(
    Order.id.in_(bindparam("ids", expanding=True)))
_LOCK_INSTRUMENTS = (
    select(Instrument).where(Instrument.code.in_(bindparam("codes", expanding=True))
                             | Instrument.id.in_(bindparam("ids", expanding=True)))
    .order_by(Instrument.id).with_for_update(of=Instrument, key_share=True)
    .options(lazyload("*")).execution_options(populate_existing=True))
_ACCOUNTS = (select(Account).where(Account.id.in_(bindparam("ids", expanding=True)))
             .options(lazyload("*")).execution_options(populate_existing=True))
# The API callers of a batch, by their tokens' digests, with the accounts they act for: what
# `identity.is_live` judges, who the token's user is, and the account's orders whose
# client_order_id a placement of the batch uses again (its retries: see `Existing`), in the
# same round trip.
_RETRIES = (select(func.json_agg(func.json_build_array(
    Order.id, Order.request_digest, Order.client_order_id)))
    .where(Order.account_id == User.account_id,
           Order.client_order_id.in_(bindparam("keys", expanding=True)))
    .correlate(User).scalar_subquery())
_CALLERS = (select(ApiToken.digest, ApiToken.revoked_at, ApiToken.expires_at, User.active,
                   User.id, User.role, User.account_id, Account, _RETRIES.label("retries"))
            .select_from(ApiToken).join(User, User.id == ApiToken.user_id)
            .outerjoin(Account, Account.id == User.account_id)
            .where(ApiToken.digest.in_(bindparam("digests", expanding=True)))
            .options(lazyload("*")).execution_options(populate_existing=True))
# The same for the placements of commands that name their account (a page's).
_EXISTING = select(Order.id, Order.request_digest, Order.account_id, Order.client_order_id).where(
    Order.account_id.in_(bindparam("accounts", expanding=True)),
    Order.client_order_id.in_(bindparam("keys", expanding=True)))


class Existing(NamedTuple):
    """Only what a replay answers with: the order's id, and the digest a retry must match."""

    id: int
    request_digest: str


@dataclass(frozen=True)
class Caller:
    """The user a live bearer token authenticates, as the batch read them."""

    user_id: int
    role: str
    account_id: int | None


@dataclass
class Batch:
    """What one batch looked up once for all its commands."""

    instruments_by_code: dict[str, Instrument] = field(default_factory=dict)
    instruments_by_id: dict[int, Instrument] = field(default_factory=dict)
    accounts: dict[int, Account] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    callers: dict[str, Caller] = field(default_factory=dict)  # by token digest: live ones
    # Orders placed earlier in this batch, by (account, client_order_id): a retry that arrives
    # while its original is still in the batch is a replay of it.
    placed: dict[tuple[int, str], Order] = field(default_factory=dict)
    existing: dict[tuple[int, str], Existing] = field(default_factory=dict)

    def instrument(self, instrument_id: int) -> Instrument:
        return self.instruments_by_id[instrument_id]


def read(commands: list[command_bus.Command], books: live_books.LiveBooks,
         users: dict[int, User]) -> Batch:
    """What the batch of `commands` needs first (see the module's docstring); `users` are
    the actors of earlier batches, by id, which it adds to."""
    batch = Batch()
    # The instruments of the orders to cancel or change: those the writer keeps name
    # theirs (it never changes); the others are read.
    instrument_ids, unknown = set(), []
    for command in commands:
        order_id = command.body.get("order_id")
        if command.kind in ("cancel", "modify") and order_id not in books.closed:
            kept = books.rows.get(order_id)
            if kept is None:
                unknown.append(order_id)
            else:
                instrument_ids.add(kept.instrument_id)
    if unknown:
        instrument_ids.update(db.session.scalars(_INSTRUMENTS_OF_ORDERS, {"ids": unknown}))
    instrument_ids.update(command.body["instrument_id"] for command in commands
                          if command.kind in command_bus.BOOK_JOBS)
    codes = {command.body["instrument"] for command in commands if command.kind == "place"}
    for instrument in db.session.scalars(_LOCK_INSTRUMENTS, {
            "codes": sorted(codes), "ids": sorted(instrument_ids)}):
        batch.instruments_by_code[instrument.code] = instrument
        batch.instruments_by_id[instrument.id] = instrument
        # Checked now, before any command: the order rows the writer keeps are then
        # current for the whole batch (those of a book that moved behind it are dropped).
        books.book_for(instrument)
    # The lots the batch's sell orders name, locked after the instruments (the order
    # inline matching takes them in); `lock_lot` then finds them locked already.
    lots = catalogue.lock_lots({command.body["lot_serial"] for command in commands
                                if command.kind == "place" and command.body.get("lot_serial")})
    _authenticate(batch, commands)
    account_ids = {command.account_id for command in commands} - batch.accounts.keys() - \
        {None}
    if account_ids:
        batch.accounts.update((account.id, account) for account in db.session.scalars(
            _ACCOUNTS, {"ids": sorted(account_ids)}))
    ledger.read_now([*lots.values(), *batch.accounts.values()])
    # A page's command names its user, whom the web worker authenticated just before
    # sending it; an API command's user is its token's. The writer needs the user object
    # only as the actor its journal rows and audit name.
    missing = ({command.actor_id for command in commands}
               | {caller.user_id for caller in batch.callers.values()}) \
        - users.keys() - {None}
    if missing:
        users.update((user.id, user) for user in db.session.scalars(
            select(User).where(User.id.in_(missing)).options(lazyload("*"))))
    batch.users = users
    keys = [(command.account_id, command.body["client_order_id"]) for command in commands
            if command.kind == "place" and command.token is None]
    if keys:
        for row in db.session.execute(_EXISTING, {
                "accounts": sorted({account for account, _ in keys}),
                "keys": sorted({key for _, key in keys})}):
            batch.existing[(row.account_id, row.client_order_id)] = Existing(
                row.id, row.request_digest)
    return batch


def _authenticate(batch: Batch, commands: list[command_bus.Command]) -> None:
    """Read the batch's bearer tokens, their users and accounts, in one statement after
    the instruments' locks (so a freeze committed before them is seen), and keep the live
    ones (`identity.is_live`, the rule of every request's own lookup)."""
    digests = {command.token for command in commands} - {None}
    if not digests:
        return
    keys = sorted({command.body["client_order_id"] for command in commands
                   if command.kind == "place" and command.token is not None})
    for row in db.session.execute(_CALLERS, {"digests": sorted(digests), "keys": keys}):
        if identity.is_live(row.revoked_at, row.expires_at, row.active):
            batch.callers[row.digest] = Caller(row.id, row.role, row.account_id)
            if row.Account is not None:
                batch.accounts[row.Account.id] = row.Account
            for order_id, digest, client_order_id in row.retries or ():
                batch.existing[(row.account_id, client_order_id)] = Existing(order_id, digest)


def caller(batch: Batch, command: command_bus.Command) -> tuple[User, Account]:
    """Who a trader's command acts for, and their account: 401 or 403 as a request's own
    checks would answer (`auth.order_command`)."""
    if command.token is None:
        actor = batch.users.get(command.actor_id)
        account = batch.accounts.get(command.account_id)
        if actor is None or account is None:
            raise Unauthorized()
        return actor, account
    caller = batch.callers.get(command.token)
    if caller is None:
        raise Unauthorized()
    identity.require_role(caller.role, ("trader",))
    account = batch.accounts.get(caller.account_id) if caller.account_id else None
    return batch.users[caller.user_id], identity.require_trading_account(account)
