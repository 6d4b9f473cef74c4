"""The coordinator profile, the language, and where files are saved."""

from app.settings import deleted_views  # noqa: F401 - adds its page to bp
from app.settings.views import bp

__all__ = ["bp"]
