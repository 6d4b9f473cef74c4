"""The data layer: migrations, pragmas, backups, rotation, restore, refusals."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from app.models import CoordinatorProfile
from app.store import DatabaseDamaged, DatabaseTooNew, EarlyInspection, Store, migrate, restore_file, write
from app.store.backups import list_backups, take_backup
from app.store.files import inspect_file


def add_profile(store: Store, name: str = "Anna") -> str:
    with store.Session() as s, write(s):
        p = CoordinatorProfile(name=name, role="therapy", county="kainuu", central_office_email="k@example.org")
        s.add(p)
    return p.id


def profile_names(store: Store) -> list[str]:
    with store.Session() as s:
        return [p.name for p in s.query(CoordinatorProfile).all()]


def test_new_database_is_migrated_to_head_with_safe_pragmas(data_dir: Path):
    store = Store.open(data_dir)
    assert store.revision() == migrate.head()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.dispose()


def test_head_constant_is_alembics_head():
    """migrate.HEAD spares Alembic's import at start; it must name the real head."""
    assert migrate.HEAD == migrate.script().get_current_head()


def test_migrations_run_up_from_empty_and_match_models(data_dir: Path):
    """Autogenerate against a migrated database finds nothing: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    store = Store.open(data_dir)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": migrate.include_object})
        diff = compare_metadata(ctx, Base.metadata)
    store.dispose()
    assert diff == []


def test_synced_rows_get_uuid_timestamps_and_soft_delete(data_dir: Path):
    store = Store.open(data_dir)
    pid = add_profile(store)
    with store.Session() as s, write(s):
        p = s.get(CoordinatorProfile, pid)
        created, first_update = p.created_at, p.updated_at
        assert len(p.id) == 36 and p.id.count("-") == 4
        assert created.tzinfo is dt.UTC
        p.soft_delete()
    with store.Session() as s:
        p = s.get(CoordinatorProfile, pid)
        assert p.deleted is True
        assert p.updated_at > first_update  # a tombstone is a change an export must carry
    store.dispose()


def test_write_rolls_back_everything_on_error(data_dir: Path):
    store = Store.open(data_dir)
    with pytest.raises(RuntimeError):
        with store.Session() as s, write(s):
            s.add(CoordinatorProfile(name="Half", role="therapy", county="kainuu", central_office_email="x@y.fi"))
            s.flush()
            raise RuntimeError("boom")
    assert profile_names(store) == []
    store.dispose()


def test_start_backs_up_only_when_data_changed(data_dir: Path):
    store = Store.open(data_dir)
    store.dispose()
    assert list_backups(data_dir / "backups") == []  # nothing to protect yet

    store = Store.open(data_dir)
    add_profile(store)
    store.dispose()
    store = Store.open(data_dir)  # data changed since the last backup → one at start
    store.dispose()
    taken = list_backups(data_dir / "backups")
    assert [b.reason for b in taken] == ["start"]

    store = Store.open(data_dir)  # nothing changed since
    store.dispose()
    assert len(list_backups(data_dir / "backups")) == 1


def test_backup_restore_round_trip_keeps_a_copy_of_what_was_replaced(data_dir: Path):
    store = Store.open(data_dir)
    add_profile(store, "Before")
    backup = store.backup("manual")
    with store.Session() as s, write(s):
        s.query(CoordinatorProfile).one().name = "After"
    store.restore(backup.path)
    assert profile_names(store) == ["Before"]
    pre = [b for b in store.list_backups() if b.reason == "pre-restore"]
    assert len(pre) == 1
    store.restore(pre[0].path)  # the restore itself can be undone
    assert profile_names(store) == ["After"]
    store.dispose()


def test_backup_is_a_self_contained_consistent_file(data_dir: Path):
    store = Store.open(data_dir)
    add_profile(store, "Äänekoski")
    backup = store.backup()
    assert not Path(str(backup.path) + "-wal").exists()
    state = inspect_file(backup.path, full=True)
    assert state.ok and state.revision == migrate.head()
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT name FROM coordinator_profile").fetchall() == [("Äänekoski",)]
    conn.close()
    store.dispose()


def _stamp_revision(db: Path, revision: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def test_newer_schema_is_refused_and_left_untouched(data_dir: Path):
    store = Store.open(data_dir)
    add_profile(store)
    store.dispose()
    db = data_dir / "koordi.sqlite3"
    _stamp_revision(db, "9999_from_the_future")
    before = db.read_bytes()
    with pytest.raises(DatabaseTooNew) as err:
        Store.open(data_dir)
    assert "9999_from_the_future" in err.value.describe(lambda m, **kw: m % kw)
    assert db.read_bytes() == before
    assert list_backups(data_dir / "backups") == []


def test_older_schema_is_backed_up_then_upgraded(data_dir: Path):
    """An install from before the latest migration: backup first, then upgrade."""
    store = Store.open(data_dir)
    add_profile(store, "Vanha")
    store.dispose()
    db = data_dir / "koordi.sqlite3"
    # Simulate the previous release: roll the schema back one step with Alembic itself.
    from alembic import command

    from app.store.engine import make_engine

    engine = make_engine(db)
    head = migrate.head()
    down = migrate.script().get_revision(head).down_revision
    if down is None:
        # Only one migration so far: an "older" database is an empty one at base.
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        sqlite3.connect(db).execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)").connection.commit()
        expected_names = []
    else:
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), down)
        expected_names = ["Vanha"]
    engine.dispose()
    store = Store.open(data_dir)
    assert store.revision() == head
    assert [b.reason for b in store.list_backups()][:1] == ["pre-upgrade"]
    assert profile_names(store) == expected_names
    store.dispose()


def _corrupt(db: Path) -> None:
    data = bytearray(db.read_bytes())
    # Scribble over the second page (the first table's b-tree), leave the header intact.
    page = 4096
    data[page : page + 512] = b"\xa5" * 512
    db.write_bytes(bytes(data))


def test_damaged_database_names_the_newest_good_backup(data_dir: Path):
    store = Store.open(data_dir)
    add_profile(store, "Hyvä")
    good = store.backup()
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    db = data_dir / "koordi.sqlite3"
    _corrupt(db)
    assert not inspect_file(db).ok
    with pytest.raises(DatabaseDamaged) as err:
        Store.open(data_dir)
    assert err.value.good_backup == good.path

    restore_file(data_dir, err.value.good_backup)
    store = Store.open(data_dir)
    assert profile_names(store) == ["Hyvä"]
    # The damaged bytes are kept for support, not thrown away.
    assert any(p.name.startswith("damaged-") for p in (data_dir / "backups").iterdir())
    store.dispose()


def test_the_check_started_early_refuses_damage_and_is_only_used_for_its_own_file(data_dir: Path, tmp_path: Path):
    """create_app starts SQLite's check on a thread before Flask loads (issue 17): its verdict
    is the one Store.open acts on, and a check of another folder's file is not taken for this one."""
    assert EarlyInspection(data_dir / "koordi.sqlite3").result() is None  # nothing there yet: a new install
    Store.open(data_dir).dispose()
    damaged = tmp_path / "other" / "koordi.sqlite3"
    damaged.parent.mkdir()
    damaged.write_bytes((data_dir / "koordi.sqlite3").read_bytes())
    _corrupt(damaged)

    early = EarlyInspection(damaged)
    with pytest.raises(DatabaseDamaged):
        Store.open(damaged.parent, early=early)
    # The same (damaged) verdict offered for the good folder is ignored: that file is checked itself.
    Store.open(data_dir, early=EarlyInspection(damaged)).dispose()
    state = EarlyInspection(data_dir / "koordi.sqlite3").result()
    assert state is not None and state.ok and state.revision == migrate.head()


def test_the_folder_probed_early_is_the_verdict_the_start_acts_on(data_dir: Path, monkeypatch):
    """The early checks' thread also asks the folder whether Koordi can write in it (a page
    written and synced): a folder that refuses is named from that probe, without a second one
    and without checking the file; a folder that accepts is not probed again by Store.open."""
    from app.store import FolderNotWritable
    from app.store import files as store_files

    Store.open(data_dir).dispose()

    def probed_again(_folder):
        raise AssertionError("the folder was probed a second time")

    monkeypatch.setattr("app.store.database.folder_problem", probed_again)
    Store.open(data_dir, early=EarlyInspection(data_dir / "koordi.sqlite3")).dispose()

    refused = FolderNotWritable(data_dir)
    monkeypatch.setattr(store_files, "folder_problem", lambda _folder: refused)
    early = EarlyInspection(data_dir / "koordi.sqlite3")
    assert early.result() is None  # no check of a file the start cannot use there
    with pytest.raises(FolderNotWritable) as err:
        Store.open(data_dir, early=early)
    assert err.value is refused


def test_restore_refuses_a_file_that_is_not_a_good_database(data_dir: Path, tmp_path: Path):
    from app.store import BadBackup

    Store.open(data_dir).dispose()
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    before = (data_dir / "koordi.sqlite3").read_bytes()
    with pytest.raises(BadBackup):
        restore_file(data_dir, junk)
    assert (data_dir / "koordi.sqlite3").read_bytes() == before


def test_rotation_keeps_a_bounded_set(data_dir: Path):
    store = Store.open(data_dir)
    add_profile(store)
    start = dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC)
    for day in range(300):  # a backup every day for ten months
        take_backup(store.db_path, store.backups_dir, "start", now=start + dt.timedelta(days=day))
    kept = list_backups(store.backups_dir)
    assert 7 <= len(kept) <= 3 + 7 + 4 + 6
    newest = kept[0].taken_at
    assert newest == start + dt.timedelta(days=299)
    assert kept[-1].taken_at < newest - dt.timedelta(days=120)  # monthly ones reach back months
    store.dispose()


def test_foreign_keys_are_enforced(data_dir: Path):
    store = Store.open(data_dir)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE parent_t (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child_t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent_t(id))")
        conn.commit()
        with pytest.raises(Exception, match="FOREIGN KEY"):
            conn.execute(text("INSERT INTO child_t (p) VALUES (42)"))
            conn.commit()
    store.dispose()


def test_backups_are_listed_newest_first_by_the_moment_in_their_names(tmp_path: Path):
    """Names as take_backup writes them (microseconds) and as older versions did (seconds); a file
    whose name has the shape but no such moment, or another shape, is not a backup."""
    folder = tmp_path / "backups"
    folder.mkdir()
    names = (
        "koordi-20261207T044500123456Z-start.sqlite3",
        "koordi-20261207T044500Z-manual.sqlite3",
        "koordi-20251231T235959999999Z-pre-import.sqlite3",
        "koordi-20261307T044500Z-start.sqlite3",  # month 13
        "koordi-20261207T044500Z-start.sqlite3-journal",
        "notes.txt",
    )
    for name in names:
        (folder / name).write_bytes(b"")
    found = list_backups(folder)
    assert [(b.taken_at, b.reason) for b in found] == [
        (dt.datetime(2026, 12, 7, 4, 45, 0, 123456, tzinfo=dt.UTC), "start"),
        (dt.datetime(2026, 12, 7, 4, 45, tzinfo=dt.UTC), "manual"),
        (dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC), "pre-import"),
    ]


def test_a_backup_is_listed_at_the_moment_it_was_taken(data_dir: Path):
    store = Store.open(data_dir)
    moment = dt.datetime(2027, 1, 2, 3, 4, 5, 60, tzinfo=dt.UTC)
    made = take_backup(store.db_path, store.backups_dir, "manual", now=moment)
    store.dispose()
    assert [(b.path, b.taken_at, b.reason) for b in list_backups(store.backups_dir)][0] == (made.path, moment, "manual")
