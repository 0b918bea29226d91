"""A lot's whole record for its page: lineage both ways, what happened to it, its evidence."""

from sqlalchemy import select

from market.extensions import db
from market.services import audit, registry
from market.services.history.lineage import lot_trades
from models import Order, User

SHOWN_EVENTS = 200


def lot_record(actor: User, serial: str) -> dict:
    """The lot (in the actor's sight), its parent and children, audit events (verification,
    freezes, evidence), the orders and trades out of it, retirements and evidence."""
    lot = registry.lot_visible_to(actor, serial)
    orders = list(db.session.scalars(
        select(Order).where(Order.lot_id == lot.id).order_by(Order.id.desc())))
    return {
        "lot": lot, "parent": lot.parent, "children": list(lot.children),
        "events": audit.list_events(None, "lot", lot.serial, SHOWN_EVENTS, None),
        "orders": orders, "trades": lot_trades(actor, serial),
        "retirements": list(lot.retirements),
        "evidence": registry.list_evidence(actor, serial),
    }
