"""Central database version 3: the office's tables, and an older database upgraded in place
(missing tables created, missing columns of any table added) when opened for writing."""

from __future__ import annotations

from sqlalchemy import inspect, select

from app.central.schema import DATA, SCHEMA_VERSION, merged_files, meta_table, office_roster, open_target


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
