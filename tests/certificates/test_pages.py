"""Pages: certificate links for the parties, the statement on the trading desk."""

from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook

from market.calendar import market_day
from tests.certificates.helpers import certificate, completed_sale, lot_id
from tests.web.conftest import Browser


def test_the_lot_and_settlement_pages_link_their_certificates(app, world):
    seller, buyer, serial, settlement = completed_sale(world)
    issuance = certificate("issuance", lot_id=lot_id(serial)).code
    transfer = certificate("transfer", settlement_id=settlement.id).code

    browser = Browser(app)
    browser.login("yixing")
    lot_page = browser.get(f"/trade/lots/{serial}").get_data(as_text=True)
    assert f"/verify/{issuance}" in lot_page and f"/verify/{transfer}" in lot_page
    assert "指标核验证书" in lot_page and "指标交易过户证书" in lot_page
    download = browser.get(f"/trade/certificates/{issuance}.pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert f"/trade/certificates/{transfer}.pdf" in browser.get(
        "/trade/settlements").get_data(as_text=True)

    stranger = Browser(app)
    world.trader("huishan", "320206")
    stranger.login("huishan")
    assert stranger.get(f"/trade/certificates/{issuance}.pdf").status_code == 404

    desk = Browser(app)
    desk.login("regulator")
    page = desk.get(f"/desk/settlements/{settlement.id}").get_data(as_text=True)
    assert f"/desk/certificates/{transfer}.pdf" in page
    assert desk.get(f"/desk/certificates/{transfer}.pdf").status_code == 200


def test_the_trader_downloads_a_statement_from_the_desk(app, world):
    completed_sale(world)
    browser = Browser(app)
    browser.login("yixing")
    home = browser.get("/trade").get_data(as_text=True)
    assert "我的对账单" in home
    today = market_day()
    page = browser.get(f"/trade/statement?from={today}&to={today}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "对账单" in html and "xinwu account" in html and "期末资金" in html
    pdf = browser.get(f"/trade/statement?from={today}&to={today}&format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = browser.get(f"/trade/statement?from={today}&to={today}&format=xlsx")
    assert "概要" in load_workbook(BytesIO(xlsx.data)).sheetnames


def test_the_statement_page_refuses_bad_periods_in_chinese(app, world):
    world.trader("yixing", "320282")
    browser = Browser(app)
    browser.login("yixing")
    today = market_day()
    for query, words in ((f"from={today}&to={today - timedelta(days=1)}", "不能晚于"),
                         ("from=2026-02-30", "有效日期"), ("format=docx", "PDF 或 XLSX")):
        answer = browser.get(f"/trade/statement?{query}")
        assert answer.status_code == 422, query
        assert words in answer.get_data(as_text=True)
