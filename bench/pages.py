"""Page render times at benchmark scale, beside the raw SQL for the same rows.

    .venv/bin/python bench/pages.py [--data-dir D] [--runs 20] [--warmup 3] [--query Q]

Without --data-dir it builds the benchmark data set (`koordi demo --scale bench`: 500
units, 20 000 events, 100 000 guidance sessions) in a temporary folder; with it, it
uses that folder, filling it first if it has no records yet. Then, for every list and
detail page, it renders the page through Flask's test client (logged in with the
launch token, like tests/conftest.AuthClient) `--warmup` times, then `--runs` times
measured, and runs hand-written SQL for the page's main rows with sqlite3 directly on
the database file the same number of times. Pages whose endpoint does not exist are
skipped with a note. Not a test: the figures depend on the machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `app` is imported from the repo

DB_NAME = "koordi.sqlite3"
PER_PAGE = 50  # app.web.listing.PER_PAGE
# What a render is timed with; bench/all.py --clock cpu sets time.process_time (a busy machine).
CLOCK = time.perf_counter


@dataclass(frozen=True)
class PageSpec:
    label: str
    endpoint: str
    url_args: dict[str, str]  # url_for argument -> sample key
    sql: tuple[tuple[str, dict], ...]  # (statement, extra parameters); :names come from samples()


def q(sql: str, **extra) -> tuple[str, dict]:
    return sql, extra


# The page's main rows, as one would write them by hand: the list's first page and its
# count, a record's own row and what its page lists. Not the app's exact queries (those
# also fetch choices for filters, labels...): the floor that the page's time stands on.
LIVE_DEPLOYMENTS = """
    FROM deployments d JOIN units u ON u.id = d.unit_id JOIN methods m ON m.id = d.method_id
    WHERE d.deleted = 0 AND u.deleted = 0 AND m.deleted = 0"""
UPCOMING_EVENTS = f"SELECT id FROM events WHERE deleted = 0 AND date >= :today ORDER BY date, start_time, id LIMIT {PER_PAGE}"
FIRST_TRAINEES = f"SELECT id FROM trainees WHERE deleted = 0 ORDER BY erased_at IS NOT NULL, name_key, id LIMIT {PER_PAGE}"
FIRST_SESSIONS = f"SELECT id FROM guidance_sessions WHERE deleted = 0 ORDER BY date DESC, created_at DESC, id LIMIT {PER_PAGE}"
LATEST_UPDATES = """
    SELECT goal_id, value, date, row_number() OVER (
        PARTITION BY goal_id ORDER BY date DESC, created_at DESC, id DESC) AS rank
    FROM goal_updates WHERE deleted = 0"""


SEARCH_KINDS = ("unit", "event", "trainee", "guidance", "goal", "deployment")
QUERY_FI = "saarimaki"  # typed without ä, in the base form: the demo's units are "Saarimäen …"


def _search_sql(kind: str, key: str = "query") -> tuple[tuple[str, dict], ...]:
    """What app.search does per kind at least: count the matches of its widest pass (inflected
    forms, without diacritics), then its first pass's 20 newest with highlights."""
    return (
        q(f"SELECT count(*) FROM search_index_folded WHERE search_index_folded MATCH :widest_{key}_{kind}"),
        q(
            "SELECT rowid, ref_id, highlight(search_index, 3, '[', ']'), snippet(search_index, 4, '[', ']', '…', 16) "
            f"FROM search_index WHERE search_index MATCH :first_{key}_{kind} ORDER BY rowid DESC LIMIT 20"
        ),
    )


def _search_params(key: str, query: str) -> dict[str, str]:
    from app.search.query import kind_expression, tiers

    passes = tiers(query)
    return {
        **{f"widest_{key}_{kind}": kind_expression(kind, passes[-1]) for kind in SEARCH_KINDS},
        **{f"first_{key}_{kind}": kind_expression(kind, passes[0]) for kind in SEARCH_KINDS},
    }


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        "Dashboard /",
        "dashboard.index",
        {},
        (
            q(
                "SELECT * FROM events WHERE deleted = 0 AND date BETWEEN :monday AND :sunday ORDER BY date, start_time, id LIMIT 15"
            ),
            q(
                "SELECT * FROM events WHERE deleted = 0 AND date BETWEEN :next_monday AND :next_sunday "
                "ORDER BY date, start_time, id LIMIT 15"
            ),
            q("SELECT count(*) FROM events WHERE deleted = 0 AND date BETWEEN :monday AND :next_sunday"),
            q("SELECT d.phase, count(*)" + LIVE_DEPLOYMENTS + " GROUP BY d.phase"),
            q(
                "SELECT count(*), sum(duration_minutes) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN :month_start AND :today"
            ),
            q(
                "SELECT count(*), sum(duration_minutes) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN :year_start AND :today"
            ),
            q(
                "SELECT * FROM goals WHERE deleted = 0 AND status = 'open' AND target_date <= :due_by ORDER BY target_date, title LIMIT 15"
            ),
            # Units without contact the way the app asks: the window's events first, then
            # guidance only for the units left (app.queries.dashboard.units_without_contact).
            q("""WITH met AS (
                SELECT DISTINCT a.unit_id FROM events e JOIN event_attendance a ON a.event_id = e.id
                WHERE e.date BETWEEN :since AND :today AND e.status != 'cancelled' AND e.deleted = 0 AND a.deleted = 0),
             left_over AS (SELECT id FROM units WHERE deleted = 0 AND active = 1 AND id NOT IN met)
             SELECT u.id, u.name FROM units u WHERE u.id IN left_over AND NOT EXISTS (
                SELECT 1 FROM trainees t JOIN guidance_attendance st ON st.trainee_id = t.id AND st.deleted = 0
                JOIN guidance_sessions g ON g.id = st.session_id AND g.deleted = 0 AND g.date BETWEEN :since AND :today
                WHERE t.unit_id = u.id AND t.deleted = 0)"""),
        ),
    ),
    PageSpec(
        "Units",
        "units.index",
        {},
        (
            q(f"SELECT * FROM units WHERE deleted = 0 ORDER BY name_key, id LIMIT {PER_PAGE}"),
            q("SELECT count(*) FROM units WHERE deleted = 0"),
        ),
    ),
    PageSpec(
        "Unit page",
        "units.detail",
        {"id": "unit"},
        (
            q("SELECT * FROM units WHERE id = :unit"),
            q(
                "SELECT d.*, m.name_fi FROM deployments d JOIN methods m ON m.id = d.method_id "
                "WHERE d.unit_id = :unit AND d.deleted = 0 ORDER BY d.phase_since DESC, d.id"
            ),
            q(
                "SELECT e.*, a.professionals, a.supervisors, a.others FROM event_attendance a JOIN events e ON e.id = a.event_id "
                "WHERE a.unit_id = :unit AND a.deleted = 0 AND e.deleted = 0 AND e.date < :today "
                "ORDER BY e.date DESC, e.start_time DESC, e.id LIMIT 10"
            ),
            q(
                "SELECT e.*, a.professionals, a.supervisors, a.others FROM event_attendance a JOIN events e ON e.id = a.event_id "
                "WHERE a.unit_id = :unit AND a.deleted = 0 AND e.deleted = 0 AND e.date >= :today "
                "ORDER BY e.date, e.start_time, e.id LIMIT 10"
            ),
            q("""SELECT t.id, t.name, m.name_fi, count(g.id), coalesce(sum(g.duration_minutes), 0)
             FROM trainees t JOIN methods m ON m.id = t.method_id
             LEFT JOIN guidance_attendance st ON st.trainee_id = t.id AND st.deleted = 0
             LEFT JOIN guidance_sessions g ON g.id = st.session_id AND g.deleted = 0
             WHERE t.unit_id = :unit AND t.deleted = 0 GROUP BY t.id ORDER BY t.name_key, t.id"""),
            q(
                f"SELECT g.*, l.value, l.date FROM goals g LEFT JOIN ({LATEST_UPDATES}) l ON l.goal_id = g.id AND l.rank = 1 "
                "WHERE g.unit_id = :unit AND g.deleted = 0 ORDER BY g.target_date IS NULL, g.target_date, g.title"
            ),
        ),
    ),
    PageSpec(
        "Methods",
        "methods.index",
        {},
        (
            q(f"SELECT * FROM methods WHERE deleted = 0 AND retired = 0 ORDER BY lower(name_fi), id LIMIT {PER_PAGE}"),
            q("SELECT count(*) FROM methods WHERE deleted = 0 AND retired = 0"),
        ),
    ),
    PageSpec(
        "Method page",
        "methods.detail",
        {"id": "method"},
        (
            q("SELECT * FROM methods WHERE id = :method"),
            q(
                "SELECT d.*, u.name FROM deployments d JOIN units u ON u.id = d.unit_id "
                "WHERE d.method_id = :method AND d.deleted = 0 AND u.deleted = 0 ORDER BY u.name_key, d.id"
            ),
            q(
                "SELECT count(DISTINCT em.event_id) FROM event_methods em JOIN events e ON e.id = em.event_id "
                "WHERE em.method_id = :method AND em.deleted = 0 AND e.deleted = 0"
            ),
            q("SELECT count(*) FROM guidance_sessions WHERE method_id = :method AND deleted = 0"),
            q("SELECT count(*) FROM trainees WHERE method_id = :method AND deleted = 0"),
        ),
    ),
    PageSpec(
        "Deployments",
        "deployments.index",
        {},
        (
            q(f"SELECT d.*, u.name, m.name_fi {LIVE_DEPLOYMENTS} ORDER BY u.name_key, lower(m.name_fi), d.id LIMIT {PER_PAGE}"),
            q("SELECT count(*)" + LIVE_DEPLOYMENTS),
        ),
    ),
    PageSpec(
        "Deployment board",
        "deployments.board",
        {},
        (
            q(f"""SELECT * FROM (SELECT d.*, u.name, m.name_fi, row_number() OVER (
                PARTITION BY d.phase ORDER BY d.phase_since DESC, u.name_key, d.id) AS rank {LIVE_DEPLOYMENTS})
              WHERE rank <= 25 ORDER BY rank"""),
            q("SELECT d.phase, count(*)" + LIVE_DEPLOYMENTS + " GROUP BY d.phase"),
        ),
    ),
    PageSpec(
        "Deployment page",
        "deployments.detail",
        {"id": "deployment"},
        (
            q(
                "SELECT d.*, u.name, m.name_fi FROM deployments d JOIN units u ON u.id = d.unit_id "
                "JOIN methods m ON m.id = d.method_id WHERE d.id = :deployment"
            ),
            q(
                "SELECT * FROM deployment_phases WHERE deployment_id = :deployment AND deleted = 0 "
                "ORDER BY changed_on, created_at, id"
            ),
        ),
    ),
    PageSpec(
        "Events",
        "events.index",
        {},
        (
            q(UPCOMING_EVENTS.replace("SELECT id", "SELECT *")),
            q("SELECT count(*), sum(date >= :today) FROM events WHERE deleted = 0"),
            q(
                f"SELECT a.event_id, u.name FROM event_attendance a JOIN units u ON u.id = a.unit_id "
                f"WHERE a.deleted = 0 AND a.event_id IN ({UPCOMING_EVENTS})"
            ),
        ),
    ),
    PageSpec(
        "Event page",
        "events.detail",
        {"id": "event"},
        (
            q("SELECT * FROM events WHERE id = :event"),
            q(
                "SELECT a.*, u.name FROM event_attendance a JOIN units u ON u.id = a.unit_id "
                "WHERE a.event_id = :event AND a.deleted = 0 ORDER BY u.name_key"
            ),
            q(
                "SELECT m.name_fi FROM event_methods em JOIN methods m ON m.id = em.method_id "
                "WHERE em.event_id = :event AND em.deleted = 0"
            ),
            q(
                "SELECT id, date, start_time, status FROM events "
                "WHERE series_id = (SELECT series_id FROM events WHERE id = :event) AND deleted = 0 ORDER BY date, start_time"
            ),
        ),
    ),
    PageSpec(
        "Annual plan",
        "events.plan",
        {},
        (
            q(
                "SELECT coalesce(nullif(theme, ''), type), CAST(strftime('%m', date) AS INTEGER) AS month, status, count(*) "
                "FROM events WHERE deleted = 0 AND date BETWEEN :year_start AND :year_end GROUP BY 1, 2, 3"
            ),
        ),
    ),
    PageSpec(
        "Trainees",
        "guidance.trainees",
        {},
        (
            q(
                f"SELECT t.*, u.name FROM trainees t LEFT JOIN units u ON u.id = t.unit_id WHERE t.deleted = 0 "
                f"ORDER BY t.erased_at IS NOT NULL, t.name_key, t.id LIMIT {PER_PAGE}"
            ),
            q("SELECT count(*) FROM trainees WHERE deleted = 0"),
            q(f"""SELECT st.trainee_id, count(DISTINCT g.id), sum(g.duration_minutes)
              FROM guidance_attendance st JOIN guidance_sessions g ON g.id = st.session_id AND g.deleted = 0
              WHERE st.deleted = 0 AND st.trainee_id IN ({FIRST_TRAINEES}) GROUP BY st.trainee_id"""),
            q("SELECT DISTINCT cohort FROM trainees WHERE deleted = 0 AND cohort != ''"),
        ),
    ),
    PageSpec(
        "Trainee page",
        "guidance.trainee",
        {"id": "trainee"},
        (
            q("SELECT t.*, u.name FROM trainees t LEFT JOIN units u ON u.id = t.unit_id WHERE t.id = :trainee"),
            q(f"""SELECT g.* FROM guidance_sessions g WHERE g.deleted = 0 AND g.id IN (
                SELECT session_id FROM guidance_attendance WHERE trainee_id = :trainee AND deleted = 0)
              ORDER BY g.date DESC, g.created_at DESC, g.id LIMIT {PER_PAGE}"""),
            q("""SELECT count(*), sum(g.duration_minutes) FROM guidance_sessions g WHERE g.deleted = 0 AND g.id IN (
                SELECT session_id FROM guidance_attendance WHERE trainee_id = :trainee AND deleted = 0)"""),
        ),
    ),
    PageSpec(
        "Guidance sessions",
        "guidance.sessions",
        {},
        (
            q(FIRST_SESSIONS.replace("SELECT id", "SELECT *")),
            q("SELECT count(*), sum(duration_minutes) FROM guidance_sessions WHERE deleted = 0"),
            q(
                f"SELECT session_id, count(DISTINCT trainee_id) FROM guidance_attendance "
                f"WHERE deleted = 0 AND session_id IN ({FIRST_SESSIONS}) GROUP BY session_id"
            ),
        ),
    ),
    PageSpec(
        "Guidance session page",
        "guidance.session_detail",
        {"id": "session"},
        (
            q("SELECT * FROM guidance_sessions WHERE id = :session"),
            q(
                "SELECT t.* FROM trainees t JOIN guidance_attendance st ON st.trainee_id = t.id "
                "WHERE st.session_id = :session AND st.deleted = 0 ORDER BY t.name_key"
            ),
        ),
    ),
    PageSpec(
        "New session form",
        "guidance.new_session",
        {},
        (
            q("SELECT * FROM guidance_sessions WHERE deleted = 0 ORDER BY updated_at DESC LIMIT 20"),
            q(
                "SELECT * FROM trainees WHERE method_id = :method AND deleted = 0 AND erased_at IS NULL "
                "AND (start_date IS NULL OR start_date <= :today) AND (end_date IS NULL OR end_date >= :today) "
                "ORDER BY name_key, id"
            ),
        ),
    ),
    PageSpec(
        "Goals",
        "goals.index",
        {},
        (
            q(f"""SELECT g.*, u.name, m.name_fi, l.value, l.date FROM goals g
              LEFT JOIN units u ON u.id = g.unit_id LEFT JOIN methods m ON m.id = g.method_id
              LEFT JOIN ({LATEST_UPDATES}) l ON l.goal_id = g.id AND l.rank = 1
              WHERE g.deleted = 0 ORDER BY g.target_date IS NULL, g.target_date, g.title, g.id LIMIT {PER_PAGE}"""),
            q("SELECT count(*) FROM goals WHERE deleted = 0"),
        ),
    ),
    PageSpec(
        "Goal page",
        "goals.detail",
        {"id": "goal"},
        (
            q(
                "SELECT g.*, u.name, m.name_fi FROM goals g LEFT JOIN units u ON u.id = g.unit_id "
                "LEFT JOIN methods m ON m.id = g.method_id WHERE g.id = :goal"
            ),
            q("SELECT * FROM goal_updates WHERE goal_id = :goal AND deleted = 0 ORDER BY date DESC, created_at DESC, id DESC"),
        ),
    ),
    # Indicators (issue 13): the catalogue, the monthly figures grid (a method's units × six months,
    # and one unit's methods × six months), and a goal on an indicator with its chart.
    PageSpec(
        "Indicators",
        "indicators.index",
        {},
        (
            q("SELECT * FROM indicators WHERE deleted = 0 AND retired = 0 ORDER BY key IS NULL, created_at, name_fi"),
            q("SELECT indicator_id, count(*) FROM monthly_figures WHERE deleted = 0 GROUP BY indicator_id"),
        ),
    ),
    PageSpec(
        "Figures grid (units)",
        "indicators.figures",
        {"id": "indicator"},
        (
            q(
                "SELECT u.id, u.name FROM units u WHERE u.deleted = 0 AND u.active = 1 AND u.id IN ("
                f"SELECT unit_id FROM deployments WHERE method_id = :grid_method AND deleted = 0) ORDER BY u.name_key LIMIT {PER_PAGE}"
            ),
            q(
                "SELECT * FROM monthly_figures WHERE indicator_id = :indicator AND deleted = 0 AND method_id = :grid_method "
                "AND month BETWEEN :grid_first AND :grid_last"
            ),
        ),
    ),
    PageSpec(
        "Figures grid (one unit)",
        "indicators.figures",
        {"id": "indicator", "unit": "figures_unit"},
        (
            q(
                "SELECT * FROM methods WHERE deleted = 0 AND id IN (SELECT method_id FROM deployments WHERE unit_id = :figures_unit)"
            ),
            q(
                "SELECT * FROM monthly_figures WHERE indicator_id = :indicator AND unit_id = :figures_unit AND deleted = 0 "
                "AND month BETWEEN :grid_first AND :grid_last"
            ),
        ),
    ),
    PageSpec(
        "Goal page (indicator)",
        "goals.detail",
        {"id": "indicator_goal"},
        (
            q(
                "SELECT g.*, u.name, m.name_fi FROM goals g LEFT JOIN units u ON u.id = g.unit_id "
                "LEFT JOIN methods m ON m.id = g.method_id WHERE g.id = :indicator_goal"
            ),
            q(
                "SELECT f.unit_id, f.method_id, f.month, f.value_milli, f.n FROM monthly_figures f "
                "JOIN goals g ON g.id = :indicator_goal WHERE f.indicator_id = g.indicator_id AND f.deleted = 0 "
                "AND (g.unit_id IS NULL OR f.unit_id = g.unit_id) AND (g.method_id IS NULL OR f.method_id = g.method_id)"
            ),
        ),
    ),
    PageSpec("Search", "search.index", {"q": "query"}, tuple(s for kind in SEARCH_KINDS for s in _search_sql(kind))),
    PageSpec(
        "Search, inflected, no ä",
        "search.index",
        {"q": "query_fi"},
        tuple(s for k in SEARCH_KINDS for s in _search_sql(k, "query_fi")),
    ),
)


@dataclass
class Result:
    label: str
    url: str
    render: list[float] = field(default_factory=list)  # seconds
    raw: list[float] = field(default_factory=list)
    rows: int = 0
    note: str = ""


def fill_if_empty(data_dir: Path, seed: int) -> None:
    from app import demo
    from app.store import Store
    from app.store.lock import InstanceLock

    if demo.existing_records(data_dir / DB_NAME):
        print(f"Using the data in {data_dir}.")
        return
    lock = InstanceLock(data_dir)
    if not lock.acquire():
        sys.exit(f"Koordi is running on {data_dir}; close it first.")
    try:
        started = time.perf_counter()
        store = Store.open(data_dir)
        try:
            summary = demo.fill(store, "bench", seed)
        finally:
            store.dispose()
        print(f"Built the bench data set in {time.perf_counter() - started:.1f} s: {summary}")
    finally:
        lock.release()


def samples(conn: sqlite3.Connection, today: dt.date, query: str) -> dict[str, object]:
    """The records the detail pages show: the busiest of each kind (the worst case)."""

    def one(sql: str) -> str | None:
        row = conn.execute(sql).fetchone()
        return row[0] if row else None

    monday = today - dt.timedelta(days=today.weekday())
    return {
        "today": today.isoformat(),
        "monday": monday.isoformat(),
        "sunday": (monday + dt.timedelta(days=6)).isoformat(),
        "next_monday": (monday + dt.timedelta(days=7)).isoformat(),
        "next_sunday": (monday + dt.timedelta(days=13)).isoformat(),
        "since": (today - dt.timedelta(weeks=6)).isoformat(),
        "month_start": today.replace(day=1).isoformat(),
        "year_start": dt.date(today.year, 1, 1).isoformat(),
        "year_end": dt.date(today.year, 12, 31).isoformat(),
        "due_by": (today + dt.timedelta(days=60)).isoformat(),
        "year": today.year,
        "query": query,
        # app.search's MATCH expressions: the kind's live rows, its widest and its first pass.
        "query_fi": QUERY_FI,
        **_search_params("query", query),
        **_search_params("query_fi", QUERY_FI),
        "unit": one("SELECT unit_id FROM event_attendance GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1"),
        "method": one(
            "SELECT method_id FROM guidance_sessions WHERE deleted = 0 GROUP BY method_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "deployment": one("SELECT deployment_id FROM deployment_phases GROUP BY deployment_id ORDER BY count(*) DESC LIMIT 1"),
        "event": one(
            "SELECT e.id FROM events e JOIN event_attendance a ON a.event_id = e.id "
            "WHERE e.deleted = 0 AND e.series_id IS NOT NULL GROUP BY e.id ORDER BY count(*) DESC, e.date DESC LIMIT 1"
        ),
        "trainee": one("SELECT trainee_id FROM guidance_attendance GROUP BY trainee_id ORDER BY count(*) DESC LIMIT 1"),
        "session": one("SELECT session_id FROM guidance_attendance GROUP BY session_id ORDER BY count(*) DESC LIMIT 1"),
        "goal": one("SELECT goal_id FROM goal_updates GROUP BY goal_id ORDER BY count(*) DESC LIMIT 1"),
        # The indicator with the most figures, the method its grid opens on (the most deployed), a
        # unit with the most figures, and a county-wide indicator goal (the most figures to add up).
        "indicator": one(
            "SELECT indicator_id FROM monthly_figures WHERE deleted = 0 GROUP BY indicator_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "grid_method": one(
            "SELECT method_id FROM deployments WHERE deleted = 0 GROUP BY method_id ORDER BY count(DISTINCT unit_id) DESC LIMIT 1"
        ),
        "figures_unit": one(
            "SELECT unit_id FROM monthly_figures WHERE deleted = 0 AND method_id IS NOT NULL "
            "GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1"
        ),
        "indicator_goal": one(
            "SELECT id FROM goals WHERE indicator_id IS NOT NULL AND deleted = 0 "
            "ORDER BY unit_id IS NOT NULL, method_id IS NOT NULL LIMIT 1"
        ),
        "grid_first": _months_back(today, 6).isoformat(),
        "grid_last": _months_back(today, 1).isoformat(),
    }


def _months_back(today: dt.date, count: int) -> dt.date:
    index = today.year * 12 + today.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def time_raw(conn: sqlite3.Connection, statements, params: dict, runs: int, warmup: int) -> tuple[list[float], int]:
    rows = 0
    times = []
    for i in range(warmup + runs):
        started = CLOCK()
        rows = 0
        for sql, extra in statements:
            rows += len(conn.execute(sql, {**params, **extra}).fetchall())
        if i >= warmup:
            times.append(CLOCK() - started)
    return times, rows


def time_page(client, url: str, runs: int, warmup: int) -> tuple[list[float], str]:
    times = []
    for i in range(warmup + runs):
        started = CLOCK()
        response = client.get(url)
        response.get_data()
        elapsed = CLOCK() - started
        if response.status_code != 200:
            return [], f"HTTP {response.status_code}"
        if i >= warmup:
            times.append(elapsed)
    return times, ""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def run(data_dir: Path, runs: int, warmup: int, query: str) -> list[Result]:
    from flask import url_for

    from app import create_app
    from app.i18n import HELSINKI

    app = create_app({"DATA_DIR": data_dir, "ALLOWED_HOSTS": ["localhost"]})
    client = app.test_client()
    client.get("/?token=" + app.config["ACCESS_TOKEN"])  # the launch URL sets the session cookie
    today = dt.datetime.now(HELSINKI).date()
    conn = sqlite3.connect(f"{(data_dir / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
    params = samples(conn, today, query)
    results = []
    try:
        for page in PAGES:
            result = Result(page.label, "")
            results.append(result)
            if page.endpoint not in app.view_functions:
                result.note = f"no endpoint {page.endpoint} yet: skipped"
                continue
            args = {name: params[key] for name, key in page.url_args.items()}
            if any(v is None for v in args.values()):
                result.note = "no record to show: skipped"
                continue
            with app.test_request_context():
                result.url = url_for(page.endpoint, **args)
            result.render, result.note = time_page(client, result.url, runs, warmup)
            result.raw, result.rows = time_raw(conn, page.sql, params, runs, warmup)
    finally:
        conn.close()
        app.extensions["koordi.store"].dispose()
    results.append(after_a_send(data_dir, params, runs, warmup))
    return results


SENT_DAYS_AGO = 30  # the last send to the central office: a month's changes are waiting


def after_a_send(data_dir: Path, params: dict, runs: int, warmup: int) -> Result:
    """The dashboard of a coordinator who has sent to the central office (every one, after the
    first send): it also counts what the next send holds. On a copy of the database with a send
    recorded SENT_DAYS_AGO days ago; the data set itself is left as it is."""
    from app import create_app
    from app.exchange import format as fmt

    result = Result("Dashboard / after a send", "/")
    sent = (dt.datetime.now(dt.UTC) - dt.timedelta(days=SENT_DAYS_AGO)).replace(tzinfo=None)
    counts = " UNION ALL ".join(
        f"SELECT count(*) FROM {spec.model.__tablename__} WHERE updated_at >= :sent" for spec in fmt.TABLES
    )
    dashboard = next(page for page in PAGES if page.endpoint == "dashboard.index")
    with tempfile.TemporaryDirectory(prefix="koordi-pages-sent-") as tmp:
        copy = Path(tmp)
        source = sqlite3.connect(f"{(data_dir / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(copy / DB_NAME)
        try:
            source.backup(target)
            coordinator = target.execute("SELECT id FROM coordinator_profile WHERE deleted = 0").fetchone()[0]
            target.execute(
                "INSERT INTO sync_history (at, purpose, kind, since, notes_included, names_included, recipient, "
                "file_name, export_id, coordinator_id, rows, changes) VALUES (?, 'central', 'full', NULL, 0, 0, "
                "'office@example.org', 'bench.zip', '00000000-0000-4000-8000-000000000000', ?, '{}', NULL)",
                (sent.isoformat(sep=" "), coordinator),
            )
            target.commit()
        finally:
            source.close()
            target.close()
        app = create_app({"DATA_DIR": copy, "ALLOWED_HOSTS": ["localhost"]})
        conn = sqlite3.connect(f"{(copy / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
        try:
            client = app.test_client()
            client.get("/?token=" + app.config["ACCESS_TOKEN"])
            result.render, result.note = time_page(client, "/", runs, warmup)
            floor = (*dashboard.sql, q(counts))
            result.raw, result.rows = time_raw(conn, floor, {**params, "sent": sent.isoformat(sep=" ")}, runs, warmup)
        finally:
            conn.close()
            app.extensions["koordi.store"].dispose()
    return result


def report(results: list[Result], data_dir: Path) -> None:
    ms = lambda seconds: f"{seconds * 1000:.1f}"  # noqa: E731
    width = max(len(r.label) for r in results)
    print()
    print(f"{'page':<{width}}  {'median ms':>9}  {'p95 ms':>7}  {'raw SQL ms':>10}  {'rows':>6}  url")
    print("-" * (width + 48))
    for r in results:
        if not r.render:
            print(f"{r.label:<{width}}  {'-':>9}  {'-':>7}  {'-':>10}  {'-':>6}  {r.url}  ({r.note})")
            continue
        print(
            f"{r.label:<{width}}  {ms(statistics.median(r.render)):>9}  {ms(p95(r.render)):>7}  "
            f"{ms(statistics.median(r.raw)):>10}  {r.rows:>6}  {r.url}"
        )
    db = data_dir / DB_NAME
    size = sum(p.stat().st_size for p in (db, db.with_name(DB_NAME + "-wal")) if p.exists())
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("units", "events", "guidance_sessions", "trainees")
    }
    conn.close()
    print()
    print(f"Database: {size / 1024 / 1024:.1f} MB ({db})")
    print("Rows: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    slow = [r.label for r in results if r.render and statistics.median(r.render) >= 0.1]
    if slow:
        print("Over 100 ms (median): " + ", ".join(slow))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="use (and if empty, fill) this data folder")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--query", default="terveysasema", help="what /search looks for")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koordi-pages-") as tmp:
        data_dir = args.data_dir or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        fill_if_empty(data_dir, args.seed)
        results = run(data_dir, args.runs, args.warmup, args.query)
        report(results, data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
