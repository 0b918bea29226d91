"""The district tree: province → city → county → town, read once per use and walked here.

Districts are reference data (a few hundred rows loaded by a migration), so every walk of
the tree — ancestors, descendants, "is this inside that" — reads it whole into memory once.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext
from sqlalchemy import select

from market.errors import InvalidInput
from market.extensions import db
from models import DISTRICT_LEVELS, District


@dataclass(frozen=True)
class Node:
    """One district as the tree holds it."""

    id: int
    code: str
    name: str
    level: str
    parent_id: int | None


class DistrictTree:
    """The whole district tree in memory."""

    def __init__(self):
        rows = db.session.execute(select(District.id, District.code, District.name,
                                         District.level, District.parent_id)).all()
        self.rows = {row.id: Node(*row) for row in rows}
        self.ids = {node.code: node.id for node in self.rows.values()}

    def ancestors(self, district_id: int):
        """The district itself, then its parent, up to the province."""
        node = self.rows.get(district_id)
        while node is not None:
            yield node
            node = self.rows.get(node.parent_id)

    def at_most(self, district_id: int, level: str) -> int:
        """The district's ancestor at `level`; itself if it already sits at or above it."""
        for node in self.ancestors(district_id):
            if DISTRICT_LEVELS.index(node.level) <= DISTRICT_LEVELS.index(level) \
                    or node.parent_id is None:
                return node.id
        raise KeyError(district_id)

    def within(self, district_id: int, ancestor_id: int) -> bool:
        """True if the district is `ancestor_id` or lies below it."""
        return any(node.id == ancestor_id for node in self.ancestors(district_id))

    def descendants(self, district_id: int) -> list[int]:
        """The district and every district below it."""
        return [node_id for node_id in self.rows if self.within(node_id, district_id)]

    def codes_by_level(self, district_id: int) -> dict[str, str]:
        """The codes of the district and its ancestors by level, e.g. {"city": "320200"}."""
        return {node.level: node.code for node in self.ancestors(district_id)}

    def code(self, district_id: int) -> str:
        """The district's code."""
        return self.rows[district_id].code

    def name(self, district_id: int) -> str:
        """The district's name."""
        return self.rows[district_id].name


def all_districts() -> list[District]:
    """Every district, parents before children."""
    return list(db.session.scalars(select(District).order_by(District.code)))


def district_for_input(code: str, field: str = "district_code") -> District:
    """The district with this code, or a 422 naming `field`."""
    district = db.session.scalar(select(District).where(District.code == code))
    if district is None:
        raise InvalidInput(field, lazy_gettext("unknown district code %(code)s", code=repr(code)),
                           code="unknown_district")
    return district
