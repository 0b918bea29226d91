"""In headless Chromium, through the pages only: a lot from registration to retirement.

The seller registers a lot with its acceptance PDF, the regulator verifies it on the queue, the
seller sells from it, the buyer bids (seeing the deposit first) and pays the settlement (付款),
and the buyer retires the bought lot against a named construction project. On the way each form
is first given bad input: it answers in Chinese and nothing changes. Only the cast (users,
accounts, cash) is made through the factories.
"""

import re
from decimal import Decimal

from sqlalchemy import func, select

from market import pdf
from market.extensions import db
from models import Lot, LotEvidence, Order, Retirement, Settlement

SELLER, BUYER = ("yixing", "320282"), ("xinwu", "320214")
PROJECT = "锡东新城智能制造产业园用地报批项目"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def acceptance_pdf() -> bytes:
    """A small valid PDF, made as the platform makes its own."""
    return pdf.render(pdf.Document(
        title="土地整治项目验收意见", subtitle="宜自然资验〔2026〕18 号",
        sections=[pdf.Facts("项目", [("名称", "丁蜀镇土地综合整治项目"),
                                     ("新增耕地", "10.0000 亩"), ("质量等别", "4")])]))


def committed(query):
    """A value as the server committed it (the pages write in their own sessions)."""
    db.session.rollback()
    value = db.session.scalar(query)
    db.session.rollback()
    return value


def count(model) -> int:
    return committed(select(func.count()).select_from(model))


def test_a_lot_goes_from_registration_to_retirement_in_the_browser(world, visit, evidence_dir):
    world.trader(*SELLER)
    buyer_account = world.trader(*BUYER, cash="10000000").user.account_id

    # The seller registers the lot; a text file posing as a PDF is refused first.
    seller = visit("yixing")
    seller.page.click("nav >> text=登记指标")
    assert seller.page.locator("h1").inner_text() == "登记指标"
    seller.page.select_option("#instrument", "FO-QTY")
    seller.page.fill("#quantity", "10")
    seller.page.select_option("#origin_district_code", "320282")
    seller.page.fill("#project_name", "丁蜀镇土地综合整治项目")
    seller.page.fill("#project_code", "YX-2026-018")
    seller.page.fill("#accepted_on", "2026-06-01")
    seller.page.fill("#vintage_year", "2026")
    seller.page.fill("#quality_grade", "4")
    seller.page.set_input_files("#evidence", files=[{
        "name": "验收意见.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}])
    seller.submit("#lot-form")
    refusal = seller.page.locator("p.notice.error").inner_text()
    assert CHINESE.search(refusal), refusal
    assert count(Lot) == 0 and count(LotEvidence) == 0
    assert not any(evidence_dir.glob("**/*.*"))

    evidence = acceptance_pdf()
    seller.page.set_input_files("#evidence", files=[{
        "name": "验收意见.pdf", "mimeType": "application/pdf", "buffer": evidence}])
    seller.submit("#lot-form")
    assert "等待监管部门核验" in seller.flash()
    serial = seller.page.locator("h1 .code").inner_text()
    assert seller.page.locator("#lot-status").inner_text() == "待核验"
    assert "验收意见.pdf" in seller.text()

    # The regulator finds it on the queue, opens the evidence and verifies it.
    regulator = visit("regulator")
    regulator.page.click("nav >> text=核验队列")
    row = regulator.page.locator("tr", has_text=serial)
    assert "丁蜀镇土地综合整治项目" in row.inner_text()
    with regulator.page.expect_download() as download:
        row.locator("a", has_text="验收意见.pdf").click()
    assert download.value.path().read_bytes() == evidence
    row.locator("a", has_text=serial).click()
    regulator.page.wait_for_url(f"**/desk/lots/{serial}")
    regulator.page.fill("#reject-form textarea", "   ")  # past the browser's own check
    regulator.submit("#reject-form")
    assert regulator.page.locator("#reject-form .field-error").count() == 1
    assert committed(select(Lot.status).where(Lot.serial == serial)) == "pending"
    regulator.submit("#verify-form")
    assert f"已核验 {serial}" in regulator.flash()
    assert regulator.page.locator("#lot-status").inner_text() == "有效"

    # The seller sells four mu from it; a price that is not a number is refused first.
    seller.goto(f"/trade/lots/{serial}")
    assert seller.page.locator("#lot-status").inner_text() == "有效"
    seller.page.fill("#sell-form #price", "三十万")
    seller.page.fill("#sell-form #quantity", "4")
    seller.submit("#sell-form")
    assert seller.page.locator("#sell-form .field-error").all_inner_texts() == ["不是有效的数字"]
    assert count(Order) == 0
    seller.page.fill("#sell-form #price", "300000.00")
    seller.submit("#sell-form")
    assert "已挂出卖出委托" in seller.flash()

    # The buyer previews the bid's deposit, then places it; it fills against the offer.
    buyer = visit("xinwu")
    buyer.page.click("nav >> text=行情")
    buyer.page.locator("#markets tr", has_text="FO-QTY").locator("a").click()
    buyer.page.wait_for_url("**/trade/market/FO-QTY")
    assert "300,000.00" in buyer.page.locator("#asks").inner_text()
    buyer.page.fill("#bid-form #price", "300000.00")
    buyer.page.fill("#bid-form #quantity", "0")
    buyer.submit("#bid-form")
    assert "须大于 0" in buyer.page.locator("#bid-form .field-error").inner_text()
    buyer.page.fill("#bid-form #quantity", "4")
    buyer.page.fill("#bid-form #max_quality_grade", "5")
    buyer.submit("#bid-form")
    assert buyer.page.locator("#deposit-preview").inner_text() == "240,000.00"
    assert count(Order) == 1, "a preview places nothing"
    buyer.submit("#confirm-bid")
    assert "买入委托已提交" in buyer.flash() and "冻结保证金 240,000.00 元" in buyer.flash()
    owed = committed(select(Settlement).where(Settlement.buyer_account_id == buyer_account))
    assert owed.status == "pending_payment"

    # …and pays the balance from cash (付款): the quantity is delivered in a child lot.
    buyer.page.click("nav >> text=我的结算")
    buyer.page.locator(f"#settlement-{owed.id} a", has_text="付款").click()
    assert buyer.page.locator("#amount-due").inner_text() == "960,000.00"
    buyer.submit("#pay-form")
    assert f"结算 {owed.id} 已付清并完成交割" in buyer.flash()
    child = committed(select(Lot.serial).where(Lot.owner_account_id == buyer_account))
    assert child in buyer.flash()

    # The buyer retires part of it against a named construction project; too much is refused.
    buyer.page.click("nav >> text=我的持有")
    holding = buyer.page.locator(f"#lot-{child}")
    assert holding.locator(".parent").inner_text() == serial
    holding.locator("#project_name").fill(PROJECT)
    holding.locator("#project_code").fill("锡新自然资用〔2026〕7 号")
    holding.locator("#quantity").fill("5")
    buyer.submit(f"#lot-{child} .retire-form")
    refusal = buyer.page.locator("p.notice.error").inner_text()
    assert CHINESE.search(refusal), refusal
    assert count(Retirement) == 0
    holding.locator("#quantity").fill("1.5")
    buyer.submit(f"#lot-{child} .retire-form")
    assert f"已从 {child} 核销 1.50，" in buyer.flash() and PROJECT in buyer.flash()
    assert holding.locator(".retired").inner_text() == "1.50"
    assert PROJECT in holding.locator("table.retirements").inner_text()
    retired = committed(select(Retirement))
    assert (retired.project_name, retired.quantity) == (PROJECT, Decimal("1.5"))

    # The seller's lot page tells the story: the trade settled, four mu gone to the child.
    seller.goto(f"/trade/lots/{serial}")
    assert child in seller.text()
    assert "已完成" in seller.text()
