"""Follow-up surveys: the editable catalogue of instruments, and survey rounds with their
results as counts per answer option per item (or item means and n, where a tool gives only
those). Never individual answers: a survey tool's file is aggregated on arrival.

The domain types the scoring reads are app.core.instruments; `to_instrument` turns the
catalogue's rows into one.
"""

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import instruments as core
from app.models.base import Base, SyncedMixin
from app.models.methods import Method
from app.models.units import Unit

INSTRUMENT_KINDS = tuple(k.value for k in core.Kind)
SCALES = tuple(s.value for s in core.Scale)
TOOLS = ("zef", "webropol", "limesurvey", "forms", "paper", "other")
POINTS_MIN, POINTS_MAX = 2, 11


class Instrument(SyncedMixin, Base):
    __tablename__ = "instruments"

    key: Mapped[str | None] = mapped_column(String(64), unique=True)  # seeded entries only
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name_fi: Mapped[str] = mapped_column(String(200), nullable=False)
    name_sv: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    name_en: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    items: Mapped[list["InstrumentItem"]] = relationship(
        order_by="InstrumentItem.position",
        primaryjoin="and_(Instrument.id == InstrumentItem.instrument_id, InstrumentItem.deleted.is_(False))",
        viewonly=True,
    )

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


class InstrumentItem(SyncedMixin, Base):
    __tablename__ = "instrument_items"
    __table_args__ = (Index("ix_instrument_items_instrument_live", "instrument_id", "deleted", "position"),)

    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), nullable=False)
    code: Mapped[str] = mapped_column(String(32), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    group_key: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    scale: Mapped[str] = mapped_column(String(16), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False, default=5)
    reversed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    not_applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    label_fi: Mapped[str] = mapped_column(String(300), nullable=False)
    label_sv: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    label_en: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    # The wording the coordinator's own survey used, pasted: matched when a survey file is read.
    wording: Mapped[str] = mapped_column(Text, nullable=False, default="")

    def label(self, lang: str) -> str:
        return {"sv": self.label_sv, "en": self.label_en}.get(lang) or self.label_fi


class SurveyRound(SyncedMixin, Base):
    """One survey round: an instrument asked in one unit (or a method across several units)."""

    __tablename__ = "survey_rounds"
    __table_args__ = (Index("ix_survey_rounds_date_live", "date", "deleted"),)

    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), nullable=False, index=True)
    method_id: Mapped[str | None] = mapped_column(ForeignKey("methods.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    invited: Mapped[int | None] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    tool: Mapped[str] = mapped_column(String(16), nullable=False, default="other")
    means_only: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # A round under 5 respondents stays on this laptop unless the coordinator ticks this.
    share_small: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")

    instrument: Mapped[Instrument] = relationship(lazy="joined")
    method: Mapped[Method | None] = relationship(lazy="joined")


class SurveyRoundUnit(SyncedMixin, Base):
    __tablename__ = "survey_round_units"
    __table_args__ = (
        Index("ix_survey_round_units_round_live", "round_id", "deleted", "unit_id"),
        Index("ix_survey_round_units_unit_live", "unit_id", "deleted", "round_id"),
    )

    round_id: Mapped[str] = mapped_column(ForeignKey("survey_rounds.id"), nullable=False)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), nullable=False)

    unit: Mapped[Unit] = relationship(lazy="joined")


class SurveyCount(SyncedMixin, Base):
    """How many answered `option` to one item in one round."""

    __tablename__ = "survey_counts"
    __table_args__ = (Index("ix_survey_counts_round_live", "round_id", "deleted", "item_id", "option"),)

    round_id: Mapped[str] = mapped_column(ForeignKey("survey_rounds.id"), nullable=False)
    item_id: Mapped[str] = mapped_column(ForeignKey("instrument_items.id"), nullable=False, index=True)
    option: Mapped[str] = mapped_column(String(16), nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SurveyMean(SyncedMixin, Base):
    """An item's mean and n, where the survey tool gave only those ("means only")."""

    __tablename__ = "survey_means"
    __table_args__ = (Index("ix_survey_means_round_live", "round_id", "deleted", "item_id"),)

    round_id: Mapped[str] = mapped_column(ForeignKey("survey_rounds.id"), nullable=False)
    item_id: Mapped[str] = mapped_column(ForeignKey("instrument_items.id"), nullable=False, index=True)
    mean_milli: Mapped[int] = mapped_column(Integer, nullable=False)  # the mean × 1000, on the item's own scale
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class SurveySkip(SyncedMixin, Base):
    """A due round closed as not done, and why ("not done, because…")."""

    __tablename__ = "survey_skips"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), nullable=False, index=True)
    due_key: Mapped[str] = mapped_column(String(32), nullable=False)  # usability-1 | usability-5 | nomad-YYYY-MM
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


def to_instrument(row: Instrument) -> core.Instrument:
    """The catalogue's row as the scoring and the survey-file reader see it."""
    items = tuple(
        core.Item(
            code=i.code,
            group=i.group_key,
            scale=core.Scale(i.scale),
            points=i.points,
            reversed=i.reversed,
            not_applicable=i.not_applicable,
            labels={"fi": i.label_fi, "sv": i.label_sv, "en": i.label_en, "wording": i.wording},
        )
        for i in row.items
    )
    return core.Instrument(
        key=row.key or row.id,
        kind=core.Kind(row.kind),
        items=items,
        names={"fi": row.name_fi, "sv": row.name_sv, "en": row.name_en},
    )
