"""District look-ups shared by the use cases."""

from sqlalchemy import select

from market.errors import InvalidInput
from market.extensions import db
from models import District


def all_districts() -> list[District]:
    """Every district, parents before children."""
    return list(db.session.scalars(select(District).order_by(District.code)))


def by_code(code: str, field: str = "district_code") -> District:
    """The district with this code, or a 422 naming `field`."""
    district = db.session.scalar(select(District).where(District.code == code))
    if district is None:
        raise InvalidInput(field, f"unknown district code {code!r}", code="unknown_district")
    return district


def is_within(district: District, ancestor: District) -> bool:
    """True if `district` is `ancestor` or lies below it."""
    node: District | None = district
    while node is not None:
        if node.id == ancestor.id:
            return True
        node = node.parent
    return False
