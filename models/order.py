"""Orders and the trades they make."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account
from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.instrument import Instrument
from models.lot import Lot

ORDER_SIDES = ("buy", "sell")
TIMES_IN_FORCE = ("GTC", "GTD", "IOC", "FOK")
ORDER_STATUSES = ("open", "filled", "cancelled", "expired")
# A trade's aggressor is the side of the order that arrived and took liquidity.
AGGRESSOR_SIDES = ORDER_SIDES
# How a trade was made: in the continuous book, at a call auction's uncrossing, or off the
# book as a listing auction's, a procurement's or an approved negotiated transfer's deal.
TRADE_MECHANISMS = ("continuous", "call_auction", "listing", "procurement", "negotiated")
# Mechanisms whose trades come from two orders in a book; the others have no orders.
BOOK_MECHANISMS = ("continuous", "call_auction")


class Order(Base):
    """A limit order. `remaining` rests in the book while the order is open.

    A buy holds cash (`held`: the deposit on its open quantity at its limit price); a sell
    encumbers its remaining quantity in one lot.
    """

    __tablename__ = "orders"
    __table_args__ = (
        one_of("side", ORDER_SIDES),
        one_of("tif", TIMES_IN_FORCE),
        one_of("status", ORDER_STATUSES),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("price > 0", name="price_positive"),
        CheckConstraint("filled >= 0 AND remaining >= 0", name="amounts_not_negative"),
        CheckConstraint("filled <= quantity", name="not_overfilled"),
        CheckConstraint("held >= 0", name="held_not_negative"),
        CheckConstraint("side = 'buy' OR lot_id IS NOT NULL", name="sell_has_lot"),
        UniqueConstraint("account_id", "client_order_id", name="uq_orders_client_order_id"),
        # Matching loads only the open orders that can cross: by instrument, side and price.
        Index("ix_orders_book", "instrument_id", "side", "status", "price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    client_order_id: Mapped[str] = mapped_column(String(64))
    request_digest: Mapped[str] = mapped_column(String(64))
    side: Mapped[str] = mapped_column(String(4))
    price: Mapped[Decimal] = mapped_column(Money())
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    filled: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    remaining: Mapped[Decimal] = mapped_column(Quantity())
    held: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    tif: Mapped[str] = mapped_column(String(3))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    max_quality_grade: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="open")
    close_reason: Mapped[str | None] = mapped_column(String(32))
    priority: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship(lazy="joined")
    instrument: Mapped[Instrument] = relationship(lazy="joined")
    lot: Mapped[Lot | None] = relationship()


class Trade(Base):
    """One deal out of one lot: a fill between a buy and a sell order, or an off-book deal.

    Off-book deals (listing, procurement, negotiated) have no orders; `aggressor_side` is the
    side that made the deal final (the winning bid or offer, the acceptance).
    """

    __tablename__ = "trades"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        one_of("mechanism", TRADE_MECHANISMS),
        Index("ix_trades_instrument_time", "instrument_id", "executed_at"),
        # A lot's page lists its latest trades: without it, a lot with none walks every trade.
        Index("ix_trades_lot_newest", "lot_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"))
    buy_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    sell_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    buyer_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    seller_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    amount: Mapped[Decimal] = mapped_column(Money())
    aggressor_side: Mapped[str] = mapped_column(String(7))
    mechanism: Mapped[str] = mapped_column(String(16), default="continuous")
    executed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    instrument: Mapped[Instrument] = relationship(lazy="joined")
    lot: Mapped[Lot] = relationship()
    # Never loaded on purpose: declared so that a flush inserts new orders before the trades
    # that name them (the order writer inserts a whole batch's rows in one flush).
    buy_order: Mapped[Order | None] = relationship(foreign_keys=[buy_order_id])
    sell_order: Mapped[Order | None] = relationship(foreign_keys=[sell_order_id])
