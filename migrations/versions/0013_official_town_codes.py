"""official town codes: 江阴市's towns get the statistics bureau's codes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

Revision 0002 seeded the towns of 江阴市 as the county code plus a running sequence
(320281001 … 320281018). The national statistics bureau (国家统计局) gives towns their own
nine-digit codes in its 统计用区划代码: streets 001–009, towns 100–112, development zones 4xx.
The codes below are its 2023 vintage (截止 2023-06-30, 发布 2023-09-11), as republished in
modood/Administrative-divisions-of-China dist/streets.csv (see the README).

Everything else refers to a district by its id (accounts, users, lots' origins), and a lot's
serial carries its county's code, so only the districts table changes. The old and new code
sets overlap (old 320281004 夏港街道 is new 320281004 南闸街道), so rows go through a
temporary code first. Each row is matched by its old code and its name, so a district renamed
or added since 0002 is left alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# (name, sequence code of 0002, official code, official name where ours was a short form)
TOWNS = [
    ("澄江街道", "320281001", "320281001", None),
    ("南闸街道", "320281002", "320281004", None),
    ("云亭街道", "320281003", "320281005", None),
    ("夏港街道", "320281004", "320281009", None),
    ("申港街道", "320281005", "320281007", None),
    ("利港街道", "320281006", "320281008", None),
    ("璜土镇", "320281007", "320281100", None),
    ("月城镇", "320281008", "320281102", None),
    ("青阳镇", "320281009", "320281103", None),
    ("徐霞客镇", "320281010", "320281104", None),
    ("华士镇", "320281011", "320281107", None),
    ("周庄镇", "320281012", "320281108", None),
    ("新桥镇", "320281013", "320281109", None),
    ("长泾镇", "320281014", "320281110", None),
    ("顾山镇", "320281015", "320281111", None),
    ("祝塘镇", "320281016", "320281112", None),
    ("高新区", "320281017", "320281400", "江阴高新技术产业开发区"),
    ("临港经济开发区", "320281018", "320281404", None),
]

districts = sa.table("districts", sa.column("code", sa.String), sa.column("name", sa.String))


def _move(steps):
    """Apply (old code, old name, new code, new name) through temporary codes."""
    for old, name, _new, _name in steps:
        op.execute(districts.update().where(districts.c.code == old, districts.c.name == name)
                   .values(code="tmp" + old))
    for old, name, new, new_name in steps:
        op.execute(districts.update().where(districts.c.code == "tmp" + old,
                                            districts.c.name == name)
                   .values(code=new, name=new_name))


def upgrade():
    _move([(old, name, new, official or name) for name, old, new, official in TOWNS])


def downgrade():
    _move([(new, official or name, old, name) for name, old, new, official in TOWNS])
