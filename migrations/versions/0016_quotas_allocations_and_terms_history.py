"""quotas, allocations and the catalogue's history: obligations, lot sources, terms history

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02

Obligations (限额) a regulator sets on a district, surrendered by retirements that name them;
a lot's source (an accepted project, or a regulator's allocation with its reason and document
number); the instrument terms' history, seeded with each instrument's terms as of this
upgrade, in force "since records began" (2000-01-01), because no earlier record exists; the
planned construction-land scale indicator of seed 002 §4(四). The two instrument CHECKs the
models declared but no revision created (forfeit_to, scope_windows) are created here.
"""

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_KINDS = "'farmland_offset', 'linkage_surplus', 'eco_product'"
NEW_KINDS = "'farmland_offset', 'linkage_surplus', 'eco_product', 'construction_land_scale'"
RECORDS_BEGAN = datetime(2000, 1, 1, tzinfo=UTC)

# Seed 002 §4(四): "…城乡增减挂钩指标、补充耕地指标和建设用地规模指标…可在市域范围内调剂使用":
# traded city-wide, never across cities; its terms mirror the linkage surplus, frozen here.
CONSTRUCTION_SCALE = dict(
    code="CL-SCALE", kind="construction_land_scale", name_zh="建设用地规模指标",
    name_en="Planned construction-land scale", unit="mu", tick_size=Decimal("100.00"),
    lot_size=Decimal("0.01"), deposit_ratio=Decimal("0.2"), settlement_days=15, fee_bps=30,
    guide_price=Decimal("400000.00"), floor_price=Decimal("200000.00"),
    price_band=Decimal("0.2"), trading_mode="continuous", status="open",
    cross_city_allowed=False, forfeit_to="seller", local_first_days=0, city_first_days=0,
    next_priority=1,
)
TERMS = ("tick_size", "lot_size", "deposit_ratio", "settlement_days", "fee_bps",
         "guide_price", "floor_price", "price_band", "trading_mode", "cross_city_allowed",
         "forfeit_to", "local_first_days", "city_first_days")


def _term_columns():
    return [
        sa.Column("tick_size", models.base.Money(), nullable=False),
        sa.Column("lot_size", models.base.Quantity(), nullable=False),
        sa.Column("deposit_ratio", models.base.Ratio(), nullable=False),
        sa.Column("settlement_days", sa.Integer(), nullable=False),
        sa.Column("fee_bps", sa.Integer(), nullable=False),
        sa.Column("guide_price", models.base.Money(), nullable=True),
        sa.Column("floor_price", models.base.Money(), nullable=True),
        sa.Column("price_band", models.base.Ratio(), nullable=True),
        sa.Column("trading_mode", sa.String(length=16), nullable=False),
        sa.Column("cross_city_allowed", sa.Boolean(), nullable=False),
        sa.Column("forfeit_to", sa.String(length=8), nullable=False),
        sa.Column("local_first_days", sa.Integer(), nullable=False),
        sa.Column("city_first_days", sa.Integer(), nullable=False),
    ]


def upgrade():
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_instruments_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_instruments_kind"), f"kind IN ({NEW_KINDS})")
        batch_op.create_check_constraint(op.f("ck_instruments_forfeit_to"),
                                         "forfeit_to IN ('seller', 'fees')")
        batch_op.create_check_constraint(
            op.f("ck_instruments_scope_windows"),
            "local_first_days >= 0 AND city_first_days >= 0")

    op.create_table(
        "instrument_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changed_by_user_id", sa.Integer(), nullable=True),
        *_term_columns(),
        sa.ForeignKeyConstraint(["instrument_id"], ["instruments.id"],
                                name=op.f("fk_instrument_terms_instrument_id_instruments")),
        sa.ForeignKeyConstraint(["changed_by_user_id"], ["users.id"],
                                name=op.f("fk_instrument_terms_changed_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_terms")),
    )
    with op.batch_alter_table("instrument_terms", schema=None) as batch_op:
        batch_op.create_index("ix_instrument_terms_in_force", ["instrument_id", "valid_from"],
                              unique=False)

    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("quantity", models.base.Quantity(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'met', 'short')",
                           name=op.f("ck_obligations_status")),
        sa.CheckConstraint(f"kind IN ({NEW_KINDS})", name=op.f("ck_obligations_kind")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_obligations_quantity_positive")),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_obligations_period_order")),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"],
                                name=op.f("fk_obligations_district_id_districts")),
        sa.ForeignKeyConstraint(["instrument_id"], ["instruments.id"],
                                name=op.f("fk_obligations_instrument_id_instruments")),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"],
                                name=op.f("fk_obligations_created_by_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligations")),
    )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_obligations_district_id"), ["district_id"],
                              unique=False)
        batch_op.create_index("ix_obligations_status_end", ["status", "period_end"],
                              unique=False)

    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=16), nullable=False,
                                      server_default="project"))
        batch_op.add_column(sa.Column("allocation_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("document_number", sa.String(length=64), nullable=True))
        batch_op.create_check_constraint(op.f("ck_lots_source"),
                                         "source IN ('project', 'allocation')")

    with op.batch_alter_table("retirements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("obligation_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_retirements_obligation_id"), ["obligation_id"],
                              unique=False)
        batch_op.create_foreign_key(op.f("fk_retirements_obligation_id_obligations"),
                                    "obligations", ["obligation_id"], ["id"])

    instruments = sa.table("instruments", *[sa.column(name, type_) for name, type_ in (
        ("id", sa.Integer()), ("code", sa.String()), ("kind", sa.String()),
        ("name_zh", sa.String()), ("name_en", sa.String()), ("unit", sa.String()),
        ("tick_size", models.base.Money()), ("lot_size", models.base.Quantity()),
        ("deposit_ratio", models.base.Ratio()), ("settlement_days", sa.Integer()),
        ("fee_bps", sa.Integer()), ("guide_price", models.base.Money()),
        ("floor_price", models.base.Money()), ("price_band", models.base.Ratio()),
        ("trading_mode", sa.String()), ("status", sa.String()),
        ("cross_city_allowed", sa.Boolean()), ("forfeit_to", sa.String()),
        ("local_first_days", sa.Integer()), ("city_first_days", sa.Integer()),
        ("next_priority", sa.Integer()))])
    op.bulk_insert(instruments, [CONSTRUCTION_SCALE])
    terms = sa.table("instrument_terms", sa.column("instrument_id", sa.Integer()),
                     sa.column("valid_from", models.base.UTCDateTime()),
                     *[sa.column(c.name, c.type) for c in _term_columns()])
    rows = op.get_bind().execute(
        sa.select(instruments.c.id, *[instruments.c[name] for name in TERMS])).mappings()
    op.bulk_insert(terms, [{"instrument_id": row["id"], "valid_from": RECORDS_BEGAN,
                            **{name: row[name] for name in TERMS}} for row in rows])


def downgrade():
    # Refused (foreign keys) while lots or obligations of the new instrument exist.
    op.execute("DELETE FROM instrument_terms")
    with op.batch_alter_table("retirements", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_retirements_obligation_id_obligations"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_retirements_obligation_id"))
        batch_op.drop_column("obligation_id")
    with op.batch_alter_table("lots", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_lots_source"), type_="check")
        batch_op.drop_column("document_number")
        batch_op.drop_column("allocation_reason")
        batch_op.drop_column("source")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_status_end")
        batch_op.drop_index(batch_op.f("ix_obligations_district_id"))
    op.drop_table("obligations")
    with op.batch_alter_table("instrument_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_instrument_terms_in_force")
    op.drop_table("instrument_terms")
    op.execute("DELETE FROM instruments WHERE code = 'CL-SCALE'")
    with op.batch_alter_table("instruments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_instruments_scope_windows"), type_="check")
        batch_op.drop_constraint(op.f("ck_instruments_forfeit_to"), type_="check")
        batch_op.drop_constraint(op.f("ck_instruments_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_instruments_kind"), f"kind IN ({OLD_KINDS})")
