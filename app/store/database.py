"""The Store: one data directory's database, opened, checked, backed up, upgraded, restored
(app.store's text says how). The package imports this module only when one of its names is used."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.models import Setting, read_setting
from app.store import CHANGED_KEY, DB_NAME, backups, migrate
from app.store.disk import create_private, folder_problem, make_dir, make_private, problem
from app.store.engine import IMMEDIATE, make_engine
from app.store.errors import (
    BadBackup,
    DatabaseDamaged,
    DatabaseTooNew,
    DiskFull,
    FolderNotWritable,
    StoreError,
)
from app.store.files import EarlyInspection, copy_database, has_data, inspect_file

log = logging.getLogger(__name__)


@contextmanager
def write(session: Session):
    """One unit of work: commit on success, roll back on any error."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _track_changes(session: Session, _flush_context, _instances) -> None:
    """Remember when data last changed, so start-up knows whether to back up."""
    touched = [o for o in (*session.new, *session.dirty, *session.deleted) if not isinstance(o, Setting)]
    if touched:
        now = dt.datetime.now(dt.UTC).isoformat()
        session.merge(Setting(key=CHANGED_KEY, value=now))


class Store:
    """The data of one data directory.

    Session: reads, and writes that need not wait (its transactions begin deferred).
    WriteSession: every write path (its transactions begin IMMEDIATE): it waits up to the
    busy timeout for another program's write to end, then raises DatabaseBusy with
    nothing written.
    """

    def __init__(self, data_dir: Path, busy_timeout_ms: int | None = None):
        self.data_dir = data_dir
        self.db_path = data_dir / DB_NAME
        self.backups_dir = data_dir / "backups"
        self.busy_timeout_ms = busy_timeout_ms  # None: app.store.engine's default
        self.engine: Engine | None = None
        self.Session: sessionmaker[Session] | None = None
        self.WriteSession: sessionmaker[Session] | None = None

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, busy_timeout_ms: int | None = None, early: EarlyInspection | None = None) -> Store:
        """`early`: the file's check, started by the caller before its own set-up (create_app)."""
        store = cls(data_dir, busy_timeout_ms)
        store._open(early if early is not None and early.path == store.db_path else None)
        return store

    @classmethod
    def attach(cls, data_dir: Path, busy_timeout_ms: int | None = None) -> Store:
        """Connect to a database that a running Koordi has opened (checked and upgraded).

        For commands that may run beside the app (`koordi export`): no start-up backup,
        no upgrade. Refuses a file whose schema is not this app's.
        """
        store = cls(data_dir, busy_timeout_ms)
        state = inspect_file(store.db_path)
        if not state.ok and state.folder is not None:
            raise state.folder  # a full disk, not damage
        if not state.ok:
            raise DatabaseDamaged(store.db_path, state.detail, backups.newest_good_backup(store.backups_dir))
        if state.revision != migrate.head():
            raise DatabaseTooNew(store.db_path, state.revision or "-")
        store._connect()
        return store

    def _open(self, early: EarlyInspection | None = None) -> None:
        # The early checks are waited for before anything else: nothing below may run beside
        # their connection. A folder Koordi cannot write in (a read-only disk, a full one) is
        # named first: SQLite's words for it ("unable to open database file", "disk I/O error")
        # would blame the data.
        probed, trouble = early.folder_trouble() if early is not None else (False, None)
        checked = early.result() if early is not None else None
        if not probed:
            trouble = folder_problem(self.data_dir)
        if trouble is not None:
            raise trouble
        for folder in (self.backups_dir, self.data_dir):  # backups, and a restore's staged copy
            backups.remove_stale_parts(folder)
        existed = has_data(self.db_path)
        state = None
        if existed:
            state = checked if checked is not None else inspect_file(self.db_path)
            if not state.ok and state.folder is not None:
                raise state.folder  # no room for SQLite's shared-memory file: the disk, not the data
            if not state.ok:
                raise DatabaseDamaged(self.db_path, state.detail, backups.newest_good_backup(self.backups_dir))
            if state.revision and not migrate.is_known(state.revision):
                raise DatabaseTooNew(self.db_path, state.revision)
        created = not self.db_path.exists()
        if created:
            create_private(self.db_path)  # SQLite gives its -wal and -shm the same mode
        for suffix in ("", "-wal", "-shm"):  # files of a version that made them readable to all
            make_private(self.db_path.with_name(self.db_path.name + suffix))
        try:
            self._upgrade_or_back_up(existed, state)
        except (OSError, sqlite3.Error, DBAPIError) as exc:
            worded = problem(exc, self.data_dir)
            if worded is None:
                raise
            self._give_up(created)
            raise worded from exc
        except (DiskFull, FolderNotWritable):  # a backup that found the disk full: worded, nothing left of it
            self._give_up(created)
            raise

    def _upgrade_or_back_up(self, existed: bool, state) -> None:
        self._connect()
        assert self.engine is not None
        if not existed:
            migrate.upgrade(self.engine)
            log.info("new database created at %s", self.db_path)
        elif state.revision != migrate.head():
            self.backup("pre-upgrade")
            migrate.upgrade(self.engine)
            log.info("database upgraded from %s to %s", state.revision, migrate.head())
        elif self.changed_since_last_backup():
            self.backup("start")

    def _give_up(self, created: bool) -> None:
        """Close after a start that could not write; a database this start created holds nothing: remove it."""
        if self.engine is not None:
            self.engine.dispose()
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    self.db_path.with_name(self.db_path.name + suffix).unlink(missing_ok=True)

    def _connect(self) -> None:
        self.engine = make_engine(self.db_path, self.busy_timeout_ms)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)
        # The same pool; only the BEGIN differs (app.store.engine).
        self.WriteSession = sessionmaker(self.engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False)
        for maker in (self.Session, self.WriteSession):
            event.listen(maker, "before_flush", _track_changes)

    def dispose(self) -> None:
        """Close every pooled connection: Windows cannot replace an open file."""
        if self.engine is not None:
            try:
                with self.engine.connect() as conn:
                    # SQLite's advice for long-lived apps: refresh planner statistics at close.
                    conn.exec_driver_sql("PRAGMA optimize")
            except Exception:  # never let housekeeping block a restore or a quit
                log.warning("PRAGMA optimize failed at close", exc_info=True)
            self.engine.dispose()

    # -- facts -------------------------------------------------------------
    def revision(self) -> str | None:
        assert self.engine is not None  # the store is open
        with self.engine.connect() as conn:
            return migrate.current(conn)

    def setting(self, key: str, default: str | None = None) -> str | None:
        assert self.Session is not None  # the store is open
        with self.Session() as s:
            return read_setting(s, key, default)

    def set_setting(self, key: str, value: str) -> None:
        assert self.WriteSession is not None  # the store is open
        with self.WriteSession() as s, write(s):
            s.merge(Setting(key=key, value=value))

    def changed_since_last_backup(self) -> bool:
        changed = self.setting(CHANGED_KEY)
        if changed is None:
            return False
        newest = backups.list_backups(self.backups_dir)
        return not newest or dt.datetime.fromisoformat(changed) > newest[0].taken_at

    # -- backups -----------------------------------------------------------
    def backup(self, reason: str = "manual") -> backups.Backup:
        return backups.take_backup(self.db_path, self.backups_dir, reason)

    def list_backups(self) -> list[backups.Backup]:
        return backups.list_backups(self.backups_dir)

    def restore(self, source: Path) -> None:
        """Replace the database with a backup, keeping a copy of what was there."""
        self.dispose()
        restore_file(self.data_dir, source)
        self._connect()
        assert self.engine is not None
        if self.revision() != migrate.head():
            migrate.upgrade(self.engine)


def restore_file(data_dir: Path, source: Path) -> None:
    """Restore without an open Store: the path the CLI and the recovery page use."""
    source = Path(source)
    if not source.is_file():
        raise BadBackup(source, "no such file")
    state = inspect_file(source, full=True)
    if not state.ok:
        raise BadBackup(source, state.detail)
    if state.revision and not migrate.is_known(state.revision):
        raise DatabaseTooNew(source, state.revision)
    trouble = folder_problem(data_dir)
    if trouble is not None:
        raise trouble
    db_path = data_dir / DB_NAME
    backups_dir = data_dir / "backups"
    if db_path.exists():
        if inspect_file(db_path).ok:
            try:
                backups.take_backup(db_path, backups_dir, "pre-restore")
            except (StoreError, sqlite3.Error) as exc:
                # A file SQLite reads but will not copy as a database (a damaged header asking
                # for a newer write format makes every copy read-only): when the folder itself
                # is writable, its bytes are kept as they are, as for any damaged file.
                if folder_problem(backups_dir) is not None:
                    raise
                log.warning("pre-restore backup failed (%s); keeping the file's bytes instead", type(exc).__name__)
                _keep_damaged(db_path, backups_dir)
        else:
            _keep_damaged(db_path, backups_dir)
    staged = db_path.with_name(db_path.name + ".restoring")
    copy_database(source, staged)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    staged.replace(db_path)
    log.info("restored %s from %s", db_path, source)


def _keep_damaged(db_path: Path, backups_dir: Path) -> None:
    """A damaged file cannot go through the backup API; keep its bytes as they are, for support.

    All of it or none: a copy cut short by a full disk is removed, and the restore stops there.
    """
    keep = backups_dir / f"damaged-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}"
    try:
        make_dir(keep)
        for suffix in ("", "-wal", "-shm"):
            part = db_path.with_name(db_path.name + suffix)
            if part.exists():
                shutil.copy2(part, keep / part.name)
    except OSError as exc:
        shutil.rmtree(keep, ignore_errors=True)
        worded = problem(exc, backups_dir)
        if worded is None:
            raise
        raise worded from exc
