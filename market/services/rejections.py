"""Keep a trace of orders the engine refused, for surveillance."""

from market.extensions import db
from models import OrderRejection
from models.base import utcnow


def record(account_id: int, instrument_id: int, code: str, data: dict) -> None:
    """Store one refusal in its own transaction (the refused request changed nothing)."""
    db.session.rollback()
    db.session.add(OrderRejection(
        account_id=account_id, instrument_id=instrument_id, code=code, side=data["side"],
        price=data["price"], quantity=data["quantity"], at=utcnow()))
    db.session.commit()
