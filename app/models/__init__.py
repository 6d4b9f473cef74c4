"""All models, imported here so that Alembic and the app see one metadata."""

from app.models.base import Base, SyncedMixin, utcnow
from app.models.meta import CoordinatorProfile, Setting

__all__ = ["Base", "SyncedMixin", "utcnow", "CoordinatorProfile", "Setting"]
