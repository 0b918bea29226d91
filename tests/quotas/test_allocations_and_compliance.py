"""Allocations issue verified lots that trade; the period-end judgement; the compliance report."""

import io
import json
from decimal import Decimal

from openpyxl import load_workbook

from market import alert_wording
from market.extensions import db
from market.services import ledger, obligations
from models import Alert, AuditEvent, JournalTransaction, Obligation
from tests.quotas.helpers import end_period, set_obligation


def _allocation(account, **overrides):
    body = {"account_id": account, "instrument": "FO-QTY", "quantity": "25",
            "reason": "耕地保护工作成效突出奖励（seed 001 §二(六)）",
            "document_number": "锡自然资发〔2026〕18号", "quality_grade": 3}
    body.update(overrides)
    return body


def test_an_allocation_issues_a_verified_lot_that_trades(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    made = world.regulator.post("/api/v1/allocations", json=_allocation(seller.user.account_id))
    assert made.status_code == 201, made.json
    lot = made.json
    assert (lot["status"], lot["source"], lot["available"]) == ("active", "allocation",
                                                                "25.0000")
    assert lot["document_number"] == "锡自然资发〔2026〕18号"
    issue = db.session.scalar(db.select(JournalTransaction).where(
        JournalTransaction.reference == lot["serial"], JournalTransaction.kind == "issue"))
    assert issue is not None
    assert ledger.check_invariants() == []
    assert db.session.scalar(db.select(AuditEvent.action).where(
        AuditEvent.target_id == lot["serial"])) == "lot.allocate"
    order = {"instrument": "FO-QTY", "price": "300000.00", "quantity": "1"}
    assert seller.post("/api/v1/orders", json={**order, "side": "sell",
                                               "lot_serial": lot["serial"],
                                               "client_order_id": "s1"}).status_code == 201
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy", "client_order_id": "b1"})
    assert bought.json["fills"], bought.json


def test_bad_allocations_are_refused(world):
    seller = world.trader("yixing", "320282")
    account = seller.user.account_id
    cases = [({"account_id": 9999}, 404), ({"instrument": "NOPE"}, 422),
             ({"quality_grade": None}, 422), ({"instrument": "ECO-CARBON"}, 422),
             ({"quantity": "0"}, 422), ({"reason": ""}, 422), ({"document_number": None}, 422),
             ({"origin_district_code": "330225"}, 422)]
    for overrides, status in cases:
        response = world.regulator.post("/api/v1/allocations",
                                        json=_allocation(account, **overrides))
        assert response.status_code == status, (overrides, response.json)
    assert seller.post("/api/v1/allocations", json=_allocation(account)).status_code == 403
    assert world.regulator.get("/api/v1/lots").json == []


def test_a_regulator_allocates_only_inside_its_jurisdiction(world):
    from market.services import identity
    ningbo = world.caller(identity.create_user(world.admin_user, {
        "username": "ningbo", "password": "correct-horse-battery", "role": "regulator",
        "district_code": "330200"}))
    seller = world.trader("yixing", "320282")
    response = ningbo.post("/api/v1/allocations", json=_allocation(seller.user.account_id))
    assert response.status_code == 404


def test_the_period_end_marks_met_and_short_once_and_alerts_the_short(world):
    trader = world.trader("yixing", "320282")
    serial = world.lot(trader, instrument="ECO-CARBON", quantity="500")
    met = set_obligation(world, quantity="50")
    short = set_obligation(world, quantity="80")
    still_open = set_obligation(world, quantity="10")
    for obligation_id, quantity in ((met["id"], "50"), (short["id"], "30")):
        assert trader.post(f"/api/v1/obligations/{obligation_id}/surrenders",
                           json={"lot_serial": serial, "quantity": quantity}).status_code == 201
    end_period(met["id"])
    end_period(short["id"])
    assert obligations.close_ended() == 2
    assert obligations.close_ended() == 0
    db.session.expire_all()
    statuses = {o.id: o.status for o in db.session.scalars(db.select(Obligation))}
    assert statuses == {met["id"]: "met", short["id"]: "short", still_open["id"]: "open"}
    [alert] = db.session.scalars(db.select(Alert).where(Alert.kind == "obligation_shortfall"))
    details = json.loads(alert.details)
    assert (details["obligation_id"], details["shortfall"]) == (short["id"], "50.0000")
    assert [a.id for a in alert.accounts] == [trader.user.account_id]
    assert "尚缺 50.00 吨二氧化碳当量" in alert_wording.describe(alert).summary
    closes = db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.action == "obligation.close")).all()
    assert len(closes) == 2 and {c.actor for c in closes} == {"scheduler"}
    listed = world.regulator.get("/api/v1/surveillance/alerts",
                                 query_string={"kind": "obligation_shortfall"})
    assert listed.status_code == 200 and len(listed.json) == 1


def test_the_compliance_report_prices_the_shortfall_at_the_30_day_vwap(world):
    from tests.web.conftest import trade_at
    trade_at(world, ["60.00", "70.00"], instrument="ECO-CARBON")
    made = set_obligation(world, quantity="100")
    set_obligation(world, district_code="330225", quantity="5")  # Ningbo: not in Wuxi
    report = world.regulator.get("/api/v1/reports/compliance",
                                 query_string={"district": "320200"})
    assert report.status_code == 200, report.json
    [row] = report.json["rows"]
    assert (row["obligation_id"], row["shortfall"], row["vwap_30d"]) == (
        made["id"], "100.0000", "65.00")
    assert row["shortfall_cost"] == "6500.00"
    assert report.json["totals"]["shortfall_cost"] == "6500.00"
    province = world.regulator.get("/api/v1/reports/compliance",
                                   query_string={"district": "320000"}).json
    assert [r["obligation_id"] for r in province["rows"]] == [made["id"]]
    csv = world.regulator.get("/api/v1/reports/compliance",
                              query_string={"district": "320200", "format": "csv"})
    text = csv.get_data().decode("utf-8-sig")
    assert csv.mimetype == "text/csv" and "限额明细" in text and "6500.00" in text
    xlsx = world.regulator.get("/api/v1/reports/compliance",
                               query_string={"district": "320200", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.get_data()))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in book.sheetnames)
    rows = list(book.worksheets[-1].values)
    assert rows[1][-1] == Decimal("6500.00") or rows[1][-1] == 6500


def test_bad_compliance_queries(world):
    for query, status in (({"district": "320282"}, 422), ({"district": "999999"}, 422),
                          ({}, 422), ({"district": "320200", "format": "pdf"}, 422)):
        response = world.regulator.get("/api/v1/reports/compliance", query_string=query)
        assert response.status_code == status, (query, response.json)
    trader = world.trader("yixing", "320282")
    assert trader.get("/api/v1/reports/compliance",
                      query_string={"district": "320200"}).status_code == 403


def test_the_scheduler_judges_obligations_under_a_lock_of_its_own():
    from market.jobs import JOBS
    [job] = [job for job in JOBS if job.name == "close-ended-obligations"]
    assert job.run is obligations.close_ended and job.lock_id == 7_270_114
    assert len({job.lock_id for job in JOBS}) == len(JOBS)
