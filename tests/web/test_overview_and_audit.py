"""The overview's chart data and the audit log page."""

import json
import re
from datetime import timedelta

from sqlalchemy import select, update

from market.calendar import market_day
from market.services import history
from market.services.audit import ChainReport
from models import Trade
from models.base import utcnow
from tests.web.conftest import trade_at


def embedded_charts(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html,
                      re.S)
    return {series["code"]: series for series in json.loads(match.group(1))}


def test_the_overview_embeds_each_instruments_trade_prices(regulator, world):
    trade_at(world, ["290000.00", "305000.00", "298000.00"])
    html = regulator.get("/desk").get_data(as_text=True)
    charts = embedded_charts(html)
    assert charts["FO-QTY"]["prices"] == ["290000.00", "305000.00", "298000.00"]
    assert charts["FO-QTY"]["basis"] == "trades"  # all on one day: trade by trade
    assert charts["FO-QTY"]["guide"] == "300000.00"
    assert len(charts["FO-QTY"]["labels"]) == 3
    assert charts["FO-PADDY"]["prices"] == []
    assert 'id="chart-FO-QTY"' in html and 'id="chart-FO-PADDY"' not in html
    assert "298,000.00" in html  # the last price on the card


def test_once_two_days_have_traded_the_chart_draws_daily_closes(regulator, world, db_session):
    trade_at(world, ["290000.00", "305000.00", "298000.00"])
    now = utcnow()
    trade_ids = db_session.scalars(select(Trade.id).order_by(Trade.id)).all()
    for trade_id, days_ago in zip(trade_ids, (2, 1, 0), strict=True):
        db_session.execute(update(Trade).where(Trade.id == trade_id)
                           .values(executed_at=now - timedelta(days=days_ago)))
    db_session.commit()
    today = market_day(now)
    history.rebuild_daily_stats(today - timedelta(days=2), today)
    html = regulator.get("/desk").get_data(as_text=True)
    chart = embedded_charts(html)["FO-QTY"]
    assert chart["basis"] == "daily_close"
    assert chart["prices"] == ["290000.00", "305000.00", "298000.00"]
    assert chart["labels"][-1] == today.strftime("%m-%d")
    assert "每日收盘价" in html
    assert '<dd class="down">-2.30%</dd>' in html  # 298,000 against the previous close 305,000


def test_the_chart_library_is_served_by_the_app_and_nothing_comes_from_elsewhere(regulator):
    html = regulator.get("/desk").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/chartjs/chart.umd.min.js" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    library = regulator.get("/static/vendor/chartjs/chart.umd.min.js")
    assert library.status_code == 200
    assert b"Chart.js v4" in library.data[:200]


def test_the_audit_log_lists_events_in_chinese_and_filters_them(regulator, world):
    world.trader("xinwu", "320214")
    html = regulator.get("/desk/audit").get_data(as_text=True)
    assert ">开立账户</td>" in html and ">创建用户</td>" in html
    only_accounts = regulator.get("/desk/audit?target_type=account").get_data(as_text=True)
    assert ">开立账户</td>" in only_accounts and ">创建用户</td>" not in only_accounts


def test_the_audit_log_pages_back_through_older_events(regulator, world, monkeypatch):
    from market.web import audit as audit_page

    monkeypatch.setattr(audit_page, "PAGE_SIZE", 2)
    html = regulator.get("/desk/audit").get_data(as_text=True)
    older = re.search(r'href="(/desk/audit\?before=\d+[^"]*)"', html).group(1)
    assert regulator.get(older.replace("&amp;", "&")).status_code == 200


def test_verifying_an_intact_chain(regulator, world):
    html = regulator.get("/desk/audit/verify").get_data(as_text=True)
    assert "哈希链完整" in html and "已校验 2 条记录" in html


def test_verifying_a_broken_chain_names_the_first_broken_row(regulator, monkeypatch):
    from market.web import audit as audit_page

    broken = ChainReport(ok=False, checked=6, first_broken_seq=7, reason="row content changed")
    monkeypatch.setattr(audit_page.audit, "verify_chain", lambda: broken)
    html = regulator.get("/desk/audit/verify").get_data(as_text=True)
    assert "哈希链断裂：第 7 条记录记录内容被改动" in html
