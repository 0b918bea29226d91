"""The 成交确认书: the deal of a closed listing or procurement, for its two parties and the
officials over it, as facts (JSON) or a Chinese PDF with the verification code."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext

from market import pdf
from market.calendar import local
from market.errors import DomainError, NotFound
from market.extensions import db
from market.services.listings import auctions
from market.services.listings.words import AUCTION_KIND
from market.tables import Export
from market.vocabulary import UNIT, word
from models import Account, Settlement, Trade, User


@dataclass
class Confirmation:
    """What the confirmation states."""

    kind: str
    auction_id: int
    verification_code: str
    seller: Account
    buyer: Account
    lot_serial: str
    instrument: str
    instrument_name: str
    unit: str
    quantity: Decimal
    price: Decimal
    amount: Decimal
    deposit: Decimal
    amount_due: Decimal
    due_at: datetime
    executed_at: datetime
    trade_id: int
    settlement_id: int
    seed_commitment: str | None
    seed: str | None
    lottery: list[str] | None


def confirmation_for(actor: User, kind: str, auction_id: int) -> Confirmation:
    """The confirmation of a closed auction: the buyer, the seller, or an official over it."""
    auction = auctions.get_visible(actor, kind, auction_id)
    if auction.state != "closed":
        raise DomainError("no_deal", gettext("there is no deal to confirm: the auction is not "
                                             "closed with a winner"))
    trade = db.session.get(Trade, auction.trade_id)
    if actor.role == "trader" and actor.account_id not in (trade.buyer_account_id,
                                                           trade.seller_account_id):
        raise NotFound(AUCTION_KIND[kind], auction_id)
    held = db.session.get(Settlement, auction.settlement_id)
    return Confirmation(
        kind=kind, auction_id=auction.id, verification_code=auction.verification_code,
        seller=db.session.get(Account, trade.seller_account_id),
        buyer=db.session.get(Account, trade.buyer_account_id), lot_serial=trade.lot.serial,
        instrument=auction.instrument.code, instrument_name=auction.instrument.name_zh,
        unit=auction.instrument.unit, quantity=trade.quantity, price=trade.price,
        amount=trade.amount, deposit=held.deposit, amount_due=held.amount - held.deposit,
        due_at=held.due_at, executed_at=trade.executed_at, trade_id=trade.id,
        settlement_id=held.id, seed_commitment=auction.seed_commitment,
        seed=auction.seed if auction.lottery else None,
        lottery=auction.lottery.split(",") if auction.lottery else None)


def _local(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M")


def _party(account: Account) -> str:
    return f"{account.name}（{account.district.name}）"


def document(confirmation: Confirmation) -> pdf.Document:
    """The confirmation laid out for print."""
    c = confirmation
    unit = word(UNIT, c.unit)
    deal = pdf.Facts(gettext("The deal"), [
        (gettext("Seller"), _party(c.seller)),
        (gettext("Buyer"), _party(c.buyer)),
        (gettext("Lot"), c.lot_serial),
        (gettext("Indicator"), f"{c.instrument_name}（{c.instrument}）"),
        (gettext("Quantity"), f"{c.quantity} {unit}"),
        (gettext("Price"), gettext("CNY %(amount)s per %(unit)s", amount=c.price, unit=unit)),
        (gettext("Amount"), gettext("CNY %(amount)s", amount=c.amount)),
        (gettext("Deposit counted toward payment"), gettext("CNY %(amount)s", amount=c.deposit)),
        (gettext("Balance to pay"), gettext("CNY %(amount)s", amount=c.amount_due)),
        (gettext("Payment deadline"), _local(c.due_at)),
        (gettext("Concluded at"), _local(c.executed_at)),
    ])
    sections = [deal]
    if c.lottery:
        sections.append(pdf.Facts(gettext("Lottery among those who accepted the ceiling"), [
            (gettext("Seed commitment (SHA-256)"), c.seed_commitment or ""),
            (gettext("Revealed seed"), c.seed or ""),
            (gettext("Acceptors in order (registration numbers)"), ", ".join(c.lottery)),
        ]))
    sections.append(pdf.Facts(gettext("Verification"), [
        (gettext("Verification code"), c.verification_code),
        (gettext("Trade number"), str(c.trade_id)),
        (gettext("Settlement number"), str(c.settlement_id)),
    ]))
    return pdf.Document(
        title=gettext("Confirmation of the deal"),
        subtitle=gettext("%(kind)s no. %(id)s", kind=AUCTION_KIND[c.kind], id=c.auction_id),
        sections=sections,
        footer=gettext("Pay the balance by the deadline; a buyer who does not pay loses the "
                       "deposit. Quote the verification code to check this confirmation."))


def confirmation_pdf(confirmation: Confirmation) -> Export:
    """The confirmation as a PDF download."""
    return pdf.export(document(confirmation),
                      f"confirmation-{confirmation.kind}-{confirmation.auction_id}.pdf")
