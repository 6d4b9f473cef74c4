"""Alembic, driven from code: the app upgrades the user's database itself.

Alembic is imported only when the schema must change (a new or older database):
on an ordinary start the revision is compared with HEAD below, which keeps a
third of a second off every launch. tests/test_store.py proves HEAD equals the
head Alembic computes, so a new migration cannot forget to move it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from app.paths import PACKAGE_DIR
from app.store.engine import IMMEDIATE

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
HEAD = "0010"  # the newest revision in migrations/versions


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the search tables (FTS5 and its feed): raw SQL in their migration, not ORM models."""
    return not (type_ == "table" and name and name.startswith("search_"))


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Dated file names keep the versions folder in the order they were written.
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    return HEAD


def is_known(revision: str) -> bool:
    if revision == HEAD:
        return True
    from alembic.util import CommandError

    try:
        return script().get_revision(revision) is not None
    except CommandError:
        return False


def current(connection: Connection) -> str | None:
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Upgrade to head in one transaction, foreign keys off as SQLite batch mode needs."""
    from alembic import command

    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None  # None only once the connection is invalidated
        # Outside any transaction, or SQLite ignores it: batch mode copies and
        # drops tables, which with foreign keys on would cascade or fail.
        raw.execute("PRAGMA foreign_keys=OFF")
        conn.execution_options(**{IMMEDIATE: True})  # a write: wait for another writer at BEGIN
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
                problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if problems:
                    raise RuntimeError(f"migration left dangling references: {problems[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
