"""The settlement monitor, alerts and their review, flows and the city reports."""

import re

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.surveillance.helpers import raise_every_kind
from tests.web.conftest import trade_at

# 380,000 is 26.7 % above the 300,000 guide price: a guide-deviation alert.
PRICES = ["290000.00", "305000.00", "380000.00"]


@pytest.fixture
def traded(world):
    """Three FO-QTY trades between 宜兴市 (seller) and 新吴区 (buyer), settlements pending."""
    return trade_at(world, PRICES)


def test_the_settlement_monitor_shows_the_pending_settlements(regulator, traded):
    html = regulator.get("/desk/settlements").get_data(as_text=True)
    pending = re.search(r'<tr class="bucket-pending">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', pending)[:2] == ["3", "975,000.00"]
    assert "待付款（3）" in html and "yixing account" in html
    assert "新吴区（320214）" in html and "宜兴市（320282）" in html  # districts by name
    other = regulator.get("/desk/settlements?instrument=FO-PADDY").get_data(as_text=True)
    assert "待付款（" not in other


def test_an_unknown_instrument_filter_is_a_chinese_refusal(regulator):
    response = regulator.get("/desk/settlements?instrument=GOLD")
    assert response.status_code == 422
    assert "未知品种" in response.get_data(as_text=True)


def test_detect_then_review_an_alert_with_a_note(regulator, traded, db_session):
    detected = regulator.submit("/desk/alerts", "/desk/alerts/detect", {})
    assert detected.status_code == 302
    html = regulator.get("/desk/alerts").get_data(as_text=True)
    assert re.search(r"检测完成，新增 [1-9]\d* 条告警。", html)
    assert "成交价偏离指导价" in html
    alert_id = re.search(r'id="alert-(\d+)">\s*<header>\s*<strong>#\d+ 成交价偏离指导价',
                         html).group(1)

    reviewed = regulator.submit("/desk/alerts", f"/desk/alerts/{alert_id}/review",
                                {"status": "reviewed", "note": "已电话核实，属正常议价"})
    assert reviewed.status_code == 302
    assert f"告警 #{alert_id} 已核查。" in regulator.get("/desk/alerts").get_data(as_text=True)
    done = regulator.get("/desk/alerts?status=reviewed").get_data(as_text=True)
    assert f'id="alert-{alert_id}"' in done and "已电话核实，属正常议价" in done
    event = db_session.scalars(select(AuditEvent).where(
        AuditEvent.action == "alert.review")).one()
    assert (event.actor, event.target_id) == ("regulator", alert_id)

    again = regulator.submit("/desk/alerts", f"/desk/alerts/{alert_id}/review",
                             {"status": "dismissed"})
    assert again.status_code == 302
    assert "该告警已处理过" in regulator.get("/desk/alerts").get_data(as_text=True)


def test_every_alert_on_the_page_reads_in_chinese(regulator, world):
    raised = raise_every_kind(world)
    html = regulator.get("/desk/alerts?status=all").get_data(as_text=True)
    summaries = re.findall(r'<p class="summary">([^<]*)</p>', html)
    assert len(summaries) == len(raised)
    names = ["FO-QTY", "ECO-CARBON", *(f"{who} account" for who in (
        "yixing", "huangtu", "xinwu", "liangxi", "huishan", "yixing-buyer", "jiangyin"))]
    values = re.findall(r"<dt>[^<]*</dt><dd>([^<]*)</dd>", html)
    for text in summaries + values:
        for name in names:
            text = text.replace(name, "")
        assert not re.search(r"[A-Za-z]{2,}", text), text
    labels = re.findall(r"<dt>([^<]*)</dt>", html)
    assert labels and not [label for label in labels if re.search(r"[A-Za-z]", label)]
    assert "元" in html and "亩" in html and "吨二氧化碳当量" in html


def test_a_review_needs_a_known_outcome_and_the_csrf_token(regulator, traded):
    regulator.submit("/desk/alerts", "/desk/alerts/detect", {})
    alert_id = re.findall(r'id="alert-(\d+)"', regulator.get("/desk/alerts").get_data(
        as_text=True))[0]
    regulator.submit("/desk/alerts", f"/desk/alerts/{alert_id}/review", {"status": "ignored"})
    assert "未知的处理结果" in regulator.get("/desk/alerts").get_data(as_text=True)
    assert regulator.post(f"/desk/alerts/{alert_id}/review",
                          data={"status": "reviewed"}).status_code == 400
    still_open = regulator.get("/desk/alerts").get_data(as_text=True)
    assert f'id="alert-{alert_id}"' in still_open


def test_flows_show_completed_money_and_pending_trades_by_county(regulator, traded):
    _seller, buyer = traded
    assert buyer.post("/api/v1/settlements/1/pay").status_code == 200
    html = regulator.get("/desk/flows").get_data(as_text=True)
    row = re.search(r'<table class="grid" id="flow-rows">.*?<tbody>(.*?)</tbody>', html,
                    re.S).group(1)
    assert "宜兴市" in row and "新吴区" in row
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    # one completed at 290,000 (fee 30 bp = 870), two pending for 685,000
    assert cells == ["1", "1.0000", "290,000.00", "870.00", "289,130.00", "2", "685,000.00"]
    none = regulator.get("/desk/flows?instrument=LS").get_data(as_text=True)
    assert "该期间没有成交" in none


@pytest.mark.parametrize(("query", "message"), [
    ("date_from=2026-13-01", "日期格式应为 YYYY-MM-DD"),
    ("date_from=2026-05-02&date_to=2026-05-01", "起始日期不能晚于截止日期"),
])
def test_bad_flow_queries_say_why_in_chinese(regulator, query, message):
    response = regulator.get(f"/desk/flows?{query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_the_monthly_report_of_the_current_month_and_its_files(regulator, traded):
    html = regulator.get("/desk/reports").get_data(as_text=True)
    assert "无锡市" in html and "月通报" in html
    assert re.search(r"<dt>成交笔数</dt><dd>3</dd>", html)
    assert "+8.33%" in html  # VWAP 325,000 against the 300,000 guide price
    link = re.search(r'href="(/desk/reports/file\?[^"]*format=csv[^"]*)"', html).group(1)
    csv = regulator.get(link.replace("&amp;", "&"))
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.data.startswith("\ufeff".encode())
    assert "attachment" in csv.headers["Content-Disposition"]
    quarterly = regulator.get("/desk/reports?kind=quarterly&city=320200").get_data(as_text=True)
    assert "季分析" in quarterly and re.search(r"<dt>成交笔数</dt><dd>3</dd>", quarterly)


@pytest.mark.parametrize(("query", "message"), [
    ("city=320200&kind=monthly&period=2026-13", "期间格式应为"),
    ("city=320282&kind=monthly&period=2026-11", "所选地区不是地级市"),
    ("city=999999&kind=monthly&period=2026-11", "未知的地区代码"),
])
def test_bad_report_queries_say_why_in_chinese(regulator, query, message):
    response = regulator.get(f"/desk/reports?{query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
