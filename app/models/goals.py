"""Goals agreed with the county's actors, and their dated progress."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncedMixin

GOAL_STATUSES = ("open", "achieved", "not_achieved", "dropped")


class Goal(SyncedMixin, Base):
    __tablename__ = "goals"

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    method_id: Mapped[str | None] = mapped_column(ForeignKey("methods.id"), index=True)
    metric: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    target_value: Mapped[int] = mapped_column(Integer, nullable=False)
    target_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open", index=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")


class GoalUpdate(SyncedMixin, Base):
    __tablename__ = "goal_updates"

    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"), nullable=False, index=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
