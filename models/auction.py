"""Listing auctions (挂牌竞价) and procurements (指标收购): one table each for the auctions,
their registrations and their bids, with `kind` telling the two directions apart."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.account import Account
from models.base import Base, Money, Quantity, UTCDateTime, one_of, utcnow
from models.instrument import Instrument
from models.lot import Lot

# A listing sells a lot to the highest bidder; a procurement buys from the lowest offer.
AUCTION_KINDS = ("listing", "procurement")
# Stored outcome; `announced` and `bidding` are read from the times while it is `open`.
AUCTION_STATES = ("open", "closed", "failed", "cancelled")
# What a person sees (matching.listing_auction.phase).
AUCTION_STATUSES = ("announced", "bidding", "closed", "failed", "cancelled")
QUALIFICATIONS = ("open", "review")
REGISTRATION_STATUSES = ("pending", "approved", "rejected")
# Where a registrant's deposit is: still held, given back, or the settlement's deposit.
DEPOSIT_STATES = ("held", "released", "escrowed")


class Auction(Base):
    """A listing or a procurement and its outcome.

    While it is open, a listing encumbers `encumbered` of its lot and a procurement holds
    `held` of its buyer's cash (the deposit on the start price); both return to zero when it
    closes, fails or is cancelled (handed to the settlement or released).
    """

    __tablename__ = "auctions"
    __table_args__ = (
        one_of("kind", AUCTION_KINDS),
        one_of("state", AUCTION_STATES),
        one_of("qualification", QUALIFICATIONS),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("start_price > 0 AND step > 0 AND bid_deposit >= 0", name="terms"),
        CheckConstraint("encumbered >= 0 AND held >= 0", name="reservations_not_negative"),
        CheckConstraint("kind = 'procurement' OR lot_id IS NOT NULL", name="listing_has_lot"),
        CheckConstraint("extension_minutes >= 0", name="extension_minutes"),
        CheckConstraint("announce_until <= bidding_opens_at AND "
                        "bidding_opens_at < bidding_closes_at AND "
                        "bidding_closes_at <= closes_at", name="times_in_order"),
        Index("ix_auctions_due", "state", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    instrument_id: Mapped[int] = mapped_column(ForeignKey("instruments.id"), index=True)
    # The seller of a listing, the buyer of a procurement.
    owner_account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    max_quality_grade: Mapped[int | None]
    start_price: Mapped[Decimal] = mapped_column(Money())
    # The increment of a listing, the decrement of a procurement.
    step: Mapped[Decimal] = mapped_column(Money())
    ceiling_price: Mapped[Decimal | None] = mapped_column(Money())
    floor_price: Mapped[Decimal | None] = mapped_column(Money())
    bid_deposit: Mapped[Decimal] = mapped_column(Money())
    announce_until: Mapped[datetime] = mapped_column(UTCDateTime())
    bidding_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bidding_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The close after extensions; only ever moves later.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    extension_minutes: Mapped[int] = mapped_column(default=0)
    qualification: Mapped[str] = mapped_column(String(8), default="open")
    state: Mapped[str] = mapped_column(String(10), default="open")
    encumbered: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    held: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # The lottery: the seed's SHA-256 is public from the start; the seed only after the close.
    seed_commitment: Mapped[str | None] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(String(64))
    # The registration ids that accepted the ceiling, in order, when a lottery was drawn.
    lottery: Mapped[str | None] = mapped_column(Text)
    # No foreign key: registrations already point here, and a cycle of keys would need the
    # tables created in two steps on every dialect. The close writes it under the row lock.
    winner_registration_id: Mapped[int | None]
    price: Mapped[Decimal | None] = mapped_column(Money())
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trades.id"))
    settlement_id: Mapped[int | None] = mapped_column(ForeignKey("settlements.id"))
    # Printed on the 成交确认书: whoever holds it can check the deal is real.
    verification_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    instrument: Mapped[Instrument] = relationship(lazy="joined")
    owner: Mapped[Account] = relationship(lazy="joined")
    lot: Mapped[Lot | None] = relationship(foreign_keys=[lot_id])
    registrations: Mapped[list["AuctionRegistration"]] = relationship(
        back_populates="auction", foreign_keys="AuctionRegistration.auction_id",
        order_by="AuctionRegistration.id")
    bids: Mapped[list["AuctionBid"]] = relationship(back_populates="auction",
                                                    order_by="AuctionBid.sequence")


class AuctionRegistration(Base):
    """A registrant: a buyer of a listing, or a seller of a procurement with its lot.

    `held` is the bidding deposit still held in the registrant's cash; a procurement's seller
    also sets `encumbered` of its lot aside for the deal it offers.
    """

    __tablename__ = "auction_registrations"
    __table_args__ = (
        one_of("status", REGISTRATION_STATUSES),
        one_of("deposit_state", DEPOSIT_STATES),
        CheckConstraint("deposit >= 0 AND held >= 0 AND encumbered >= 0", name="amounts"),
        UniqueConstraint("auction_id", "account_id", name="uq_auction_registrations_account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auctions.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    deposit: Mapped[Decimal] = mapped_column(Money())
    held: Mapped[Decimal] = mapped_column(Money())
    deposit_state: Mapped[str] = mapped_column(String(10), default="held")
    encumbered: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    auction: Mapped[Auction] = relationship(back_populates="registrations",
                                            foreign_keys=[auction_id])
    account: Mapped[Account] = relationship(lazy="joined")
    lot: Mapped[Lot | None] = relationship()


class AuctionBid(Base):
    """A valid bid (listing) or offer (procurement); refused ones are never stored."""

    __tablename__ = "auction_bids"
    __table_args__ = (
        CheckConstraint("price > 0", name="price_positive"),
        UniqueConstraint("auction_id", "sequence", name="uq_auction_bids_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auctions.id"), index=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("auction_registrations.id"),
                                                 index=True)
    price: Mapped[Decimal] = mapped_column(Money())
    at_limit: Mapped[bool] = mapped_column(default=False)
    sequence: Mapped[int]
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    auction: Mapped[Auction] = relationship(back_populates="bids")
    registration: Mapped[AuctionRegistration] = relationship(lazy="joined")
