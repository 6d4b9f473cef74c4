"""The national picture's first views computed at merge time (app.central.picture.prepare) and
kept in the merged database (app.central.picture.cache), on the small scripted database
(tests/central/picture_data.py) in SQLite and PostgreSQL: after a merge the default pages are
read, not computed, and look exactly as computed ones; a restart reads them too; a new merge
makes them stale; another scope is computed (and correct); a failed read or write never breaks
a page."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import select, update

from app.central import picture_views
from app.central.app import create_central_app, dispose
from app.central.picture import prepare, sections, stored
from app.central.picture.tables import Cell, Table
from app.central.schema import DATA, merged_files, open_target, picture_cache
from tests.central import picture_data as pd
from tests.central.conftest import OfficeClient, office_config

TODAY = dt.date(2026, 6, 30)  # the default span: 7/2025-6/2026, the scripted data's months
PAGES = {
    "index": "/picture",
    "deployments": "/picture/deployments",
    "events": "/picture/events",
    "guidance": "/picture/guidance",
    "surveys": "/picture/surveys",
    "indicators": "/picture/indicators",
}
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        found = str(tmp_path / "kansallinen.sqlite3")
    else:
        from tests.postgres import create_database

        found = create_database(request.getfixturevalue("postgres_server"))
    pd.build(found).dispose()
    return found


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(picture_views, "today", lambda: TODAY)


class Office:
    """The office's app on `target`, started (and restarted) as the window starts it."""

    def __init__(self, target: str, folder):
        self.target, self.folder, self.apps = target, folder, []

    def start(self) -> OfficeClient:
        app = create_central_app(self.target, office_config(self.folder))
        self.apps.append(app)
        return OfficeClient(app)

    def page(self, client: OfficeClient, path: str) -> str:
        response = client.get(path)
        assert response.status_code == 200, path
        return CSRF.sub("", response.get_data(as_text=True))  # a session's token, not a figure


@pytest.fixture
def office(target, tmp_path):
    found = Office(target, tmp_path)
    yield found
    for app in found.apps:
        dispose(app)


@contextmanager
def writing(target: str):
    """A write transaction on `target`, its engine disposed after."""
    engine = open_target(target)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def merge_time(target: str) -> int:
    """What the end of a merge does (koordi merge, the window's job)."""
    write, read = open_target(target), open_target(target, read_only=True)
    try:
        return prepare.prepare(read, write, TODAY, "fi")
    finally:
        read.dispose()
        write.dispose()


@pytest.fixture
def no_computing(monkeypatch):
    def refuse(section, *args):
        raise AssertionError(f"{section} was computed")

    monkeypatch.setattr(sections, "compute", refuse)


def computed(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = sections.compute

    def spy(section, *args):
        seen.append(section)
        return real(section, *args)

    monkeypatch.setattr(sections, "compute", spy)
    return seen


def stored_rows(target: str) -> dict[str, str]:
    engine = open_target(target)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(select(picture_cache.c.key, picture_cache.c.generation)).all())
    finally:
        engine.dispose()


def test_after_a_merge_every_default_page_reads_the_stored_figures_and_looks_the_same(office, monkeypatch):
    # Computed by a visitor, as before: the pages as the reference.
    seen = computed(monkeypatch)
    first = office.start()
    expected = {name: office.page(first, path) for name, path in PAGES.items()}
    assert sorted(seen) == sorted(PAGES)
    assert "Yhteensä 6 4 27" in text_of(expected["events"])  # the scripted events, all in the default span
    with writing(office.target) as conn:
        conn.execute(picture_cache.delete())  # as if nobody had looked: only the merge's figures

    assert merge_time(office.target) == len(sections.SECTIONS)
    assert merge_time(office.target) == 0  # already stored for this state of the database
    seen.clear()
    restarted = office.start()  # a new launch: nothing kept in the process
    for name, path in PAGES.items():
        assert office.page(restarted, path) == expected[name], name  # a round trip per section
    office.page(restarted, "/picture/surveys?level=county&grain=month")  # the default, spelt out: the same figures
    assert seen == []


def test_a_new_merge_makes_the_stored_figures_stale(office, monkeypatch):
    merge_time(office.target)
    seen = computed(monkeypatch)
    client = office.start()
    before = office.page(client, PAGES["events"])
    assert seen == []
    with writing(office.target) as conn:  # a merge: one more event held, and its file logged
        events = DATA["events"]
        conn.execute(update(events).where(events.c.id == pd.ids("e6")).values(status="held"))
        conn.execute(merged_files.insert().values(new_file()))
    after = office.page(client, PAGES["events"])
    assert seen == ["events"]  # the kept and stored figures were of the old state
    assert "Yhteensä 6 4 27" in text_of(before) and "Yhteensä 6 5 27" in text_of(after)
    old = set(stored_rows(office.target).values())
    assert len(old) == 2  # the page stored its new figures beside the old generation's
    assert merge_time(office.target) == len(sections.SECTIONS) - 1  # the events page is there already
    assert len(set(stored_rows(office.target).values())) == 1  # the older generation's rows went


def new_file() -> dict:
    return {
        "sha256": "f" * 64,
        "export_id": pd.ids("export:new"),
        "file_name": "Anna_20260702.zip",
        "coordinator_id": pd.A,
        "county": "helsinki",
        "kind": "incremental",
        "exported_at": pd.STAMP,
        "notes_included": False,
        "names_included": False,
        "merged_at": pd.STAMP + dt.timedelta(days=1),
        "result": "merged",
        "rows": 1,
        "created": 0,
        "updated": 1,
        "unchanged": 0,
        "deleted": 0,
        "warnings": 0,
    }


def test_another_scope_is_computed_correctly_and_stored(office, monkeypatch):
    merge_time(office.target)
    seen = computed(monkeypatch)
    client = office.start()
    html = office.page(client, "/picture/events?from=2026-01&to=2026-06&level=area")
    text = text_of(html)
    assert seen == ["events"]
    assert "Etelä-Suomi 5 3 25" in text and "Itä-Suomi 1 1 2" in text and "Yhteensä 6 4 27" in text
    assert any(k.startswith("events|fi|") and "level=area" in k for k in stored_rows(office.target))
    office.start()  # the office's restart reads it
    restarted = office.apps[-1]
    seen.clear()
    assert office.page(OfficeClient(restarted), "/picture/events?from=2026-01&to=2026-06&level=area") == html
    assert seen == []


def test_a_damaged_row_or_a_failed_write_never_breaks_a_page(office, monkeypatch):
    merge_time(office.target)
    with writing(office.target) as conn:
        conn.execute(update(picture_cache).values(figures='{"$": "pickle", "v": "x"}'))
    seen = computed(monkeypatch)
    monkeypatch.setattr(stored, "dump", lambda values: 1 / 0)  # every write fails
    client = office.start()
    for path in PAGES.values():
        office.page(client, path)
    assert sorted(seen) == sorted(PAGES)


def test_the_stored_form_keeps_the_types_and_refuses_others():
    table = Table("t", "Caption", ("A", "B"), ((Cell("x"), Cell("1", {"figure": "events"})),), None, "note")
    assert stored.load(stored.dump({"table": table, "n": [1, (2, None)]})) == {"table": table, "n": [1, (2, None)]}
    for unstored in ({"when": dt.date(2026, 1, 1)}, {"$": "tuple", "v": []}, {1: "x"}):
        with pytest.raises(TypeError):
            stored.dump(unstored)
    with pytest.raises(TypeError):
        stored.load('{"$": "object", "v": "os.system"}')


# -- the merges that prepare them: the window's job and `koordi merge` ------------------------------


def test_the_windows_merge_prepares_the_picture_as_its_last_step(tmp_path, central_files, monkeypatch):
    from app.central import files_views
    from tests.central.test_merge_views import _finished, _upload

    monkeypatch.setattr(files_views, "wall_today", lambda: TODAY)
    target = str(tmp_path / "uusi.sqlite3")
    client = OfficeClient(create_central_app(target, office_config(tmp_path)))
    shown: list[str] = []
    real = files_views.prepare

    def step(*args):
        [job] = client.app.extensions["koordi.central.jobs"].recent()
        shown.append(client.get(f"/files/merge/{job.id}?part=status").get_data(as_text=True))
        return real(*args)

    monkeypatch.setattr(files_views, "prepare", step)
    try:
        _upload(client, {"aino.zip": central_files.senders["A"].files[0].read_bytes()})
        _finished(client)
        assert len(shown) == 1 and "Valmistellaan kansallista kuvaa…" in shown[0] and 'data-done="false"' in shown[0]
        assert len(stored_rows(target)) == len(sections.SECTIONS)
        monkeypatch.setattr(sections, "compute", lambda section, *a: pytest.fail(f"{section} was computed"))
        for path in PAGES.values():
            assert client.get(path).status_code == 200, path
    finally:
        dispose(client.app)


def test_koordi_merge_prepares_the_picture(tmp_path, central_files, monkeypatch):
    from click.testing import CliRunner

    from app.central import merge_cli

    monkeypatch.setattr(merge_cli, "today", lambda: TODAY)
    target = str(tmp_path / "kansallinen.sqlite3")
    result = CliRunner().invoke(merge_cli.merge_command, [str(central_files.senders["B"].files[0]), "--into", target])
    assert result.exit_code == 0, result.output
    assert "Valmistellaan kansallista kuvaa…" in result.output
    keys = stored_rows(target)
    assert len(keys) == len(sections.SECTIONS) and all("|fi|from=2025-07&" in k for k in keys)


def test_a_figures_link_is_the_scopes_filters_and_its_own(tmp_path):
    from urllib.parse import urlencode

    from app.central.picture.scope import Scope

    app = create_central_app(str(tmp_path / "k.sqlite3"), office_config(tmp_path))
    scope = Scope.parse({"from": "2026-01", "to": "2026-06", "area": "ita-suomi", "grain": "quarter"}, TODAY)
    refs = [
        {"figure": "events", "row": "lappi", "status": "held"},
        {"figure": "guidance", "period": ""},
        {"level": "area"},
        {"figure": "deployments", "row": "lappi", "method": pd.M1, "level": "county", "area": ""},
    ]
    table = Table("t", "c", ("a",), tuple((Cell("1", ref),) for ref in refs))
    try:
        with app.test_request_context("/picture"):
            [linked] = picture_views._linked(scope, (table, scope))
        assert [row[0].href for row in linked.rows] == [f"/picture/rows?{urlencode(scope.args(**ref))}" for ref in refs]
    finally:
        dispose(app)


def test_a_merged_database_from_before_the_cache_still_opens_and_gets_it(tmp_path):
    from sqlalchemy import inspect

    path = str(tmp_path / "vanha.sqlite3")
    pd.build(path).dispose()
    with writing(path) as conn:
        conn.exec_driver_sql("DROP TABLE picture_cache")  # as a database made before it was added
    read = open_target(path, read_only=True)  # `koordi central reporting`, the summary: read as it is
    try:
        with read.connect() as conn:
            assert prepare.stored_keys(conn, "any") == set()  # no table: nothing stored, no error
    finally:
        read.dispose()
    write = open_target(path)  # opened for writing (the office's app, a merge): the table is added
    try:
        assert "picture_cache" in inspect(write).get_table_names()
    finally:
        write.dispose()
