"""Demo data: a fictional coordinator's records, for trying Koordi out and for benchmarks.

    fill(store, "normal" | "bench", seed)   used by `koordi demo`

"normal" is one coordinator's two years (about 25 units, events and guidance up to today,
some months planned ahead, about 130 follow-up survey rounds); "bench" is the load the pages
must stay fast under (500 units, 20 000 events, 100 000 guidance sessions, about 2 300 survey
rounds). The same seed gives the same data (on the same
day: dates run up to today). Everything is inserted with SQLAlchemy Core bulk inserts in one
transaction: the search index follows through its SQL triggers (its FTS part rebuilt once at
the end: app.store.search_index.deferred), and data_changed_at is set
here because Core inserts bypass the ORM's before_flush hook.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.demo import calendar, cohorts, indicators, organisation, surveys
from app.demo.context import SCALES, Demo, MethodInfo, Scale
from app.demo.vocabulary import DEFAULT_COUNTY, MUNICIPALITIES
from app.i18n import HELSINKI
from app.models import (
    CoordinatorProfile,
    Deployment,
    Event,
    EventMethod,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    Method,
    MonthlyFigure,
    PhaseChange,
    SessionTrainee,
    Setting,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    SurveySkip,
    Trainee,
    Unit,
    current_profile,
)
from app.store import CHANGED_KEY, Store, search_index, write

__all__ = ["SCALES", "NotEmpty", "NoMethods", "fill", "existing_records"]

# Tables whose rows make a data folder "not empty" (methods are seeded into every install).
RECORD_TABLES = ("units", "events", "trainees", "guidance_sessions", "deployments", "goals")
# Parents before children, for the foreign keys.
INSERT_ORDER = (
    CoordinatorProfile,
    Unit,
    Deployment,
    PhaseChange,
    Event,
    EventUnit,
    EventMethod,
    Trainee,
    GuidanceSession,
    SessionTrainee,
    Goal,
    GoalUpdate,
    MonthlyFigure,
    SurveyRound,
    SurveyRoundUnit,
    SurveyCount,
    SurveyMean,
    SurveySkip,
)
CHUNK = 10_000
# Child rows go in by their parent's id, every other row by its own id: each batch then
# walks its primary-key and parent indexes in order instead of at random (twice as fast).
PARENT_KEY = {
    EventUnit: "event_id",
    EventMethod: "event_id",
    SessionTrainee: "session_id",
    PhaseChange: "deployment_id",
    GoalUpdate: "goal_id",
    SurveyRoundUnit: "round_id",
    SurveyCount: "round_id",
    SurveyMean: "round_id",
    SurveySkip: "deployment_id",
    MonthlyFigure: "month",  # as the grid saves them: a month of every unit at a time
}
# 256 MB of page cache for the load (the default 2 MB thrashes on 100 000 random UUID keys).
LOAD_CACHE_KIB = 262_144


class NotEmpty(Exception):
    """The data folder already has records: demo data never mixes with real data."""

    def __init__(self, count: int):
        super().__init__(f"{count} records already")
        self.count = count


class NoMethods(Exception):
    """Every method of the catalogue is deleted or retired: nothing to build deployments on."""


@dataclass(frozen=True)
class Summary:
    units: int
    deployments: int
    events: int
    trainees: int
    sessions: int
    goals: int


def existing_records(db_path: Path) -> int:
    """Records in an existing database file, read-only (0 when there is no file or no tables yet).

    Looked at read-only before the store opens the file, so that a refusal leaves the data
    exactly as it was (opening may take a start-up backup or upgrade the schema).
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0  # the store's own checks say what is wrong with the file
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORD_TABLES if t in tables)
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def _count_records(s: Session) -> int:
    models = (Unit, Event, Trainee, GuidanceSession, Deployment, Goal)
    return sum(s.scalar(select(func.count()).select_from(m)) or 0 for m in models)


def _methods(s: Session) -> list[MethodInfo]:
    rows = s.execute(
        select(Method.id, Method.key, Method.target_group, Method.name_fi)
        .where(Method.deleted.is_(False), Method.retired.is_(False))
        .order_by(Method.name_fi, Method.id)
    )
    return [MethodInfo(*row) for row in rows]


def build(demo: Demo, with_profile: bool) -> None:
    """Collect every row in demo.rows (no database)."""
    if with_profile:
        organisation.add_profile(demo)
    organisation.add_units(demo)
    organisation.add_deployments(demo)
    group_events, group_sessions = cohorts.add_guidance(demo)
    calendar.add_one_off_events(demo, max(0, demo.scale.events - group_events))
    cohorts.add_individual_sessions(demo, max(0, demo.scale.sessions - group_sessions))
    organisation.add_goals(demo)
    surveys.add_rounds(demo)  # after the rest: the same seed keeps giving the same records before it
    indicators.add_figures(demo)  # monthly figures and indicator goals (issue 13), last for the same reason


def _insert(s: Session, rows: dict[type, list[dict]]) -> None:
    conn = s.connection()
    cache: int = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    try:
        for model in INSERT_ORDER:
            key = PARENT_KEY.get(model, "id")
            batch = sorted(rows.get(model, []), key=lambda row: row[key])
            for i in range(0, len(batch), CHUNK):
                s.execute(insert(model), batch[i : i + CHUNK])
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


def fill(store: Store, scale: str | Scale = "normal", seed: int = 1, today: dt.date | None = None) -> Summary:
    """Fill an empty store with demo data in one transaction; NotEmpty if it has records.

    `scale`: a name of SCALES, or a Scale of its own (the merge tests' four smaller coordinators)."""
    now = dt.datetime.now(dt.UTC)
    today = today or now.astimezone(HELSINKI).date()
    assert store.WriteSession is not None  # the store is open
    with store.WriteSession() as s, write(s):  # the count and the fill in one write transaction
        count = _count_records(s)
        if count:
            raise NotEmpty(count)
        methods = _methods(s)
        if not methods:
            raise NoMethods()
        profile = current_profile(s)
        county = profile.county if profile and profile.county in MUNICIPALITIES else DEFAULT_COUNTY
        demo = Demo(random.Random(seed), SCALES[scale] if isinstance(scale, str) else scale, today, now, county, methods)
        demo.instruments = surveys.catalogue(s)
        build(demo, with_profile=profile is None)
        with search_index.deferred(s):  # both FTS indexes built once at the end, not row by row
            _insert(s, demo.rows)
        s.merge(Setting(key=CHANGED_KEY, value=now.isoformat()))
    rows = demo.rows
    return Summary(
        units=len(rows.get(Unit, [])),
        deployments=len(rows.get(Deployment, [])),
        events=len(rows.get(Event, [])),
        trainees=len(rows.get(Trainee, [])),
        sessions=len(rows.get(GuidanceSession, [])),
        goals=len(rows.get(Goal, [])),
    )
