"""The coordinator's front page. Later features fill its sections."""

from app.dashboard.views import bp

__all__ = ["bp"]
