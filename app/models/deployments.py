"""Deployments: a method being taken into use in a unit, with the history of its phases."""

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.phases import PHASES  # noqa: F401  (re-exported: app.models.deployments.PHASES)
from app.models.base import Base, SyncedMixin
from app.models.methods import Method
from app.models.units import Unit


class Deployment(SyncedMixin, Base):
    __tablename__ = "deployments"

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), nullable=False, index=True)
    method_id: Mapped[str] = mapped_column(ForeignKey("methods.id"), nullable=False, index=True)
    phase: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    phase_since: Mapped[dt.date] = mapped_column(Date, nullable=False)
    professionals_trained: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    pilot_start: Mapped[dt.date | None] = mapped_column(Date)
    pilot_end: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    unit: Mapped[Unit] = relationship(lazy="joined")
    method: Mapped[Method] = relationship(lazy="joined")


class PhaseChange(SyncedMixin, Base):
    """One phase a deployment entered, and on which day (kept when the phase moves on)."""

    __tablename__ = "deployment_phases"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), nullable=False, index=True)
    phase: Mapped[str] = mapped_column(String(16), nullable=False)
    changed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # Why a deployment paused or ended (app.core.phases.STOP_REASONS; "" for other phases), and in words.
    reason: Mapped[str] = mapped_column(String(32), nullable=False, default="", server_default="")
    reason_text: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
