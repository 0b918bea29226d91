"""A name a spreadsheet would run as a formula is written as text in every CSV and XLSX file.

An account named `=HYPERLINK(...)` buys FO-QTY below the guide price in November 2026 and
defaults: its name is in the monthly report's defaults, and the report's price against the
guide is a negative number, which must stay a number.
"""

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from market.extensions import db
from market.services import settlement
from market.tables import FORMULA_STARTS, XLSX_MEDIA_TYPE
from models import User
from models.base import utcnow
from tests.factories import PASSWORD
from tests.reports.test_city_reports import at
from tests.surveillance.helpers import move_trade, trade

EVIL = '=HYPERLINK("http://x","y")'
MONTHLY = "/api/v1/reports/monthly?city=330200&period=2026-11"


@pytest.fixture
def evil(world):
    seller = world.trader("xiangshan", "330225")
    account = world.admin.post("/api/v1/accounts", json={"name": EVIL, "district_code": "330212"})
    assert account.status_code == 201, account.json
    user = world.admin.post("/api/v1/users", json={
        "username": "evil", "password": PASSWORD, "role": "trader",
        "account_id": account.json["id"]})
    assert user.status_code == 201, user.json
    assert world.regulator.post(f"/api/v1/accounts/{account.json['id']}/deposits",
                                json={"amount": "1000000.00", "reference": "B-EVIL"}
                                ).status_code == 201
    buyer = world.caller(db.session.get(User, user.json["id"]))
    fill = trade(seller, buyer, world.lot(seller, quantity="10"), "290000.00", "1")
    assert settlement.default_overdue(utcnow() + timedelta(days=10, minutes=1)) == 1
    move_trade(fill["id"], at(11, 14), closed_at=at(11, 25, 9))
    return world


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.data
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def section(rows: list[list[str]], title: str) -> list[dict]:
    start = rows.index([title])
    header, lines = rows[start + 1], []
    for row in rows[start + 2:]:
        if not row:
            break
        lines.append(dict(zip(header, row, strict=True)))
    return lines


def test_the_monthly_report_csv_writes_the_name_as_text(evil):
    rows = csv_rows(evil.regulator.get(f"{MONTHLY}&format=csv"))
    [default] = section(rows, "违约明细")
    assert default["买方账户"] == "'" + EVIL
    assert [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)] == \
        ["-0.0333"]  # the one negative number: price against the guide, left as it is
    [fo] = section(rows, "分品种成交")
    assert fo["均价较指导价"] == "-0.0333"


def test_the_monthly_report_xlsx_stores_the_name_as_a_text_cell(evil):
    response = evil.regulator.get(MONTHLY, headers={"Accept": XLSX_MEDIA_TYPE})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    header, row = book["违约明细"].iter_rows(max_row=2)
    name = dict(zip([cell.value for cell in header], row, strict=True))["买方账户"]
    assert (name.value, name.data_type) == ("'" + EVIL, "s")
    assert [cell.coordinate for sheet in book for line in sheet.iter_rows() for cell in line
            if cell.data_type == "f"] == []
    header, row = book["分品种成交"].iter_rows(max_row=2)
    guide = dict(zip([cell.value for cell in header], row, strict=True))["均价较指导价"]
    assert (guide.value, guide.data_type) == (-0.0333, "n")


def test_the_trade_export_has_no_formula_cells(evil):
    path = "/api/v1/instruments/FO-QTY/trades/export?from=2026-11-01&to=2026-11-30"
    header, line = csv_rows(evil.regulator.get(path))
    assert not [cell for cell in header + line if cell.startswith(FORMULA_STARTS)]
    assert line[2:5] == ["290000.00", "1.0000", "290000.00"]
    sheet = load_workbook(io.BytesIO(evil.regulator.get(f"{path}&format=xlsx").data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert [cell.value for cell in cells[9:11]] == [datetime(2026, 11, 14, 10), 290000]
