"""The national figures counted the tests' own way: raw SQL on each coordinator's own SQLite
database (not the merged one, not app.queries), then summed per county in plain Python.

Each rule is written out here as the coordinator's Koordi documents it (app/queries/
periods.py, events.py, guidance.py, deployments.py), so a test that compares these
figures with the merge's summary checks the merge and the central query together.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PHASES = ("planned", "training", "pilot", "in_use", "embedded", "paused", "ended")
FIGURES = ("events_held", "events_planned", "attendance", "guidance_sessions", "guidance_minutes", "trainees_active")


@dataclass
class Figures:
    events_held: int = 0
    events_planned: int = 0
    attendance: int = 0
    guidance_sessions: int = 0
    guidance_minutes: int = 0
    trainees_active: int = 0
    guided: set = field(default_factory=set)  # (coordinator, trainee id)
    units: set = field(default_factory=set)  # (coordinator, unit id) with a deployment not ended
    phases: dict = field(default_factory=lambda: dict.fromkeys(PHASES, 0))

    def add(self, other: Figures) -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.guided |= other.guided
        self.units |= other.units
        for phase, n in other.phases.items():
            self.phases[phase] += n

    def as_dict(self) -> dict:
        out = {name: getattr(self, name) for name in FIGURES}
        out.update(trainees_guided=len(self.guided), units=len(self.units), phases=dict(self.phases))
        return out


def _rows(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def coordinator_figures(
    db: Path, coordinator: str, day: dt.date, start: dt.date | None = None, end: dt.date | None = None
) -> tuple[Figures, dict[str, Figures]]:
    """(the coordinator's totals, {method id: figures}) for the days start..end (None: open)."""
    lo = (start or dt.date(1, 1, 1)).isoformat()
    hi = (end or dt.date(9999, 12, 31)).isoformat()
    total = Figures()
    by_method: dict[str, Figures] = defaultdict(Figures)

    for method, status, n in _rows(
        db,
        """
            SELECT em.method_id, e.status, count(DISTINCT e.id) FROM events e
            JOIN event_methods em ON em.event_id = e.id
            WHERE e.deleted = 0 AND em.deleted = 0 AND e.date BETWEEN ? AND ?
            GROUP BY em.method_id, e.status""",
        lo,
        hi,
    ):
        by_method[method].events_planned += n
        by_method[method].events_held += n if status == "held" else 0
    for status, n in _rows(
        db, "SELECT status, count(*) FROM events WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY status", lo, hi
    ):
        total.events_planned += n
        total.events_held += n if status == "held" else 0

    people = "coalesce(ea.professionals, 0) + coalesce(ea.supervisors, 0) + coalesce(ea.others, 0)"
    for method, n in _rows(
        db,
        f"""
            SELECT em.method_id, sum({people}) FROM events e
            JOIN event_attendance ea ON ea.event_id = e.id
            JOIN (SELECT DISTINCT event_id, method_id FROM event_methods WHERE deleted = 0) em ON em.event_id = e.id
            WHERE e.deleted = 0 AND ea.deleted = 0 AND e.status = 'held' AND e.date BETWEEN ? AND ?
            GROUP BY em.method_id""",
        lo,
        hi,
    ):
        by_method[method].attendance = n
    total.attendance = _rows(
        db,
        f"""
            SELECT coalesce(sum({people}), 0) FROM events e JOIN event_attendance ea ON ea.event_id = e.id
            WHERE e.deleted = 0 AND ea.deleted = 0 AND e.status = 'held' AND e.date BETWEEN ? AND ?""",
        lo,
        hi,
    )[0][0]
    for method, n, minutes in _rows(
        db,
        """
            SELECT method_id, count(*), sum(duration_minutes) FROM guidance_sessions
            WHERE deleted = 0 AND date BETWEEN ? AND ? GROUP BY method_id""",
        lo,
        hi,
    ):
        for f in (by_method[method], total):
            f.guidance_sessions += n
            f.guidance_minutes += minutes
    for method, trainee in _rows(
        db,
        """
            SELECT DISTINCT s.method_id, a.trainee_id FROM guidance_sessions s
            JOIN guidance_attendance a ON a.session_id = s.id JOIN trainees t ON t.id = a.trainee_id
            WHERE s.deleted = 0 AND a.deleted = 0 AND s.date BETWEEN ? AND ?""",
        lo,
        hi,
    ):
        by_method[method].guided.add((coordinator, trainee))
        total.guided.add((coordinator, trainee))
    for method, n in _rows(
        db,
        """
            SELECT method_id, count(*) FROM trainees WHERE deleted = 0 AND (end_date IS NULL OR end_date >= ?)
            GROUP BY method_id""",
        day.isoformat(),
    ):
        by_method[method].trainees_active += n
        total.trainees_active += n

    history: dict[str, list[tuple]] = defaultdict(list)
    for deployment, phase, changed_on, created_at, row_id in _rows(
        db,
        """
            SELECT deployment_id, phase, changed_on, created_at, id FROM deployment_phases
            WHERE deleted = 0 AND changed_on <= ?""",
        day.isoformat(),
    ):
        history[deployment].append((changed_on, created_at, row_id, phase))
    for deployment, method, unit, phase, since in _rows(
        db,
        """
            SELECT d.id, d.method_id, d.unit_id, d.phase, d.phase_since FROM deployments d
            JOIN units u ON u.id = d.unit_id JOIN methods m ON m.id = d.method_id
            WHERE d.deleted = 0 AND u.deleted = 0 AND m.deleted = 0""",
    ):
        if since > day.isoformat():  # not yet in its current phase: the last phase its history entered
            if not history[deployment]:
                continue
            phase = max(history[deployment])[3]
        for f in (by_method[method], total):
            f.phases[phase] += 1
            if phase != "ended":
                f.units.add((coordinator, unit))
    return total, dict(by_method)


def national(coordinators, day: dt.date, start: dt.date | None = None, end: dt.date | None = None):
    """({county: Figures}, {(county, method): Figures}, Figures of the whole country)."""
    counties: dict[str, Figures] = defaultdict(Figures)
    cells: dict[tuple[str, str], Figures] = defaultdict(Figures)
    everything = Figures()
    for c in coordinators:
        total, by_method = coordinator_figures(c.db, c.id, day, start, end)
        counties[c.county].add(total)
        everything.add(total)
        for method, figures in by_method.items():
            cells[(c.county, method)].add(figures)
    return dict(counties), dict(cells), everything
