"""`koordi demo`: an empty data folder filled with a fictional coordinator's two years.

The normal scale is built once per module (through the real command) and looked at from
every side: magnitudes, shapes, no identity codes, search index, the pages a user opens.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from app import create_app
from app.cli import cli
from app.core import hetu
from app.core import survey_schedule as rules
from app.core.holidays import is_working_day
from app.core.instruments import SEEDED
from app.core.scoring import score_counts
from app.core.text import fold
from app.demo import fill
from app.models.events import EVENT_TYPES
from app.models.units import SERVICE_LINES
from app.queries.survey_schedule import schedule
from app.settings.ops import ProfileData, save_profile
from app.store import Store
from app.store.engine import make_engine
from app.store.lock import InstanceLock
from app.units.ops import UnitData, create_unit
from tests.conftest import ROOT, AuthClient, koordi_env

DB = "koordi.sqlite3"


def koordi(*args: str) -> subprocess.CompletedProcess:
    """The real command line, in English, as a coordinator would run it."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=koordi_env(),
        cwd=ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def rows(folder: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(folder / DB)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count(folder: Path, table: str) -> int:
    return rows(folder, f"SELECT count(*) FROM {table}")[0][0]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    result = CliRunner().invoke(cli, ["demo", "--data-dir", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def today() -> dt.date:
    from app.i18n import HELSINKI

    return dt.datetime.now(HELSINKI).date()


# -- magnitudes and shapes ------------------------------------------------------------


def test_one_coordinator_with_about_25_units_of_every_service_line(demo_dir):
    units = rows(demo_dir, "SELECT name, name_key, service_line, municipality FROM units")
    assert 20 <= len(units) <= 30
    assert {u[2] for u in units} == set(SERVICE_LINES)
    assert len({u[0] for u in units}) == len(units)  # no two units share a name
    assert all(key == fold(name) for name, key, _line, _m in units)
    profile = rows(demo_dir, "SELECT name, role, county, central_office_email FROM coordinator_profile")
    assert len(profile) == 1
    name, role, county, email = profile[0]
    assert name and role == "both" and county == "lansi-uusimaa" and email == "keskus@example.org"
    # Real municipalities of the coordinator's own county.
    assert {u[3] for u in units} <= {
        "Espoo",
        "Kauniainen",
        "Lohja",
        "Kirkkonummi",
        "Vihti",
        "Raasepori",
        "Hanko",
        "Inkoo",
        "Siuntio",
        "Karkkila",
    }


def test_two_years_of_events_held_with_attendance_and_months_planned_ahead(demo_dir, today):
    first, last = (dt.date.fromisoformat(d) for d in rows(demo_dir, "SELECT min(date), max(date) FROM events")[0])
    assert (today - first).days >= 700
    assert 90 <= (last - today).days <= 200
    assert 300 <= count(demo_dir, "events") <= 600
    by_type = Counter(t for (t,) in rows(demo_dir, "SELECT type FROM events"))
    assert set(by_type) == set(EVENT_TYPES)
    past = Counter(s for (s,) in rows(demo_dir, "SELECT status FROM events WHERE date < ?", today.isoformat()))
    future = Counter(s for (s,) in rows(demo_dir, "SELECT status FROM events WHERE date > ?", today.isoformat()))
    assert past["held"] > 0.8 * sum(past.values()) and past["cancelled"] > 0
    assert set(future) <= {"planned", "cancelled"} and future["planned"] > 0.9 * sum(future.values())
    # Held events say who came from which unit, and many have feedback (whole hundredths, 1-5).
    attended = rows(
        demo_dir,
        """SELECT count(*) FROM event_attendance a JOIN events e ON e.id = a.event_id
                                 WHERE e.status = 'held' AND a.professionals IS NOT NULL""",
    )[0][0]
    assert attended > count(demo_dir, "events") / 2
    feedback = rows(demo_dir, "SELECT feedback_avg_centi, feedback_count FROM events WHERE feedback_avg_centi IS NOT NULL")
    assert len(feedback) > 50
    assert all(100 <= avg <= 500 and isinstance(avg, int) and n >= 1 for avg, n in feedback)
    assert not rows(demo_dir, "SELECT 1 FROM events WHERE status != 'held' AND feedback_avg_centi IS NOT NULL")


def test_guidance_groups_meet_every_three_weeks_as_one_series(demo_dir):
    series = rows(
        demo_dir,
        """SELECT series_id, group_concat(date) FROM
                               (SELECT series_id, date FROM events WHERE type = 'guidance_group'
                                AND series_id IS NOT NULL ORDER BY date) GROUP BY series_id""",
    )
    assert len(series) >= 6
    for _series_id, dates in series:
        days = [dt.date.fromisoformat(d) for d in dates.split(",")]
        assert len(days) >= 2
        # Every three weeks; a meeting that falls on a public holiday is skipped.
        assert {(b - a).days % 21 for a, b in zip(days, days[1:])} == {0}
        assert [(b - a).days for a, b in zip(days, days[1:])].count(21) >= len(days) // 2


def test_nothing_is_held_on_a_weekend_or_a_public_holiday(demo_dir):
    """No workshop on Christmas Day, no guidance on Midsummer Eve or a Saturday."""
    events = rows(demo_dir, "SELECT date, title FROM events")
    sessions = rows(demo_dir, "SELECT date, kind FROM guidance_sessions")
    days_off = [(day, what) for day, what in events + sessions if not is_working_day(dt.date.fromisoformat(day))]
    assert not days_off, days_off[:10]


def test_trainees_in_cohorts_with_group_and_individual_sessions(demo_dir, today):
    trainees = rows(demo_dir, "SELECT name, name_key, cohort, start_date, end_date FROM trainees")
    assert 40 <= len(trainees) <= 120
    assert all(key == fold(name) for name, key, *_rest in trainees)
    assert all(cohort and start < end for _n, _k, cohort, start, end in trainees)
    assert len({t[2] for t in trainees}) >= 6
    kinds = Counter(k for (k,) in rows(demo_dir, "SELECT kind FROM guidance_sessions"))
    assert kinds["group"] >= 50 and kinds["individual"] >= 100
    assert rows(demo_dir, "SELECT max(date) FROM guidance_sessions")[0][0] <= today.isoformat()  # logged afterwards
    # Everyone present is a trainee of the session's method; individual sessions have one person.
    assert not rows(
        demo_dir,
        """SELECT 1 FROM guidance_attendance a JOIN guidance_sessions g ON g.id = a.session_id
                                 JOIN trainees t ON t.id = a.trainee_id WHERE t.method_id != g.method_id""",
    )
    present = rows(
        demo_dir,
        """SELECT g.kind, count(a.id) FROM guidance_sessions g
                                LEFT JOIN guidance_attendance a ON a.session_id = g.id GROUP BY g.id""",
    )
    assert all(n == 1 for kind, n in present if kind == "individual")
    assert all(n >= 1 for kind, n in present if kind == "group")


def test_deployments_have_their_phase_history_in_date_order(demo_dir):
    deployments = rows(demo_dir, "SELECT id, phase, phase_since FROM deployments")
    assert len(deployments) >= 25
    assert len({d[1] for d in deployments}) >= 5
    for deployment_id, phase, since in deployments:
        history = rows(
            demo_dir,
            "SELECT phase, changed_on FROM deployment_phases WHERE deployment_id = ? ORDER BY changed_on, rowid",
            deployment_id,
        )
        assert history[0][0] == "planned"
        assert [d for _p, d in history] == sorted(d for _p, d in history)
        assert history[-1] == (phase, since)
    # Never two active deployments of one method in one unit (the app refuses that too).
    assert not rows(
        demo_dir,
        """SELECT unit_id, method_id FROM deployments WHERE phase != 'ended'
                                 GROUP BY unit_id, method_id HAVING count(*) > 1""",
    )


def test_goals_have_a_history_of_updates(demo_dir):
    assert 8 <= count(demo_dir, "goals") <= 20
    updates = rows(demo_dir, "SELECT goal_id, date, value FROM goal_updates ORDER BY goal_id, date")
    assert len({u[0] for u in updates}) >= 5
    statuses = {s for (s,) in rows(demo_dir, "SELECT status FROM goals")}
    assert "open" in statuses and len(statuses) >= 2


def test_timestamps_are_utc_and_never_in_the_future(demo_dir):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(" ")
    for table in ("units", "events", "trainees", "guidance_sessions", "goals", "deployments"):
        newest, bad = rows(demo_dir, f"SELECT max(updated_at), sum(created_at > updated_at) FROM {table}")[0]
        assert newest <= now and not bad, table


# -- follow-up survey rounds ----------------------------------------------------------------


def _round_counts(folder: Path) -> dict[str, dict[str, dict[str, int]]]:
    """{round id: {item code: {option: count}}} as stored."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for round_id, code, option, n in rows(
        folder,
        """SELECT c.round_id, i.code, c.option, c.count FROM survey_counts c
                                                     JOIN instrument_items i ON i.id = c.item_id WHERE c.deleted = 0""",
    ):
        out.setdefault(round_id, {}).setdefault(code, {})[option] = n
    return out


def test_survey_rounds_hold_counts_that_add_up_to_those_who_answered(demo_dir):
    rounds = {
        r[0]: r[1:]
        for r in rows(
            demo_dir,
            """SELECT r.id, r.answered, r.invited, r.means_only, i.key
                                                     FROM survey_rounds r JOIN instruments i ON i.id = r.instrument_id""",
        )
    }
    assert 60 <= len(rounds) <= 300
    counts = _round_counts(demo_dir)
    assert set(counts) == {rid for rid, (_a, _i, means_only, _k) in rounds.items() if not means_only}
    blanks = 0
    for round_id, by_item in counts.items():
        answered, invited, _means_only, key = rounds[round_id]
        assert invited is None or answered <= invited
        assert len(by_item) == {"nomad-20": 23, "nomad-fi-16": 19, "sus": 10, "umux-lite": 2}[key]
        for by_option in by_item.values():
            # Every respondent is counted once per item: an answer, a "not relevant" or a blank.
            assert sum(by_option.values()) == answered and all(n > 0 for n in by_option.values())
            blanks += "blank" in by_option
    assert blanks > 0
    # Means-only rounds (a Zef summary): a mean on the item's scale and n for each item, no counts.
    means = rows(
        demo_dir,
        """SELECT m.round_id, m.mean_milli, m.n, r.answered FROM survey_means m
                              JOIN survey_rounds r ON r.id = m.round_id""",
    )
    assert {m[0] for m in means} == {rid for rid, r in rounds.items() if r[2]} != set()
    assert all(1000 <= mean <= 5000 and 0 < n <= answered for _r, mean, n, answered in means)
    # Every round names its method and at least one unit; a few cover a method across units.
    per_round = Counter(r for (r,) in rows(demo_dir, "SELECT round_id FROM survey_round_units"))
    assert set(per_round) == set(rounds)
    assert not rows(demo_dir, "SELECT 1 FROM survey_rounds WHERE method_id IS NULL")


def test_nomad_in_june_and_october_usability_after_the_start_and_a_few_small_rounds(demo_dir, today):
    by_key = Counter()
    months = set()
    for key, day in rows(
        demo_dir,
        """SELECT i.key, r.date FROM survey_rounds r
                                    JOIN instruments i ON i.id = r.instrument_id""",
    ):
        by_key[key] += 1
        assert day <= today.isoformat()
        if key.startswith("nomad"):
            months.add(int(day[5:7]))
    assert months == {6, 10}
    assert by_key["sus"] > by_key["umux-lite"] > 0
    # Usability rounds 1 and 5 months after the unit started the method (pilot or in use).
    starts = {
        (unit, method): dt.date.fromisoformat(day)
        for unit, method, day in rows(
            demo_dir,
            """
        SELECT d.unit_id, d.method_id, min(p.changed_on) FROM deployments d
        JOIN deployment_phases p ON p.deployment_id = d.id AND p.phase IN ('pilot', 'in_use') GROUP BY d.id""",
        )
    }
    after = Counter()
    for unit, method, day in rows(
        demo_dir,
        """SELECT u.unit_id, r.method_id, r.date FROM survey_rounds r
                                              JOIN instruments i ON i.id = r.instrument_id AND i.kind != 'nomad'
                                              JOIN survey_round_units u ON u.round_id = r.id""",
    ):
        months = (dt.date.fromisoformat(day) - starts[(unit, method)]).days / 30.44
        after[1 if months < 3 else 5] += 1
        assert 0.4 < months < 3.1 or 4.4 < months < 7.1
    assert after[1] > 0 and after[5] > 0
    small = rows(demo_dir, "SELECT count(*) FROM survey_rounds WHERE answered < 5")[0][0]
    assert 1 <= small <= sum(by_key.values()) // 5  # a few rounds too small to leave the laptop un-asked


def test_the_schedule_shows_rounds_done_overdue_and_closed_with_a_reason(demo_dir, today):
    engine = make_engine(demo_dir / DB, read_only=True)
    try:
        with Session(engine) as s:
            due = schedule(s, today)
    finally:
        engine.dispose()
    statuses = Counter(r.status for r in due)
    assert statuses[rules.DONE] > 2 * statuses[rules.OVERDUE] > 0  # most done, a few left undone
    skipped = [r.reason for r in due if r.status == rules.SKIPPED]
    assert skipped and all(skipped)
    assert 1 <= len(rows(demo_dir, "SELECT 1 FROM survey_skips")) <= 5


def test_nomad_results_improve_over_time_in_some_units(demo_dir):
    instruments = {i.key: i for i in SEEDED}
    counts = _round_counts(demo_dir)
    series: dict[tuple, list] = {}
    for round_id, unit_id, method_id, key in rows(
        demo_dir,
        """
            SELECT r.id, min(u.unit_id), r.method_id, i.key FROM survey_rounds r
            JOIN instruments i ON i.id = r.instrument_id JOIN survey_round_units u ON u.round_id = r.id
            WHERE i.kind = 'nomad' GROUP BY r.id HAVING count(*) = 1 ORDER BY r.date""",
    ):
        score = score_counts(instruments[key], counts[round_id])
        if score.group("coherence").shown:  # not in a round too small for it
            series.setdefault((unit_id, method_id, key), []).append(score)
    repeated = [s for s in series.values() if len(s) >= 2]
    assert len(repeated) >= 5
    coherence = [(s[0].group("coherence").mean, s[-1].group("coherence").mean) for s in repeated]
    assert sum(last > first + 0.3 for first, last in coherence) >= len(repeated) // 3
    assert 3.0 <= sum(f for f, _l in coherence) / len(coherence) < sum(la for _f, la in coherence) / len(coherence) <= 4.6
    # "Not relevant at this stage" early on, seldom later.
    stage = [sum(i.excluded.get("nr_stage", 0) for i in s.items) for s in (s[0] for s in repeated)]
    later = [sum(i.excluded.get("nr_stage", 0) for i in s.items) for s in (s[-1] for s in repeated)]
    assert sum(stage) > 2 * sum(later)


# -- no personal identity codes, anywhere ---------------------------------------------------


def test_no_identity_code_in_any_text_column(demo_dir):
    assert hetu.find_codes("x " + hetu.generate(dt.date(1980, 5, 17), 123))  # the scan would see one
    conn = sqlite3.connect(demo_dir / DB)
    tables = [
        t
        for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not t.startswith(("search_index", "sqlite_"))
    ]  # FTS shadow tables hold binary segments
    checked = 0
    for table in tables:
        for row in conn.execute(f"SELECT * FROM {table}"):
            for value in row:
                if isinstance(value, str):
                    checked += 1
                    assert not hetu.find_codes(value), (table, value)
    conn.close()
    assert checked > 10_000


# -- the data is usable --------------------------------------------------------------


def test_search_index_and_change_stamp_follow_the_bulk_inserts(demo_dir):
    indexed = Counter(k for (k,) in rows(demo_dir, "SELECT kind FROM search_docs"))
    assert indexed == {
        "unit": count(demo_dir, "units"),
        "event": count(demo_dir, "events"),
        "trainee": count(demo_dir, "trainees"),
        "guidance": count(demo_dir, "guidance_sessions"),
        "goal": count(demo_dir, "goals"),
        "deployment": count(demo_dir, "deployments"),
    }
    unit = rows(demo_dir, "SELECT name FROM units WHERE name LIKE '%terveysasema' AND deleted = 0 LIMIT 1")[0][0]
    found = rows(demo_dir, "SELECT title FROM search_index WHERE search_index MATCH ?", f'"{unit.split()[0]}"')
    assert (unit,) in found
    changed = rows(demo_dir, "SELECT value FROM settings WHERE key = 'data_changed_at'")
    assert changed and dt.datetime.fromisoformat(changed[0][0]).tzinfo is not None


def test_the_app_opens_on_demo_data(demo_dir):
    app = create_app({"DATA_DIR": demo_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        client = AuthClient(app)
        home = client.get("/")
        assert home.status_code == 200  # the profile exists: no first-run page
        units = client.get("/units")
        assert units.status_code == 200
        first = rows(demo_dir, "SELECT name FROM units WHERE deleted = 0 ORDER BY name_key LIMIT 1")[0][0]
        assert first in units.get_data(as_text=True)
    finally:
        app.extensions["koordi.store"].dispose()


# -- deterministic, and never over real data ----------------------------------------------


def _snapshot(folder: Path) -> dict:
    return {
        "counts": {
            t: count(folder, t)
            for t in (
                "units",
                "events",
                "trainees",
                "guidance_sessions",
                "goals",
                "deployments",
                "event_attendance",
                "guidance_attendance",
            )
        },
        "units": rows(folder, "SELECT id, name, municipality FROM units ORDER BY id"),
        "trainees": rows(folder, "SELECT id, name, cohort FROM trainees ORDER BY id"),
        "events": rows(folder, "SELECT id, title, date, status FROM events ORDER BY id"),
        "rounds": rows(folder, "SELECT id, instrument_id, date, answered, means_only FROM survey_rounds ORDER BY id"),
        "survey_counts": rows(folder, "SELECT round_id, item_id, option, count FROM survey_counts ORDER BY id"),
    }


def _fill(folder: Path, seed: int, today: dt.date) -> None:
    store = Store.open(folder)
    try:
        fill(store, "normal", seed, today=today)
    finally:
        store.dispose()


def test_the_same_seed_gives_the_same_data(tmp_path):
    day = dt.date(2026, 3, 16)
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        (tmp_path / name).mkdir()
        _fill(tmp_path / name, seed, day)
    a, b, c = (_snapshot(tmp_path / n) for n in "abc")
    assert a == b
    assert a["units"] != c["units"]


# SQLite's own housekeeping beside the database (a read-only look leaves an empty WAL index).
HOUSEKEEPING = ("koordi.lock", f"{DB}-wal", f"{DB}-shm")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name not in HOUSEKEEPING}


def test_the_command_refuses_a_folder_with_records_and_changes_nothing(demo_dir):
    before = _files(demo_dir)
    result = koordi("demo", "--data-dir", str(demo_dir))
    assert result.returncode == 1
    assert "already has records" in result.stderr and str(demo_dir) in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(demo_dir) == before  # the database byte for byte; no backup taken, nothing added


def test_a_single_real_unit_is_enough_to_refuse(tmp_path):
    store = Store.open(tmp_path)
    with store.Session() as s:
        create_unit(s, UnitData(name="Oma yksikkö", service_line="health_station", age_group="adults"))
    store.dispose()
    result = CliRunner().invoke(cli, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert [n for (n,) in rows(tmp_path, "SELECT name FROM units")] == ["Oma yksikkö"]
    assert count(tmp_path, "events") == 0


def test_an_existing_profile_is_kept(tmp_path):
    store = Store.open(tmp_path)
    with store.Session() as s:
        save_profile(s, ProfileData("Oma Nimi", "therapy", "pirkanmaa", "oma@example.org"))
    store.dispose()
    result = CliRunner().invoke(cli, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert rows(tmp_path, "SELECT name, county FROM coordinator_profile") == [("Oma Nimi", "pirkanmaa")]
    # The demo units are in the coordinator's own county.
    assert {"Tampere", "Nokia", "Ylöjärvi", "Kangasala", "Lempäälä", "Pirkkala", "Valkeakoski", "Sastamala"} >= {
        m for (m,) in rows(tmp_path, "SELECT municipality FROM units")
    }


def test_the_command_waits_for_no_running_koordi(tmp_path):
    lock = InstanceLock(tmp_path)
    assert lock.acquire()
    try:
        result = koordi("demo", "--data-dir", str(tmp_path))
    finally:
        lock.release()
    assert result.returncode == 1 and "already open" in result.stderr
    assert not (tmp_path / DB).exists()


def test_a_catalogue_without_usable_methods_is_refused(tmp_path):
    store = Store.open(tmp_path)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE methods SET retired = 1")
    store.dispose()
    result = CliRunner().invoke(cli, ["demo", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert count(tmp_path, "units") == 0


def test_paused_and_ended_deployments_say_why(demo_dir):
    from app.core.phases import STOP_REASONS

    stops = rows(demo_dir, "SELECT reason, reason_text FROM deployment_phases WHERE phase IN ('paused', 'ended')")
    assert stops, "the demo has paused or ended deployments"
    assert all(reason in STOP_REASONS for reason, _text in stops)
    assert any(text for _reason, text in stops)  # some with words too
    assert not rows(
        demo_dir, "SELECT 1 FROM deployment_phases WHERE phase NOT IN ('paused', 'ended') AND (reason != '' OR reason_text != '')"
    )


# -- indicators (issue 13) -------------------------------------------------------------------


def test_monthly_figures_a_county_would_believe(demo_dir, today):
    from statistics import mean

    from app.queries.indicators import last_month
    from app.store.seeds import indicator_id

    median, trained = indicator_id("median_days_to_start"), indicator_id("professionals_trained")
    # Waiting times fall once a method is embedded: the median after embedding is below the one before.
    before, after = [], []
    embedded = rows(demo_dir, "SELECT deployment_id, changed_on FROM deployment_phases WHERE phase = 'embedded' AND deleted = 0")
    for deployment_id, day in embedded:
        unit_id, method_id = rows(demo_dir, "SELECT unit_id, method_id FROM deployments WHERE id = ?", deployment_id)[0]
        figures = rows(
            demo_dir,
            "SELECT month, value_milli FROM monthly_figures WHERE indicator_id = ? AND unit_id = ? AND method_id = ?",
            median,
            unit_id,
            method_id,
        )
        before += [v for m, v in figures if m < day[:7] + "-01"]
        after += [v for m, v in figures if m > day[:7] + "-01"]
    assert before and after and mean(after) < 0.8 * mean(before)
    # Training comes in cohorts: a few months a deployment, never a 0 written for the months between.
    per_part = rows(
        demo_dir,
        "SELECT count(*), min(value_milli) FROM monthly_figures WHERE indicator_id = ? GROUP BY unit_id, method_id",
        trained,
    )
    assert per_part and max(n for n, _low in per_part) <= 4 and min(low for _n, low in per_part) > 0
    # Last month is not in for every unit yet: the dashboard has something to say.
    month = last_month(today).isoformat()
    reported = {u for (u,) in rows(demo_dir, "SELECT DISTINCT unit_id FROM monthly_figures WHERE month = ?", month)}
    earlier = {u for (u,) in rows(demo_dir, "SELECT DISTINCT unit_id FROM monthly_figures WHERE month < ?", month)}
    assert reported and earlier - reported


def test_indicator_goals_one_achieved_one_behind_one_lower_is_better(demo_dir):
    from app.queries.goals import GoalFilter, goal_list_stmt, goal_rows

    engine = make_engine(demo_dir / DB, read_only=True)
    try:
        with Session(engine) as s:
            goals = [r for r in goal_rows(s.execute(goal_list_stmt(GoalFilter())), s) if r.indicator is not None]
    finally:
        engine.dispose()
    assert any(r.achieved for r in goals) and any(r.achieved is False for r in goals)
    assert any(r.goal.direction == "lower" and r.value is not None for r in goals)
