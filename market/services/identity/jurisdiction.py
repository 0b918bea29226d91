"""A regulator's jurisdiction: the district subtree it sees and acts in.

A regulator with a district (a city bureau, a provincial department) sees accounts, lots,
orders, settlements, alerts and reports only where a party or the origin lies in that
district's subtree; outside it, objects are 404 as they are for traders. A regulator without
a district, and an admin, is a national role and sees everything. Traders are not scoped here:
they see only their own account's objects.
"""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, true

from market.services.catalogue import DistrictTree
from models import User


@dataclass(frozen=True)
class Jurisdiction:
    """The district ids an official oversees; `None` means everywhere."""

    district_ids: frozenset[int] | None

    @property
    def national(self) -> bool:
        """Whether it covers every district."""
        return self.district_ids is None

    def covers(self, *district_ids: int | None) -> bool:
        """Whether any of these districts lies inside."""
        return self.national or any(d in self.district_ids for d in district_ids)

    def where(self, *columns) -> ColumnElement[bool]:
        """An SQL condition: any of these district-id columns lies inside."""
        if self.national:
            return true()
        ids = sorted(self.district_ids)
        condition = columns[0].in_(ids)
        for column in columns[1:]:
            condition = condition | column.in_(ids)
        return condition


EVERYWHERE = Jurisdiction(None)


def jurisdiction_of(actor: User) -> Jurisdiction:
    """What an official oversees: a regulator's district subtree, or everywhere."""
    if actor.role != "regulator" or actor.district_id is None:
        return EVERYWHERE
    return Jurisdiction(frozenset(DistrictTree().descendants(actor.district_id)))
