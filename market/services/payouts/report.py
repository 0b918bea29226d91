"""The regulators' money-back report: per county and town, proceeds, paid out, still owed.

A place is where the sold indicator came from (the lot's origin, 经济反哺 goes back there):
a town's lot counts under its town and county, a county's lot under the county alone.
`proceeds` are the sellers' net proceeds (amount less fee) of completed settlements;
`assigned` the part of them the lots' beneficiaries are owed (lots without beneficiaries
assign nothing); `paid` what was disbursed; `owed` what is still owed, with the oldest
unpaid payout's age in days and whether it is past the surveillance setting.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from market import tables
from market.calendar import MARKET_TIME
from market.extensions import db
from market.services import identity
from market.services.catalogue import DistrictTree
from market.tables import Column, Export, Table
from models import Account, Lot, Payout, Settlement, SurveillanceSetting, User
from models.base import utcnow

ZERO = Decimal("0.00")
OVERDUE_SETTING = "payout_overdue_days"
DISTRICT_COLUMNS = ("county_code", "county_name", "town_code", "town_name", "settlements",
                    "proceeds", "assigned", "paid", "owed", "oldest_owed_since", "days_owed",
                    "overdue")
BENEFICIARY_COLUMNS = ("county_code", "town_code", "beneficiary_kind", "beneficiary_name",
                       "payouts", "amount", "paid", "owed", "oldest_owed_since", "days_owed",
                       "overdue")


def overdue_days() -> int:
    """How many days money may stay owed before it alerts (a surveillance setting)."""
    value = db.session.scalar(select(SurveillanceSetting.value).where(
        SurveillanceSetting.key == OVERDUE_SETTING))
    return int(value) if value is not None else 30


def _place(tree: DistrictTree, origin_id: int) -> tuple[int, int | None]:
    """(county, town or None) of a lot's origin."""
    county = tree.at_most(origin_id, "county")
    return county, (origin_id if origin_id != county else None)


def _age(since: datetime | None, now: datetime) -> int | None:
    return None if since is None else max(0, (now - since).days)


def payout_report(actor: User, now: datetime | None = None) -> dict:
    """The report over everything the actor oversees, as of `now`."""
    now = now or utcnow()
    limit = overdue_days()
    inside = identity.jurisdiction_of(actor)
    seen = inside.where(Account.district_id, Lot.origin_district_id)
    tree = DistrictTree()
    places: dict[tuple, dict] = {}

    def place(origin_id: int) -> dict:
        county, town = _place(tree, origin_id)
        return places.setdefault((county, town), {
            "county_code": tree.code(county), "county_name": tree.name(county),
            "town_code": tree.code(town) if town else None,
            "town_name": tree.name(town) if town else None, "settlements": 0,
            "proceeds": ZERO, "assigned": ZERO, "paid": ZERO, "owed": ZERO,
            "oldest_owed_since": None})

    for origin_id, amount, fee in db.session.execute(
            select(Lot.origin_district_id, Settlement.amount, Settlement.fee)
            .join(Lot, Lot.id == Settlement.lot_id)
            .join(Account, Account.id == Settlement.seller_account_id)
            .where(Settlement.status == "completed", seen)):
        line = place(origin_id)
        line["settlements"] += 1
        line["proceeds"] += amount - fee
    people: dict[tuple, dict] = {}
    for payout, origin_id in db.session.execute(
            select(Payout, Lot.origin_district_id).join(Lot, Lot.id == Payout.lot_id)
            .join(Account, Account.id == Payout.seller_account_id).where(seen)
            .order_by(Payout.id)):
        line = place(origin_id)
        person = people.setdefault((line["county_code"], line["town_code"],
                                    payout.beneficiary_kind, payout.beneficiary_name), {
            "county_code": line["county_code"], "town_code": line["town_code"],
            "beneficiary_kind": payout.beneficiary_kind,
            "beneficiary_name": payout.beneficiary_name, "payouts": 0, "amount": ZERO,
            "paid": ZERO, "owed": ZERO, "oldest_owed_since": None})
        person["payouts"] += 1
        for row in (line, person):
            row["assigned" if row is line else "amount"] += payout.amount
            row["paid"] += payout.paid
            row["owed"] += payout.owed
            if payout.owed > 0 and (row["oldest_owed_since"] is None
                                    or payout.owed_since < row["oldest_owed_since"]):
                row["oldest_owed_since"] = payout.owed_since
    for row in (*places.values(), *people.values()):
        row["days_owed"] = _age(row["oldest_owed_since"], now)
        row["overdue"] = row["days_owed"] is not None and row["days_owed"] > limit
    districts = sorted(places.values(), key=lambda r: (r["county_code"], r["town_code"] or ""))
    totals = {key: sum((row[key] for row in districts), ZERO)
              for key in ("proceeds", "assigned", "paid", "owed")}
    return {"as_of": now, "overdue_days": limit, "totals": totals, "districts": districts,
            "beneficiaries": sorted(people.values(), key=lambda r: (
                r["county_code"], r["town_code"] or "", r["beneficiary_kind"],
                r["beneficiary_name"]))}


def payout_report_file(report: dict, file_format: str) -> Export:
    """The report as a `csv` or `xlsx` file: a heading, the places, the beneficiaries."""
    def table(title: str, columns: tuple[str, ...], rows: list[dict]) -> Table:
        return Table(title, [Column(name, width=max(12, len(name) + 2)) for name in columns],
                     [[_cell(row.get(column)) for column in columns] for row in rows])

    heading = [{"item": "as_of", "value": report["as_of"]},
               {"item": "overdue_days", "value": report["overdue_days"]},
               *({"item": key, "value": value} for key, value in report["totals"].items())]
    stamp = report["as_of"].astimezone(MARKET_TIME).strftime("%Y-%m-%d")
    made = tables.export(file_format, f"payouts-{stamp}.{file_format}", [
        table("Report", ("item", "value"), heading),
        table("Counties and towns", DISTRICT_COLUMNS, report["districts"]),
        table("Beneficiaries", BENEFICIARY_COLUMNS, report["beneficiaries"]),
    ], titled=True)
    return made if isinstance(made.body, bytes) else Export(
        made.filename, made.mimetype, b"".join(made.body))


def _cell(value):
    """Numbers stay numbers; times are ISO text in Beijing time; flags are words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone(MARKET_TIME).isoformat()
    return value
