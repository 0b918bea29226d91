"""In headless Chromium: a trader never reaches another account's pages (404) nor a regulator's
or an admin's (403), and a form posted without its CSRF token is refused and changes nothing."""

from sqlalchemy import func, select

from market.extensions import db
from models import Order
from tests.web.conftest import trade_at

NOT_YOURS = "未找到"
NOT_YOUR_ROLE = "此页面不属于您的角色"


def test_a_trader_is_kept_to_its_own_account_and_its_own_area(world, visit):
    seller, buyer = trade_at(world, ["300000.00"])
    other = world.trader("huishan", "320206")
    others_lot = world.lot(other)
    bought = buyer.get("/api/v1/settlements").json[0]

    page = visit("huishan")
    for path in (f"/trade/lots/{world.lot(seller)}", f"/trade/settlements/{bought['id']}/pay",
                 f"/trade/lots/{others_lot}-nonexistent"):
        answer = page.goto(path)
        assert answer.status == 404, path
        assert NOT_YOURS in page.text(), path
    # The trade's own seller may not pay it either: to it the payment page does not exist.
    assert visit("yixing").goto(f"/trade/settlements/{bought['id']}/pay").status == 404

    for path in ("/desk", "/desk/lots/pending", f"/desk/lots/{others_lot}",
                 f"/desk/accounts/{other.user.account_id}", "/desk/audit", "/admin"):
        answer = page.goto(path)
        assert answer.status == 403, path
        assert page.page.locator("h1").inner_text() == NOT_YOUR_ROLE, path
    page.page.click("text=前往您的工作台")
    assert page.page.url.endswith("/trade")
    # Its own lot opens, so the refusals above are about whose it is.
    assert page.goto(f"/trade/lots/{others_lot}").status == 200


def test_a_form_posted_without_its_token_is_refused_and_changes_nothing(world, visit):
    world.trader("xinwu", "320214", cash="1000000")
    buyer = visit("xinwu")
    buyer.goto("/trade/market/FO-QTY")
    form = {"price": "300000.00", "quantity": "1", "tif": "GTC", "action": "place",
            "client_order_id": "web-no-token"}
    answer = buyer.context.request.post(f"{buyer.base}/trade/market/FO-QTY/bid", form=form)
    assert answer.status == 400
    assert "CSRF 校验未通过" in answer.text()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    # The same bid with the page's token goes through: the token was all that was missing.
    form["csrf_token"] = buyer.page.locator("#bid-form input[name=csrf_token]").input_value()
    assert buyer.context.request.post(f"{buyer.base}/trade/market/FO-QTY/bid", form=form,
                                      max_redirects=0).status == 302
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Order)) == 1
