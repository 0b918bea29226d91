"""The scratch databases of bench/orders_http.py and the market its clients trade in."""

from __future__ import annotations

import subprocess
import sys
import uuid
from decimal import Decimal

import sqlalchemy as sa
from order_flows import FO_QTY, Market, Trader
from serving import BENCH_SECRET, ROOT, service_env
from sqlalchemy.engine import make_url

SETUP_PASSWORD = "bench-password-123"
FLOOR_SCHEMA = """
CREATE TABLE bench_floor (
    id bigserial PRIMARY KEY,
    account_id integer NOT NULL,
    instrument_id integer NOT NULL,
    client_order_id varchar(64) NOT NULL,
    side varchar(4) NOT NULL,
    price numeric(18, 2) NOT NULL,
    quantity numeric(18, 4) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, client_order_id)
)
"""
# Each seller's lot of each instrument holds this many of its lots: 500,000 mu of FO-QTY, as
# measured before, and far more than any run sells (an order is at most 100 lots).
LOTS_PER_SELLER = 50_000_000


class Databases:
    """Scratch databases on one server, all dropped by close()."""

    def __init__(self, server_url: str):
        self.url = make_url(server_url)
        self.admin = sa.create_engine(self.url.set(database="postgres"),
                                      isolation_level="AUTOCOMMIT")
        self.prefix = f"bench_orders_{uuid.uuid4().hex[:8]}"
        self.names: list[str] = []

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"{clause}'))
        self.names.append(name)
        return name

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        if name in self.names:
            self.names.remove(name)

    def close(self) -> None:
        for name in list(reversed(self.names)):
            try:
                self.drop(name)
            except Exception as error:  # noqa: BLE001 — clean-up goes on
                print(f"could not drop {name}: {error}", file=sys.stderr)
        self.admin.dispose()


def flask_cli(database_url: str, *args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT,
                            env=service_env(database_url), capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def continuous_markets(instruments: list[dict]) -> list[Market]:
    """The open continuous instruments, FO-QTY first (the one-instrument runs trade it)."""
    markets = [Market(row["code"], Decimal(row["tick_size"]), Decimal(row["lot_size"]),
                      Decimal(row["guide_price"]))
               for row in instruments
               if row["trading_mode"] == "continuous" and row["status"] == "open"]
    return sorted(markets, key=lambda market: (market.code != FO_QTY.code, market.code))


def build_world(database_url: str, clients: int,
                instruments: int = 1) -> tuple[list[Trader], list[Market]]:
    """Schema, demo admin and regulator, one funded buyer or one seller per client, and the
    first `instruments` continuous markets, each seller holding a verified lot of each."""
    flask_cli(database_url, "db", "upgrade")
    flask_cli(database_url, "demo-data", "--history-days", "0")  # as measured: no history
    from market import create_app
    from market.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": BENCH_SECRET,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()

    def login(username, password):
        response = client.post("/api/v1/auth/token",
                               json={"username": username, "password": password})
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}, response.json["token"]

    def ok(response, status=201):
        assert response.status_code == status, response.json
        return response.json

    admin, _ = login("admin", "demo-password")
    regulator, _ = login("regulator", "demo-password")
    catalogue = ok(client.get("/api/v1/instruments", headers=admin), status=200)
    markets = continuous_markets(catalogue)[:instruments]
    for row in catalogue:
        # The demo keeps CL-SCALE in its county for 30 days after verification; the sellers'
        # county is not the buyers', so the bench's fresh lots could not trade there at all.
        if row["code"] in {m.code for m in markets} and (
                row["local_first_days"] or row["city_first_days"]):
            ok(client.patch(f"/api/v1/instruments/{row['code']}", headers=regulator,
                            json={"local_first_days": 0, "city_first_days": 0}), status=200)
    kinds = {row["code"]: row["kind"] for row in catalogue}
    traders = []
    for index in range(clients):
        side = "buy" if index % 2 == 0 else "sell"
        # Buyers in 新吴区 and sellers in 宜兴市: both Wuxi, so every lot can reach every buyer.
        district = "320214" if side == "buy" else "320282"
        username = f"bench-{side}-{index}"
        account = ok(client.post("/api/v1/accounts", headers=admin, json={
            "name": f"bench {side} {index}", "district_code": district}))
        ok(client.post("/api/v1/users", headers=admin, json={
            "username": username, "password": SETUP_PASSWORD, "role": "trader",
            "account_id": account["id"]}))
        headers, token = login(username, SETUP_PASSWORD)
        trader = Trader(username, token, side)
        if side == "buy":
            ok(client.post(f"/api/v1/accounts/{account['id']}/deposits", headers=regulator,
                           json={"amount": "50000000000.00", "reference": f"BENCH-{index}"}))
        for market in markets if side == "sell" else []:
            lot = {"instrument": market.code, "quantity": market.quantity(LOTS_PER_SELLER),
                   "origin_district_code": district, "project_name": "基准测试土地整治项目",
                   "project_code": f"BENCH-{index}-{market.code}", "accepted_on": "2024-06-30",
                   "vintage_year": 2024}
            if kinds[market.code] == "farmland_offset":
                lot["quality_grade"] = 5
            serial = ok(client.post("/api/v1/lots", headers=headers, json=lot))["serial"]
            ok(client.post(f"/api/v1/lots/{serial}/verify", headers=regulator), status=200)
            trader.lot_serials[market.code] = serial
        traders.append(trader)
    with app.app_context():
        db.session.execute(sa.text(FLOOR_SCHEMA))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return traders, markets
