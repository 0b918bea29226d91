"""Row locks that serialize work on an instrument, taken in one order everywhere.

Every use case that moves cash or quantity tied to an instrument's trading — matching,
paying, cancelling or defaulting a settlement — first takes that instrument's row lock, so
two of them never take account and lot rows in opposite orders and deadlock. The lock is
`FOR NO KEY UPDATE`: it serializes writers of the instrument but lets inserts that merely
reference the row (a new child lot, a trade) check their foreign key without waiting.
"""

from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, lazyload

from market.errors import NotFound
from market.extensions import db
from models import Instrument, Lot


def lock_instrument(instrument_id: int) -> Instrument:
    """Take the instrument's matching lock for the rest of the transaction."""
    return db.session.scalar(
        select(Instrument).where(Instrument.id == instrument_id)
        .with_for_update(of=Instrument, key_share=True)
        .execution_options(populate_existing=True))


def lock_lot(serial: str) -> Lot:
    """The lot, row-locked for the rest of the transaction, or 404.

    Only the lot's own row is read again: its instrument and owner, loaded eagerly
    elsewhere, would be overwritten from the database too, and the order writer changes
    them (the instrument's book version and priority counter) without flushing until the end
    of its batch. A lot this transaction has locked already is not read again: the lock
    keeps every other writer off it, so the object is as current as the row.
    """
    locked = _locked_lots(db.session)
    lot = locked.get(serial)
    if lot is None:
        lot = lock_lots([serial]).get(serial)
    if lot is None:
        raise NotFound("lot", serial)
    return lot


# Built once: the order writer locks a batch's lots on every batch.
_LOCK_LOTS = (select(Lot).where(Lot.serial.in_(bindparam("serials", expanding=True)))
              .order_by(Lot.id).with_for_update(of=Lot, key_share=True)
              .options(lazyload("*")).execution_options(populate_existing=True))


def lock_lots(serials) -> dict[str, Lot]:
    """Lock several lots in one statement (in id order, as one-at-a-time locking would be
    across use cases); those that exist, by serial. The order writer locks a batch's."""
    locked = _locked_lots(db.session)
    wanted = set(serials) - locked.keys()
    if wanted:
        for lot in db.session.scalars(_LOCK_LOTS, {"serials": sorted(wanted)}):
            locked[lot.serial] = lot
    return {serial: locked[serial] for serial in serials if serial in locked}


def _locked_lots(session) -> dict[str, Lot]:
    return session.info.setdefault("locked_lots", {})


@event.listens_for(Session, "after_transaction_end")
def _locks_released(session, _transaction) -> None:
    # Commit, rollback or close (a savepoint's end too: forgetting early only costs a read).
    session.info.pop("locked_lots", None)
