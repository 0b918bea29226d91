"""The demo's waiting work: lots pending verification with their acceptance documents, and the
alerts of a first surveillance run. The settlements to pay and the open orders come from the
history (market/demo_history.py) and this morning's session (market/demo.py)."""

from datetime import date
from decimal import Decimal

from market import pdf
from market.services import registry, surveillance
from models import User

# (seller, instrument, quantity, origin, project, grade, unit of the quantity in the report)
PENDING_LOTS = [
    ("huangtu", "FO-QTY", "18.6", "320281100", "璜土镇石庄村高标准农田建设项目", 5, "亩"),
    ("yixing", "FO-PADDY", "12.4", "320282", "宜兴市湖㳇镇旱地改水田项目", 4, "亩"),
    ("xiangshan", "ECO-CARBON", "8000", "330225", "象山县茅洋乡林业碳汇项目", None,
     "吨二氧化碳当量"),
]
ACCEPTED_ON = date(2026, 9, 30)


def load(users: dict[str, User]) -> None:
    """Register the pending lots with a PDF each, then run detection once (no actor)."""
    for index, (seller, code, quantity, origin, project, grade, unit) in enumerate(
            PENDING_LOTS, 1):
        user = users[seller]
        project_code = f"DEMO-P-{origin}-{index:03d}"
        report = acceptance_report(user.account.name, project, project_code, code, quantity,
                                   unit)
        registry.register_lot_with_evidence(user, user.account, {
            "instrument": code, "quantity": Decimal(quantity), "origin_district_code": origin,
            "project_name": project, "project_code": project_code,
            "accepted_on": ACCEPTED_ON, "vintage_year": ACCEPTED_ON.year,
            "quality_grade": grade,
        }, [registry.Upload(f"{project_code}-验收报告.pdf", report)])
    surveillance.detect()


def acceptance_report(owner: str, project: str, project_code: str, instrument: str,
                      quantity: str, unit: str) -> bytes:
    """A small, valid PDF standing in for a project's acceptance (验收) document."""
    return pdf.render(pdf.Document(
        title="项目竣工验收意见书",
        subtitle=project,
        sections=[pdf.Facts("项目概况", [
            ("项目名称", project), ("项目编号", project_code), ("项目业主", owner),
            ("指标品种", instrument), ("新增指标数量", f"{quantity} {unit}"),
            ("验收日期", f"{ACCEPTED_ON.year}年{ACCEPTED_ON.month}月{ACCEPTED_ON.day}日"),
            ("验收结论", "经现场踏勘、资料审查，项目达到设计要求，同意通过验收。"),
        ])],
        footer="演示数据：本文件由演示程序生成，不是真实的验收文件。",
    ))
