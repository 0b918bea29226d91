"""Demo data: real districts from the seeds, their accounts, verified lots and cash.

Everything goes through the ordinary use cases, so the demo's ledger and audit log are as
real as production's. Loading twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import accounts, lots, users
from models import User

DEMO_PASSWORD = "demo-password"

# (username, account name, kind, district code, role in the demo)
SELLERS = [
    ("yixing", "宜兴市自然资源和规划局", "bureau", "320282"),
    ("huangtu", "江阴市璜土镇人民政府", "town", "320281007"),
    ("xuxiake", "江阴市徐霞客镇乡村振兴公司", "company", "320281010"),
    ("xiangshan", "象山县自然资源和规划局", "bureau", "330225"),
]
BUYERS = [
    ("xinwu", "无锡市新吴区人民政府", "government", "320214", "80000000.00"),
    ("liangxi", "无锡市梁溪区人民政府", "government", "320213", "60000000.00"),
    ("yinzhou", "宁波市鄞州区人民政府", "government", "330212", "70000000.00"),
]
# (seller, instrument, quantity, origin, project, grade)
LOTS = [
    ("yixing", "FO-QTY", "120.5", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("yixing", "FO-PADDY", "80", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("yixing", "FO-GRAIN", "60000", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("huangtu", "LS", "35.25", "320281007", "璜土镇村庄建设用地复垦项目", None),
    ("huangtu", "FO-QTY", "42", "320281007", "璜土镇高标准农田建设项目", 6),
    ("xuxiake", "LS", "28", "320281010", "徐霞客镇工矿废弃地复垦项目", None),
    ("xuxiake", "ECO-WETLAND", "150", "320281010", "徐霞客镇湿地修复项目", None),
    ("xiangshan", "ECO-CARBON", "25000", "330225", "象山县林业碳汇项目", None),
    ("xiangshan", "FO-QTY", "66.8", "330225", "象山县垦造耕地项目", 7),
]


@dataclass
class DemoResult:
    """What the demo loader did, for the CLI to print."""

    created: bool
    logins: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        head = "demo data loaded" if self.created else "demo data already present"
        lines = [head, f"logins (password {DEMO_PASSWORD!r} for all):"]
        lines += [f"  {name:<10} {what}" for name, what in self.logins]
        return "\n".join(lines)


def _logins() -> list[tuple[str, str]]:
    rows = [("admin", "admin"), ("regulator", "regulator (无锡市自然资源和规划局)")]
    rows += [(name, f"seller · {account}") for name, account, _, _ in SELLERS]
    rows += [(name, f"buyer · {account}") for name, account, _, _, _ in BUYERS]
    return rows


def load() -> DemoResult:
    """Create the demo world unless it is already there."""
    if db.session.scalar(select(User.id).where(User.username == "admin")):
        return DemoResult(created=False, logins=_logins())
    admin = users.create(None, {"username": "admin", "password": DEMO_PASSWORD, "role": "admin"})
    regulator = users.create(admin, {"username": "regulator", "password": DEMO_PASSWORD,
                                     "role": "regulator",
                                     "display_name": "无锡市自然资源和规划局"})
    traders: dict[str, User] = {}
    for username, name, kind, district in SELLERS:
        account = accounts.create(admin, {"name": name, "kind": kind, "district_code": district})
        traders[username] = users.create(admin, {"username": username, "password": DEMO_PASSWORD,
                                                 "role": "trader", "account_id": account.id})
    for username, name, kind, district, cash in BUYERS:
        account = accounts.create(admin, {"name": name, "kind": kind, "district_code": district})
        traders[username] = users.create(admin, {"username": username, "password": DEMO_PASSWORD,
                                                 "role": "trader", "account_id": account.id})
        accounts.deposit(regulator, account.id, Decimal(cash), f"DEMO-{username.upper()}-001")
    for index, (seller, instrument, quantity, origin, project, grade) in enumerate(LOTS, 1):
        user = traders[seller]
        lot = lots.register(user, user.account, {
            "instrument": instrument, "quantity": Decimal(quantity),
            "origin_district_code": origin, "project_name": project,
            "project_code": f"DEMO-{origin}-{index:03d}", "accepted_on": date(2024, 6, 30),
            "vintage_year": 2024, "quality_grade": grade,
        })
        lots.verify(regulator, lot.serial)
    return DemoResult(created=True, logins=_logins())
