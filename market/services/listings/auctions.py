"""Announce a listing or a procurement, cancel one, and read them as their viewers may.

A listing encumbers the listed quantity of the seller's lot for its whole life; a procurement
holds its buyer's deposit on the whole demand at the start price (the instrument's deposit
ratio, as a buy order would). Both come back when it fails or is cancelled; at the close they
become the settlement's.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import or_, select

from market.calendar import market_day
from market.errors import DomainError, Forbidden, InvalidInput, NotFound
from market.extensions import db
from market.services import audit, catalogue, identity, ledger
from market.services.listings import clock, rules, terms
from market.services.listings.words import AUCTION_KIND
from market.services.transaction import use_case
from market.vocabulary import INSTRUMENT_STATUS, LOT_STATUS, word
from matching.listing_auction import Cancel, DepositReleased, commitment, phase
from models import Account, Auction, AuctionRegistration, Instrument, Lot, User


def check_can_trade(account: Account, instrument: Instrument) -> None:
    """A frozen account or a halted instrument takes part in no auction."""
    if account.frozen:
        raise DomainError("account_frozen", lazy_gettext("this account is frozen and cannot trade"))
    if instrument.status != "open":
        raise DomainError("instrument_halted", lazy_gettext(
            "%(code)s is %(status)s: %(reason)s", code=instrument.code,
            status=word(INSTRUMENT_STATUS, instrument.status), reason=instrument.status_reason))


def own_lot(account: Account, serial: str, instrument: Instrument | None = None) -> Lot:
    """The account's active, unexpired lot, row-locked; its instrument's lock taken first."""
    found = db.session.scalar(select(Lot).where(Lot.serial == serial))
    if found is None or found.owner_account_id != account.id:
        raise DomainError("lot_not_yours", lazy_gettext("you hold no lot %(serial)s",
                                                        serial=serial),
                          {"lot_serial": [lazy_gettext("not a lot of this account")]}, status=422)
    if instrument is not None and found.instrument_id != instrument.id:
        raise InvalidInput("lot_serial", lazy_gettext("%(serial)s is not a %(code)s lot",
                                                      serial=serial, code=instrument.code),
                           code="lot_instrument_mismatch")
    catalogue.lock_instrument(found.instrument_id)
    lot = catalogue.lock_lot(serial)
    if lot.status != "active":
        raise DomainError("lot_not_active", lazy_gettext(
            "%(serial)s is %(status)s; only active lots trade", serial=serial,
            status=word(LOT_STATUS, lot.status)))
    if lot.expires_on is not None and lot.expires_on < market_day():
        raise DomainError("lot_expired", lazy_gettext("%(serial)s expired on %(day)s",
                                                      serial=serial, day=lot.expires_on))
    return lot


def _common(data: dict, kind: str, instrument: Instrument, account: Account, actor: User,
            step: Decimal) -> Auction:
    return Auction(
        kind=kind, instrument_id=instrument.id, owner_account_id=account.id,
        quantity=data["quantity"], start_price=data["start_price"], step=step,
        bid_deposit=data["bid_deposit"], announce_until=data["announce_until"],
        bidding_opens_at=data["bidding_opens_at"], bidding_closes_at=data["bidding_closes_at"],
        closes_at=data["bidding_closes_at"], extension_minutes=data["extension_minutes"],
        qualification=data["qualification"], state="open", encumbered=Decimal("0"),
        held=Decimal("0"), created_by_user_id=actor.id, created_at=clock.now())


@use_case
def create_listing(actor: User, account: Account, data: dict) -> Auction:
    """A seller lists part or all of a lot; the quantity is encumbered until the end."""
    now = clock.now()
    lot = own_lot(account, data["lot_serial"])
    instrument = lot.instrument
    check_can_trade(account, instrument)
    terms.check_listing(instrument, data, now)
    if lot.available < data["quantity"]:
        raise DomainError("insufficient_quantity", lazy_gettext(
            "%(serial)s has %(available)s available, less than %(quantity)s",
            serial=lot.serial, available=lot.available, quantity=data["quantity"]),
            {"quantity": [lazy_gettext("exceeds the lot's available quantity")]})
    auction = _common(data, "listing", instrument, account, actor, data["increment"])
    auction.lot_id = lot.id
    auction.ceiling_price = data.get("ceiling_price")
    if auction.ceiling_price is not None:
        # Committed before anyone bids; revealed at the close (matching.listing_auction).
        auction.seed = secrets.token_hex(32)
        auction.seed_commitment = commitment(auction.seed)
    db.session.add(auction)
    db.session.flush()
    ledger.encumber(lot, auction.quantity, actor, f"listing {auction.id}")
    auction.encumbered = auction.quantity
    audit.record(actor, "listing.create", "listing", auction.id, {
        "lot": lot.serial, "quantity": auction.quantity, "start_price": auction.start_price,
        "ceiling_price": auction.ceiling_price, "seed_commitment": auction.seed_commitment})
    return auction


@use_case
def create_procurement(actor: User, account: Account, data: dict) -> Auction:
    """A buyer announces a demand; its deposit on the start price is held until the end."""
    now = clock.now()
    instrument = catalogue.instrument_for_input(data["instrument"])
    catalogue.lock_instrument(instrument.id)
    check_can_trade(account, instrument)
    terms.check_procurement(instrument, data, now)
    hold = ledger.hold_for(instrument.deposit_ratio, data["start_price"], data["quantity"])
    if account.cash_available < hold:
        raise DomainError("insufficient_funds", lazy_gettext(
            "the deposit %(hold)s exceeds available cash %(cash)s", hold=hold,
            cash=account.cash_available), {"quantity": [lazy_gettext("deposit too large")]})
    auction = _common(data, "procurement", instrument, account, actor, data["decrement"])
    auction.floor_price = data["floor_price"]
    auction.max_quality_grade = data.get("max_quality_grade")
    db.session.add(auction)
    db.session.flush()
    ledger.hold_cash(account.id, hold, actor, memo=f"deposit for procurement {auction.id}",
                     reference=f"procurement:{auction.id}")
    auction.held = hold
    audit.record(actor, "procurement.create", "procurement", auction.id, {
        "instrument": instrument.code, "quantity": auction.quantity,
        "start_price": auction.start_price, "floor_price": auction.floor_price, "held": hold})
    return auction


def lock_auction(kind: str, auction_id: int) -> Auction:
    """The auction, row-locked after its instrument's lock, or 404."""
    instrument_id = db.session.scalar(select(Auction.instrument_id).where(
        Auction.id == auction_id, Auction.kind == kind))
    if instrument_id is None:
        raise NotFound(AUCTION_KIND[kind], auction_id)
    catalogue.lock_instrument(instrument_id)
    return db.session.scalar(
        select(Auction).where(Auction.id == auction_id).with_for_update(of=Auction)
        .execution_options(populate_existing=True))


def release_deposit(registration: AuctionRegistration, actor: User | None, why: str) -> None:
    """Give a registrant its deposit back, and a procurement seller its lot's quantity."""
    ledger.release_cash(registration.account_id, registration.held, actor,
                        memo=f"deposit back: {why}",
                        reference=f"{registration.auction.kind}:{registration.auction_id}")
    registration.held = Decimal("0")
    registration.deposit_state = "released"
    if registration.encumbered:
        ledger.release_encumbered(registration.lot, registration.encumbered, actor, why)
        registration.encumbered = Decimal("0")


def release_owner(auction: Auction, actor: User | None, why: str) -> None:
    """Give the listed quantity back to the lot, or the buyer's deposit to its cash."""
    if auction.encumbered:
        ledger.release_encumbered(auction.lot, auction.encumbered, actor, why)
        auction.encumbered = Decimal("0")
    if auction.held:
        ledger.release_cash(auction.owner_account_id, auction.held, actor, memo=why,
                            reference=f"{auction.kind}:{auction.id}")
        auction.held = Decimal("0")


def released_by(events, auction: Auction, actor: User | None, why: str) -> None:
    """Carry out the rules' DepositReleased events."""
    by_id = {registration.id: registration for registration in auction.registrations}
    for event in events:
        if isinstance(event, DepositReleased):
            release_deposit(by_id[event.bidder], actor, why)


@use_case
def cancel_auction(actor: User, kind: str, auction_id: int, reason: str) -> Auction:
    """A regulator cancels before the close: every deposit and the quantity come back."""
    auction = lock_auction(kind, auction_id)
    _require_in_jurisdiction(actor, auction)
    now = clock.now()
    events = rules.applied(rules.rules_of(auction), Cancel(now))
    why = f"{kind} {auction.id} cancelled"
    released_by(events, auction, actor, why)
    release_owner(auction, actor, why)
    auction.state = "cancelled"
    auction.cancel_reason = reason
    auction.closed_at = now
    audit.record(actor, f"{kind}.cancel", kind, auction.id, {"reason": reason})
    return auction


def _districts(auction: Auction) -> tuple[int, ...]:
    districts = [auction.owner.district_id]
    if auction.lot is not None:
        districts.append(auction.lot.origin_district_id)
    return tuple(districts)


def _require_in_jurisdiction(actor: User, auction: Auction) -> None:
    if not identity.jurisdiction_of(actor).covers(*_districts(auction)):
        raise NotFound(AUCTION_KIND[auction.kind], auction.id)


def get_visible(actor: User, kind: str, auction_id: int) -> Auction:
    """An auction: every trader sees the market's auctions; a regulator those in its
    jurisdiction (the owner's district, or the lot's origin)."""
    auction = db.session.scalar(select(Auction).where(Auction.id == auction_id,
                                                      Auction.kind == kind))
    if auction is None:
        raise NotFound(AUCTION_KIND[kind], auction_id)
    _require_in_jurisdiction(actor, auction)
    return auction


def list_visible(actor: User, kind: str, filters: dict) -> list[Auction]:
    """Auctions newest first, by phase and instrument, as the actor may see them."""
    query = select(Auction).where(Auction.kind == kind)
    scope = identity.jurisdiction_of(actor)
    if not scope.national:
        lots = select(Lot.id).where(scope.where(Lot.origin_district_id)).scalar_subquery()
        query = query.where(or_(scope.parties(Auction.owner_account_id), Auction.lot_id.in_(lots)))
    if filters.get("instrument"):
        query = query.join(Instrument).where(Instrument.code == filters["instrument"])
    if filters.get("mine"):
        registered = select(AuctionRegistration.auction_id).where(
            AuctionRegistration.account_id == actor.account_id).scalar_subquery()
        query = query.where(or_(Auction.owner_account_id == actor.account_id,
                                Auction.id.in_(registered)))
    rows = db.session.scalars(query.order_by(Auction.id.desc())).all()
    now = clock.now()
    wanted = filters.get("status")
    rows = [row for row in rows if not wanted or status_of(row, now) == wanted]
    return rows[filters.get("offset", 0):][:filters.get("limit", 100)]


def status_of(auction: Auction, now=None) -> str:
    """announced, bidding, closed, failed or cancelled."""
    return phase(rules.terms_of(auction), auction.state, auction.closes_at, now or clock.now())


@dataclass
class Result:
    """A closed auction's deal; the winner's account only for the parties and officials."""

    price: Decimal
    amount: Decimal
    trade_id: int
    settlement_id: int
    winner_account_id: int | None


@dataclass
class AuctionView:
    """An auction as one viewer sees it: its phase, best price, bidders and own registration."""

    auction: Auction
    status: str
    best_price: Decimal | None
    bid_count: int
    bidder_count: int
    registration_count: int
    mine: AuctionRegistration | None
    result: Result | None
    lottery: list[str] | None
    seed: str | None


def view(actor: User, auction: Auction) -> AuctionView:
    """What `actor` may see of the auction."""
    rules_state = rules.rules_of(auction)
    best = rules_state.best
    registrations = auction.registrations
    mine = next((r for r in registrations if actor.account_id is not None
                 and r.account_id == actor.account_id), None)
    winner = next((r for r in registrations if r.id == auction.winner_registration_id), None)
    party = actor.role != "trader" or actor.account_id in (
        auction.owner_account_id, winner.account_id if winner else None)
    return AuctionView(
        auction=auction, status=status_of(auction), best_price=best.price if best else None,
        bid_count=len(auction.bids),
        bidder_count=len({bid.registration_id for bid in auction.bids}),
        registration_count=sum(1 for r in registrations if r.status == "approved"),
        mine=mine,
        result=Result(auction.price, ledger.trade_amount(auction.price, auction.quantity),
                      auction.trade_id, auction.settlement_id,
                      # Only the parties and officials see who won; the market, the price.
                      winner.account_id if party else None) if winner else None,
        lottery=auction.lottery.split(",") if auction.lottery else None,
        seed=auction.seed if auction.state != "open" else None)


def registrations_for(actor: User, kind: str, auction_id: int) -> list[AuctionRegistration]:
    """The registrants of an auction, for an official's review (in jurisdiction). The API
    and pages offer it to officials only: who bids is not the owner's to know."""
    if actor.role == "trader":
        raise Forbidden()
    auction = get_visible(actor, kind, auction_id)
    return list(auction.registrations)
