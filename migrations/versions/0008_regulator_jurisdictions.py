"""regulators have a jurisdiction: users.district_id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

A regulator with a district sees and acts only within that district's subtree; one without
is a national role. Existing regulators stay national.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_district_id"), ["district_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_users_district_id_districts"), "districts",
                                    ["district_id"], ["id"])
        batch_op.create_check_constraint("only_regulators_have_a_jurisdiction",
                                         "role = 'regulator' OR district_id IS NULL")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("only_regulators_have_a_jurisdiction", type_="check")
        batch_op.drop_constraint(batch_op.f("fk_users_district_id_districts"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_users_district_id"))
        batch_op.drop_column("district_id")
