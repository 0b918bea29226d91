"""A regulator's jurisdiction: the district subtree it sees and acts in.

A regulator with a district (a city bureau, a provincial department) sees accounts, lots,
orders, settlements, alerts and reports only where a party or the origin lies in that
district's subtree; outside it, objects are 404 as they are for traders. A regulator without
a district, and an admin, is a national role and sees everything. Traders are not scoped here:
they see only their own account's objects.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, or_, select, true

from market.errors import Forbidden
from market.services.catalogue import DistrictTree
from models import Account, User


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


    def accounts(self):
        """A subquery of the ids of the accounts inside."""
        return select(Account.id).where(self.where(Account.district_id)).scalar_subquery()

    def parties(self, *account_columns) -> ColumnElement[bool]:
        """An SQL condition: any of these account-id columns is an account inside."""
        if self.national:
            return true()
        inside = self.accounts()
        return or_(*(column.in_(inside) for column in account_columns))


EVERYWHERE = Jurisdiction(None)


def parties_visible_to(actor: User, *account_columns) -> ColumnElement[bool]:
    """An SQL condition on a row's party columns: a trader's own account is a party, or, for
    an official, a party sits in its jurisdiction."""
    if actor.role == "trader":
        return or_(*(column == actor.account_id for column in account_columns))
    return jurisdiction_of(actor).parties(*account_columns)


def require_national(actor: User, what: str) -> None:
    """Refuse (403) an official with a jurisdiction something only national roles see."""
    if not jurisdiction_of(actor).national:
        raise Forbidden(lazy_gettext("%(what)s is open to national regulators and admins only",
                                     what=what))


def jurisdiction_of(actor: User) -> Jurisdiction:
    """What an official oversees: a regulator's district subtree, or everywhere."""
    if actor.role != "regulator" or actor.district_id is None:
        return EVERYWHERE
    return Jurisdiction(frozenset(DistrictTree().descendants(actor.district_id)))
