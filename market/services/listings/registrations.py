"""Register to take part (the deposit is held at once), and a regulator's review.

A listing's buyer must be inside the lot's scope now (local-first windows, city, province:
the book's rule, `trading.buyer_eligibility`/`lot_eligibility`); the windows only widen with
time, so a registrant eligible now stays eligible for the bidding. A procurement's seller
names a lot of the instrument that can deliver the whole quantity, of a grade no worse than
the demand's limit and inside its scope for the buyer; that quantity is set aside (encumbered)
at registration, so the winner can always deliver.
"""

from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import DomainError, NotFound
from market.extensions import db
from market.services import audit, identity, ledger, trading
from market.services.listings import auctions, clock, rules
from market.services.listings.words import AUCTION_KIND
from market.services.transaction import use_case
from matching import can_trade
from matching.listing_auction import Approve, Register, Reject
from models import Account, AuctionRegistration, User


def _eligible(buyer: Account, lot, instrument, max_grade, now) -> bool:
    return can_trade(trading.buyer_eligibility(buyer, max_grade),
                     trading.lot_eligibility(lot, instrument), now,
                     instrument.cross_city_allowed)


def _out_of_scope(what) -> DomainError:
    return DomainError("out_of_scope", what, {"auction": [what]}, status=422)


@use_case
def register(actor: User, account: Account, kind: str, auction_id: int,
             lot_serial: str | None = None) -> AuctionRegistration:
    """Register for a listing (buyer) or a procurement (seller, with its lot)."""
    auction = auctions.lock_auction(kind, auction_id)
    now = clock.now()
    if auction.owner_account_id == account.id:
        raise DomainError("own_auction", lazy_gettext("you cannot take part in your own "
                                                      "auction"))
    auctions.check_can_trade(account, auction.instrument)
    core = rules.rules_of(auction)
    lot = None
    if kind == "listing":
        if not _eligible(account, auction.lot, auction.instrument, None, now):
            raise _out_of_scope(lazy_gettext(
                "this lot may not yet go to buyers in your district (local-first or "
                "province rules)"))
    else:
        lot = _offered_lot(account, auction, lot_serial, now)
    registration = AuctionRegistration(
        auction_id=auction.id, account_id=account.id, lot_id=lot.id if lot else None,
        status="approved" if auction.qualification == "open" else "pending",
        deposit=auction.bid_deposit, held=auction.bid_deposit, deposit_state="held",
        encumbered=Decimal("0"), created_at=now)
    if any(r.account_id == account.id for r in auction.registrations):
        raise rules.refusal("already_registered")
    # The rules judge the registration window; the row has no id until it is flushed.
    rules.applied(core, Register("new", auction.bid_deposit, now,
                                 approved=registration.status == "approved"))
    if account.cash_available < auction.bid_deposit:
        raise DomainError("insufficient_funds", lazy_gettext(
            "the deposit %(hold)s exceeds available cash %(cash)s", hold=auction.bid_deposit,
            cash=account.cash_available))
    db.session.add(registration)
    db.session.flush()
    ledger.hold_cash(account.id, auction.bid_deposit, actor,
                     memo=f"bidding deposit for {kind} {auction.id}",
                     reference=f"{kind}:{auction.id}")
    if lot is not None:
        ledger.encumber(lot, auction.quantity, actor, f"offer to procurement {auction.id}")
        registration.encumbered = auction.quantity
    audit.record(actor, f"{kind}.register", kind, auction.id, {
        "registration": registration.id, "deposit": auction.bid_deposit,
        "status": registration.status, "lot": lot.serial if lot else None})
    return registration


def _offered_lot(account: Account, auction, serial: str | None, now):
    if not serial:
        raise DomainError("lot_required", lazy_gettext(
            "a seller registers with the lot it would deliver from"),
            {"lot_serial": [lazy_gettext("required")]}, status=422)
    lot = auctions.own_lot(account, serial, auction.instrument)
    if lot.available < auction.quantity:
        raise DomainError("insufficient_quantity", lazy_gettext(
            "%(serial)s has %(available)s available, less than %(quantity)s",
            serial=lot.serial, available=lot.available, quantity=auction.quantity),
            {"lot_serial": [lazy_gettext("exceeds the lot's available quantity")]})
    buyer = db.session.get(Account, auction.owner_account_id)
    if not _eligible(buyer, lot, auction.instrument, auction.max_quality_grade, now):
        raise _out_of_scope(lazy_gettext(
            "this lot does not meet the demand's grade limit, or may not yet go to the "
            "buyer's district"))
    return lot


def _pending(actor: User, kind: str, auction_id: int, registration_id: int):
    auction = auctions.lock_auction(kind, auction_id)
    if not identity.jurisdiction_of(actor).covers(auction.owner.district_id,
                                                  *([auction.lot.origin_district_id]
                                                    if auction.lot else [])):
        raise NotFound(AUCTION_KIND[kind], auction_id)
    registration = db.session.scalar(select(AuctionRegistration).where(
        AuctionRegistration.id == registration_id, AuctionRegistration.auction_id == auction.id))
    if registration is None:
        raise NotFound(AUCTION_KIND["registration"], registration_id)
    return auction, registration


@use_case
def approve(actor: User, kind: str, auction_id: int, registration_id: int
            ) -> AuctionRegistration:
    """A regulator finds the registrant qualified: it may bid."""
    auction, registration = _pending(actor, kind, auction_id, registration_id)
    rules.applied(rules.rules_of(auction), Approve(registration.id))
    registration.status = "approved"
    registration.reviewed_by_user_id, registration.reviewed_at = actor.id, clock.now()
    audit.record(actor, f"{kind}.approve_registration", kind, auction.id,
                 {"registration": registration.id})
    return registration


@use_case
def reject(actor: User, kind: str, auction_id: int, registration_id: int, reason: str
           ) -> AuctionRegistration:
    """A regulator refuses the registrant: its deposit (and lot quantity) come back at once."""
    auction, registration = _pending(actor, kind, auction_id, registration_id)
    rules.applied(rules.rules_of(auction), Reject(registration.id))
    auctions.release_deposit(registration, actor, f"registration to {kind} {auction.id} "
                                                  "rejected")
    registration.status = "rejected"
    registration.reason = reason
    registration.reviewed_by_user_id, registration.reviewed_at = actor.id, clock.now()
    audit.record(actor, f"{kind}.reject_registration", kind, auction.id,
                 {"registration": registration.id, "reason": reason})
    return registration
