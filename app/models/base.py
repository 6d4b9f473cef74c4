"""Declarative base, UTC timestamps, and the mixin every synced record uses."""

import datetime as dt
import uuid

from sqlalchemy import Boolean, DateTime, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so Alembic batch migrations on SQLite can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in Python, naive UTC in the database.

    SQLite has no time zones; storing naive UTC everywhere and re-attaching UTC
    on the way out keeps comparisons and exports ("...Z") unambiguous.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedMixin:
    """UUID id, created/updated timestamps (UTC) and a soft-delete flag.

    Every record that travels to the central office uses this, so that an
    export can carry changes since a date and deletions as tombstones, and
    merges can match rows across laptops by id.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False, index=True)
    # Not indexed on its own: nearly every row has deleted = 0, and without ANALYZE
    # statistics SQLite would pick that index over a selective one (unit_id = ?).
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    def soft_delete(self) -> None:
        self.deleted = True

    def undelete(self) -> None:
        self.deleted = False
