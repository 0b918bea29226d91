"""The registry pages: a seller registers with evidence and sells; a regulator verifies."""

import io

from sqlalchemy import select

from models import Lot, LotEvidence, Order

PDF = b"%PDF-1.4\n%%EOF\n"
LOT = {"instrument": "FO-QTY", "quantity": "10", "origin_district_code": "320282",
       "project_name": "土地综合整治项目", "project_code": "P-1", "accepted_on": "2024-05-01",
       "vintage_year": "2024", "quality_grade": "4"}


def seller_browser(browser, world):
    world.trader("yixing", "320282")
    assert browser.login("yixing").status_code == 302
    return browser


def test_a_seller_registers_a_lot_with_evidence(browser, world, evidence_dir, db_session):
    seller_browser(browser, world)
    response = browser.submit("/trade/lots/new", "/trade/lots/new", {
        **LOT, "evidence": (io.BytesIO(PDF), "验收.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    lot = db_session.scalar(select(Lot))
    assert lot.status == "pending"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "验收.pdf" in page and lot.serial in page
    evidence = db_session.scalar(select(LotEvidence))
    download = browser.get(f"/trade/lots/{lot.serial}/evidence/{evidence.id}")
    assert download.data == PDF


def test_bad_input_is_explained_in_chinese_and_changes_nothing(browser, world, evidence_dir,
                                                               db_session):
    seller_browser(browser, world)
    response = browser.submit("/trade/lots/new", "/trade/lots/new", {
        **LOT, "quantity": "abc"})
    assert response.status_code == 422
    assert "不是有效的数字" in response.get_data(as_text=True)
    renamed = browser.submit("/trade/lots/new", "/trade/lots/new", {
        **LOT, "evidence": (io.BytesIO(b"MZ\x90\x00"), "report.pdf")},
        content_type="multipart/form-data")
    assert renamed.status_code == 415
    assert "文件须为 PDF、JPEG 或 PNG" in renamed.get_data(as_text=True)
    assert db_session.scalar(select(Lot)) is None


def test_a_regulator_verifies_from_the_queue_and_the_seller_sells(browser, world, app,
                                                                  evidence_dir, db_session):
    from tests.web.conftest import Browser

    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, verify=False)
    desk = Browser(app)
    desk.login("regulator")
    assert serial in desk.get("/desk/lots/pending").get_data(as_text=True)
    assert desk.submit(f"/desk/lots/{serial}", f"/desk/lots/{serial}/verify",
                       {}).status_code == 302
    browser.login("yixing")
    sold = browser.submit(f"/trade/lots/{serial}", f"/trade/lots/{serial}/sell", {
        "price": "300000.00", "quantity": "1", "tif": "GTC"})
    assert sold.status_code == 302, sold.get_data(as_text=True)
    order = db_session.scalar(select(Order))
    assert order.status == "open"
    amended = browser.submit("/trade/orders", f"/trade/orders/{order.id}/amend",
                             {"quantity": "", "price": "310000.00"})
    assert amended.status_code == 302, amended.get_data(as_text=True)
    both = browser.submit("/trade/orders", f"/trade/orders/{order.id}/amend",
                          {"quantity": "1", "price": "310000.00"})
    assert both.status_code == 422
    cancelled = browser.submit("/trade/orders", f"/trade/orders/{order.id}/cancel", {})
    assert cancelled.status_code == 302
    db_session.expire_all()
    assert db_session.get(Order, order.id).status == "cancelled"


def test_a_reason_is_required_to_freeze(regulator, world, db_session):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller)
    empty = regulator.submit(f"/desk/lots/{serial}", f"/desk/lots/{serial}/freeze",
                             {"reason": ""})
    assert empty.status_code == 422
    assert "请填写原因" in empty.get_data(as_text=True)
    done = regulator.submit(f"/desk/lots/{serial}", f"/desk/lots/{serial}/freeze",
                            {"reason": "验收材料存疑"})
    assert done.status_code == 302
    again = regulator.submit(f"/desk/lots/{serial}", f"/desk/lots/{serial}/freeze",
                             {"reason": "再次"})
    assert again.status_code == 409
    assert "指标当前状态不允许此操作" in again.get_data(as_text=True)


def test_a_trader_never_reaches_another_lot_or_the_desk(browser, world, db_session):
    other = world.trader("xinwu", "320214")
    serial = world.lot(other, verify=False)
    seller_browser(browser, world)
    assert browser.get(f"/trade/lots/{serial}").status_code == 404
    sold = browser.submit("/trade/lots", f"/trade/lots/{serial}/sell", {
        "price": "300000.00", "quantity": "1", "tif": "GTC"})
    assert sold.status_code == 404
    assert browser.get(f"/desk/lots/{serial}").status_code == 403
    assert browser.get("/desk/lots/pending").status_code == 403
    assert db_session.scalar(select(Order)) is None


def test_the_new_pages_render(browser, world, db_session):
    seller_browser(browser, world)
    for path in ("/trade/lots", "/trade/lots/new", "/trade/orders"):
        assert browser.get(path).status_code == 200, path
