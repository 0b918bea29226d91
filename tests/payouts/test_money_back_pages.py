"""The money-back pages: a seller names beneficiaries, pledges and pays out; a regulator
registers and settles pledges and reads the report."""

from sqlalchemy import select

from models import Beneficiary, Pledge
from tests.payouts.helpers import carbon_seller, sell_carbon
from tests.web.conftest import Browser

ROWS = {"rows-0-name": "东山村村民", "rows-0-kind": "villager", "rows-0-share": "0.85",
        "rows-1-name": "东山村村集体", "rows-1-kind": "collective", "rows-1-share": "0.15"}


def test_a_seller_names_beneficiaries_and_pays_them_on_the_pages(app, world, db_session):
    seller, serial = carbon_seller(world)
    page = Browser(app)
    assert page.login("xiangshan").status_code == 302
    lot_page = f"/trade/lots/{serial}"
    html = page.get(lot_page).get_data(as_text=True)
    assert "收益分配对象" in html and "质押" in html
    bad = page.submit(lot_page, f"{lot_page}/beneficiaries", {**ROWS, "rows-1-share": "0.10"})
    assert bad.status_code == 422
    assert "份额之和" in bad.get_data(as_text=True)
    assert db_session.scalar(select(Beneficiary)) is None
    saved = page.submit(lot_page, f"{lot_page}/beneficiaries", ROWS)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "东山村村集体" in page.get(lot_page).get_data(as_text=True)
    sell_carbon(world, seller, serial)
    listing = page.get("/trade/payouts").get_data(as_text=True)
    assert "19,850.22" in listing or "19850.22" in listing
    [villagers, _collective] = seller.get("/api/v1/payouts").json
    over = page.submit("/trade/payouts", f"/trade/payouts/{villagers['id']}/disburse",
                       {"amount": "99999.00", "reference": "ICBC-1"})
    assert over.status_code == 422 and "超过" in over.get_data(as_text=True)
    paid = page.submit("/trade/payouts", f"/trade/payouts/{villagers['id']}/disburse",
                       {"amount": "19850.22", "reference": "ICBC-1"})
    assert paid.status_code == 302
    db_session.expire_all()
    assert seller.get(f"/api/v1/payouts/{villagers['id']}").json["owed"] == "0.00"


def test_a_pledge_requested_on_the_lot_page_is_registered_and_released_at_the_desk(
        app, world, db_session):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    owner = Browser(app)
    owner.login("yixing")
    lot_page = f"/trade/lots/{serial}"
    requested = owner.submit(lot_page, f"{lot_page}/pledges", {
        "quantity": "4", "pledgee_name": "江苏银行", "amount": "500000", "reference": "JS-1"})
    assert requested.status_code == 302, requested.get_data(as_text=True)
    pledge = db_session.scalar(select(Pledge))
    desk = Browser(app)
    desk.login("regulator")
    listing = desk.get("/desk/pledges").get_data(as_text=True)
    assert "江苏银行" in listing and "待登记" in listing
    assert f"/desk/pledges/{pledge.id}/reject" in listing
    assert desk.submit("/desk/pledges", f"/desk/pledges/{pledge.id}/register",
                       {}).status_code == 302
    db_session.expire_all()  # the desk acted in a session of its own
    assert seller.get(f"/api/v1/lots/{serial}").json["pledged"] == "4.0000"
    assert f"/desk/pledges/{pledge.id}/release" in desk.get("/desk/pledges").get_data(
        as_text=True)
    no_reason = desk.submit("/desk/pledges", f"/desk/pledges/{pledge.id}/release",
                            {"reason": ""})
    assert no_reason.status_code == 422
    released = desk.submit("/desk/pledges", f"/desk/pledges/{pledge.id}/release",
                           {"reason": "贷款已还清"})
    assert released.status_code == 302
    db_session.expire_all()
    assert seller.get(f"/api/v1/lots/{serial}").json["pledged"] == "0.0000"


def test_the_desk_report_and_its_files(app, world, db_session):
    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries",
               json=[{"name": "宜兴乡村振兴公司", "kind": "company", "share": "1"}])
    sell_carbon(world, seller, serial)
    desk = Browser(app)
    desk.login("regulator")
    html = desk.get("/desk/payouts").get_data(as_text=True)
    assert "宜兴乡村振兴公司" in html and "乡村振兴公司" in html
    csv = desk.get("/desk/payouts/file?format=csv")
    assert csv.status_code == 200 and "宜兴乡村振兴公司" in csv.data.decode("utf-8-sig")
    assert desk.get("/desk/payouts/file?format=xlsx").status_code == 200
    assert "/desk/payouts" in desk.get("/desk/flows").get_data(as_text=True)
    trader = Browser(app)
    trader.login("xiangshan")
    assert trader.get("/desk/payouts").status_code == 403
