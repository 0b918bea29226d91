"""Administrative districts: province > city > county/district > town."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, one_of

DISTRICT_LEVELS = ("province", "city", "county", "town")


class District(Base):
    """An administrative unit with a GB/T 2260-style code."""

    __tablename__ = "districts"
    __table_args__ = (one_of("level", DISTRICT_LEVELS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)

    parent: Mapped["District | None"] = relationship(remote_side=[id], lazy="joined")

    def ancestor(self, level: str) -> "District | None":
        """This district or its nearest ancestor at `level` (None if it sits above it)."""
        node: District | None = self
        while node is not None and node.level != level:
            node = node.parent
        return node
