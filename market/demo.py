"""Demo data: real districts from the seeds, their accounts, verified lots and cash, about 90
trading days of history (market/demo_history.py), this morning's book, and a task waiting for
every persona (market/demo_tasks.py).

Everything goes through the ordinary use cases, so the demo's ledger and audit log are as
real as production's; the history runs them at past moments. Loading twice changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from market import (
    demo_certificates,
    demo_history,
    demo_listings,
    demo_payouts,
    demo_quotas,
    demo_tasks,
)
from market.demo_negotiated import load_negotiated
from market.extensions import db
from market.services import identity, registry, settlement, trading
from models import User
from models.base import clock_at

DEMO_PASSWORD = "demo-password"

# (username, account name, kind, district code, role in the demo)
SELLERS = [
    ("yixing", "宜兴市自然资源和规划局", "bureau", "320282"),
    ("huangtu", "江阴市璜土镇人民政府", "town", "320281100"),
    ("xuxiake", "江阴市徐霞客镇乡村振兴公司", "company", "320281104"),
    ("xiangshan", "象山县自然资源和规划局", "bureau", "330225"),
]
BUYERS = [
    ("xinwu", "无锡市新吴区人民政府", "government", "320214", "200000000.00"),
    ("liangxi", "无锡市梁溪区人民政府", "government", "320213", "160000000.00"),
    ("yinzhou", "宁波市鄞州区人民政府", "government", "330212", "120000000.00"),
]
# (seller, instrument, quantity, origin, project, grade)
LOTS = [
    ("yixing", "FO-QTY", "120.5", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("yixing", "FO-PADDY", "80", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("yixing", "FO-GRAIN", "60000", "320282", "宜兴市张渚镇土地综合整治项目", 4),
    ("huangtu", "LS", "35.25", "320281100", "璜土镇村庄建设用地复垦项目", None),
    ("huangtu", "FO-QTY", "42", "320281100", "璜土镇高标准农田建设项目", 6),
    ("xuxiake", "LS", "28", "320281104", "徐霞客镇工矿废弃地复垦项目", None),
    ("xuxiake", "ECO-WETLAND", "150", "320281104", "徐霞客镇湿地修复项目", None),
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


# Regulators with a jurisdiction: (username, bureau, district code).
REGULATORS = [
    ("jiangsu", "江苏省自然资源厅", "320000"),
    ("wuxi", "无锡市自然资源和规划局", "320200"),
    ("ningbo", "宁波市自然资源和规划局", "330200"),
]


def _logins() -> list[tuple[str, str]]:
    rows = [("admin", "admin"), ("regulator", "regulator, national (自然资源部)")]
    rows += [(name, f"regulator · {bureau}") for name, bureau, _ in REGULATORS]
    rows += [(name, f"seller · {account}") for name, account, _, _ in SELLERS]
    rows += [(name, f"buyer · {account}") for name, account, _, _, _ in BUYERS]
    return rows


def load(history_days: int = demo_history.TRADING_DAYS) -> DemoResult:
    """Create the demo world unless it is already there, with `history_days` of trading.

    Tests that need the world but not its months of history ask for a few days: the full
    history takes some 25 s of CPU to replay on SQLite.
    """
    if db.session.scalar(select(User.id).where(User.username == "admin")):
        return DemoResult(created=False, logins=_logins())
    # The world is set up months ago, so that its trading history can be replayed since.
    with clock_at(demo_history.setup_time(days=history_days)):
        users, lots = _world()
        history_lots = demo_history.register_history_lots(users, users["regulator"])
    demo_history.replay(users, history_lots, days=history_days)
    _first_trading_session(users, lots)
    demo_tasks.load(users)
    demo_certificates.load(users)
    load_negotiated(users)
    demo_listings.load_listings()
    demo_quotas.load(users["regulator"], users)
    demo_payouts.load_payouts(users, users["regulator"])
    return DemoResult(created=True, logins=_logins())


def _world() -> tuple[dict[str, User], list[str]]:
    """Users by name (admin and regulators too), accounts with cash, the verified lots."""
    admin = identity.create_user(None, {"username": "admin", "password": DEMO_PASSWORD,
                                        "role": "admin"})
    regulator = identity.create_user(admin, {"username": "regulator", "password": DEMO_PASSWORD,
                                     "role": "regulator",
                                     "display_name": "自然资源部（全国）"})
    users: dict[str, User] = {"admin": admin, "regulator": regulator}
    for username, bureau, district in REGULATORS:
        users[username] = identity.create_user(admin, {
            "username": username, "password": DEMO_PASSWORD, "role": "regulator",
            "display_name": bureau, "district_code": district})
    for username, name, kind, district in SELLERS:
        account = identity.create_account(admin, {"name": name, "kind": kind,
                                                  "district_code": district})
        users[username] = identity.create_user(admin, {
            "username": username, "password": DEMO_PASSWORD, "role": "trader",
            "account_id": account.id})
    for username, name, kind, district, cash in BUYERS:
        account = identity.create_account(admin, {"name": name, "kind": kind,
                                                  "district_code": district})
        users[username] = identity.create_user(admin, {
            "username": username, "password": DEMO_PASSWORD, "role": "trader",
            "account_id": account.id})
        identity.deposit_cash(regulator, account.id, Decimal(cash), f"DEMO-{username.upper()}-001")
    serials = []
    for index, (seller, instrument, quantity, origin, project, grade) in enumerate(LOTS, 1):
        user = users[seller]
        lot = registry.register_lot(user, user.account, {
            "instrument": instrument, "quantity": Decimal(quantity),
            "origin_district_code": origin, "project_name": project,
            "project_code": f"DEMO-{origin}-{index:03d}", "accepted_on": date(2024, 6, 30),
            "vintage_year": 2024, "quality_grade": grade,
        })
        registry.verify_lot(regulator, lot.serial)
        serials.append(lot.serial)
    return users, serials


# (trader, instrument, side, price, quantity, index of the seller's lot in LOTS or None)
DEMO_ORDERS = [
    ("yixing", "FO-QTY", "sell", "305000.00", "10", 0),
    ("yixing", "FO-QTY", "sell", "310000.00", "5", 0),
    ("huangtu", "FO-QTY", "sell", "295000.00", "6", 4),
    ("xiangshan", "FO-QTY", "sell", "298000.00", "8", 8),
    ("xinwu", "FO-QTY", "buy", "300000.00", "4", None),
    ("liangxi", "FO-QTY", "buy", "306000.00", "3", None),
    ("yinzhou", "FO-QTY", "buy", "299000.00", "3", None),
    ("xinwu", "FO-QTY", "buy", "290000.00", "2", None),
    ("xiangshan", "ECO-CARBON", "sell", "62.00", "5000", 7),
    ("yinzhou", "ECO-CARBON", "buy", "62.50", "1200", None),
    ("yixing", "FO-PADDY", "sell", "205000.00", "20", 1),
    ("huangtu", "LS", "sell", "440000.00", "10", 3),
    ("xuxiake", "LS", "sell", "455000.00", "8", 5),
]


def _first_trading_session(traders: dict[str, User], serials: list[str]) -> None:
    """This morning's trading: resting orders on both sides, a few trades, one buyer paid."""
    buyer, made_today = traders["xinwu"], []
    for number, (name, instrument, side, price, quantity, lot_index) in enumerate(
            DEMO_ORDERS, 1):
        user = traders[name]
        result = trading.place_order(user, user.account, {
            "instrument": instrument, "side": side, "price": Decimal(price),
            "quantity": Decimal(quantity), "tif": "GTC", "client_order_id": f"demo-{number}",
            "lot_serial": serials[lot_index] if lot_index is not None else None,
        })
        made_today += [trade.id for trade in result.trades]
    # Only today's: the history leaves some of xinwu's settlements unpaid on purpose.
    for due in settlement.list_settlements(buyer, "pending_payment", 100, 0):
        if due.trade_id in made_today:
            settlement.pay_from_cash(buyer, buyer.account, due.id)
