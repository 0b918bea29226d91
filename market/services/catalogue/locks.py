"""Row locks that serialize work on an instrument, taken in one order everywhere.

Every use case that moves cash or quantity tied to an instrument's trading — matching,
paying, cancelling or defaulting a settlement — first takes that instrument's row lock, so
two of them never take account and lot rows in opposite orders and deadlock. The lock is
`FOR NO KEY UPDATE`: it serializes writers of the instrument but lets inserts that merely
reference the row (a new child lot, a trade) check their foreign key without waiting.
"""

from sqlalchemy import select
from sqlalchemy.orm import lazyload

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
    of its batch.
    """
    lot = db.session.scalar(
        select(Lot).where(Lot.serial == serial).with_for_update(of=Lot, key_share=True)
        .options(lazyload("*")).execution_options(populate_existing=True))
    if lot is None:
        raise NotFound("lot", serial)
    return lot
