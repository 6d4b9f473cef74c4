"""About, the log file, backups, recovery from a damaged database, second-launch focus."""

from app.system.routes import bp

__all__ = ["bp"]
