"""Indicators (a catalogue, seeded with stable ids and editable) and the monthly figures a
coordinator reports for them, per unit × method or per unit.

A month without a live figure is "not reported", never zero: the grid leaves the cell empty and
every sum says how many months it covers.
"""

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.indicators import Direction, Measure
from app.models.base import Base, SyncedMixin

MEASURES = tuple(m.value for m in Measure)
DIRECTIONS = tuple(d.value for d in Direction)
MILLI = 1000  # values are stored as integer thousandths: 12,5 days -> 12500 (exact in every file and database)


class Indicator(SyncedMixin, Base):
    __tablename__ = "indicators"

    key: Mapped[str | None] = mapped_column(String(64), unique=True)  # seeded only (like methods.key)
    name_fi: Mapped[str] = mapped_column(String(200), nullable=False)
    name_sv: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    measure: Mapped[str] = mapped_column(String(16), nullable=False)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)
    additive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    per_method: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    takes_days: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi

    @property
    def has_base(self) -> bool:
        """Its figures carry n (the clients a median or share is of): a share pools by it."""
        return not self.additive and self.measure != Measure.COUNT.value


class MonthlyFigure(SyncedMixin, Base):
    """One indicator's value for one unit (× method) in one calendar month."""

    __tablename__ = "monthly_figures"
    __table_args__ = (
        Index("ix_monthly_figures_unit_month_live", "unit_id", "month", "deleted"),
        Index("ix_monthly_figures_indicator_month_live", "indicator_id", "month", "deleted"),
    )

    indicator_id: Mapped[str] = mapped_column(ForeignKey("indicators.id"), nullable=False)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), nullable=False)
    method_id: Mapped[str | None] = mapped_column(ForeignKey("methods.id"), index=True)  # None: the unit as a whole
    month: Mapped[dt.date] = mapped_column(Date, nullable=False)  # the month's first day
    days: Mapped[int | None] = mapped_column(Integer)  # the "within N days" of a takes_days indicator
    value_milli: Mapped[int] = mapped_column(Integer, nullable=False)
    n: Mapped[int | None] = mapped_column(Integer)  # what a median or share is of (clients), for pooling
