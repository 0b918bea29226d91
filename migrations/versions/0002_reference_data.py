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

# The starting data lives in models/reference_data.py. Editing it later does not change
# databases already built: later changes to reference data need a migration of their own.
from models.reference_data import DISTRICTS, INSTRUMENTS  # noqa: E402

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

DECIMAL_FIELDS = ("tick_size", "lot_size", "deposit_ratio", "guide_price", "floor_price",
                  "price_band")


def district_rows():
    ids = {code: index for index, (code, *_rest) in enumerate(DISTRICTS, start=1)}
    return [
        {"id": ids[code], "code": code, "name": name, "level": level,
         "parent_id": ids[parent] if parent else None}
        for code, name, level, parent in DISTRICTS
    ]


def instrument_rows():
    rows = []
    columns = {column.name for column in instruments.columns}
    for spec in INSTRUMENTS:
        # Later migrations add terms; this one inserts only the columns it knows.
        row = {key: value for key, value in spec.items() if key in columns}
        row["status"] = "open"
        for field in DECIMAL_FIELDS:
            row[field] = Decimal(row[field])
        rows.append(row)
    return rows


def upgrade():
    op.bulk_insert(districts, district_rows())
    op.bulk_insert(instruments, instrument_rows())
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted; move the sequence past them.
        op.execute("SELECT setval('districts_id_seq', (SELECT max(id) FROM districts))")


def downgrade():
    op.execute("DELETE FROM instruments")
    op.execute("DELETE FROM districts")
