"""The coordinator profile, the language, and where files are saved."""

from app.settings.routes import bp

__all__ = ["bp"]
