"""Every form carries a CSRF token, and every page that takes a POST refuses one without it,
in Chinese, changing nothing: walked over the URL map, so a new form is covered when added."""

import re
from pathlib import Path

from sqlalchemy import func, select

from market.extensions import db
from tests.web.conftest import Browser

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
# The area each path prefix belongs to, and who works there (market/web/navigation.py).
AREA_USER = {"/desk": "regulator", "/trade": "xinwu", "/admin": "admin", "/": "xinwu"}


def test_every_post_form_in_the_templates_carries_the_token():
    forms = [(path.name, body) for path in TEMPLATES.rglob("*.html")
             for body in POST_FORM.findall(path.read_text(encoding="utf-8"))]
    assert len(forms) > 20
    missing = [name for name, body in forms
               if "hidden_tag()" not in body and "csrf_token()" not in body]
    assert missing == []


def _row_counts() -> dict[str, int]:
    db.session.rollback()
    counts = {table.name: db.session.scalar(select(func.count()).select_from(table))
              for table in db.metadata.sorted_tables}
    db.session.rollback()
    return counts


def test_every_page_post_without_a_token_is_refused_and_changes_nothing(app, world):
    seller, buyer = world.trader("yixing", "320282"), world.trader("xinwu", "320214",
                                                                   cash="10000000")
    pending = world.lot(seller, verify=False)
    serial = world.lot(seller, instrument="FO-PADDY", quantity="5")
    assert seller.post("/api/v1/orders", json={
        "instrument": "FO-PADDY", "side": "sell", "price": "200000.00", "quantity": "2",
        "lot_serial": serial, "client_order_id": "s-1"}).status_code == 201
    placed = buyer.post("/api/v1/orders", json={
        "instrument": "FO-PADDY", "side": "buy", "price": "200000.00", "quantity": "1",
        "client_order_id": "b-1"}).json
    settlement_id = buyer.get("/api/v1/settlements").json[0]["id"]
    arguments = {"serial": pending, "code": "FO-QTY", "act": "reject", "alert_id": 1,
                 "account_id": buyer.user.account_id, "settlement_id": settlement_id,
                 "order_id": placed["order"]["id"], "user_id": buyer.user.id}
    body = {"reason": "核查", "amount": "100.00", "reference": "B-1", "price": "200000.00",
            "quantity": "1", "project_name": "用地报批项目", "project_code": "P-1",
            "username": "xinwu", "password": "correct-horse-battery", "action": "place"}

    posts = [rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("web.") and "POST" in rule.methods]
    assert len(posts) > 20
    # Routes of later features take other ids: any id will do, the token is checked first.
    paths = [rule.build({name: arguments.get(name, 1) for name in rule.arguments},
                        append_unknown=False)[1] for rule in posts]
    browsers = {user: Browser(app) for user in set(AREA_USER.values())}
    for user, browser in browsers.items():
        assert browser.login(user).status_code == 302
    browsers["nobody"] = Browser(app)

    before = _row_counts()
    for path in paths:
        user = "nobody" if path == "/login" else next(
            user for prefix, user in AREA_USER.items() if path.startswith(prefix))
        answer = browsers[user].post(path, data=body)
        assert answer.status_code == 400, (path, answer.status_code)
        assert "CSRF 校验未通过" in answer.get_data(as_text=True), path
    assert _row_counts() == before
