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

# The floors this revision adds, frozen here: (key, value, description).
NEW_SETTINGS = [
    ("concentration_min_trades", "5", "concentration is judged once a month has this many trades"),
    ("cancel_fill_min_cancels", "20", "cancel-to-fill is judged once a day has this many cancels"),
]
NEW_KEYS = tuple(key for key, _value, _text in NEW_SETTINGS)

settings = sa.table("surveillance_settings", sa.column("key", sa.String),
                    sa.column("value", models.base.Quantity()),
                    sa.column("description", sa.String))


def upgrade():
    op.bulk_insert(settings, [{"key": key, "value": Decimal(value), "description": text}
                              for key, value, text in NEW_SETTINGS])


def downgrade():
    op.execute(settings.delete().where(settings.c.key.in_(NEW_KEYS)))
