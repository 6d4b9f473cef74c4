"""The period figures split by type, month, unit and method: each split sums to the shared
total the dashboard and feature pages show, and equals the tests' own SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections import Counter

from sqlalchemy.orm import Session

from app.core import periods
from app.guidance.reads import trainee_sessions_stmt
from app.models.deployments import PHASES
from app.queries import periods as q
from app.queries.deployments import count_by_phase, phase_changes_between
from app.queries.events import AttendanceTotals, attendance_totals, held_planned_by_month
from app.queries.guidance import Totals, method_totals, minutes_between, trainee_totals
from app.queries.period_report import PeriodReport, period_report
from app.queries.records import attended_sessions
from app.queries.units import trainee_guidance_totals
from app.store import DB_NAME
from app.store.engine import make_engine
from tests.reports.conftest import copy_data


def test_events_by_type_and_month_sum_to_the_annual_plan(demo_session, sql, today):
    year = periods.year(today.year)
    by_type = q.events_by_type(demo_session, year.start, year.end)
    by_month = q.events_by_month(demo_session, year)
    plan = held_planned_by_month(demo_session, today.year)
    assert sum(c.planned for c in by_type.values()) == sum(c.planned for c in plan.values()) > 0
    assert sum(c.held for c in by_type.values()) == sum(c.held for c in plan.values())
    for month, count in by_month.items():
        assert (count.planned, count.held, count.cancelled) == (
            plan[month.month].planned,
            plan[month.month].held,
            plan[month.month].cancelled,
        )
    expected = {
        t: (n, h, c)
        for t, n, h, c in sql.rows(
            "SELECT type, count(*), sum(status = 'held'), sum(status = 'cancelled') FROM events "
            "WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY type",
            year.start,
            year.end,
        )
    }
    assert {t: (c.planned, c.held, c.cancelled) for t, c in by_type.items() if c.planned} == expected


def test_guidance_by_month_and_unit_match_minutes_between(demo_session, sql, today):
    year = periods.year(today.year)
    months = q.guidance_by_month(demo_session, year)
    for month, totals in months.items():
        end = periods.month_end(month)
        assert totals.minutes == minutes_between(demo_session, month, end)
    methods = method_totals(demo_session, year.start, year.end)
    assert sum(t.minutes for t in months.values()) == sum(t.minutes for t in methods.values()) > 0
    assert sum(t.sessions for t in months.values()) == sum(t.sessions for t in methods.values())
    by_unit = q.guidance_by_unit(demo_session, year.start, year.end)
    unit_ids = [r[0] for r in sql.rows("SELECT id FROM units WHERE deleted = 0")]
    assert any(by_unit.get(u, Totals()).sessions for u in unit_ids)
    for unit_id in unit_ids:
        assert by_unit.get(unit_id, Totals()).minutes == minutes_between(demo_session, year.start, year.end, unit_id)
        assert q.guidance_by_unit(demo_session, year.start, year.end, unit_id).get(unit_id, Totals()) == by_unit.get(
            unit_id, Totals()
        )
        sessions, minutes = sql.one(
            "SELECT count(*), coalesce(sum(duration_minutes), 0) FROM guidance_sessions WHERE deleted = 0 "
            "AND date BETWEEN ? AND ? AND id IN (SELECT ga.session_id FROM guidance_attendance ga "
            "JOIN trainees t ON t.id = ga.trainee_id WHERE ga.deleted = 0 AND t.unit_id = ?)",
            year.start,
            year.end,
            unit_id,
        )
        assert by_unit.get(unit_id, Totals()) == Totals(sessions, minutes)


def test_events_and_attendance_by_unit_match_the_unit_totals(demo_session, sql, today):
    # One join gives both (issue 17): each unit's events against plain SQL, its attendance
    # against attendance_totals for that unit alone, over a year, a month and a day.
    for period in (periods.year(today.year), periods.month(today.year, today.month), periods.custom(today, today)):
        events, attendance = q.events_and_attendance_by_unit(demo_session, period.start, period.end)
        for (unit_id,) in sql.rows("SELECT id FROM units WHERE deleted = 0"):
            assert attendance.get(unit_id, AttendanceTotals(0, 0, 0, 0)) == attendance_totals(
                demo_session, period.start, period.end, unit_id
            )
            planned, held, cancelled = sql.one(
                "SELECT count(DISTINCT e.id), count(DISTINCT CASE WHEN e.status = 'held' THEN e.id END), "
                "count(DISTINCT CASE WHEN e.status = 'cancelled' THEN e.id END) FROM events e "
                "JOIN event_attendance ea ON ea.event_id = e.id WHERE e.deleted = 0 AND ea.deleted = 0 AND ea.unit_id = ? "
                "AND e.date BETWEEN ? AND ?",
                unit_id,
                period.start,
                period.end,
            )
            count = events.get(unit_id, q.MonthCount())
            assert (count.planned, count.held, count.cancelled) == (planned, held, cancelled)
            by_type = q.events_by_type(demo_session, period.start, period.end, unit_id)
            assert sum(c.planned for c in by_type.values()) == planned
    year = periods.year(today.year)
    events, attendance = q.events_and_attendance_by_unit(demo_session, year.start, year.end)
    assert any(c.cancelled for c in events.values()) and any(c.held < c.planned for c in events.values())
    assert any(a.total for a in attendance.values()) and set(attendance) <= set(events)


def test_trainees_guided_counts_people_once(demo_session, sql, today):
    year = periods.year(today.year)
    guided = q.trainees_guided(demo_session, year.start, year.end)
    expected = sql.value(
        "SELECT count(DISTINCT ga.trainee_id) FROM guidance_attendance ga JOIN guidance_sessions gs ON gs.id = ga.session_id "
        "WHERE ga.deleted = 0 AND gs.deleted = 0 AND gs.date BETWEEN ? AND ?",
        year.start,
        year.end,
    )
    assert guided.total == expected > 0
    assert sum(guided.by_method.values()) >= guided.total


def test_phases_on_today_is_count_by_phase_and_earlier_days_replay_the_history(demo_session, sql, today):
    now = q.phases_on(demo_session, today)
    totals = {p: sum(m.get(p, 0) for m in now.values()) for p in PHASES}
    assert totals == count_by_phase(demo_session) and sum(totals.values()) > 0
    day = today - dt.timedelta(days=300)
    past = q.phases_on(demo_session, day)
    # Replay each live deployment's history up to `day` in SQL (the last phase entered by then).
    rows = sql.rows(
        "SELECT d.id, d.method_id, d.phase, d.phase_since FROM deployments d JOIN units u ON u.id = d.unit_id "
        "JOIN methods m ON m.id = d.method_id WHERE d.deleted = 0 AND u.deleted = 0 AND m.deleted = 0"
    )
    expected: dict[str, dict[str, int]] = {}
    for dep_id, method_id, phase, since in rows:
        if dt.date.fromisoformat(since) > day:
            history = sql.rows(
                "SELECT phase FROM deployment_phases WHERE deployment_id = ? AND deleted = 0 AND changed_on <= ? "
                "ORDER BY changed_on DESC, created_at DESC, id DESC LIMIT 1",
                dep_id,
                day,
            )
            if not history:
                continue
            phase = history[0][0]
        expected.setdefault(method_id, dict.fromkeys(PHASES, 0))[phase] += 1
    assert past == expected
    assert sum(sum(m.values()) for m in past.values()) < sum(totals.values())  # fewer existed then


def test_period_report_totals_are_the_shared_totals(demo_session, today):
    year = periods.year(today.year)
    report = period_report(demo_session, year, today, "fi")
    assert report.attendance == attendance_totals(demo_session, year.start, year.end)
    assert report.guidance.minutes == minutes_between(demo_session, year.start, year.end)
    assert report.events.planned == sum(m.events.planned for m in report.months)
    assert report.phases == count_by_phase(demo_session)  # the year has not ended: phases are today's
    assert report.phase_changes == sum(r.phase_changes for r in report.methods) == sum(r.phase_changes for r in report.units)


def test_a_units_trainee_totals_in_a_period(demo_session, sql, today):
    year = periods.year(today.year)
    unit_id = sql.value(
        "SELECT t.unit_id FROM trainees t JOIN guidance_attendance ga ON ga.trainee_id = t.id WHERE t.unit_id IS NOT NULL "
        "GROUP BY t.unit_id ORDER BY count(*) DESC LIMIT 1"
    )
    in_year = {r.trainee.id: r.totals for r in trainee_guidance_totals(demo_session, unit_id, year.start, year.end)}
    all_time = {r.trainee.id: r.totals for r in trainee_guidance_totals(demo_session, unit_id)}
    assert all_time == trainee_totals(demo_session, list(all_time))
    for trainee_id, totals in in_year.items():
        expected = sql.one(
            "SELECT count(*), coalesce(sum(duration_minutes), 0) FROM guidance_sessions WHERE deleted = 0 AND date BETWEEN ? AND ? "
            "AND id IN (SELECT session_id FROM guidance_attendance WHERE deleted = 0 AND trainee_id = ?)",
            year.start,
            year.end,
            trainee_id,
        )
        assert (totals.sessions, totals.minutes) == expected
        assert totals.sessions <= all_time[trainee_id].sessions


def test_attestation_sessions_are_the_trainee_pages_sessions(demo_session, sql):
    trainee_id = sql.value(
        "SELECT trainee_id FROM guidance_attendance WHERE deleted = 0 GROUP BY trainee_id ORDER BY count(*) DESC LIMIT 1"
    )
    sessions = attended_sessions(demo_session, trainee_id)
    page = list(demo_session.scalars(trainee_sessions_stmt(trainee_id)))
    assert {s.id for s in sessions} == {s.id for s in page} and len(sessions) > 1
    assert [s.date for s in sessions] == sorted(s.date for s in sessions)
    assert sum(s.duration_minutes for s in sessions) == trainee_totals(demo_session, [trainee_id])[trainee_id].minutes


def test_the_period_reports_one_read_of_guidance_equals_the_separate_queries(demo_session, today):
    for period in (periods.year(today.year), periods.month(today.year, today.month), periods.custom(today, today)):
        read_once = q.period_guidance(demo_session, period)
        assert read_once.by_month == q.guidance_by_month(demo_session, period)
        assert read_once.by_method == method_totals(demo_session, period.start, period.end)
        by_unit, guided = q.guidance_by_unit_and_trainees(demo_session, period.start, period.end)
        assert (read_once.by_unit, read_once.guided) == (by_unit, guided)
    assert q.period_guidance(demo_session, periods.year(today.year)).guided.total > 0


def test_the_period_reports_sessions_are_read_from_an_index_alone(demo_session, sql, today):
    """The year report's guidance by month and method reads one index entry a session, no table
    row (issue 17: at bench scale the method's table lookups were a third of the report's reads)."""
    stmt = q.period_sessions_stmt(periods.year(today.year))
    compiled = str(stmt.compile(dialect=demo_session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    plan = " ".join(row[3] for row in sql.rows("EXPLAIN QUERY PLAN " + compiled))
    assert "USING COVERING INDEX ix_guidance_sessions_period" in plan and "TEMP B-TREE" not in plan, plan


def test_phase_change_counts_by_unit_and_method_are_the_listed_changes(demo_session, sql, today):
    year = periods.year(today.year)
    counts = q.phase_change_counts(demo_session, year.start, year.end)
    listed = Counter(
        (row.deployment.unit_id, row.deployment.method_id) for row in phase_changes_between(demo_session, year.start, year.end)
    )
    expected = {
        (unit_id, method_id): n
        for unit_id, method_id, n in sql.rows(
            "SELECT d.unit_id, d.method_id, count(*) FROM deployment_phases p JOIN deployments d ON d.id = p.deployment_id "
            "JOIN units u ON u.id = d.unit_id JOIN methods m ON m.id = d.method_id "
            "WHERE p.deleted = 0 AND d.deleted = 0 AND u.deleted = 0 AND m.deleted = 0 AND p.changed_on BETWEEN ? AND ? "
            "GROUP BY d.unit_id, d.method_id",
            year.start,
            year.end,
        )
    }
    assert counts == dict(listed) == expected and len(counts) > 1
    report = period_report(demo_session, year, today, "fi")
    by_unit = {r.unit.id: r.phase_changes for r in report.units}
    for (unit_id, _method_id), _n in counts.items():
        assert by_unit[unit_id] == sum(n for (u, _m), n in counts.items() if u == unit_id)


def test_the_reports_pages_report_gives_the_full_reports_figures(demo_session, today):
    for period in (periods.year(today.year), periods.month(today.year, today.month)):
        full = period_report(demo_session, period, today, "fi")
        page = period_report(demo_session, period, today, "fi", full=False)
        assert page.units == [] and page.goals == [] and page.surveys is None and page.phase_history is None
        assert full.units and full.surveys is not None
        left_out = {"units", "goals", "surveys", "surveys_county", "surveys_left_out", "phase_history"}
        for name in PeriodReport.__dataclass_fields__.keys() - left_out:
            assert getattr(page, name) == getattr(full, name), name


def test_the_one_read_of_guidance_counts_the_rare_cases_as_the_separate_queries(demo_dir, tmp_path, today):
    """Demo data plus what it lacks: trainees without a unit, deleted attendance, deleted sessions
    with live attendance, a trainee entered twice at one session (issue 17: the grouped read of
    period_guidance gives exactly the figures of the row-by-row queries)."""
    folder = copy_data(demo_dir, tmp_path / "rare")
    year = periods.year(today.year)
    conn = sqlite3.connect(folder / DB_NAME)
    in_year = (
        "SELECT a.id FROM guidance_attendance a JOIN guidance_sessions g ON g.id = a.session_id WHERE g.date BETWEEN ? AND ?"
    )
    with conn:
        conn.execute(
            "UPDATE trainees SET unit_id = NULL WHERE id IN (SELECT trainee_id FROM guidance_attendance "
            "GROUP BY trainee_id ORDER BY count(*) DESC LIMIT 3)"
        )
        conn.execute(
            f"UPDATE guidance_attendance SET deleted = 1 WHERE id IN ({in_year} ORDER BY a.id LIMIT 25)", (year.start, year.end)
        )
        conn.execute(
            "UPDATE guidance_sessions SET deleted = 1 WHERE id IN (SELECT session_id FROM guidance_attendance "
            "WHERE deleted = 0 ORDER BY id DESC LIMIT 20)"
        )
        twice = conn.execute(
            f"SELECT a.session_id, a.trainee_id, a.created_at FROM guidance_attendance a WHERE a.id IN ({in_year}) "
            "AND a.deleted = 0 ORDER BY a.id LIMIT 15",
            (year.start, year.end),
        ).fetchall()
        conn.executemany(
            "INSERT INTO guidance_attendance (session_id, trainee_id, id, created_at, updated_at, deleted) VALUES (?, ?, ?, ?, ?, 0)",
            [(sid, tid, str(uuid.uuid4()), created, created) for sid, tid, created in twice],
        )
    conn.close()
    engine = make_engine(folder / DB_NAME, read_only=True)
    try:
        with Session(engine) as s:
            for period in (year, periods.month(today.year, today.month), periods.custom(today, today)):
                read_once = q.period_guidance(s, period)
                assert read_once.by_month == q.guidance_by_month(s, period)
                assert read_once.by_method == method_totals(s, period.start, period.end)
                assert (read_once.by_unit, read_once.guided) == q.guidance_by_unit_and_trainees(s, period.start, period.end)
            guided = q.period_guidance(s, year).guided
            # the unit-less trainees count in the total only
            assert guided.total > sum(guided.by_unit.values()) and len(twice) == 15
    finally:
        engine.dispose()
