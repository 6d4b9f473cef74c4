"""About, the log file, backups, recovery from a damaged database, second-launch focus."""

from app.system.views import bp

__all__ = ["bp"]
