"""A regulator's interventions that reach across subsystems: freezing and revoking.

Freezing a lot or an account must also take its resting orders out of the books, so these
use cases sit above both the registry and trading. Orders are cancelled first, taking the
instrument lock before the lot's or account's rows, in the order matching takes them.
"""

from flask_babel import lazy_gettext

from market.errors import DomainError
from market.extensions import db
from market.services import audit, catalogue, identity, ledger, registry, settlement, trading
from market.services.transaction import use_case
from market.vocabulary import LOT_STATUS, word
from models import Account, Lot, User


@use_case
def freeze_lot(actor: User, serial: str, reason: str) -> Lot:
    """Stop an active lot from trading or retiring until it is unfrozen.

    Its resting sell orders are cancelled, so a frozen lot cannot trade as a maker either.
    """
    lot = registry.lot_visible_to(actor, serial)
    registry.require_status(lot, "active", "freeze")
    trading.cancel_open_orders(actor, "lot_frozen", lot_id=lot.id)
    return registry.transition(actor, serial, "active", "frozen", "freeze", reason)


@use_case
def unfreeze_lot(actor: User, serial: str, reason: str) -> Lot:
    """Return a frozen lot to active; settlements paid meanwhile deliver now."""
    # The instrument lock first, as matching and settlement take it before lot rows.
    catalogue.lock_instrument(registry.lot_visible_to(actor, serial).instrument_id)
    lot = registry.transition(actor, serial, "frozen", "active", "unfreeze", reason)
    settlement.deliver_held(actor, lot)
    return lot


@use_case
def revoke_lot(actor: User, serial: str, reason: str) -> Lot:
    """Cancel an issued lot (e.g. acceptance found false): its free quantity leaves the market.

    Retired quantity stays retired (it was used). Quantity in settlement must be settled or
    its settlement cancelled first, so revocation never breaks a trade in flight.
    """
    current = registry.lot_visible_to(actor, serial)
    if current.status not in ("active", "frozen"):
        raise DomainError("invalid_lot_status", lazy_gettext(
            "cannot revoke a %(status)s lot", status=word(LOT_STATUS, current.status)))
    trading.cancel_open_orders(actor, "lot_revoked", lot_id=current.id)
    lot = catalogue.lock_lot(serial)
    if lot.encumbered > 0:
        raise DomainError("lot_encumbered",
                          lazy_gettext("%(quantity)s of %(serial)s is in settlement; settle or "
                                       "cancel those settlements first",
                                       quantity=lot.encumbered, serial=lot.serial))
    if lot.pledged > 0:
        raise DomainError("lot_pledged",
                          lazy_gettext("%(quantity)s of %(serial)s is pledged; release or "
                                       "enforce the pledges first",
                                       quantity=lot.pledged, serial=lot.serial))
    revoked = lot.available
    if revoked > 0:
        ledger.post("revoke", f"revoke {lot.serial}: {reason}",
                    [ledger.Move(lot.instrument.code, ledger.lot(lot.id, "available"),
                                 ledger.REVOKED, revoked)], actor=actor, reference=lot.serial)
    lot.status = "revoked"
    lot.status_reason = reason
    audit.record(actor, "lot.revoke", "lot", lot.serial, {"reason": reason, "quantity": revoked})
    return lot


@use_case
def set_account_frozen(actor: User, account_id: int, frozen: bool, reason: str) -> Account:
    """Freeze or unfreeze an account; a frozen account can neither trade nor retire."""
    account = identity.account_visible_to(actor, account_id)
    if account.frozen == frozen:
        raise DomainError("already_in_state", lazy_gettext(
            "account %(id)s is already %(state)s", id=account_id,
            state=lazy_gettext("frozen") if frozen else lazy_gettext("unfrozen")))
    cancelled = 0
    if frozen:
        # A frozen account's resting orders must not trade as makers either.
        cancelled = trading.cancel_open_orders(actor, "account_frozen", account_id=account_id)
        account = db.session.get(Account, account_id, populate_existing=True)
    account.frozen = frozen
    account.frozen_reason = reason if frozen else None
    audit.record(actor, "account.freeze" if frozen else "account.unfreeze", "account",
                 account.id, {"reason": reason, "orders_cancelled": cancelled})
    return account
