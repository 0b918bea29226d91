"""Monthly and quarterly city reports, checked by hand; as JSON, CSV and XLSX.

Ningbo (宁波市 330200); Jiaxing (嘉兴市) is the other city of the province. Trades are moved to
fixed times (Asia/Shanghai) so the periods are repeatable:

  T1 象山县 → 鄞州区  FO-QTY 2 @ 300,000  11-10  paid          internal  fee 1,800
  T2 平湖市 → 鄞州区  FO-QTY 1 @ 340,000  11-12  pending       outflow   fee 1,020  (+13.3 %)
  T3 宁海县 → 桐乡市  FO-QTY 1 @ 290,000  11-20  bank-paid     inflow    fee   870
  T4 平湖市 → 桐乡市  FO-QTY 1 @ 300,000  11-21  Jiaxing only: not in Ningbo's report
  T5 象山县 → 鄞州区  FO-QTY 1 @ 300,000  11-14  defaulted 11-25 (deposit 60,000 forfeited)
  E1 象山县 → 桐乡市  ECO-CARBON 10 @ 60  11-05  settled       inflow    fee 1.20
  T6 象山县 → 鄞州区  FO-QTY 1 @ 310,000  12-01 00:30 (still 11-30 in UTC): Q4, not November
  T7 象山县 → 鄞州区  FO-QTY 1 @ 300,000  10-05: Q4
  T8 象山县 → 鄞州区  FO-QTY 1 @ 300,000  10-01 07:30 (09-30 in UTC): Q4

November, FO-QTY: T1 T2 T3 T5 = 5 mu, 1,530,000, VWAP 306,000 (+2 % on the guide 300,000).
Q4 adds T6 T7 T8: 8 mu, 2,440,000, VWAP 305,000.
"""

import csv
import io
import re
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from market.calendar import MARKET_TIME
from market.services import reports, settlement, surveillance
from models.base import utcnow
from tests.surveillance.helpers import move_trade, settlement_of, trade


def at(month, day, hour=10, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=MARKET_TIME)


@pytest.fixture
def ningbo(world):
    xiangshan = world.trader("xiangshan", "330225")
    ninghai = world.trader("ninghai", "330226")
    pinghu = world.trader("pinghu", "330482")
    yinzhou = world.trader("yinzhou", "330212", cash="20000000")
    tongxiang = world.trader("tongxiang", "330483", cash="20000000")
    lot_x = world.lot(xiangshan, quantity="50")
    lot_n = world.lot(ninghai, quantity="50")
    lot_p = world.lot(pinghu, quantity="50")
    eco = world.lot(xiangshan, instrument="ECO-CARBON", quantity="100")

    t5 = trade(xiangshan, yinzhou, lot_x, "300000.00", "1")
    assert settlement.default_overdue(utcnow() + timedelta(days=10, minutes=1)) == 1
    t1 = trade(xiangshan, yinzhou, lot_x, "300000.00", "2")
    assert yinzhou.post(f"/api/v1/settlements/{settlement_of(t1['id']).id}/pay").status_code \
        == 200
    t2 = trade(pinghu, yinzhou, lot_p, "340000.00", "1")
    t3 = trade(ninghai, tongxiang, lot_n, "290000.00", "1")
    assert world.regulator.post(f"/api/v1/settlements/{settlement_of(t3['id']).id}/payments",
                                json={"amount": "232000.00", "reference": "B-1"}
                                ).status_code == 200
    t4 = trade(pinghu, tongxiang, lot_p, "300000.00", "1")
    e1 = trade(xiangshan, tongxiang, eco, "60.00", "10", "ECO-CARBON")
    t6 = trade(xiangshan, yinzhou, lot_x, "310000.00", "1")
    t7 = trade(xiangshan, yinzhou, lot_x, "300000.00", "1")
    t8 = trade(xiangshan, yinzhou, lot_x, "300000.00", "1")
    for fill, when in ((t1, at(11, 10)), (t2, at(11, 12)), (t3, at(11, 20)), (t4, at(11, 21)),
                       (e1, at(11, 5)), (t6, at(12, 1, 0, 30)), (t7, at(10, 5)),
                       (t8, at(10, 1, 7, 30))):
        move_trade(fill["id"], when)
    move_trade(t5["id"], at(11, 14), closed_at=at(11, 25, 9))
    # Detection as it would have run an hour after T2: one alert, on T2.
    assert surveillance.detect(at(11, 12, 11)) == 1
    ids = {"t1": t1, "t2": t2, "t3": t3, "t5": t5}
    return world, {name: fill["id"] for name, fill in ids.items()}


def test_the_monthly_report(ningbo):
    world, ids = ningbo
    response = world.regulator.get("/api/v1/reports/monthly?city=330200&period=2026-11")
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["city"], report["kind"], report["period"]) == (
        {"code": "330200", "name": "宁波市"}, "monthly", "2026-11")
    assert (report["starts_at"], report["ends_at"]) == ("2026-11-01T00:00:00+08:00",
                                                        "2026-12-01T00:00:00+08:00")
    assert report["totals"] == {"trades": 5, "turnover": "1530600.00",
                                "settled_amount": "890600.00", "pending_amount": "340000.00",
                                "defaults": 1, "defaulted_amount": "300000.00"}
    eco, fo = report["instruments"]
    assert eco == {
        "instrument": "ECO-CARBON", "name": "林业碳汇", "unit": "tCO2e", "trades": 1,
        "volume": "10.0000", "turnover": "600.00", "vwap": "60.00", "guide_price": "60.00",
        "vwap_vs_guide": "0.0000", "low": "60.00", "high": "60.00", "sold_volume": "10.0000",
        "sold_turnover": "600.00", "bought_volume": "0.0000", "bought_turnover": "0.00"}
    assert fo == {
        "instrument": "FO-QTY", "name": "补充耕地数量指标", "unit": "mu", "trades": 4,
        "volume": "5.0000", "turnover": "1530000.00", "vwap": "306000.00",
        "guide_price": "300000.00", "vwap_vs_guide": "0.0200", "low": "290000.00",
        "high": "340000.00", "sold_volume": "4.0000", "sold_turnover": "1190000.00",
        "bought_volume": "4.0000", "bought_turnover": "1240000.00"}
    assert report["settlements"] == [
        {"status": "pending_payment", "count": 1, "amount": "340000.00", "fee": "1020.00"},
        {"status": "completed", "count": 3, "amount": "890600.00", "fee": "2671.20"},
        {"status": "defaulted", "count": 1, "amount": "300000.00", "fee": "900.00"},
        {"status": "cancelled", "count": 0, "amount": "0.00", "fee": "0.00"}]
    defaults = report["defaults"]
    assert (defaults["count"], defaults["amount"], defaults["deposit_forfeited"]) == (
        1, "300000.00", "60000.00")
    [row] = defaults["rows"]
    assert (row["trade_id"], row["buyer_district_code"], row["origin_district_code"],
            row["closed_at"]) == (ids["t5"], "330212", "330225", "2026-11-25T01:00:00+00:00")
    alerts = report["alerts"]
    assert alerts["by_kind"] == [{"kind": "guide_deviation", "severity": "medium", "count": 1,
                                  "open": 1, "reviewed": 0, "dismissed": 0}]
    assert [a["instrument"] for a in alerts["rows"]] == ["FO-QTY"]
    assert report["flows"]["summary"] == [
        {"direction": "inflow", "trades": 2, "amount": "290600.00", "fee": "871.20",
         "pending_trades": 0, "pending_amount": "0.00"},
        {"direction": "outflow", "trades": 0, "amount": "0.00", "fee": "0.00",
         "pending_trades": 1, "pending_amount": "340000.00"},
        {"direction": "internal", "trades": 1, "amount": "600000.00", "fee": "1800.00",
         "pending_trades": 0, "pending_amount": "0.00"}]
    assert [(r["instrument"], r["seller_district_code"], r["buyer_district_code"], r["amount"],
             r["pending_amount"]) for r in report["flows"]["rows"]] == [
        ("ECO-CARBON", "330225", "330483", "600.00", "0.00"),
        ("FO-QTY", "330225", "330212", "600000.00", "0.00"),
        ("FO-QTY", "330226", "330483", "290000.00", "0.00"),
        ("FO-QTY", "330482", "330212", "0.00", "340000.00")]


def test_the_quarterly_report_adds_october_and_the_first_of_december(ningbo):
    world, _ids = ningbo
    report = world.regulator.get("/api/v1/reports/quarterly?city=330200&period=2026-Q4").json
    assert (report["kind"], report["starts_at"], report["ends_at"]) == (
        "quarterly", "2026-10-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert report["totals"]["trades"] == 8
    assert report["totals"]["turnover"] == "2440600.00"
    assert report["totals"]["pending_amount"] == "1250000.00"
    fo = report["instruments"][1]
    assert (fo["trades"], fo["volume"], fo["turnover"], fo["vwap"], fo["vwap_vs_guide"]) == (
        7, "8.0000", "2440000.00", "305000.00", "0.0167")
    assert report["defaults"]["count"] == 1 and report["alerts"]["count"] == 1
    # The third quarter has none of it; Jiaxing sees its own side of T2, T3, T4 and E1.
    assert reports.quarterly(world.regulator_user, "330200", "2026-Q3")["totals"]["trades"] == 0
    jiaxing = reports.monthly(world.regulator_user, "330400", "2026-11")
    assert jiaxing["totals"]["trades"] == 4
    assert {line["direction"]: line["amount"] for line in jiaxing["flows"]["summary"]} == {
        "inflow": 0, "outflow": 290600, "internal": 0}


def test_the_monthly_report_as_csv_with_a_bom(ningbo):
    world, _ids = ningbo
    response = world.regulator.get(
        "/api/v1/reports/monthly?city=330200&period=2026-11&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="report-330200-2026-11.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["报告概况"] and rows[1] == ["项目", "内容"]
    assert ["城市", "宁波市"] in rows and ["成交额（元）", "1530600.00"] in rows
    assert ["报告类型", "月通报"] in rows
    assert ["起始时间（北京时间）", "2026-11-01 00:00:00"] in rows
    start = rows.index(["分品种成交"])
    header = rows[start + 1]
    fo = dict(zip(header, rows[start + 3], strict=True))
    assert (fo["品种代码"], fo["计量单位"], fo["成交额（元）"], fo["成交均价（元）"]) == (
        "FO-QTY", "亩", "1530000.00", "306000.00")
    statuses = rows[rows.index(["结算情况"]) + 2:rows.index(["结算情况"]) + 6]
    assert {row[0] for row in statuses} == {"待付款", "已完成", "已违约", "已撤销"}
    directions = rows[rows.index(["资金流向汇总"]) + 2:rows.index(["资金流向汇总"]) + 5]
    assert [row[0] for row in directions] == ["流入本市", "流出本市", "本市内部"]
    defaults_header = rows[rows.index(["违约明细"]) + 1]
    assert "买方地区" in defaults_header and "指标来源地区" in defaults_header
    flows = rows[rows.index(["地区间流向"]) + 2:]
    assert [(r[0], r[1], r[3]) for r in flows] == [
        ("ECO-CARBON", "330225", "330483"), ("FO-QTY", "330225", "330212"),
        ("FO-QTY", "330226", "330483"), ("FO-QTY", "330482", "330212")]
    # Every header and sheet name is Chinese: no English word is left for a reader.
    titles_and_headers = [row for index, row in enumerate(rows)
                          if index == 0 or (rows[index - 1] == [] and row)
                          or (index and len(rows[index - 1]) == 1 and rows[index - 1][0])]
    assert not [cell for row in titles_and_headers for cell in row
                if re.search(r"[A-Za-z]", cell)]


def test_the_quarterly_report_as_xlsx_by_accept_header(ningbo):
    world, _ids = ningbo
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = world.regulator.get("/api/v1/reports/quarterly?city=330200&period=2026-Q4",
                                   headers={"Accept": mime})
    assert response.status_code == 200
    assert response.mimetype == mime
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="report-330200-2026-Q4.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["报告概况", "分品种成交", "成交方式",
                               "结算情况", "违约明细", "告警分类统计",
                               "告警明细", "资金流向汇总", "地区间流向"]
    for sheet in book:
        headers = [cell.value for cell in sheet[1]]
        assert not [h for h in headers if re.search(r"[A-Za-z]", h)], (sheet.title, headers)
    sheet = book["分品种成交"]
    header = [cell.value for cell in sheet[1]]
    fo = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert (fo["品种代码"], fo["成交笔数"], fo["成交额（元）"], fo["成交均价（元）"]) == (
        "FO-QTY", 7, 2440000, 305000)
    report = {row[0].value: row[1].value for row in book["报告概况"].iter_rows(min_row=2)}
    assert (report["城市"], report["报告期"], report["成交笔数"], report["报告类型"]) == (
        "宁波市", "2026-Q4", 8, "季分析")
    csv_by_accept = world.regulator.get("/api/v1/reports/monthly?city=330200&period=2026-11",
                                        headers={"Accept": "text/csv"})
    assert csv_by_accept.mimetype == "text/csv"
    as_json = world.regulator.get("/api/v1/reports/monthly?city=330200&period=2026-11",
                                  headers={"Accept": "application/json"})
    assert as_json.json["period"] == "2026-11"


def test_an_empty_city_month_is_a_report_of_zeros(world):
    report = world.regulator.get("/api/v1/reports/monthly?city=320200&period=2026-01")
    assert report.status_code == 200
    assert report.json["totals"] == {"trades": 0, "turnover": "0.00", "settled_amount": "0.00",
                                     "pending_amount": "0.00", "defaults": 0,
                                     "defaulted_amount": "0.00"}
    empty_file = world.regulator.get(
        "/api/v1/reports/monthly?city=320200&period=2026-01&format=xlsx")
    assert load_workbook(io.BytesIO(empty_file.data))["地区间流向"].max_row == 1


@pytest.mark.parametrize(("path", "field", "code"), [
    ("monthly?city=320200&period=2026-13", "period", "bad_period"),
    ("monthly?city=320200&period=2026-00", "period", "bad_period"),
    ("monthly?city=320200&period=2026-Q4", "period", "bad_period"),
    ("monthly?city=320200&period=november", "period", "bad_period"),
    ("quarterly?city=320200&period=2026-Q5", "period", "bad_period"),
    ("quarterly?city=320200&period=2026-11", "period", "bad_period"),
    ("monthly?city=999999&period=2026-11", "city", "unknown_district"),
    ("monthly?city=320282&period=2026-11", "city", "not_a_city"),
    ("monthly?period=2026-11", "city", "validation_error"),
    ("quarterly?city=320200", "period", "validation_error"),
    ("monthly?city=320200&period=2026-11&format=pdf", "format", "validation_error"),
])
def test_bad_report_queries_are_422_naming_the_field(world, path, field, code):
    response = world.regulator.get(f"/api/v1/reports/{path}")
    assert response.status_code == 422
    assert (response.json["error"]["code"], list(response.json["error"]["fields"])) == (
        code, [field])
