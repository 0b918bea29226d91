"""A lot's whole record for its page: lineage both ways, what happened to it, its evidence."""

from sqlalchemy import func, select

from market.extensions import db
from market.services import audit, registry
from market.services.history.lineage import lot_trades
from models import Order, Trade, User

SHOWN_EVENTS = 200
# A lot's page lists its latest orders and trades out; a busy lot has thousands of each.
SHOWN_ROWS = 100


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def lot_record(actor: User, serial: str) -> dict:
    """The lot (in the actor's sight), its parent and children, audit events (verification,
    freezes, evidence), the orders and trades out of it, retirements and evidence."""
    lot = registry.lot_visible_to(actor, serial)
    orders = list(db.session.scalars(
        select(Order).where(Order.lot_id == lot.id).order_by(Order.id.desc())
        .limit(SHOWN_ROWS)))
    return {
        "lot": lot, "parent": lot.parent, "children": list(lot.children),
        "events": audit.list_events(None, "lot", lot.serial, SHOWN_EVENTS, None),
        "orders": orders, "trades": lot_trades(actor, serial, latest=SHOWN_ROWS),
        "shown_rows": SHOWN_ROWS,
        "order_count": _count(select(Order.id).where(Order.lot_id == lot.id)),
        "trade_count": _count(select(Trade.id).where(Trade.lot_id == lot.id)),
        "retirements": list(lot.retirements),
        "evidence": registry.list_evidence(actor, serial),
    }
