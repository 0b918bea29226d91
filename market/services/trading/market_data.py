"""Market data: book depth, recent trades, a trader's own trades, auction indications."""

from sqlalchemy import func, select

from market.extensions import db
from market.services import identity
from market.services.trading import engine
from models import Instrument, Order, Trade, User
from models.base import utcnow


def depth(instrument: Instrument, levels: int) -> dict:
    """Aggregated price levels of open orders, best first, with the best bid and ask."""
    def side(name: str, best_first):
        rows = db.session.execute(
            select(Order.price, func.sum(Order.remaining), func.count(Order.id))
            .where(Order.instrument_id == instrument.id, Order.side == name,
                   Order.status == "open")
            .group_by(Order.price).order_by(best_first).limit(levels)
        ).all()
        return [{"price": price, "quantity": quantity, "orders": count}
                for price, quantity, count in rows]

    bids = side("buy", Order.price.desc())
    asks = side("sell", Order.price.asc())
    result = {
        "instrument": instrument.code, "trading_mode": instrument.trading_mode,
        "status": instrument.status, "bids": bids, "asks": asks,
        "best_bid": bids[0]["price"] if bids else None,
        "best_ask": asks[0]["price"] if asks else None, "indicative": None,
    }
    if instrument.trading_mode == "call_auction":
        result["indicative"] = indicative(instrument)
    return result


def indicative(instrument: Instrument) -> dict | None:
    """The price, volume and surplus the call auction would clear at now."""
    result = engine.indicative(instrument, utcnow())
    if result is None:
        return None
    return {"price": result.price, "volume": result.volume, "surplus": result.surplus}


def _made(mechanism: str | None) -> list:
    # Off-book trades (listing, procurement, negotiated) have no orders: filter on the
    # trade's own mechanism, never through its orders.
    return [] if mechanism is None else [Trade.mechanism == mechanism]


def recent_trades(instrument: Instrument, limit: int, mechanism: str | None = None
                  ) -> list[Trade]:
    """The instrument's latest trades of every mechanism (or one), newest first."""
    return list(db.session.scalars(
        select(Trade).where(Trade.instrument_id == instrument.id, *_made(mechanism))
        .order_by(Trade.id.desc()).limit(limit)))


def trades_of_account(actor: User, limit: int, offset: int, mechanism: str | None = None
                      ) -> list[Trade]:
    """A trader's own trades as buyer or seller (for a regulator, those with a party in its
    jurisdiction) of every mechanism (or one), newest first."""
    query = select(Trade).order_by(Trade.id.desc()).limit(limit).offset(offset).where(
        identity.parties_visible_to(actor, Trade.buyer_account_id, Trade.seller_account_id),
        *_made(mechanism))
    return list(db.session.scalars(query))
