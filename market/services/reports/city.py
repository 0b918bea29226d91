"""Regulators' reports: district-to-district flows and the monthly and quarterly city report.

Read-only use cases that return plain dicts, so the API, the pages and the file renderers
(`report_files.py`) share one computation. Periods follow the market's calendar
(Asia/Shanghai); a trade belongs to the period in which it executed.

Flows (经济反哺, seed 003 §(七)): seller district is the county the lot originates in (where
the farmland was added or the construction land cut), buyer district the county of the
buyer's account. Completed settlements count as money that flowed; pending ones are shown
separately; defaulted and cancelled trades moved nothing and are left out.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from market.calendar import MARKET_TIME, month_bounds
from market.errors import InvalidInput, NotFound
from market.extensions import db
from market.services import identity, surveillance
from market.services.catalogue import DistrictTree
from market.services.reports.flows import flow_rows, trade_facts
from market.vocabulary import DISTRICT_LEVEL, word
from models import Account, Alert, Instrument, Lot, Settlement, User
from models.base import utcnow
from models.settlement import SETTLEMENT_STATUSES

ZERO = Decimal("0")
CENT = Decimal("0.01")
BASIS = ("trades executed in the period whose lot originates in the city or whose buyer "
         "sits in the city; settlement states as of generated_at; guide prices as of "
         "generated_at; Asia/Shanghai calendar")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q(\d)$")


@dataclass(frozen=True)
class Period:
    """A reporting period: its label and its [start, end) instants."""

    label: str
    start: datetime
    end: datetime


def parse_period(kind: str, text: str) -> Period:
    """'2026-11' (monthly) or '2026-Q4' (quarterly), or a 422 naming `period`."""
    match = (_MONTH if kind == "monthly" else _QUARTER).match(text or "")
    example = "2026-11" if kind == "monthly" else "2026-Q4"
    number = int(match[2]) if match else 0
    if not match or not 2000 <= int(match[1]) <= 2100 or \
            not 1 <= number <= (12 if kind == "monthly" else 4):
        raise InvalidInput("period", lazy_gettext(
            "%(text)s is not a %(kind)s such as %(example)s", text=repr(text),
            kind=lazy_gettext("month") if kind == "monthly" else lazy_gettext("quarter"),
            example=example), code="bad_period")
    year = int(match[1])
    first, last = (number, number) if kind == "monthly" else (3 * number - 2, 3 * number)
    return Period(text, month_bounds(year, first)[0], month_bounds(year, last)[1])


def monthly(actor: User, city_code: str, period: str) -> dict:
    """The monthly report (月通报) of one city, e.g. monthly(regulator, '320200', '2026-11')."""
    return city_report(actor, city_code, "monthly", period)


def quarterly(actor: User, city_code: str, period: str) -> dict:
    """The quarterly report (季分析) of one city, e.g. quarterly(regulator, '320200', '2026-Q4')."""
    return city_report(actor, city_code, "quarterly", period)


def city_report(actor: User, city_code: str, kind: str, period: str) -> dict:
    """Volumes, turnover, prices against guide, settlements, defaults, alerts and flows."""
    span = parse_period(kind, period)
    districts = DistrictTree()
    city_id = districts.ids.get(city_code or "")
    if city_id is None:
        raise InvalidInput("city", lazy_gettext("unknown district code %(code)s",
                                                code=repr(city_code)), code="unknown_district")
    if districts.rows[city_id].level != "city":
        raise InvalidInput("city", lazy_gettext(
            "%(code)s is a %(level)s, not a city", code=city_code,
            level=word(DISTRICT_LEVEL, districts.rows[city_id].level)), code="not_a_city")
    if not identity.jurisdiction_of(actor).covers(city_id):
        raise NotFound("city", city_code)

    def in_city(district_id: int) -> bool:
        return districts.within(district_id, city_id)

    catalog = {i.id: i for i in db.session.scalars(select(Instrument))}
    facts = [f for f in trade_facts(span.start, span.end)
             if in_city(f.origin_id) or in_city(f.buyer_district_id)]
    settlements = _settlement_lines(facts)
    by_status = {line["status"]: line for line in settlements}
    defaults = _defaults(span, districts, in_city)
    return {
        "city": {"code": city_code, "name": districts.name(city_id)},
        "kind": kind, "period": span.label, "starts_at": span.start.astimezone(MARKET_TIME),
        "ends_at": span.end.astimezone(MARKET_TIME), "generated_at": utcnow(), "basis": BASIS,
        "totals": {"trades": sum(f.trades for f in facts),
                   "turnover": sum((f.amount for f in facts), ZERO),
                   "settled_amount": by_status["completed"]["amount"],
                   "pending_amount": by_status["pending_payment"]["amount"],
                   "defaults": defaults["count"], "defaulted_amount": defaults["amount"]},
        "instruments": _instrument_lines(facts, catalog, in_city),
        "settlements": settlements,
        "defaults": defaults,
        "alerts": _alerts(span, in_city),
        "flows": {"summary": _flow_summary(facts, in_city),
                  "rows": flow_rows(facts, districts, {k: i.code for k, i in catalog.items()})},
    }


def _vwap(turnover: Decimal, volume: Decimal) -> Decimal | None:
    return (turnover / volume).quantize(CENT, ROUND_HALF_UP) if volume else None


def _instrument_lines(facts, catalog: dict[int, Instrument], in_city) -> list[dict]:
    lines: dict[int, dict] = {}
    for fact in facts:
        instrument = catalog[fact.instrument_id]
        line = lines.setdefault(instrument.id, {
            "instrument": instrument.code, "name": instrument.name_zh, "unit": instrument.unit,
            "trades": 0, "volume": ZERO, "turnover": ZERO, "low": fact.low,
            "high": fact.high, "guide_price": instrument.guide_price,
            "sold_volume": ZERO, "sold_turnover": ZERO, "bought_volume": ZERO,
            "bought_turnover": ZERO})
        line["trades"] += fact.trades
        line["volume"] += fact.quantity
        line["turnover"] += fact.amount
        line["low"], line["high"] = min(line["low"], fact.low), max(line["high"], fact.high)
        if in_city(fact.origin_id):
            line["sold_volume"] += fact.quantity
            line["sold_turnover"] += fact.amount
        if in_city(fact.buyer_district_id):
            line["bought_volume"] += fact.quantity
            line["bought_turnover"] += fact.amount
    for line in lines.values():
        line["vwap"] = _vwap(line["turnover"], line["volume"])
        guide = line["guide_price"]
        line["vwap_vs_guide"] = ((line["vwap"] - guide) / guide).quantize(
            Decimal("0.0001"), ROUND_HALF_UP) if guide else None
    return sorted(lines.values(), key=lambda line: line["instrument"])


def _settlement_lines(facts) -> list[dict]:
    lines = {status: {"status": status, "count": 0, "amount": ZERO, "fee": ZERO}
             for status in SETTLEMENT_STATUSES}
    for fact in facts:
        line = lines[fact.status]
        line["count"] += fact.trades
        line["amount"] += fact.amount
        line["fee"] += fact.fee
    return list(lines.values())


def _defaults(span: Period, districts: DistrictTree, in_city) -> dict:
    """Settlements that defaulted during the period (whenever they traded)."""
    buyer = aliased(Account)
    found = db.session.execute(
        select(Settlement, buyer, Lot.origin_district_id)
        .join(buyer, buyer.id == Settlement.buyer_account_id)
        .join(Lot, Lot.id == Settlement.lot_id)
        .where(Settlement.status == "defaulted", Settlement.closed_at >= span.start,
               Settlement.closed_at < span.end).order_by(Settlement.id)).all()
    rows = [{
        "settlement_id": s.id, "trade_id": s.trade_id, "instrument": s.trade.instrument.code,
        "buyer_account": account.name, "buyer_district_code": account.district.code,
        "origin_district_code": districts.code(origin), "quantity": s.quantity,
        "amount": s.amount, "deposit_forfeited": s.deposit, "due_at": s.due_at,
        "closed_at": s.closed_at,
    } for s, account, origin in found if in_city(origin) or in_city(account.district_id)]
    return {"count": len(rows), "amount": sum((r["amount"] for r in rows), ZERO),
            "deposit_forfeited": sum((r["deposit_forfeited"] for r in rows), ZERO),
            "rows": rows}


def _alerts(span: Period, in_city) -> dict:
    """Alerts raised in the period with at least one account in the city."""
    alerts = [alert for alert in db.session.scalars(
        select(Alert).options(selectinload(Alert.accounts))
        .where(Alert.created_at >= span.start, Alert.created_at < span.end).order_by(Alert.id))
        if any(in_city(account.district_id) for account in alert.accounts)]
    codes = dict(db.session.execute(select(Instrument.id, Instrument.code)).all())
    by_kind: dict[str, dict] = {}
    for alert in alerts:
        line = by_kind.setdefault(alert.kind, {
            "kind": alert.kind, "severity": surveillance.SEVERITY.get(alert.kind), "count": 0,
            "open": 0, "reviewed": 0, "dismissed": 0})
        line["count"] += 1
        line[alert.status] += 1
    return {"count": len(alerts), "by_kind": [by_kind[kind] for kind in sorted(by_kind)],
            "rows": [{"id": a.id, "kind": a.kind, "severity": surveillance.SEVERITY.get(a.kind),
                      "status": a.status, "instrument": codes.get(a.instrument_id),
                      "summary": a.summary, "created_at": a.created_at} for a in alerts]}


def _flow_summary(facts, in_city) -> list[dict]:
    """Money into the city (its lots bought from outside), out of it, and within it."""
    lines = {direction: {"direction": direction, "trades": 0, "amount": ZERO, "fee": ZERO,
                         "pending_trades": 0, "pending_amount": ZERO}
             for direction in ("inflow", "outflow", "internal")}
    for fact in facts:
        seller_in, buyer_in = in_city(fact.origin_id), in_city(fact.buyer_district_id)
        line = lines["internal" if seller_in and buyer_in else
                     "inflow" if seller_in else "outflow"]
        if fact.status == "completed":
            line["trades"] += fact.trades
            line["amount"] += fact.amount
            line["fee"] += fact.fee
        elif fact.status == "pending_payment":
            line["pending_trades"] += fact.trades
            line["pending_amount"] += fact.amount
    return list(lines.values())
