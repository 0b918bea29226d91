"""Statements: what an account did in a period, with cash that reconciles with the ledger."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from market.calendar import market_day, utc_bounds
from market.extensions import db
from market.services import ledger
from models import Account, JournalEntry, JournalTransaction
from tests.certificates.helpers import completed_sale


def _book_total(account_id: int, before) -> Decimal:
    """The account's cash as the ledger's books say, summed straight from the journal."""
    books = [ledger.cash(account_id, "available").name, ledger.cash(account_id, "held").name]
    total = db.session.scalar(
        select(func.coalesce(func.sum(JournalEntry.amount), 0))
        .join(JournalTransaction, JournalTransaction.id == JournalEntry.transaction_id)
        .where(JournalEntry.book.in_(books), JournalEntry.asset == "CNY",
               JournalTransaction.created_at < before))
    return Decimal(total).quantize(Decimal("0.01"))


def test_the_statement_lists_the_sale_and_reconciles_with_the_ledger(world):
    seller, buyer, serial, settlement = completed_sale(world)
    today = market_day()
    for caller, side in ((seller, "sales"), (buyer, "purchases")):
        answer = caller.get(f"/api/v1/accounts/me/statement?from={today}&to={today}")
        assert answer.status_code == 200, answer.json
        body = answer.json
        [deal] = body[side]
        assert deal["settlement_id"] == settlement.id and deal["amount"] == "3000000.00"
        assert deal["price"] == "300000.00" and deal["status"] == "completed"
        assert deal["paid_at"] is not None
        account = db.session.get(Account, caller.user.account_id)
        db.session.refresh(account)
        opening = Decimal(body["opening"]["total"])
        moved = sum((Decimal(m["amount"]) for m in body["cash_movements"]), Decimal("0"))
        closing = Decimal(body["closing"]["total"])
        assert opening + moved == closing == Decimal(body["opening"]["total"]) + Decimal(
            body["net_movement"])
        # Against the ledger's books and the stored balances.
        start, end = utc_bounds(today, today)
        assert opening == _book_total(account.id, start)
        assert closing == _book_total(account.id, end)
        assert closing == account.cash_available + account.cash_held
    sale = seller.get("/api/v1/accounts/me/statement").json["sales"][0]
    assert sale["counterparty"] == "xinwu account"
    assert sale["fee"] == "9000.00" and sale["net_proceeds"] == "2991000.00"
    purchase = buyer.get("/api/v1/accounts/me/statement").json
    assert purchase["purchases"][0]["counterparty"] == "yixing account"
    assert purchase["purchases"][0]["delivered_lot"] == settlement.child_lot.serial
    kinds = [m["kind"] for m in purchase["cash_movements"]]
    assert kinds == ["deposit", "deposit", "payment"]  # bank in, trade deposit, balance paid
    lots = seller.get("/api/v1/accounts/me/statement").json["lots_registered"]
    assert [lot["serial"] for lot in lots] == [serial]
    assert purchase["payouts"] == [] and purchase["pledges"] == []


def test_a_later_period_opens_where_the_earlier_closed(world):
    _seller, buyer, _serial, _settlement = completed_sale(world)
    tomorrow = market_day() + timedelta(days=1)
    body = buyer.get(f"/api/v1/accounts/me/statement?from={tomorrow}&to={tomorrow}").json
    assert body["cash_movements"] == [] and body["purchases"] == []
    assert body["opening"] == body["closing"]
    account = db.session.get(Account, buyer.user.account_id)
    db.session.refresh(account)
    assert Decimal(body["opening"]["total"]) == account.cash_available + account.cash_held


def test_the_statement_as_pdf_and_xlsx_is_chinese(world):
    seller, _buyer, _serial, _settlement = completed_sale(world)
    pdf = seller.get("/api/v1/accounts/me/statement?format=pdf")
    assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    by_accept = seller.get("/api/v1/accounts/me/statement",
                           headers={"Accept": "application/pdf"})
    assert by_accept.content_type == "application/pdf"
    xlsx = seller.get("/api/v1/accounts/me/statement?format=xlsx",
                      headers={"Accept-Language": "en"})
    assert xlsx.status_code == 200
    workbook = load_workbook(BytesIO(xlsx.data))
    assert workbook.sheetnames[0] == "概要"
    assert "成交记录（卖出）" in workbook.sheetnames
    sales = list(workbook["成交记录（卖出）"].values)
    assert sales[0][0] == "结算编号" and sales[1][6] == Decimal("3000000.00") or \
        float(sales[1][6]) == 3000000.0


def test_bad_periods_and_formats_are_refused(world):
    trader = world.trader("yixing", "320282")
    for query in ("from=2026-13-01", "to=yesterday", "from=2026-12-02&to=2026-12-01",
                  "format=docx", "from=1900-01-01", f"from={market_day() + timedelta(days=2)}"):
        answer = trader.get(f"/api/v1/accounts/me/statement?{query}")
        assert answer.status_code == 422, (query, answer.json)
        assert answer.json["error"]["fields"], query
    assert world.regulator.get("/api/v1/accounts/me/statement").status_code == 403
    assert world.anonymous.get("/api/v1/accounts/me/statement").status_code == 401
