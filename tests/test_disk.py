"""A full disk or a read-only folder: one sentence saying what is wrong and what to do, nothing
lost, no partial file (issue 11, item 8); unfinished backups removed at start and every file
private to its user (item 9).

The disk is a real tmpfs when the tests run as root (see tests/disks.py).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import create_app, logs
from app.cli import cli
from app.store import DB_NAME, Store
from tests.conftest import ROOT, AuthClient, koordi_env
from tests.disks import disk  # noqa: F401 - the fixture
from tests.sync.helpers import add_profile
from tests.test_cli import koordi

FULL = "is full. Free some space"
READ_ONLY = "cannot write in the folder"
NOISE = ("Traceback", "Logging error", "log file", "Integrity:", "integrity check")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"KOORDI_LANG": "en"})


def with_data(folder: Path) -> Path:
    """A data folder with a profile and a marker, changed since its last backup (none yet)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = Store.open(folder)
    add_profile(store)
    store.set_setting("marker", "kept")
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    return folder


def marker(folder: Path) -> str | None:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = 'marker'").fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def leftovers(folder: Path) -> list[str]:
    """Partial files: a backup's or an export's .part, a restore's staged copy, a journal."""
    return sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.name.endswith((".part", ".restoring", "-journal")) or p.name.startswith(".koordi-write-test")
    )


def start(disk, folder: Path, capsys) -> tuple[int, str]:
    """`koordi serve` on folder: its exit code and what it printed. A real process on a real disk;
    with a simulated full disk the same start in this process (the simulation lives here)."""
    if disk.real:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--data-dir", str(folder)],
            cwd=ROOT,
            env=koordi_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = proc.stdout.readline()
        if line.startswith("http://"):  # it started: stop it, the caller's assertions will say why that is wrong
            proc.terminate()
        out, err = proc.communicate(timeout=60)
        return proc.returncode, line + out + err
    from app.cli.common import KoordiError
    from app.cli.system import _create_app

    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("KOORDI_LANG", "en")
            app = _create_app(folder)
    except KoordiError as exc:
        return 1, exc.format_message() + capsys.readouterr().err
    app.extensions["koordi.store"].dispose()
    return 0, capsys.readouterr().err


# -- a full disk -------------------------------------------------------------------------------


def test_a_first_start_on_a_full_disk_says_free_space_and_leaves_no_database(disk, capsys):
    folder = disk.root / "data"
    folder.mkdir()
    disk.fill()
    code, said = start(disk, folder, capsys)
    assert code == 1 and FULL in said, said
    assert not any(word in said for word in NOISE), said
    assert not (folder / DB_NAME).exists() and leftovers(folder) == []
    disk.free()
    app = create_app({"DATA_DIR": folder})  # with room again, it starts
    app.extensions["koordi.store"].dispose()
    assert (folder / DB_NAME).exists()


def test_a_start_whose_backup_does_not_fit_loses_nothing(disk, capsys):
    folder = with_data(disk.root / "data")
    before = (folder / DB_NAME).read_bytes()
    disk.fill(leave_kb=64)  # room for small writes, not for the start-up backup
    code, said = start(disk, folder, capsys)
    assert code == 1 and FULL in said, said
    assert not any(word in said for word in NOISE), said
    assert leftovers(folder) == []
    assert (folder / DB_NAME).read_bytes() == before
    disk.free()
    app = create_app({"DATA_DIR": folder})
    assert app.extensions["koordi.store"].setting("marker") == "kept"
    app.extensions["koordi.store"].dispose()
    assert [p.name for p in (folder / "backups").iterdir()] != []  # the start-up backup, now that it fits


def test_koordi_backup_on_a_full_disk_leaves_no_partial_file(disk):
    folder = with_data(disk.root / "data")
    Store.open(folder).dispose()  # the start-up backup is taken while there is room
    taken = sorted(p.name for p in (folder / "backups").iterdir())
    disk.fill(leave_kb=64)
    result = run("backup", "--data-dir", str(folder))
    assert result.exit_code == 1 and FULL in result.output, (result.output, result.exception)
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (folder / "backups").iterdir()) == taken and leftovers(folder) == []
    disk.free()
    assert run("backup", "--data-dir", str(folder)).exit_code == 0


def test_a_backup_from_the_about_page_on_a_full_disk_says_so(disk):
    folder = with_data(disk.root / "data")
    app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        client = AuthClient(app)
        taken = sorted(p.name for p in (folder / "backups").iterdir())
        disk.fill(leave_kb=64)
        resp = client.post("/backups")
        assert resp.status_code == 302 and resp.headers["Location"] == "/about"
        page = client.get("/about").get_data(as_text=True)
        assert "on täynnä. Vapauta tilaa" in page  # fi: "is full. Free some space"
        assert sorted(p.name for p in (folder / "backups").iterdir()) == taken and leftovers(folder) == []
        disk.free()
        assert client.post("/backups").status_code == 302
        assert len(list((folder / "backups").iterdir())) == len(taken) + 1
    finally:
        app.extensions["koordi.store"].dispose()


def test_a_save_on_a_full_disk_says_so_and_saves_nothing(disk):
    from sqlalchemy import event

    folder = with_data(disk.root / "data")
    app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    engine = app.extensions["koordi.store"].engine

    def no_room(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = 13  # SQLITE_FULL, as SQLite says it on a full disk
            raise error

    unit = {"name": "Levyn yksikkö", "service_line": "health_station", "age_group": "adults", "status": "active"}
    try:
        client = AuthClient(app)
        client.csrf("/units/new")
        disk.fill()
        if not disk.real:  # SQLite's own writes cannot be made to fail without a real disk
            event.listen(engine, "before_cursor_execute", no_room)
        resp = client.post("/units/new", unit, csrf_from="/units/new")
        assert resp.status_code == 507, resp.status_code
        assert "on täynnä. Vapauta tilaa" in resp.get_data(as_text=True)  # fi: "is full. Free some space"
        disk.free()
        if not disk.real:
            event.remove(engine, "before_cursor_execute", no_room)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM units").scalar() == 0
        assert client.post("/units/new", unit, csrf_from="/units/new").status_code == 302  # room again: saved
    finally:
        app.extensions["koordi.store"].dispose()


def test_an_export_to_a_full_disk_leaves_no_partial_file(disk, tmp_path: Path):
    folder = with_data(tmp_path / "data")
    out = disk.root / "out"
    out.mkdir()
    disk.fill()
    result = run("export", "--copy", "--out", str(out / "copy.zip"), "--data-dir", str(folder))
    assert result.exit_code == 1 and FULL in result.output, (result.output, result.exception)
    assert list(out.iterdir()) == []
    disk.free()
    assert run("export", "--copy", "--out", str(out / "copy.zip"), "--data-dir", str(folder)).exit_code == 0


def test_check_and_report_on_a_full_disk_do_not_blame_the_data(disk):
    folder = with_data(disk.root / "data")
    disk.fill()
    for args in (["check"], ["report", "period", "--out", str(disk.root.parent / "p.pdf")]):
        result = run(*args, "--data-dir", str(folder))
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "fails its integrity check" not in result.output and "I/O error" not in result.output, result.output
        if result.exit_code != 0:  # a real full disk: SQLite cannot even make its shared-memory file
            assert FULL in result.output, result.output


# -- a read-only folder ------------------------------------------------------------------------


def test_serve_export_backup_restore_in_a_read_only_folder_say_so(disk, tmp_path: Path):
    folder = with_data(disk.root / "data")
    Store.open(folder).dispose()
    good = tmp_path / "good.sqlite3"
    shutil.copy2(next((folder / "backups").iterdir()), good)
    before = (folder / DB_NAME).read_bytes()
    disk.make_read_only()
    for args in (
        ["serve"],
        ["export", "--copy", "--out", str(tmp_path / "copy.zip")],
        ["backup"],
        ["restore", str(good)],
    ):
        result = koordi(*args, "--data-dir", str(folder))
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert READ_ONLY in result.stderr and "Choose another folder" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and "OSError" not in result.stderr, (args, result.stderr)
    assert (folder / DB_NAME).read_bytes() == before and not (tmp_path / "copy.zip").exists()


def test_check_and_report_in_a_read_only_folder_blame_the_folder_not_the_data(disk, tmp_path: Path):
    folder = with_data(disk.root / "data")
    disk.make_read_only()
    checked = run("check", "--data-dir", str(folder))
    assert checked.exit_code == 1
    assert "Integrity: ok" in checked.output and READ_ONLY in checked.output, checked.output
    report = run("report", "period", "--out", str(tmp_path / "p.pdf"), "--data-dir", str(folder))
    assert report.exit_code in (0, 1), report.output
    if report.exit_code == 1:
        assert READ_ONLY in report.output and "integrity" not in report.output, report.output


# -- the log file --------------------------------------------------------------------------------


def test_a_log_file_that_cannot_be_written_never_stops_koordi(data_dir: Path, capsys, monkeypatch):
    (data_dir / "logs").write_text("not a folder")  # the log cannot be made there, even by root
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        assert AuthClient(app).get("/", follow_redirects=True).status_code == 200
        logging.getLogger("test").warning("something to log")
        assert logs.written() is None
        assert "Logging error" not in capsys.readouterr().err
    finally:
        app.extensions["koordi.store"].dispose()

    # An unexpected error then names its reason, not a log file that is not there.
    import app.cli.system

    def boom(*_a, **_kw):
        raise RuntimeError("boom at check")

    monkeypatch.setattr(app.cli.system, "inspect_file", boom)
    monkeypatch.setattr(sys, "argv", ["koordi", "check", "--data-dir", str(data_dir)])
    monkeypatch.setenv("KOORDI_LANG", "en")
    from app.cli import main

    with pytest.raises(SystemExit):
        main()
    err = capsys.readouterr().err
    assert "boom at check" in err and "log file" not in err and "Traceback" not in err, err


# -- unfinished backups and private files (item 9) ---------------------------------------------


def test_unfinished_backup_files_are_removed_at_start_unless_being_written(data_dir: Path):
    Store.open(data_dir).dispose()
    backups = data_dir / "backups"
    backups.mkdir(exist_ok=True)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a writer that was killed: its pid is no process now
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # a `koordi backup` beside the app
    now = time.time()

    def part(folder: Path, name: str, age: float = 0) -> Path:
        path = folder / name
        path.write_bytes(b"SQLite format 3\0" + b"\0" * 4000)  # cut off where the writer stopped
        os.utime(path, (now - age, now - age))
        return path

    try:
        dead = part(backups, f"koordi-20260101T000000000000Z-manual.sqlite3.{gone.pid}.part")
        old = part(backups, f"koordi-20260101T000001000000Z-manual.sqlite3.{alive.pid}.part", age=3600)
        legacy = part(backups, "koordi-20260101T000002000000Z-start.sqlite3.part")  # no pid: an older Koordi's
        staged = part(data_dir, f"koordi.sqlite3.restoring.{gone.pid}.part")
        writing = part(backups, f"koordi-20260101T000003000000Z-manual.sqlite3.{alive.pid}.part")
        own = part(backups, f"koordi-20260101T000004000000Z-manual.sqlite3.{os.getpid()}.part")
        mine = backups / "notes.txt"
        mine.write_text("not Koordi's")
        Store.open(data_dir).dispose()
        assert not any(p.exists() for p in (dead, old, legacy, staged))
        assert writing.exists() and own.exists() and mine.exists()
    finally:
        alive.kill()
        alive.wait()
    Store.open(data_dir).dispose()  # its writer is gone now
    assert not writing.exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows uses the per-user folder's ACL")
def test_every_file_koordi_makes_is_private_to_its_user(tmp_path: Path, monkeypatch):
    old_umask = os.umask(0o022)  # the usual umask: files readable by all unless Koordi says otherwise
    try:
        folder = tmp_path / "new" / "data"  # made by Koordi
        app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
        try:
            store = app.extensions["koordi.store"]
            add_profile(store)
            store.set_setting("marker", "x")  # the WAL and its index exist while the app is open
            assert AuthClient(app).post("/backups").status_code == 302
            files = {
                folder / DB_NAME,
                folder / f"{DB_NAME}-wal",
                folder / f"{DB_NAME}-shm",
                *(folder / "backups").iterdir(),
                logs.log_file(folder),
            }
            modes = {str(p.relative_to(folder)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
        finally:
            app.extensions["koordi.store"].dispose()
        assert set(modes.values()) == {"0o600"}, modes
        folders = {p: oct(stat.S_IMODE(p.stat().st_mode)) for p in (folder, folder / "backups", folder / "logs")}
        assert set(folders.values()) == {"0o700"}, folders

        monkeypatch.chdir(tmp_path)
        assert run("export", "--copy", "--out", "copy.zip", "--data-dir", str(folder)).exit_code == 0
        assert run("report", "period", "--out", "period.pdf", "--data-dir", str(folder)).exit_code == 0
        for made in ("copy.zip", "period.pdf"):
            assert stat.S_IMODE((tmp_path / made).stat().st_mode) == 0o600, made

        # A database an older Koordi left readable to all is made private at the next start.
        (folder / DB_NAME).chmod(0o644)
        Store.open(folder).dispose()
        assert stat.S_IMODE((folder / DB_NAME).stat().st_mode) == 0o600
    finally:
        os.umask(old_umask)
