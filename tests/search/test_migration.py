"""Migration 0003: an install at 0002 with records gets them all in the search index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import text

from app.core.text import fold
from app.models import Deployment, Event, GuidanceSession, Trainee, Unit
from app.models.methods import seed_id
from app.search.query import search
from app.store import Store, migrate, search_index, write
from app.store.engine import make_engine

IPC = seed_id("ipc")
SOURCE_TABLES = ("units", "events", "trainees", "guidance_sessions", "goals", "deployments")


def downgrade_to(data_dir: Path, revision: str) -> None:
    engine = make_engine(data_dir / "koordi.sqlite3")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), revision)
    engine.dispose()


def objects(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'search%'"))}


def test_upgrade_from_0002_backfills_existing_rows(data_dir: Path):
    store = Store.open(data_dir)
    store.dispose()
    downgrade_to(data_dir, "0002")

    old = Store(data_dir)  # the 0002 schema, connected to without the app's upgrade
    old._connect()
    assert old.revision() == "0002" and not objects(old)
    with old.Session() as s, write(s):
        unit = Unit(
            name="Äänekosken terveysasema", name_key=fold("Äänekosken terveysasema"), service_line="other", age_group="adults"
        )
        gone = Unit(name="Poistettu asema", name_key="poistettu asema", service_line="other", age_group="adults", deleted=True)
        s.add_all([unit, gone])
        s.flush()
        s.add_all(
            [
                Event(type="workshop", title="Työpaja Öljymäessä", date=dt.date(2026, 1, 2)),
                GuidanceSession(date=dt.date(2026, 1, 3), method_id=IPC, duration_minutes=60, topics="Unettomuus"),
                Trainee(name="Örjan Mäkelä", name_key="örjan mäkelä", method_id=IPC, unit_id=unit.id),
                Trainee(name="", name_key="", method_id=IPC, erased_at=dt.datetime.now(dt.UTC), profession="lääkäri"),
                Deployment(
                    unit_id=unit.id, method_id=IPC, phase="pilot", phase_since=dt.date(2026, 1, 4), notes="Pilotti viivästyi"
                ),
            ]
        )
        # goals has grown columns since 0002 (0008): a row as 0002 had it
        s.execute(
            text(
                "INSERT INTO goals (id, title, method_id, metric, target_value, status, notes, created_at, updated_at, deleted)"
                " VALUES ('g1', 'Kymmenen koulutettua', :ipc, '', 10, 'open', '', '2026-01-01', '2026-01-01', 0)"
            ),
            {"ipc": IPC},
        )
    old.dispose()

    store = Store.open(data_dir)  # backs up, then upgrades to head
    assert store.revision() == migrate.head()
    assert [b.reason for b in store.list_backups()][:1] == ["pre-upgrade"]
    with store.Session() as s:
        assert search(s, "äänekosken unettomuus") == []  # every word must match one record
        assert [g.kind for g in search(s, "äänekosken")] == ["unit"]
        assert [g.kind for g in search(s, "öljymäessä")] == ["event"]
        assert [g.kind for g in search(s, "unettomuus")] == ["guidance"]
        assert [g.kind for g in search(s, "örjan")] == ["trainee"]
        assert [g.kind for g in search(s, "kymmenen")] == ["goal"]
        assert [g.kind for g in search(s, "viivästyi")] == ["deployment"]  # 0006 backfills deployments' notes
        assert [g.kind for g in search(s, "aanekoski")] == ["unit"]  # 0009: without ä, and inflected
        assert [g.kind for g in search(s, "öljymäki")] == ["event"]
        assert search(s, "poistettu") == []  # backfilled as deleted: hidden
        assert search(s, "lääkäri") == []  # the erased trainee is backfilled with no text
        counts = dict(s.execute(text("SELECT kind, count(*) FROM search_docs GROUP BY kind")).all())
        assert counts == {"unit": 2, "event": 1, "guidance": 1, "trainee": 2, "goal": 1, "deployment": 1}
        assert s.execute(text("INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)")) is not None
    store.dispose()


def test_every_source_table_has_its_triggers_at_head(data_dir: Path):
    """A later migration that rebuilds one of these tables (batch mode) drops its triggers: this says so."""
    store = Store.open(data_dir)
    with store.engine.connect() as conn:
        triggers = {
            (row[0], row[1]) for row in conn.execute(text("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"))
        }
    store.dispose()
    for table in SOURCE_TABLES:
        for suffix in ("ai", "au", "ad"):
            assert (f"search_{table}_{suffix}", table) in triggers


def test_downgrade_removes_the_index_and_writes_still_work(data_dir: Path):
    store = Store.open(data_dir)
    store.dispose()
    downgrade_to(data_dir, "0002")
    engine = make_engine(data_dir / "koordi.sqlite3")
    with engine.begin() as conn:
        left = conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'search%'")).all()
        assert left == []
        conn.execute(
            text(
                "INSERT INTO units (id, name, name_key, service_line, age_group, municipality, supervisor_name,"
                " supervisor_email, active, notes, created_at, updated_at, deleted)"
                " VALUES ('u1', 'A', 'a', 'other', 'adults', '', '', '', 1, '', '2026-01-01', '2026-01-01', 0)"
            )
        )
    engine.dispose()


def _squashed(sql: str) -> str:
    return " ".join(sql.split())


def test_the_live_copy_of_the_index_triggers_is_what_the_database_has(data_dir: Path):
    """app.store.search_index (what a bulk import recreates) and migration 0009 agree: a
    difference would leave one of the two FTS tables stale after an import."""
    store = Store.open(data_dir)
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE name LIKE 'search_docs_a_'"))
        stored = {name: sql for name, sql in rows}
    store.dispose()
    live = {sql.split()[2]: sql for sql in search_index.docs_triggers()}
    assert {name: _squashed(sql) for name, sql in stored.items()} == {name: _squashed(sql) for name, sql in live.items()}


def test_a_deferred_bulk_write_is_indexed_once_at_its_end(data_dir: Path):
    store = Store.open(data_dir)
    with store.Session() as s, write(s):
        with search_index.deferred(s):
            s.add(Unit(name="Öjan terveysasema", name_key="öjan terveysasema", service_line="other", age_group="adults"))
            s.flush()
            assert search(s, "öjan") == []  # search_docs has the row; the FTS indexes wait
        assert [g.kind for g in search(s, "öjan")] == ["unit"] and [g.kind for g in search(s, "ojan")] == ["unit"]
    with store.Session() as s:
        for table in search_index.FTS_TABLES:
            s.execute(text(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)"))
        s.add(Unit(name="Åbon neuvola", name_key="åbon neuvola", service_line="other", age_group="adults"))
        s.commit()
        assert [g.kind for g in search(s, "abo")] == ["unit"]  # the triggers are back
    store.dispose()


def test_downgrade_to_0008_leaves_one_index_that_still_follows_writes(data_dir: Path):
    store = Store.open(data_dir)
    store.dispose()
    downgrade_to(data_dir, "0008")
    engine = make_engine(data_dir / "koordi.sqlite3")
    with engine.begin() as conn:
        left = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'search_%'"))}
        assert "search_index" in left and not {"search_index_folded", "search_vocab"} & left
        conn.execute(
            text(
                "INSERT INTO units (id, name, name_key, service_line, age_group, municipality, supervisor_name,"
                " supervisor_email, active, notes, created_at, updated_at, deleted)"
                " VALUES ('u1', 'Öja', 'öja', 'other', 'adults', '', '', '', 1, '', '2026-01-01', '2026-01-01', 0)"
            )
        )
        assert conn.execute(text("SELECT count(*) FROM search_index WHERE search_index MATCH 'öja'")).scalar() == 1
    engine.dispose()
