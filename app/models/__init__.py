"""All models, imported here so that Alembic and the app see one metadata."""

from app.models.base import Base, SyncedMixin, utcnow
from app.models.deployments import Deployment, PhaseChange
from app.models.events import Event, EventMethod, EventUnit
from app.models.goals import Goal, GoalUpdate
from app.models.guidance import GuidanceSession, SessionTrainee, Trainee
from app.models.meta import CoordinatorProfile, Setting, current_profile, read_setting
from app.models.methods import Method
from app.models.sync import SyncRecord
from app.models.units import Unit

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
]
