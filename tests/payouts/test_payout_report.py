"""The regulators' money-back report and the alert for money left unpaid too long."""

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from market import alert_wording
from market.extensions import db
from market.services import surveillance
from models import Alert, Payout
from models.base import utcnow
from tests.payouts.helpers import VILLAGE, carbon_seller, sell_carbon
from tests.web.conftest import Browser


def _age_payouts(days: int) -> None:
    """Make every payout look owed since `days` ago."""
    for payout in db.session.scalars(select(Payout)):
        payout.owed_since = utcnow() - timedelta(days=days)
    db.session.commit()


def _scene(world):
    """A town's lot (璜土镇) with beneficiaries sold and partly paid; a county's lot without."""
    town_seller, town_lot = carbon_seller(world, "huangtu", "320281007")
    town_seller.put(f"/api/v1/lots/{town_lot}/beneficiaries", json=VILLAGE)
    sell_carbon(world, town_seller, town_lot, tag="1")
    villagers = town_seller.get("/api/v1/payouts").json[0]
    town_seller.post(f"/api/v1/payouts/{villagers['id']}/disbursements",
                     json={"amount": "850.22", "reference": "ABC-1"})
    county_seller, county_lot = carbon_seller(world, "yixing", "320282")
    sell_carbon(world, county_seller, county_lot, quantity="100", tag="2")
    return town_seller


def test_per_county_and_town_proceeds_paid_and_owed(world):
    _scene(world)
    _age_payouts(40)
    report = world.regulator.get("/api/v1/reports/payouts")
    assert report.status_code == 200, report.json
    rows = {(r["county_code"], r["town_code"]): r for r in report.json["districts"]}
    town = rows[("320281", "320281007")]
    assert (town["proceeds"], town["assigned"], town["paid"], town["owed"]) == (
        "23353.20", "23353.20", "850.22", "22502.98")
    assert (town["days_owed"], town["overdue"]) == (40, True)
    county = rows[("320282", None)]
    # 100 × 58.50 = 5,850 less 11.70 fee; nobody named, so nothing assigned or owed
    assert (county["proceeds"], county["assigned"], county["owed"], county["days_owed"]) == (
        "5838.30", "0.00", "0.00", None)
    assert report.json["totals"]["owed"] == "22502.98"
    people = {p["beneficiary_name"]: p for p in report.json["beneficiaries"]}
    assert (people["东山村村民"]["paid"], people["东山村村民"]["owed"]) == ("850.22",
                                                                            "19000.00")
    assert people["东山村村集体"]["beneficiary_kind"] == "collective"


def test_the_report_as_csv_and_xlsx_and_only_for_regulators(world):
    seller = _scene(world)
    response = world.regulator.get("/api/v1/reports/payouts?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert "320281007" in text and "22502.98" in text
    assert any(row[:1] == ["county_code"] for row in csv.reader(io.StringIO(text)))
    xlsx = world.regulator.get("/api/v1/reports/payouts",
                               headers={"Accept": "application/vnd.openxmlformats-"
                                        "officedocument.spreadsheetml.sheet"})
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book.sheetnames == ["Report", "Counties and towns", "Beneficiaries"]
    assert seller.get("/api/v1/reports/payouts").status_code == 403
    assert world.regulator.get("/api/v1/reports/payouts?format=pdf").status_code == 422


def test_a_regulator_elsewhere_sees_an_empty_report(world):
    from market.services import identity
    from tests.factories import PASSWORD

    _scene(world)
    ningbo = world.caller(identity.create_user(world.admin_user, {
        "username": "ningbo", "password": PASSWORD, "role": "regulator",
        "district_code": "330200"}))
    assert ningbo.get("/api/v1/reports/payouts").json["districts"] == []


def test_money_unpaid_past_the_setting_alerts_once(app, world):
    _scene(world)
    assert surveillance.detect() == 0
    _age_payouts(31)
    assert surveillance.detect() == 1
    assert surveillance.detect() == 0
    [alert] = db.session.scalars(select(Alert).where(Alert.kind == "payout_overdue")).all()
    assert "22502.98" in alert.summary
    desk = Browser(app)
    desk.login("regulator")
    page = desk.get("/desk/alerts").get_data(as_text=True)
    assert "应付受益人款项逾期未付" in page
    assert "应付受益人款项，已逾 31 天未付" in alert_wording.describe(alert).summary
    changed = world.regulator.patch("/api/v1/surveillance/settings",
                                    json={"payout_overdue_days": "60"})
    assert changed.status_code == 200, changed.json


def test_paid_in_full_raises_nothing(world):
    seller = _scene(world)
    for payout in seller.get("/api/v1/payouts?unpaid=true").json:
        seller.post(f"/api/v1/payouts/{payout['id']}/disbursements",
                    json={"amount": payout["owed"], "reference": "ALL"})
    _age_payouts(100)
    assert surveillance.detect() == 0
