"""Alerts read in Chinese: each kind's sentence and details come from its kind and numbers.

Every detector's scenario runs once; then every alert's wording must be Chinese (no English
word left but the instrument's code), name accounts and districts, and carry 元 and units.
"""

import re

import pytest

from market import alert_wording
from tests.surveillance.helpers import raise_every_kind


def english_words(text: str, alert) -> list[str]:
    """Latin words left once the instrument's code and the (test) account names are out."""
    for name in [alert.instrument.code if alert.instrument else None,
                 *(account.name for account in alert.accounts)]:
        text = text.replace(name or "\0", "")
    return re.findall(r"[A-Za-z]+", text)


@pytest.fixture
def every_kind(world):
    return raise_every_kind(world)


def test_every_kind_of_alert_reads_in_chinese(app, every_kind):
    for alert in every_kind:
        wording = alert_wording.describe(alert)
        assert re.search(r"[\u4e00-\u9fff]", wording.summary), (alert.kind, wording.summary)
        assert english_words(wording.summary, alert) == [], (alert.kind, wording.summary)
        assert wording.summary != alert.summary
        for label, value in wording.details:
            assert english_words(label, alert) == [], (alert.kind, label)
            assert english_words(value, alert) == [], (alert.kind, label, value)


def test_the_details_name_districts_accounts_money_and_units(app, every_kind):
    by_kind = {}
    for alert in every_kind:
        by_kind.setdefault(alert.kind, alert_wording.describe(alert))
    guide = by_kind["guide_deviation"]
    assert "340,000.00 元" in guide.summary and "300,000.00 元" in guide.summary
    assert "+13.3%" in guide.summary
    assert dict(guide.details)["告警阈值"] == "10.0%"
    cross = by_kind["cross_trade"]
    assert "江阴市（320281）" in cross.summary
    assert "huangtu account" in cross.summary and "jiangyin account" in cross.summary
    assert dict(cross.details)["卖方地区"] == "璜土镇（320281100）"
    circular = by_kind["circular"]
    assert "新吴区（320214）" in circular.summary and "2.00 亩" in circular.summary
    concentration = dict(by_kind["concentration"].details)
    assert concentration["当月成交量"] == "41.00 吨二氧化碳当量"
    storm = dict(by_kind["band_rejection_storm"].details)
    assert storm["被拒原因"] == "超出涨跌幅 10"


def test_the_api_speaks_chinese_and_english_on_request(app, every_kind, world):
    chinese = world.regulator.get("/api/v1/surveillance/alerts?kind=wash_trade").json
    assert "同在宜兴市（320282）" in chinese[0]["summary"]
    english = world.regulator.get("/api/v1/surveillance/alerts?kind=wash_trade",
                                  headers={"Accept-Language": "en"}).json
    assert "both in 宜兴市（320282）" in english[0]["summary"]
    assert english[0]["details"]["buyer_district"] == "320282"  # the numbers stay as stored
