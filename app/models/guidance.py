"""Method guidance (menetelmäohjaus): trainees and the sessions they attend."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin, UTCDateTime

SESSION_KINDS = ("group", "individual")
SESSION_MODES = ("onsite", "remote")


class Trainee(SyncedMixin, Base):
    __tablename__ = "trainees"

    name: Mapped[str] = mapped_column(String(120), nullable=False)  # personal data
    name_key: Mapped[str] = mapped_column(String(120), nullable=False, index=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, default="")  # personal data
    profession: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    method_id: Mapped[str] = mapped_column(ForeignKey("methods.id"), nullable=False, index=True)
    cohort: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    # Right to erasure: personal fields blanked, counts and totals kept, the row exported.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class GuidanceSession(SyncedMixin, Base):
    __tablename__ = "guidance_sessions"
    __table_args__ = (
        # Covering (migrations 0004, 0006, 0010): "guidance hours this month / this year", the
        # sessions of a date range and the period report's split by method read the index
        # alone (bench scale: 136 ms -> 5 ms; the year by method 0.33 s -> 0.08 s).
        Index("ix_guidance_sessions_period", "date", "deleted", "duration_minutes", "method_id", "id"),
        # A session's date and length by its id, for a trainee's totals and the dashboard.
        Index("ix_guidance_sessions_id_live", "id", "deleted", "date", "duration_minutes"),
    )

    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    method_id: Mapped[str] = mapped_column(ForeignKey("methods.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="group")
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    mode: Mapped[str] = mapped_column(String(16), nullable=False, default="onsite")
    cases_discussed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # anonymous count
    topics: Mapped[str] = mapped_column(Text, nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), index=True)


class SessionTrainee(SyncedMixin, Base):
    """A trainee present at a guidance session."""

    __tablename__ = "guidance_attendance"
    # Covering (migration 0006): who was at a session, and which sessions a trainee attended.
    __table_args__ = (
        Index("ix_guidance_attendance_session_live", "session_id", "deleted", "trainee_id"),
        Index("ix_guidance_attendance_trainee_live", "trainee_id", "deleted", "session_id"),
    )

    session_id: Mapped[str] = mapped_column(ForeignKey("guidance_sessions.id"), nullable=False)
    trainee_id: Mapped[str] = mapped_column(ForeignKey("trainees.id"), nullable=False)
