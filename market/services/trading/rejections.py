"""Keep a trace of orders the engine refused, for surveillance."""

from market.extensions import db
from models import OrderRejection
from models.base import utcnow


def record_rejection(account_id: int, instrument_id: int, code: str, data: dict) -> None:
    """Store one refusal; the boundary writes it after the refused use case rolled back."""
    db.session.add(OrderRejection(
        account_id=account_id, instrument_id=instrument_id, code=code, side=data["side"],
        price=data["price"], quantity=data["quantity"], at=utcnow()))
