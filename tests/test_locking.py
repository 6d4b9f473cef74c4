"""Another program writing the data at the same time (a `koordi` command, a second
sqlite3 connection here): Koordi's writes wait for it, and when it holds on past the busy
timeout they stop with a sentence, nothing half-done, never a 500 or a traceback."""

from __future__ import annotations

import html
import io
import re
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import create_app
from app.cli import cli
from app.models import Unit
from app.store import DB_NAME, Store
from app.sync import history
from app.sync.export import prepare_export
from tests.conftest import PROFILE, AuthClient
from tests.sync.helpers import add_profile, counts, fill_sample

BUSY_MS = 500
BUSY_FI = "Koordin tiedot ovat juuri toisen ohjelman käytössä; yritä hetken kuluttua uudelleen. Mitään ei muutettu."
BUSY_EN = "Koordi's data is busy in another program; try again in a moment. Nothing was changed."
UNIT = {"name": "Esimerkkilän terveysasema", "service_line": "health_station", "age_group": "adults", "status": "active"}


def words(resp) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)))).strip()


@contextmanager
def another_writer(db_path: Path):
    """A second connection in a write transaction (BEGIN IMMEDIATE) held open: yields it."""
    con = sqlite3.connect(db_path, isolation_level=None, timeout=10)
    try:
        con.execute("BEGIN IMMEDIATE")
        yield con
    finally:
        if con.in_transaction:
            con.execute("ROLLBACK")
        con.close()


def make_app(data_dir: Path, busy_ms: int):
    return create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "DB_BUSY_TIMEOUT_MS": busy_ms})


@pytest.fixture
def app(data_dir):
    """The conftest's app with a short busy timeout (the client fixtures use it)."""
    app = make_app(data_dir, BUSY_MS)
    yield app
    app.extensions["koordi.store"].dispose()


def db_of(app) -> Path:
    return app.extensions["koordi.store"].db_path


def unit_names(app) -> list[str]:
    with app.extensions["koordi.store"].Session() as s:
        return [u.name for u in s.query(Unit).all()]


# -- the web -----------------------------------------------------------------------------------


def test_a_new_unit_while_another_program_writes_says_so_and_saves_nothing(profiled, app):
    with another_writer(db_of(app)):
        token = profiled.csrf("/units/new")  # a page (a read) opens at once
        started = time.monotonic()
        resp = profiled.post("/units/new", {**UNIT, "csrf_token": token})
        waited = time.monotonic() - started
    assert resp.status_code == 503
    assert BUSY_FI in words(resp) and "Tiedot ovat varattuina" in words(resp)
    assert BUSY_MS / 1000 * 0.8 <= waited < 5  # waited for the other program, not at once and not for ever
    assert unit_names(app) == []
    # The other program is done: the same form goes through.
    resp = profiled.post("/units/new", UNIT, csrf_from="/units/new")
    assert resp.status_code == 302 and unit_names(app) == [UNIT["name"]]


def test_a_write_that_read_first_waits_for_the_other_program_and_succeeds(data_dir):
    app = make_app(data_dir, 5000)
    try:
        c = AuthClient(app)
        assert c.post("/setup", PROFILE, csrf_from="/setup").status_code == 302
        token = c.csrf("/units/new")
        replies = []
        with another_writer(db_of(app)) as other:
            request = threading.Thread(target=lambda: replies.append(c.post("/units/new", {**UNIT, "csrf_token": token})))
            request.start()
            # The request is under way: it has read (the profile check, the form's choices) and
            # is at its write when the other program commits.
            time.sleep(0.5)
            other.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES ('other_program', 'was here', '2026-01-01 00:00:00')"
            )
            other.execute("COMMIT")
        request.join(10)
        assert replies and replies[0].status_code == 302, words(replies[0]) if replies else "no reply"
        assert unit_names(app) == [UNIT["name"]]
        assert app.extensions["koordi.store"].setting("other_program") == "was here"
    finally:
        app.extensions["koordi.store"].dispose()


def test_a_download_not_recorded_while_another_program_writes_can_be_downloaded_again(profiled, app):
    page = profiled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    zip_url = html.unescape(re.findall(r'href="(/files/download/[^"]+)"', page.get_data(as_text=True))[1])
    with another_writer(db_of(app)):
        busy = profiled.get(zip_url)  # the download would be recorded as sent: a write
    assert busy.status_code == 503 and BUSY_FI in words(busy)
    with app.extensions["koordi.store"].Session() as s:
        assert history.sync_history(s) == []
    zipped = profiled.get(zip_url)  # the same link, once the other program is done
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    with app.extensions["koordi.store"].Session() as s:
        assert [e.purpose for e in history.sync_history(s)] == ["central"]


def copy_file(folder: Path) -> bytes:
    """A "move to another computer" file of a coordinator's install of its own."""
    folder.mkdir()
    source = Store.open(folder)
    try:
        add_profile(source)
        fill_sample(source)
        with source.Session() as s:
            return prepare_export(s, history.COPY).data
    finally:
        source.dispose()


def test_an_import_while_another_program_writes_keeps_its_file_for_another_try(client, app, data_dir, tmp_path):
    data = copy_file(tmp_path / "old")
    resp = client.post("/sync/import", {"file": (io.BytesIO(data), "koordi_kopio.zip")}, csrf_from="/sync/import")
    ref = re.fullmatch(r"/sync/import/([A-Za-z0-9_-]+)", resp.headers["Location"]).group(1)
    preview = f"/sync/import/{ref}"
    with another_writer(db_of(app)):
        resp = client.post(f"{preview}/apply", csrf_from=preview)
    assert resp.status_code == 302 and resp.headers["Location"] == preview
    page = client.get(preview)
    assert BUSY_FI in words(page) and f"{preview}/apply" in page.get_data(as_text=True)  # still waiting to be applied
    assert counts(app.extensions["koordi.store"])["units"] == 0
    assert not list((data_dir / "backups").glob("*pre-import*"))  # nothing was begun
    with app.extensions["koordi.store"].Session() as s:
        assert history.sync_history(s) == []
    # Pressed again once the other program is done: imported from the same upload.
    done = client.post(f"{preview}/apply", csrf_from=preview)
    assert done.status_code == 200 and "Tuonti on valmis" in words(done)
    assert counts(app.extensions["koordi.store"])["units"] == 3


# -- the command line --------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A closed data folder with a profile and a sample; the CLI's busy timeout made short."""
    monkeypatch.setattr("app.store.engine.BUSY_TIMEOUT_MS", BUSY_MS)
    monkeypatch.setenv("KOORDI_LANG", "en")
    (tmp_path / "data").mkdir()
    store = Store.open(tmp_path / "data")
    add_profile(store)
    fill_sample(store)
    store.dispose()
    return tmp_path / "data"


def koordi(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_busy_sentence(result) -> None:
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.strip() == f"Error: {BUSY_EN}"


@pytest.mark.parametrize("copy", [True, False], ids=["copy", "central"])
def test_export_while_another_program_writes_says_so_and_makes_no_file(folder, tmp_path, copy):
    target = tmp_path / "out.zip"
    options = ["--copy"] if copy else []
    with another_writer(folder / DB_NAME):
        result = koordi("export", *options, "--out", str(target), "--data-dir", str(folder))
    assert_busy_sentence(result)
    assert not target.exists() and not list(tmp_path.glob("out.zip*"))
    again = koordi("export", *options, "--out", str(target), "--data-dir", str(folder))
    assert again.exit_code == 0, again.output
    assert target.exists()


def test_import_while_another_program_writes_says_so_and_changes_nothing(folder, tmp_path):
    file = tmp_path / "kopio.zip"
    file.write_bytes(copy_file(tmp_path / "old"))
    target = tmp_path / "new-laptop"
    target.mkdir()
    Store.open(target).dispose()
    with another_writer(target / DB_NAME):
        result = koordi("import", str(file), "--data-dir", str(target))
    assert_busy_sentence(result)
    store = Store.attach(target)
    try:
        assert counts(store)["units"] == 0
    finally:
        store.dispose()
    again = koordi("import", str(file), "--data-dir", str(target))
    assert again.exit_code == 0, again.output
