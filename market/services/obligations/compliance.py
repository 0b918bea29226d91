"""The compliance report of a city or a province: every district's obligations, what it
surrendered, what it still lacks, and what that shortfall would cost at the market's price.

The price is each instrument's 30-day VWAP (today and the 29 days before, from the kept
daily statistics and today's trades, as `history.stats` serves it); an obligation on a kind
is priced at the cheapest VWAP among that kind's instruments, the cheapest way to meet it.
No trades in 30 days: no price, and the cost is left empty rather than guessed.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext
from sqlalchemy import select

from market import tables
from market.calendar import MARKET_TIME
from market.errors import InvalidInput, NotFound
from market.extensions import db
from market.services import catalogue, history, identity
from market.services.obligations.quotas import views
from market.tables import Column, Export, Table
from market.vocabulary import DISTRICT_LEVEL, INSTRUMENT_KIND, OBLIGATION_STATUS, word
from models import Instrument, Obligation, User
from models.base import utcnow

CENT = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")


def _vwaps() -> dict[str, tuple[Decimal | None, str | None]]:
    """Per instrument code and per kind: (30-day VWAP, the instrument it comes from)."""
    prices: dict[str, tuple[Decimal | None, str | None]] = {}
    for instrument in db.session.scalars(select(Instrument).order_by(Instrument.code)):
        vwap = history.stats(instrument.code)["vwap_30d"]
        prices[instrument.code] = (vwap, instrument.code if vwap is not None else None)
        best = prices.get(instrument.kind, (None, None))
        if vwap is not None and (best[0] is None or vwap < best[0]):
            prices[instrument.kind] = (vwap, instrument.code)
        else:
            prices.setdefault(instrument.kind, best)
    return prices


def compliance_report(actor: User, district_code: str, date_from: date | None = None,
                      date_to: date | None = None) -> dict:
    """Obligations of every district in a city or province whose period overlaps the days."""
    tree = catalogue.DistrictTree()
    region_id = tree.ids.get(district_code or "")
    if region_id is None:
        raise InvalidInput("district", lazy_gettext("unknown district code %(code)s",
                                                    code=repr(district_code)),
                           code="unknown_district")
    level = tree.rows[region_id].level
    if level not in ("city", "province"):
        raise InvalidInput("district", lazy_gettext(
            "%(code)s is a %(level)s, not a city or a province", code=district_code,
            level=word(DISTRICT_LEVEL, level)), code="not_a_region")
    if not identity.jurisdiction_of(actor).covers(region_id):
        raise NotFound("district", district_code)
    query = select(Obligation).where(Obligation.district_id.in_(tree.descendants(region_id)))
    if date_from:
        query = query.where(Obligation.period_end >= date_from)
    if date_to:
        query = query.where(Obligation.period_start <= date_to)
    found = views(list(db.session.scalars(query.order_by(Obligation.id))))
    prices = _vwaps()
    rows, districts = [], {}
    for view in sorted(found, key=lambda v: (v.district_code, v.period_start, v.id)):
        vwap, priced_by = prices.get(view.target, (None, None))
        cost = (view.shortfall * vwap).quantize(CENT, ROUND_HALF_UP) if vwap is not None \
            else None
        rows.append({
            "obligation_id": view.id, "district_code": view.district_code,
            "district_name": view.district_name, "instrument": view.target,
            "kind": view.kind, "period_start": view.period_start,
            "period_end": view.period_end, "status": view.status, "quantity": view.quantity,
            "surrendered": view.surrendered, "shortfall": view.shortfall, "vwap_30d": vwap,
            "priced_by": priced_by, "shortfall_cost": cost})
        line = districts.setdefault(view.district_code, {
            "district_code": view.district_code, "district_name": view.district_name,
            "obligations": 0, "open": 0, "met": 0, "short": 0,
            "shortfall_cost": ZERO_MONEY, "unpriced": 0})
        line["obligations"] += 1
        line[view.status] += 1
        if cost is None:
            line["unpriced"] += int(view.shortfall > 0)
        else:
            line["shortfall_cost"] += cost
    return {
        "district": {"code": district_code, "name": tree.name(region_id), "level": level},
        "date_from": date_from, "date_to": date_to, "generated_at": utcnow(),
        "basis": "obligations of the districts in the region whose period overlaps the days "
                 "asked; surrendered as of generated_at; shortfall priced at the 30-day VWAP "
                 "(a kind at its cheapest instrument's); Asia/Shanghai calendar",
        "totals": {"obligations": len(rows),
                   "shortfall_cost": sum((d["shortfall_cost"] for d in districts.values()),
                                         ZERO_MONEY),
                   "met": sum(d["met"] for d in districts.values()),
                   "short": sum(d["short"] for d in districts.values()),
                   "open": sum(d["open"] for d in districts.values())},
        "districts": list(districts.values()),
        "rows": rows,
    }


# (key, Chinese header) of each file column, in order.
ROW_COLUMNS = (
    ("obligation_id", lazy_gettext("Obligation")),
    ("district_code", lazy_gettext("District code")),
    ("district_name", lazy_gettext("District")),
    ("instrument", lazy_gettext("Instrument or kind")),
    ("period_start", lazy_gettext("Period start")),
    ("period_end", lazy_gettext("Period end")),
    ("status", lazy_gettext("Status")),
    ("quantity", lazy_gettext("Obligation quantity")),
    ("surrendered", lazy_gettext("Surrendered")),
    ("shortfall", lazy_gettext("Shortfall")),
    ("vwap_30d", lazy_gettext("30-day VWAP (yuan)")),
    ("priced_by", lazy_gettext("Priced by")),
    ("shortfall_cost", lazy_gettext("Shortfall cost (yuan)")),
)
DISTRICT_COLUMNS = (
    ("district_code", lazy_gettext("District code")),
    ("district_name", lazy_gettext("District")),
    ("obligations", lazy_gettext("Number of obligations")),
    ("open", lazy_gettext("In progress")),
    ("met", lazy_gettext("Met")),
    ("short", lazy_gettext("Short")),
    ("shortfall_cost", lazy_gettext("Shortfall cost (yuan)")),
    ("unpriced", lazy_gettext("Shortfalls without a price")),
)


def _cell(key: str, value):
    if key == "status":
        return str(word(OBLIGATION_STATUS, value))
    if key == "instrument":
        return str(word(INSTRUMENT_KIND, value))
    if isinstance(value, date):
        return value.isoformat()
    return value


def _table(title, columns, rows) -> Table:
    return Table(str(title), [Column(str(header), width=max(12, 2 * len(str(header)) + 2))
                              for _key, header in columns],
                 [[_cell(key, row.get(key)) for key, _header in columns] for row in rows])


def compliance_file(report: dict, file_format: str) -> Export:
    """The report as a `csv` or `xlsx` file: a heading, the districts, the obligations."""
    heading = [
        [str(lazy_gettext("Region")), f"{report['district']['code']} "
                                      f"{report['district']['name']}"],
        [str(lazy_gettext("From")), report["date_from"].isoformat() if report["date_from"]
         else ""],
        [str(lazy_gettext("To")), report["date_to"].isoformat() if report["date_to"] else ""],
        [str(lazy_gettext("Generated at")), report["generated_at"].astimezone(
            MARKET_TIME).isoformat(timespec="seconds")],
        [str(lazy_gettext("Number of obligations")), report["totals"]["obligations"]],
        [str(lazy_gettext("Shortfall cost (yuan)")), report["totals"]["shortfall_cost"]],
    ]
    sheets = [
        Table(str(lazy_gettext("Compliance report")),
              [Column(str(lazy_gettext("Item")), width=16),
               Column(str(lazy_gettext("Value")), width=40)], heading),
        _table(lazy_gettext("By district"), DISTRICT_COLUMNS, report["districts"]),
        _table(lazy_gettext("Obligation details"), ROW_COLUMNS, report["rows"]),
    ]
    name = f"compliance-{report['district']['code']}.{file_format}"
    made = tables.export(file_format, name, sheets, titled=True)
    return made if isinstance(made.body, bytes) else Export(made.filename, made.mimetype,
                                                            b"".join(made.body))
