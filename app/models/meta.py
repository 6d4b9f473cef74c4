"""The coordinator's profile and the app's own settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
