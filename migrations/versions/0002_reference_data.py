"""reference data: the district tree and the instrument catalogue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The starting data, frozen here: this revision must insert the same rows whenever it runs.
# Later changes to reference data need a migration of their own.
#
# District codes follow GB/T 2260 for provinces, cities and counties. Functional zones (经开区,
# 高新区, 新区, 港区) use the 7x county range the statistics bureau gives such zones; town codes
# are the county code plus a three-digit sequence, as in the statistical division codes.

# (code, name, level, parent_code)
DISTRICTS: list[tuple[str, str, str, str | None]] = [
    ("320000", "江苏省", "province", None),
    ("320200", "无锡市", "city", "320000"),
    ("320213", "梁溪区", "county", "320200"),
    ("320205", "锡山区", "county", "320200"),
    ("320206", "惠山区", "county", "320200"),
    ("320211", "滨湖区", "county", "320200"),
    ("320214", "新吴区", "county", "320200"),
    ("320271", "无锡经开区", "county", "320200"),
    ("320281", "江阴市", "county", "320200"),
    ("320282", "宜兴市", "county", "320200"),
    ("330000", "浙江省", "province", None),
    ("330200", "宁波市", "city", "330000"),
    ("330203", "海曙区", "county", "330200"),
    ("330205", "江北区", "county", "330200"),
    ("330206", "北仑区", "county", "330200"),
    ("330211", "镇海区", "county", "330200"),
    ("330212", "鄞州区", "county", "330200"),
    ("330213", "奉化区", "county", "330200"),
    ("330225", "象山县", "county", "330200"),
    ("330226", "宁海县", "county", "330200"),
    ("330281", "余姚市", "county", "330200"),
    ("330282", "慈溪市", "county", "330200"),
    ("330271", "前湾新区", "county", "330200"),
    ("330272", "宁波高新区", "county", "330200"),
    ("330400", "嘉兴市", "city", "330000"),
    ("330402", "南湖区", "county", "330400"),
    ("330411", "秀洲区", "county", "330400"),
    ("330421", "嘉善县", "county", "330400"),
    ("330424", "海盐县", "county", "330400"),
    ("330481", "海宁市", "county", "330400"),
    ("330482", "平湖市", "county", "330400"),
    ("330483", "桐乡市", "county", "330400"),
    ("330471", "嘉兴经开区", "county", "330400"),
    ("330472", "嘉兴港区", "county", "330400"),
]

JIANGYIN_TOWNS = [
    "澄江街道", "南闸街道", "云亭街道", "夏港街道", "申港街道", "利港街道", "璜土镇", "月城镇",
    "青阳镇", "徐霞客镇", "华士镇", "周庄镇", "新桥镇", "长泾镇", "顾山镇", "祝塘镇", "高新区",
    "临港经济开发区",
]
DISTRICTS += [
    (f"320281{index:03d}", name, "town", "320281")
    for index, name in enumerate(JIANGYIN_TOWNS, start=1)
]

# Farmland-offset lots are split into quantity, paddy area and grain capacity, each priced on
# its own (DOMAIN.md). Prices are CNY per unit; ratios are fractions (0.2 = 20 %). Terms that
# later revisions add (scope windows, auction times) are set by those revisions.
D = Decimal  # short, for the table below
INSTRUMENTS = [
    dict(code="FO-QTY", kind="farmland_offset", name_zh="补充耕地数量指标",
         name_en="Farmland offset: quantity", unit="mu", tick_size=D("100.00"),
         lot_size=D("0.01"), deposit_ratio=D("0.2"), settlement_days=10, fee_bps=30,
         guide_price=D("300000.00"), floor_price=D("150000.00"), price_band=D("0.3"),
         trading_mode="continuous", cross_city_allowed=True),
    dict(code="FO-PADDY", kind="farmland_offset", name_zh="补充耕地水田规模指标",
         name_en="Farmland offset: paddy area", unit="mu", tick_size=D("100.00"),
         lot_size=D("0.01"), deposit_ratio=D("0.2"), settlement_days=10, fee_bps=30,
         guide_price=D("200000.00"), floor_price=D("100000.00"), price_band=D("0.3"),
         trading_mode="continuous", cross_city_allowed=True),
    dict(code="FO-GRAIN", kind="farmland_offset", name_zh="补充耕地粮食产能指标",
         name_en="Farmland offset: grain capacity", unit="kg", tick_size=D("0.10"),
         lot_size=D("1"), deposit_ratio=D("0.2"), settlement_days=10, fee_bps=30,
         guide_price=D("20.00"), floor_price=D("10.00"), price_band=D("0.3"),
         trading_mode="continuous", cross_city_allowed=True),
    dict(code="LS", kind="linkage_surplus", name_zh="城乡建设用地增减挂钩节余指标",
         name_en="Urban-rural linkage surplus", unit="mu", tick_size=D("100.00"),
         lot_size=D("0.01"), deposit_ratio=D("0.2"), settlement_days=15, fee_bps=30,
         guide_price=D("450000.00"), floor_price=D("250000.00"), price_band=D("0.2"),
         trading_mode="call_auction", cross_city_allowed=False),
    dict(code="ECO-CARBON", kind="eco_product", name_zh="林业碳汇", name_en="Forestry carbon sink",
         unit="tCO2e", tick_size=D("0.01"), lot_size=D("1"), deposit_ratio=D("1"),
         settlement_days=0, fee_bps=20, guide_price=D("60.00"), floor_price=D("20.00"),
         price_band=D("0.5"), trading_mode="continuous", cross_city_allowed=True),
    dict(code="ECO-WETLAND", kind="eco_product", name_zh="湿地修复指标",
         name_en="Wetland restoration", unit="mu", tick_size=D("10.00"), lot_size=D("0.01"),
         deposit_ratio=D("0.3"), settlement_days=10, fee_bps=20, guide_price=D("20000.00"),
         floor_price=D("5000.00"), price_band=D("0.4"), trading_mode="continuous",
         cross_city_allowed=True),
]

districts = sa.table(
    "districts",
    sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name", sa.String),
    sa.column("level", sa.String), sa.column("parent_id", sa.Integer),
)
instruments = sa.table(
    "instruments",
    sa.column("code", sa.String), sa.column("kind", sa.String), sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String), sa.column("unit", sa.String),
    sa.column("tick_size", models.base.Money()), sa.column("lot_size", models.base.Quantity()),
    sa.column("deposit_ratio", models.base.Ratio()), sa.column("settlement_days", sa.Integer),
    sa.column("fee_bps", sa.Integer), sa.column("guide_price", models.base.Money()),
    sa.column("floor_price", models.base.Money()), sa.column("price_band", models.base.Ratio()),
    sa.column("trading_mode", sa.String), sa.column("status", sa.String),
    sa.column("cross_city_allowed", sa.Boolean),
)


def district_rows():
    ids = {code: index for index, (code, *_rest) in enumerate(DISTRICTS, start=1)}
    return [
        {"id": ids[code], "code": code, "name": name, "level": level,
         "parent_id": ids[parent] if parent else None}
        for code, name, level, parent in DISTRICTS
    ]


def instrument_rows():
    return [{**spec, "status": "open"} for spec in INSTRUMENTS]


def upgrade():
    op.bulk_insert(districts, district_rows())
    op.bulk_insert(instruments, instrument_rows())
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted; move the sequence past them.
        op.execute("SELECT setval('districts_id_seq', (SELECT max(id) FROM districts))")


def downgrade():
    op.execute("DELETE FROM instruments")
    op.execute("DELETE FROM districts")
