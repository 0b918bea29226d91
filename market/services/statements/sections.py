"""A statement's tables: what each lists, under which columns, for one account and period.

Each `Section` reads its rows for [start, end) itself, so a subsystem built later adds its
table with one `register_section` call and appears in the JSON, PDF and XLSX at once. The
money paid out to beneficiaries ("payouts") and the pledges ("pledges") are sections here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from market.extensions import db
from models import Account, Disbursement, Lot, Payout, Pledge, Retirement, Settlement, Trade

# Keys the JSON always carries, filled by the sections below.
EXTENSION_KEYS = ("payouts", "pledges")


@dataclass(frozen=True)
class Column:
    """A column: the row's field, its header, and how it is shown (text, money, quantity,
    time)."""

    field: str
    header: str
    kind: str = "text"
    # A4 portrait holds about ten columns: the PDF leaves out what the XLSX has room for.
    in_pdf: bool = True


@dataclass(frozen=True)
class Section:
    """One table of the statement."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[Account, datetime, datetime], list[dict]]


def _in(column, start, end):
    return and_(column >= start, column < end)


def _lots_registered(account: Account, start, end) -> list[dict]:
    lots = db.session.scalars(select(Lot).where(
        Lot.owner_account_id == account.id, Lot.parent_id.is_(None),
        _in(Lot.registered_at, start, end)).order_by(Lot.registered_at, Lot.id)).all()
    return [{"serial": lot.serial, "instrument": lot.instrument.code, "quantity": lot.quantity,
             "status": lot.status, "project_name": lot.project_name,
             "project_code": lot.project_code, "registered_at": lot.registered_at,
             "verified_at": lot.verified_at} for lot in lots]


def _deals(account: Account, start, end, side: str) -> list[dict]:
    """The account's settlements as seller or buyer that were made or closed in the period."""
    mine = Settlement.seller_account_id if side == "sale" else Settlement.buyer_account_id
    other = Settlement.buyer_account_id if side == "sale" else Settlement.seller_account_id
    counterparty = aliased(Account)
    rows = db.session.execute(
        select(Settlement, Trade, counterparty).join(Trade, Trade.id == Settlement.trade_id)
        .join(counterparty, counterparty.id == other)
        .where(mine == account.id, or_(_in(Settlement.created_at, start, end),
                                       _in(Settlement.closed_at, start, end)))
        .order_by(Trade.executed_at, Settlement.id)).all()
    deals = []
    for settlement, trade, party in rows:
        completed = settlement.status == "completed"
        deal = {
            "settlement_id": settlement.id, "trade_id": trade.id,
            "executed_at": trade.executed_at, "mechanism": trade.mechanism,
            "instrument": trade.instrument.code, "lot_serial": settlement.lot.serial,
            "quantity": settlement.quantity, "price": trade.price, "amount": settlement.amount,
            "counterparty": party.name,
            "counterparty_district": f"{party.district.name}（{party.district.code}）",
            "status": settlement.status, "paid_at": settlement.closed_at if completed else None,
        }
        if side == "sale":
            deal["fee"] = settlement.fee
            deal["net_proceeds"] = settlement.amount - settlement.fee if completed else None
        else:
            deal["deposit"] = settlement.deposit
            deal["paid"] = settlement.amount if completed else settlement.escrowed
            deal["delivered_lot"] = settlement.child_lot.serial if settlement.child_lot else None
        deals.append(deal)
    return deals


def _sales(account, start, end):
    return _deals(account, start, end, "sale")


def _purchases(account, start, end):
    return _deals(account, start, end, "purchase")


def _retirements(account: Account, start, end) -> list[dict]:
    rows = db.session.execute(
        select(Retirement, Lot).join(Lot, Lot.id == Retirement.lot_id)
        .where(Lot.owner_account_id == account.id, _in(Retirement.retired_at, start, end))
        .order_by(Retirement.retired_at, Retirement.id)).all()
    return [{"lot_serial": lot.serial, "instrument": lot.instrument.code,
             "quantity": retirement.quantity, "project_name": retirement.project_name,
             "project_code": retirement.project_code, "retired_at": retirement.retired_at}
            for retirement, lot in rows]


_DEAL = (Column("settlement_id", lazy_gettext("Settlement number")),
         Column("executed_at", lazy_gettext("Traded at"), "time"),
         Column("instrument", lazy_gettext("Instrument code"), in_pdf=False),
         Column("lot_serial", lazy_gettext("Lot serial")),
         Column("quantity", lazy_gettext("Quantity"), "quantity"),
         Column("price", lazy_gettext("Price (yuan)"), "money"),
         Column("amount", lazy_gettext("Amount (yuan)"), "money"))

def _disbursements(account: Account, start, end) -> list[dict]:
    """Money paid out of the account's proceeds to a lot's beneficiaries in the period."""
    rows = db.session.execute(
        select(Disbursement, Payout).join(Payout, Payout.id == Disbursement.payout_id)
        .where(Payout.seller_account_id == account.id,
               _in(Disbursement.recorded_at, start, end))
        .order_by(Disbursement.recorded_at, Disbursement.id)).all()
    return [{"lot_serial": payout.lot.serial, "settlement_id": payout.settlement_id,
             "beneficiary": payout.beneficiary_name, "owed_total": payout.amount,
             "amount": disbursement.amount, "reference": disbursement.reference,
             "still_owed": payout.owed, "paid_at": disbursement.recorded_at}
            for disbursement, payout in rows]


def _pledges(account: Account, start, end) -> list[dict]:
    """Pledges on the account's lots requested, registered or closed in the period."""
    rows = db.session.scalars(
        select(Pledge).join(Lot, Lot.id == Pledge.lot_id)
        .where(Lot.owner_account_id == account.id,
               or_(_in(Pledge.requested_at, start, end), _in(Pledge.registered_at, start, end),
                   _in(Pledge.closed_at, start, end)))
        .order_by(Pledge.requested_at, Pledge.id)).all()
    return [{"lot_serial": pledge.lot.serial, "pledgee": pledge.pledgee_name,
             "quantity": pledge.quantity, "amount": pledge.amount,
             "reference": pledge.reference, "pledge_status": pledge.status,
             "registered_at": pledge.registered_at, "closed_at": pledge.closed_at}
            for pledge in rows]


SECTIONS: list[Section] = [
    Section("lots_registered", lazy_gettext("Lots registered"), (
        Column("serial", lazy_gettext("Lot serial")),
        Column("instrument", lazy_gettext("Instrument code")),
        Column("quantity", lazy_gettext("Quantity"), "quantity"),
        Column("status", lazy_gettext("Status")),
        Column("project_name", lazy_gettext("Source project")),
        Column("registered_at", lazy_gettext("Registered at"), "time"),
        Column("verified_at", lazy_gettext("Verified at"), "time")), _lots_registered),
    Section("sales", lazy_gettext("Sales"), (
        *_DEAL, Column("fee", lazy_gettext("Fee (yuan)"), "money"),
        Column("net_proceeds", lazy_gettext("Net proceeds (yuan)"), "money"),
        Column("counterparty", lazy_gettext("Buyer")),
        Column("counterparty_district", lazy_gettext("Buyer's district"), in_pdf=False),
        Column("status", lazy_gettext("Status")),
        Column("paid_at", lazy_gettext("Paid at"), "time")), _sales),
    Section("purchases", lazy_gettext("Purchases"), (
        *_DEAL, Column("deposit", lazy_gettext("Deposit (yuan)"), "money"),
        Column("paid", lazy_gettext("Paid (yuan)"), "money"),
        Column("counterparty", lazy_gettext("Seller")),
        Column("counterparty_district", lazy_gettext("Seller's district"), in_pdf=False),
        Column("status", lazy_gettext("Status")),
        Column("paid_at", lazy_gettext("Paid at"), "time"),
        Column("delivered_lot", lazy_gettext("Lot delivered"))), _purchases),
    Section("retirements", lazy_gettext("Retirements"), (
        Column("lot_serial", lazy_gettext("Lot serial")),
        Column("instrument", lazy_gettext("Instrument code")),
        Column("quantity", lazy_gettext("Quantity"), "quantity"),
        Column("project_name", lazy_gettext("Used for project")),
        Column("project_code", lazy_gettext("Used for project code")),
        Column("retired_at", lazy_gettext("Retired at"), "time")), _retirements),
    Section("payouts", lazy_gettext("Paid to beneficiaries"), (
        Column("lot_serial", lazy_gettext("Lot serial")),
        Column("settlement_id", lazy_gettext("Settlement number")),
        Column("beneficiary", lazy_gettext("Beneficiary")),
        Column("owed_total", lazy_gettext("Owed in all (yuan)"), "money"),
        Column("amount", lazy_gettext("Paid (yuan)"), "money"),
        Column("reference", lazy_gettext("Bank reference")),
        Column("still_owed", lazy_gettext("Still owed (yuan)"), "money"),
        Column("paid_at", lazy_gettext("Paid at"), "time")), _disbursements),
    Section("pledges", lazy_gettext("Pledges"), (
        Column("lot_serial", lazy_gettext("Lot serial")),
        Column("pledgee", lazy_gettext("Pledgee (lender)")),
        Column("quantity", lazy_gettext("Quantity pledged"), "quantity"),
        Column("amount", lazy_gettext("Loan amount (yuan)"), "money"),
        Column("reference", lazy_gettext("Loan contract")),
        Column("pledge_status", lazy_gettext("Status")),
        Column("registered_at", lazy_gettext("Pledge registered at"), "time"),
        Column("closed_at", lazy_gettext("Closed at"), "time")), _pledges),
]


def register_section(section: Section) -> None:
    """Add a table to every statement (payouts and pledges register theirs here)."""
    if any(existing.key == section.key for existing in SECTIONS):
        raise ValueError(f"a statement section {section.key!r} exists")
    SECTIONS.append(section)
