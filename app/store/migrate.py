"""Alembic, driven from code: the app upgrades the user's database itself."""

from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine

from app.paths import PACKAGE_DIR

MIGRATIONS_DIR = PACKAGE_DIR / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Dated file names keep the versions folder in the order they were written.
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    return script().get_current_head()


def is_known(revision: str) -> bool:
    try:
        return script().get_revision(revision) is not None
    except CommandError:
        return False


def current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade to head in one transaction, foreign keys off as SQLite batch mode needs."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        # Outside any transaction, or SQLite ignores it: batch mode copies and
        # drops tables, which with foreign keys on would cascade or fail.
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise RuntimeError(f"migration left dangling references: {problems[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
