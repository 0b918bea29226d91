"""The README's walkthrough (试一试), run as written against a fresh demo database.

The commands run as subprocesses (`flask db upgrade`, `flask demo-data`, `flask verify-audit`,
`flask check-invariants`); then each demo login opens the pages the walkthrough names, in a
test client of an app on that database, and finds what the walkthrough promises there. On
PostgreSQL (TEST_DATABASE_URL) it runs in a database of its own, dropped afterwards.
"""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest

from market.calendar import market_day
from tests.system.live import ROOT, service_env
from tests.web.conftest import Browser

SECRET = "walkthrough-secret"
# The demo's history and tasks load in well under this on an idle machine (README: 试一试).
LOAD_TIMEOUT = 600


def embedded(html: str, element_id: str):
    """The JSON a page embeds for its charts."""
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>',
                      html, re.S)
    assert match, f"no {element_id} on the page"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A fresh database with the demo loaded by the CLI, as the walkthrough says; its app."""
    from market import create_app
    from tests.conftest import _postgres_database

    folder = tmp_path_factory.mktemp("walkthrough")
    drop = None
    if os.environ.get("TEST_DATABASE_URL"):
        url, drop = _postgres_database(os.environ["TEST_DATABASE_URL"])
    else:
        url = f"sqlite:///{folder / 'demo.db'}"
    env = {**service_env(url), "SECRET_KEY": SECRET, "EVIDENCE_DIR": str(folder / "evidence")}

    def flask(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=LOAD_TIMEOUT)
        assert done.returncode == 0, f"flask {' '.join(args)}: {done.stdout}\n{done.stderr}"
        return done.stdout

    try:
        flask("db", "upgrade")
        assert "demo data loaded" in flask("demo-data")
        assert "audit chain intact" in flask("verify-audit")
        assert "ledger invariants hold" in flask("check-invariants")
        assert "demo data already present" in flask("demo-data")  # loading twice: no change
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "TESTING": True,
            "REDIS_URL": None, "RATELIMIT_STORAGE_URI": "memory://",
            "EVIDENCE_DIR": str(folder / "evidence"),
        })
        yield app
        with app.app_context():
            from market.extensions import db
            db.engine.dispose()
    finally:
        if drop:
            drop()


def as_user(app, username: str) -> Browser:
    browser = Browser(app)
    assert browser.login(username, "demo-password").status_code == 302, username
    return browser


def page(browser: Browser, path: str) -> str:
    response = browser.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_the_regulator_of_wuxi(demo):
    wuxi = as_user(demo, "wuxi")
    # 行情总览: every instrument has months of daily closes against its guide price.
    charts = {one["code"]: one for one in embedded(page(wuxi, "/desk"), "chart-data")}
    assert sorted(charts) == ["CL-SCALE", "ECO-CARBON", "ECO-WETLAND", "FO-GRAIN", "FO-PADDY",
                              "FO-QTY", "LS"]
    for series in charts.values():
        assert series["basis"] == "daily_close" and len(series["prices"]) >= 20, series["code"]
        assert series["guide"] is not None and series["names"]["guide"] == "指导价"
    html = page(wuxi, "/desk/instruments/FO-QTY")
    [series] = embedded(html, "chart-data")
    assert series["basis"] == "daily_close" and 'id="chart-table-FO-QTY"' in html

    # 核验队列: the two Jiangsu lots wait with their acceptance PDFs; Ningbo's is not shown.
    html = page(wuxi, "/desk/lots/pending")
    assert "璜土镇石庄村高标准农田建设项目" in html and "宜兴市湖㳇镇旱地改水田项目" in html
    assert "象山县茅洋乡林业碳汇项目" not in html
    evidence = re.search(r'href="(/desk/lots/[^"]+/evidence/\d+)"', html).group(1)
    document = wuxi.get(evidence)
    assert document.status_code == 200 and document.data.startswith(b"%PDF")

    # 结算监控: settlements in every state, and the weekly chart shows each of them.
    html = page(wuxi, "/desk/settlements")
    weeks = embedded(html, "settlement-weeks-data")
    totals = {series["bucket"]: sum(series["data"]) for series in weeks["datasets"]}
    assert all(totals[bucket] >= 1 for bucket in (
        "pending", "due_within_3_days", "overdue", "defaulted", "cancelled", "completed")), totals
    assert totals["completed"] > 100

    # 异常预警: open alerts, among them the FO-PADDY trade far above the guide price.
    html = page(wuxi, "/desk/alerts")
    assert "成交价偏离指导价" in html and "FO-PADDY" in html

    # 资金流向 over the last 120 days: the Sankey diagram has flows to draw.
    today = market_day()
    html = page(wuxi, f"/desk/flows?date_from={today - timedelta(days=120)}&date_to={today}")
    diagram = embedded(html, "flow-data")
    assert len(diagram["flows"]) >= 4 and "江阴市（卖方）" in diagram["labels"].values()


def test_the_regulator_of_ningbo_and_the_national_one(demo):
    assert "象山县茅洋乡林业碳汇项目" in page(as_user(demo, "ningbo"), "/desk/lots/pending")
    national = as_user(demo, "regulator")
    assert "审计日志" in page(national, "/desk/audit")


def test_the_buyers_have_settlements_to_pay(demo):
    xinwu = as_user(demo, "xinwu")
    html = page(xinwu, "/trade/settlements")
    owed = html.split('id="to-pay"')[1].split('id="to-receive"')[0]
    assert owed.count(">付款</a>") >= 2  # one due within three days, one with days to go
    [series] = embedded(page(xinwu, "/trade/market/FO-QTY"), "chart-data")
    assert series["basis"] == "daily_close"
    liangxi = page(as_user(demo, "liangxi"), "/trade/settlements")
    assert liangxi.split('id="to-pay"')[1].split('id="to-receive"')[0].count(">付款</a>") >= 2


def test_the_sellers_have_open_orders_and_a_lot_waiting(demo):
    yixing = as_user(demo, "yixing")
    orders = page(yixing, "/trade/orders")
    assert "305,000.00" in orders and "310,000.00" in orders and "205,000.00" in orders
    assert "宜兴市湖㳇镇旱地改水田项目" in page(yixing, "/trade/lots")
    assert "440,000.00" in page(as_user(demo, "huangtu"), "/trade/orders")  # LS, for the auction


def test_the_admin(demo):
    assert "无锡市新吴区人民政府" in page(as_user(demo, "admin"), "/admin")
