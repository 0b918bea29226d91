"""Row locks that serialize work on an instrument, taken in one order everywhere.

Every use case that moves cash or quantity tied to an instrument's trading — matching,
paying, cancelling or defaulting a settlement — first takes that instrument's row lock, so
two of them never take account and lot rows in opposite orders and deadlock. The lock is
`FOR NO KEY UPDATE`: it serializes writers of the instrument but lets inserts that merely
reference the row (a new child lot, a trade) check their foreign key without waiting.
"""

from sqlalchemy import select

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
    """The lot, row-locked for the rest of the transaction, or 404."""
    lot = db.session.scalar(
        select(Lot).where(Lot.serial == serial).with_for_update(of=Lot, key_share=True)
        .execution_options(populate_existing=True))
    if lot is None:
        raise NotFound("lot", serial)
    return lot
