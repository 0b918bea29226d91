"""Flows: where traded indicators came from and went, and the money that moved with them.

The trades grouped by where they came from and went (`trade_facts`) feed both the
district-to-district flow matrix and the flow tables of a city's report.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from market.calendar import day_start, market_day
from market.errors import InvalidInput
from market.extensions import db
from market.services import catalogue, identity
from market.services.catalogue import DistrictTree
from models import Account, Instrument, Lot, Settlement, Trade, User

ZERO = Decimal("0")


def trade_facts(start: datetime, end: datetime, instrument_id: int | None = None) -> list:
    """The trades in [start, end) grouped by instrument, origin district, buyer district and
    settlement status: how many (`trades`), their quantity, amount and fee, lowest and highest
    price. Grouped by the database: a year holds hundreds of thousands of trades, and a row
    each took seconds to carry into Python."""
    buyer = aliased(Account)
    keys = (Trade.instrument_id, Lot.origin_district_id.label("origin_id"),
            buyer.district_id.label("buyer_district_id"), Settlement.status)
    query = (select(*keys, func.count(Trade.id).label("trades"),
                    func.sum(Trade.quantity).label("quantity"),
                    func.sum(Trade.amount).label("amount"), func.sum(Settlement.fee).label("fee"),
                    func.min(Trade.price).label("low"), func.max(Trade.price).label("high"))
             .join(Lot, Lot.id == Trade.lot_id).join(buyer, buyer.id == Trade.buyer_account_id)
             .join(Settlement, Settlement.trade_id == Trade.id)
             .where(Trade.executed_at >= start, Trade.executed_at < end)
             .group_by(*keys).order_by(*keys))
    if instrument_id is not None:
        query = query.where(Trade.instrument_id == instrument_id)
    return list(db.session.execute(query))


def flow_rows(facts, districts: DistrictTree, codes: dict[int, str]) -> list[dict]:
    """Seller county → buyer county per instrument: quantity and money, settled and pending."""
    groups: dict[tuple, dict] = {}
    for fact in facts:
        if fact.status not in ("completed", "pending_payment"):
            continue
        seller = districts.at_most(fact.origin_id, "county")
        buyer = districts.at_most(fact.buyer_district_id, "county")
        row = groups.setdefault((codes[fact.instrument_id], districts.code(seller),
                                 districts.code(buyer)), {
            "instrument": codes[fact.instrument_id],
            "seller_district_code": districts.code(seller),
            "seller_district_name": districts.name(seller),
            "buyer_district_code": districts.code(buyer),
            "buyer_district_name": districts.name(buyer),
            "trades": 0, "quantity": ZERO, "amount": ZERO, "fee": ZERO, "net_to_seller": ZERO,
            "pending_trades": 0, "pending_quantity": ZERO, "pending_amount": ZERO})
        if fact.status == "completed":
            row["trades"] += fact.trades
            row["quantity"] += fact.quantity
            row["amount"] += fact.amount
            row["fee"] += fact.fee
            row["net_to_seller"] += fact.amount - fact.fee
        else:
            row["pending_trades"] += fact.trades
            row["pending_quantity"] += fact.quantity
            row["pending_amount"] += fact.amount
    return [groups[key] for key in sorted(groups)]


def _span(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    today = market_day()
    date_to = date_to or today
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        raise InvalidInput("from", lazy_gettext("%(first)s is after to (%(last)s)",
                                                first=date_from, last=date_to), code="bad_range")
    return date_from, date_to


def flow_matrix(actor: User, date_from: date | None = None, date_to: date | None = None,
                instrument: str | None = None) -> dict:
    """The flow rows, plus each county's money received, paid and net, for the days given;
    a regulator with a jurisdiction sees the flows that start or end inside it."""
    date_from, date_to = _span(date_from, date_to)
    instrument_id = catalogue.instrument_for_input(instrument).id if instrument else None
    districts = DistrictTree()
    codes = dict(db.session.execute(select(Instrument.id, Instrument.code)).all())
    inside = identity.jurisdiction_of(actor)
    facts = [fact for fact in trade_facts(day_start(date_from),
                                          day_start(date_to + timedelta(days=1)), instrument_id)
             if inside.covers(fact.origin_id, fact.buyer_district_id)]
    rows = flow_rows(facts, districts, codes)
    totals: dict[str, dict] = {}
    for row in rows:
        for side, code, name in (("seller", row["seller_district_code"],
                                  row["seller_district_name"]),
                                 ("buyer", row["buyer_district_code"],
                                  row["buyer_district_name"])):
            line = totals.setdefault(code, {"code": code, "name": name, "received": ZERO,
                                            "paid": ZERO, "net": ZERO,
                                            "pending_in": ZERO, "pending_out": ZERO})
            if side == "seller":
                line["received"] += row["net_to_seller"]
                line["pending_in"] += row["pending_amount"]
            else:
                line["paid"] += row["amount"]
                line["pending_out"] += row["pending_amount"]
    for line in totals.values():
        line["net"] = line["received"] - line["paid"]
    return {"date_from": date_from, "date_to": date_to, "instrument": instrument, "rows": rows,
            "districts": [totals[code] for code in sorted(totals)]}
