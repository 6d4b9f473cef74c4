"""Migration 0003: an install at 0002 with records gets them all in the search index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alembic import command
from sqlalchemy import text

from app.core.text import fold
from app.models import Deployment, Event, Goal, GuidanceSession, Trainee, Unit
from app.models.methods import seed_id
from app.search.query import search
from app.store import Store, migrate, write
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
                Goal(title="Kymmenen koulutettua", method_id=IPC, target_value=10),
                Deployment(
                    unit_id=unit.id, method_id=IPC, phase="pilot", phase_since=dt.date(2026, 1, 4), notes="Pilotti viivästyi"
                ),
            ]
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
