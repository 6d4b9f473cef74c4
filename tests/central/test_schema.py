"""Central database version 3: the office's tables, and an older database upgraded in place
(missing tables created, missing columns of any table added) when opened for writing."""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.central.schema import DATA, SCHEMA_VERSION, merged_files, meta_table, office_roster, open_target
from app.core import clock


def _version(engine) -> str:
    with engine.connect() as conn:
        return conn.scalar(select(meta_table.c.value).where(meta_table.c.key == "schema_version"))


def test_a_version_2_database_gets_the_office_tables_and_the_new_columns(tmp_path):
    target = str(tmp_path / "v2.sqlite3")
    engine = open_target(target)
    with engine.begin() as conn:
        office_roster.drop(conn)
        conn.exec_driver_sql("ALTER TABLE merged_files DROP COLUMN complete_through")
        # A column of an export table that a later format version added, missing in an old file.
        conn.exec_driver_sql('ALTER TABLE units DROP COLUMN "professionals"')
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="2"))
    engine.dispose()

    read_only = open_target(target, read_only=True)  # read as it is
    assert _version(read_only) == "2"
    read_only.dispose()

    engine = open_target(target)
    try:
        assert _version(engine) == str(SCHEMA_VERSION) == "3"
        found = inspect(engine)
        assert "office_roster" in found.get_table_names()
        assert "complete_through" in {c["name"] for c in found.get_columns(merged_files.name)}
        assert "professionals" in {c["name"] for c in found.get_columns(DATA["units"].name)}
    finally:
        engine.dispose()


# -- a merged database made before the indicators landed -------------------------------------------

# What Koordi's merged database lacked then (central version 2): the indicator tables, goals' indicator
# columns, the office's tables and merged_files.complete_through (version 3), and the indexes since.
BEFORE_INDICATORS = {
    "tables": ("monthly_figures", "indicators", "office_roster", "office_settings", "picture_cache"),
    "columns": {"goals": ("indicator_id", "direction", "days", "counted_from"), "merged_files": ("complete_through",)},
}


def _made_before_indicators(target: str, files) -> None:
    """A merged database of `files` as a Koordi before the indicators would have left it."""
    from app.central.merge import merge_files

    engine = open_target(target)
    try:
        assert not merge_files(engine, files).refused
        with engine.begin() as conn:
            for name in inspect(conn).get_table_names():
                for index in inspect(conn).get_indexes(name):
                    gone = set(BEFORE_INDICATORS["columns"].get(name, ())) & set(index["column_names"])
                    if gone or index["name"].startswith("ix_merged_files_") and index["name"] != "ix_merged_files_coordinator_id":
                        conn.exec_driver_sql(f'DROP INDEX "{index["name"]}"')
            for table in BEFORE_INDICATORS["tables"]:
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}"')
            for table, columns in BEFORE_INDICATORS["columns"].items():
                for column in columns:
                    conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
            conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="2"))
    finally:
        engine.dispose()


def _office_on_it(target: str, tmp_path, sender) -> None:
    """Every page of the office's app answers, and a file merges from the window."""
    import io

    from app.central.app import create_central_app, dispose
    from tests.central.conftest import OfficeClient, office_config

    app = create_central_app(target, office_config(tmp_path))
    try:
        client = OfficeClient(app)
        for page in ("/", "/picture", "/picture/indicators", "/picture/events", "/reporting", "/settings", "/files"):
            assert client.get(page).status_code == 200, page
        data = {"files": [(io.BytesIO(sender.files[0].read_bytes()), "c.zip")]}
        assert client.post("/files/merge", data, csrf_from="/files", content_type="multipart/form-data").status_code == 302
        [job] = app.extensions["koordi.central.jobs"].recent()
        job.thread.join(60)
        assert [f.status for f in job.files] == ["merged"]
        assert client.get("/reporting").get_data(as_text=True).count('<th scope="row"><a href="/reporting/coordinator/') == 3
    finally:
        dispose(app)


def test_an_sqlite_database_from_before_the_indicators_is_read_then_copied_and_upgraded(central_files, tmp_path):
    from app.central.summary import Span, central_summary

    target = tmp_path / "kansallinen.sqlite3"
    senders = central_files.senders
    _made_before_indicators(str(target), [senders["A"].files[0], senders["B"].files[0]])

    read_only = open_target(str(target), read_only=True)  # was refused as "not a central database"
    try:
        with read_only.connect() as conn:
            summary = central_summary(conn, Span(None, None), clock.today(), "fi")
        assert _version(read_only) == "2" and summary.files == 2
    finally:
        read_only.dispose()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite3"] == ["kansallinen.sqlite3"]  # reading copies nothing

    _office_on_it(str(target), tmp_path, senders["C"])

    [copy] = [p for p in tmp_path.iterdir() if p.name.startswith("kansallinen-v2-before-upgrade-")]
    old = open_target(str(copy), read_only=True)
    try:
        assert _version(old) == "2" and "indicators" not in inspect(old).get_table_names()
    finally:
        old.dispose()
    engine = open_target(str(target))
    try:
        assert _version(engine) == str(SCHEMA_VERSION) and "indicators" in inspect(engine).get_table_names()
        assert "indicator_id" in {c["name"] for c in inspect(engine).get_columns("goals")}
    finally:
        engine.dispose()
    again = len(list(tmp_path.iterdir()))
    open_target(str(target)).dispose()
    assert len(list(tmp_path.iterdir())) == again  # up to date: no second copy


def test_a_postgresql_database_from_before_the_indicators_is_upgraded(pg_url, central_files, tmp_path):
    url = pg_url()
    senders = central_files.senders
    _made_before_indicators(url, [senders["A"].files[0], senders["B"].files[0]])
    read_only = open_target(url, read_only=True)
    read_only.dispose()
    _office_on_it(url, tmp_path, senders["C"])
    engine = open_target(url, read_only=True)
    try:
        assert _version(engine) == str(SCHEMA_VERSION) and "indicators" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
