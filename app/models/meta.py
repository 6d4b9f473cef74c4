"""The coordinator's profile and the app's own settings."""

import datetime as dt

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, SyncedMixin, UTCDateTime, utcnow


class Setting(Base):
    """Key/value settings of this install (language, save folder...). Never exported."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CoordinatorProfile(SyncedMixin, Base):
    """Who this install belongs to. One row; its id identifies the coordinator in exports."""

    __tablename__ = "coordinator_profile"

    name: Mapped[str] = mapped_column(String(120), nullable=False)
    # therapy | intervention | both (app.core.geography.ROLES)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    # key of app.core.geography.COUNTIES
    county: Mapped[str] = mapped_column(String(32), nullable=False)
    central_office_email: Mapped[str] = mapped_column(String(254), nullable=False)


def current_profile(s: Session) -> CoordinatorProfile | None:
    """The one read of who this install belongs to (None before the first-run profile)."""
    return s.scalars(select(CoordinatorProfile).where(CoordinatorProfile.deleted.is_(False)).limit(1)).first()


def read_setting(s: Session, key: str, default: str | None = None) -> str | None:
    """The one read of a setting of this install."""
    row = s.get(Setting, key)
    return row.value if row else default
