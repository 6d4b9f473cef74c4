"""Goals agreed with the county's actors, and their dated progress."""

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
    # A goal may point at an indicator (free-text goals keep metric only). direction says which way
    # is better for every goal, so 20 days against a 13-day target is not 154 %.
    indicator_id: Mapped[str | None] = mapped_column(ForeignKey("indicators.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8), nullable=False, default="higher", server_default="higher")
    days: Mapped[int | None] = mapped_column(Integer)  # "started within N days": the goal's parameter
    counted_from: Mapped[dt.date | None] = mapped_column(Date)  # additive indicators: months summed from here


class GoalUpdate(SyncedMixin, Base):
    __tablename__ = "goal_updates"

    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"), nullable=False, index=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
