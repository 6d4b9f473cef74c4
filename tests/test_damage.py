"""Any damage to the database file ends at the recovery page (web) or one sentence (CLI), and
a restore works afterwards (issue 11, item 1).

A flipped byte inside an index definition makes SQLite's error text invalid UTF-8, and
Python's sqlite3 then raises UnicodeDecodeError instead of its own error; every place that
looks at a damaged file must survive that, and any other damage too.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.cli import cli
from app.store import DB_NAME, Store
from app.store.files import inspect_file
from tests.conftest import AuthClient, koordi_env, start_server
from tests.test_cli import koordi

PAGE = 4096


@dataclass(frozen=True)
class Pristine:
    data: bytes  # the database, checkpointed: every committed page is in the main file
    backup: Path  # a good backup holding the marker
    schema_pages: list[int]  # 1-based pages of sqlite_schema (page 1 and its leaves)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Pristine:
    folder = tmp_path_factory.mktemp("pristine")
    store = Store.open(folder)
    store.set_setting("marker", "kept")
    backup = store.backup("manual")
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.dispose()
    keep = tmp_path_factory.mktemp("good-backup") / backup.path.name
    shutil.copy2(backup.path, keep)
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        pages = sorted({p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")})
    except sqlite3.OperationalError:  # an SQLite without the dbstat table: page 1 at least
        pages = [1]
    conn.close()
    return Pristine((folder / DB_NAME).read_bytes(), keep, pages)


def damaged(pristine: Pristine, folder: Path, flips: dict[int, int]) -> Path:
    """A data folder whose database is the pristine one with bytes XORed (offset -> mask)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = bytearray(pristine.data)
    for offset, mask in flips.items():
        raw[offset] ^= mask
    (folder / DB_NAME).write_bytes(bytes(raw))
    return folder


def index_definition_flips(pristine: Pristine) -> list[int]:
    """Every byte of the first CREATE INDEX statements (the issue's case: invalid UTF-8 in the error)."""
    found = list(re.finditer(rb"CREATE (?:UNIQUE )?INDEX [^\x00-\x1f]*?\)", pristine.data))[:3]
    assert found, "the schema has indexes"
    return [offset for m in found for offset in range(m.start(), m.end())]


def schema_page_flips(pristine: Pristine) -> list[int]:
    """Every 97th byte of every schema page, page 1 included (its header too)."""
    return [(page - 1) * PAGE + i for page in pristine.schema_pages for i in range(0, PAGE, 97)]


def test_inspect_never_raises_on_a_flipped_schema_byte(pristine: Pristine, tmp_path: Path):
    folder = tmp_path / "data"
    seen_damage = 0
    for n, offset in enumerate(index_definition_flips(pristine) + schema_page_flips(pristine)):
        damaged(pristine, folder, {offset: 0x80})  # the high bit: never valid UTF-8 on its own in ASCII text
        state = inspect_file(folder / DB_NAME, full=bool(n % 2))  # must not raise
        assert state.detail and (state.ok or state.detail != "ok")
        seen_damage += not state.ok
    assert seen_damage > 100  # the flips did reach the schema


def assert_survives(folder: Path, pristine: Pristine) -> None:
    """The recovery page or a working app; `koordi check` exit 0/1 without an error escaping; a restore."""
    app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        client = AuthClient(app)
        page = client.get("/", follow_redirects=True)
        assert page.status_code == 200
        in_recovery = app.config["RECOVERY"] is not None
        assert (page.request.path == "/recovery") == in_recovery
        if in_recovery:
            assert "Tietokanta vaatii huomiota" in page.get_data(as_text=True)  # "The database needs attention"
    finally:
        if app.extensions.get("koordi.store") is not None:
            app.extensions["koordi.store"].dispose()
    runner = CliRunner()
    env = {"KOORDI_LANG": "en"}
    checked = runner.invoke(cli, ["check", "--data-dir", str(folder)], env=env)
    assert checked.exit_code in (0, 1), checked.output
    assert checked.exception is None or isinstance(checked.exception, SystemExit), repr(checked.exception)
    assert "Traceback" not in checked.output
    restored = runner.invoke(cli, ["restore", str(pristine.backup), "--data-dir", str(folder)], env=env)
    assert restored.exit_code == 0, (restored.output, restored.exception)
    store = Store.open(folder)
    try:
        assert store.setting("marker") == "kept"
    finally:
        store.dispose()


def test_damage_in_an_index_definition_or_the_schema_pages_is_survived(pristine: Pristine, tmp_path: Path):
    rng = random.Random(11)  # a fixed sample of the deterministic set: each trial starts the app
    index_bytes = index_definition_flips(pristine)
    sample = [index_bytes[2], index_bytes[len(index_bytes) // 2]] + rng.sample(schema_page_flips(pristine), 6)
    for n, offset in enumerate(sample):
        assert_survives(damaged(pristine, tmp_path / f"data{n}", {offset: 0x80}), pristine)


def test_a_header_asking_for_a_newer_write_format_is_survived(pristine: Pristine, tmp_path: Path):
    """Byte 18 of the header is the file's write format: 3 (from 2) makes SQLite read it but write
    nothing, so the backup before a restore cannot be a database copy; the restore keeps the file's
    bytes instead and goes on (found by the hypothesis test below)."""
    assert_survives(damaged(pristine, tmp_path / "data", {18: 0x01}), pristine)


# derandomize: the same 30 flips every run, so CI does not fail on what a new draw happens to find
# (a flip that breaks Koordi found while developing becomes a named test, as the one above).
@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flip=st.data())
def test_a_flipped_byte_anywhere_is_survived(pristine: Pristine, tmp_path_factory, flip):
    offset = flip.draw(st.integers(0, len(pristine.data) - 1), label="offset")
    mask = flip.draw(st.sampled_from([0x01, 0x10, 0x80, 0xFF]), label="mask")
    assert_survives(damaged(pristine, tmp_path_factory.mktemp("flip"), {offset: mask}), pristine)


def test_the_issues_case_end_to_end(pristine: Pristine, tmp_path: Path):
    """A flipped byte in an index definition: `koordi serve` shows the recovery page, `koordi check`
    says one sentence, `koordi restore` brings the data back."""
    offset = index_definition_flips(pristine)[2]  # inside the keyword CREATE: "CR\xc5ATE"
    folder = damaged(pristine, tmp_path / "data", {offset: 0x80})
    backups = folder / "backups"
    backups.mkdir()
    shutil.copy2(pristine.backup, backups / pristine.backup.name)

    server = start_server([*koordi_cmd(), "serve", "--data-dir", str(folder)], koordi_env())
    try:
        from tests.test_security import Browser

        browser = Browser(server)
        browser.login()
        resp, html = browser.request("GET", "/recovery")
        assert resp.status == 200 and "Tietokanta vaatii huomiota" in html  # "The database needs attention"
        assert pristine.backup.name in html  # the good backup is offered
    finally:
        server.stop()

    checked = koordi("check", "--data-dir", str(folder))
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "malformed database schema" in checked.stdout
    restored = koordi("restore", str(backups / pristine.backup.name), "--data-dir", str(folder))
    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    assert koordi("check", "--data-dir", str(folder)).returncode == 0


def koordi_cmd() -> list[str]:
    import sys

    return [sys.executable, "-m", "app"]
