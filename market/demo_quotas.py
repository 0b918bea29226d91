"""Demo data for quotas and allocations: obligations met, short and open; allocated lots;
local-first windows as seed 002 §4(四) describes.

Called once from `demo.load()` after the first trading session, through the ordinary use
cases. The met and short obligations lie in last year, so they are set and surrendered "as
of" a day in that year and then judged by the period-end job, as the scheduler would.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select

from market.calendar import market_day
from market.extensions import db
from market.services import catalogue, obligations, registry
from models import User

# Seed 002 §4(四): pilot projects' construction-land scale serves the project's own county
# first ("优先满足项目建设和县域经济发展用地需求"), then may be 调剂 within the city only.
WINDOWS = {"CL-SCALE": {"local_first_days": 30, "city_first_days": 0}}


def load(regulator: User, traders: dict[str, User]) -> None:
    """Windows, two allocations and three obligations (met, short, open)."""
    for code, windows in WINDOWS.items():
        catalogue.update_terms(regulator, code, windows)
    jiangsu = db.session.scalar(select(User).where(User.username == "jiangsu"))
    wuxi = db.session.scalar(select(User).where(User.username == "wuxi"))
    registry.allocate_lot(jiangsu or regulator, {
        "account_id": traders["yixing"].account_id, "instrument": "CL-SCALE",
        "quantity": Decimal("20"), "reason": "省级示范项目节余建设用地规模指标下达",
        "document_number": "苏自然资发〔2026〕12号",
        "project_name": "宜兴市全域综合整治省级示范项目"})
    registry.allocate_lot(wuxi or regulator, {
        "account_id": traders["huangtu"].account_id, "instrument": "FO-QTY",
        "quantity": Decimal("15"), "quality_grade": 5,
        "reason": "耕地保护工作成效突出奖励（seed 001 §二(六)）",
        "document_number": "锡政办发〔2026〕31号"})
    _obligations(regulator, traders)


def _obligations(regulator: User, traders: dict[str, User]) -> None:
    today = market_day()
    last_year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    inside_last_year = datetime(today.year - 1, 6, 30, 4, tzinfo=UTC)
    yinzhou, xinwu = traders["yinzhou"], traders["xinwu"]
    # 鄞州区's carbon bought in the history: how much depends on the days replayed, so the
    # quotas are sized from what its largest lot holds (1,000 and 150 with the full history).
    carbon = max(registry.search_lots(yinzhou, {
        "instrument": "ECO-CARBON", "status": "active", "limit": 10, "offset": 0}),
        key=lambda lot: lot.available)
    met_quantity = min(Decimal("1000"), (carbon.available * Decimal("0.6")).to_integral_value())
    later = min(Decimal("150"), carbon.available - met_quantity)
    met = obligations.create_obligation(regulator, {
        "district_code": yinzhou.account.district.code, "instrument": "ECO-CARBON",
        "quantity": met_quantity, "period_start": last_year[0],
        "period_end": last_year[1]}, today=last_year[0])
    obligations.surrender(yinzhou, met.id, {"lot_serial": carbon.serial,
                                            "quantity": met_quantity},
                          now=inside_last_year)
    obligations.create_obligation(regulator, {
        "district_code": xinwu.account.district.code, "instrument": "ECO-WETLAND",
        "quantity": Decimal("50"), "period_start": last_year[0],
        "period_end": last_year[1]}, today=last_year[0])
    this_year = obligations.create_obligation(regulator, {
        "district_code": yinzhou.account.district.code, "instrument": "eco_product",
        "quantity": Decimal("500"), "period_start": date(today.year, 1, 1),
        "period_end": date(today.year, 12, 31)})
    obligations.surrender(yinzhou, this_year.id, {"lot_serial": carbon.serial,
                                                  "quantity": later})
    obligations.close_ended()
