"""Events: workshops, support meetings, guidance and peer groups…, with attendance per unit."""

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

EVENT_TYPES = (
    "workshop",
    "support_meeting",
    "guidance_group",
    "peer_mentoring",
    "management_sparring",
    "network_meeting",
    "training",
    "other",
)
EVENT_STATUSES = ("planned", "held", "cancelled")


class Event(SyncedMixin, Base):
    __tablename__ = "events"
    # Covering (migration 0006): the dashboard's contacts and the annual plan's month
    # counts read a date range from the index alone, never a table row per event.
    __table_args__ = (Index("ix_events_date_live", "date", "deleted", "status", "type", "theme", "id"),)

    type: Mapped[str] = mapped_column(String(24), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    theme: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    # Europe/Helsinki wall time: a workshop at 9.00 stays at 9.00 across a DST change.
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    remote: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned", index=True)
    series_id: Mapped[str | None] = mapped_column(String(36), index=True)  # a recurring group's events share it
    # Average feedback 1–5 in hundredths (430 = 4,3): whole numbers only, in the database and in exports.
    feedback_avg_centi: Mapped[int | None] = mapped_column(Integer)
    feedback_count: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class EventUnit(SyncedMixin, Base):
    """A unit an event concerns, with its attendance by role (None until known)."""

    __tablename__ = "event_attendance"
    __table_args__ = (Index("ix_event_attendance_event_live", "event_id", "deleted", "unit_id"),)  # covering (0006)

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), nullable=False)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    professionals: Mapped[int | None] = mapped_column(Integer)
    supervisors: Mapped[int | None] = mapped_column(Integer)
    others: Mapped[int | None] = mapped_column(Integer)


class EventMethod(SyncedMixin, Base):
    __tablename__ = "event_methods"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), nullable=False, index=True)
    method_id: Mapped[str] = mapped_column(ForeignKey("methods.id"), nullable=False, index=True)
