"""surveillance floors as settings: concentration_min_trades, cancel_fill_min_cancels

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

"""
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

NEW_KEYS = ("concentration_min_trades", "cancel_fill_min_cancels")

settings = sa.table("surveillance_settings", sa.column("key", sa.String),
                    sa.column("value", models.base.Quantity()),
                    sa.column("description", sa.String))


def upgrade():
    from models.reference_data import SURVEILLANCE_SETTINGS

    op.bulk_insert(settings, [{"key": key, "value": Decimal(value), "description": text}
                              for key, value, text in SURVEILLANCE_SETTINGS if key in NEW_KEYS])


def downgrade():
    op.execute(settings.delete().where(settings.c.key.in_(NEW_KEYS)))
