"""All models, imported here so that Alembic and the app see one metadata.

The model modules do without `from __future__ import annotations`: their `Mapped[...]` annotations
are then objects when each class is made, where as strings SQLAlchemy would eval() every one of the
~500 at each start (a third of the models' 0.15 s; issue 17). A class named before it is defined is
written as a string, as in `Mapped[list["InstrumentItem"]]`.
"""

from sqlalchemy import ColumnElement, Table, select, true

from app.models.base import Base, SyncedMixin, utcnow
from app.models.deployments import Deployment, PhaseChange
from app.models.events import Event, EventMethod, EventUnit
from app.models.goals import Goal, GoalUpdate
from app.models.guidance import GuidanceSession, SessionTrainee, Trainee
from app.models.indicators import Indicator, MonthlyFigure
from app.models.meta import CoordinatorProfile, Setting, current_profile, read_setting
from app.models.methods import Method
from app.models.surveys import (
    Instrument,
    InstrumentItem,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    SurveySkip,
)
from app.models.sync import SyncRecord
from app.models.units import Unit


def not_seeded(table: Table) -> ColumnElement[bool]:
    """Rows of `table` the coordinator made (the seeded catalogues every install starts with are
    not "records": an install holding only them is empty)."""
    if "key" in table.c and table.name in ("methods", "instruments", "indicators"):
        return table.c.key.is_(None)
    if table.name == "instrument_items":
        seeded = Instrument.__table__
        return table.c.instrument_id.not_in(select(seeded.c.id).where(seeded.c.key.is_not(None)))
    return true()


__all__ = [
    "Base",
    "SyncedMixin",
    "utcnow",
    "CoordinatorProfile",
    "Setting",
    "current_profile",
    "read_setting",
    "Unit",
    "Method",
    "Deployment",
    "PhaseChange",
    "Event",
    "EventUnit",
    "EventMethod",
    "Trainee",
    "GuidanceSession",
    "SessionTrainee",
    "Goal",
    "GoalUpdate",
    "SyncRecord",
    "Instrument",
    "InstrumentItem",
    "SurveyRound",
    "SurveyRoundUnit",
    "SurveyCount",
    "SurveyMean",
    "SurveySkip",
    "Indicator",
    "MonthlyFigure",
    "not_seeded",
]
