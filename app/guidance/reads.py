"""Reads behind the guidance pages: list queries and filters, the next session's defaults,
who a session form offers. No Flask: the views pass in today's date and the language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core import collation, names
from app.core.text import fold
from app.models import GuidanceSession, Method, SessionTrainee, Trainee, Unit
from app.models.guidance import SESSION_KINDS, SESSION_MODES
from app.queries.common import by_surname, contains, get_live, live
from app.queries.guidance import Totals, active_condition, active_trainees

DEFAULT_DURATION = 90  # a typical group guidance meeting, until the first session is logged
TRAINEE_STATUSES = ("active", "ended")
MAX_QUERY = 200  # characters of a name search looked at (SQLite refuses a LIKE pattern over 50,000 bytes)


# -- trainees ---------------------------------------------------------------------


@dataclass(frozen=True)
class TraineeFilter:
    q: str = ""
    method: str = ""
    unit: str = ""
    cohort: str = ""
    status: str = ""  # "", "active" or "ended"


def trainee_list_stmt(f: TraineeFilter, today: dt.date) -> Select:
    """Rows (Trainee, unit name) of live trainees matching the filter: by name, erased last."""
    stmt = select(Trainee, Unit.name.label("unit_name")).outerjoin(Unit, Unit.id == Trainee.unit_id).where(live(Trainee.deleted))
    if f.q.strip():
        stmt = stmt.where(contains(Trainee.name_key, fold(f.q)))
    if f.method:
        stmt = stmt.where(Trainee.method_id == f.method)
    if f.unit:
        stmt = stmt.where(Trainee.unit_id == f.unit)
    if f.cohort:
        stmt = stmt.where(Trainee.cohort == f.cohort)
    if f.status == "active":
        stmt = stmt.where(active_condition(today))
    elif f.status == "ended":
        stmt = stmt.where(Trainee.end_date < today)
    return stmt.order_by(Trainee.erased_at.is_not(None), by_surname(Trainee.name_key), Trainee.id)


def cohorts(s: Session) -> list[str]:
    """The cohorts live trainees are in, for the list's filter."""
    rows = s.scalars(select(Trainee.cohort).where(live(Trainee.deleted), Trainee.cohort != "").distinct())
    return sorted(rows, key=collation.key)


def live_trainee(s: Session, trainee_id: str) -> Trainee | None:
    return get_live(s, Trainee, trainee_id)


def trainee_sessions_stmt(trainee_id: str) -> Select:
    """The live sessions a trainee attended, newest first."""
    attended = select(SessionTrainee.session_id).where(SessionTrainee.trainee_id == trainee_id, live(SessionTrainee.deleted))
    return (
        select(GuidanceSession)
        .where(GuidanceSession.id.in_(attended), live(GuidanceSession.deleted))
        .order_by(GuidanceSession.date.desc(), GuidanceSession.created_at.desc(), GuidanceSession.id)
    )


# -- sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    method: str = ""
    kind: str = ""


def _session_filter(stmt: Select, f: SessionFilter) -> Select:
    stmt = stmt.where(live(GuidanceSession.deleted))
    if f.start:
        stmt = stmt.where(GuidanceSession.date >= f.start)
    if f.end:
        stmt = stmt.where(GuidanceSession.date <= f.end)
    if f.method:
        stmt = stmt.where(GuidanceSession.method_id == f.method)
    if f.kind in SESSION_KINDS:
        stmt = stmt.where(GuidanceSession.kind == f.kind)
    return stmt


def session_list_stmt(f: SessionFilter) -> Select:
    """Live sessions matching the filter, newest first."""
    stmt = _session_filter(select(GuidanceSession), f)
    return stmt.order_by(GuidanceSession.date.desc(), GuidanceSession.created_at.desc(), GuidanceSession.id)


def session_list_totals(s: Session, f: SessionFilter) -> Totals:
    """How many sessions match the filter and their minutes, in one pass."""
    # count(*), not count(id): the id is not in the date index, and naming it would make
    # SQLite read every row instead of the covering index.
    stmt: Select[int, int] = _session_filter(
        select(func.count(), func.coalesce(func.sum(GuidanceSession.duration_minutes), 0)).select_from(GuidanceSession), f
    )
    sessions, minutes = s.execute(stmt).one()
    return Totals(int(sessions), int(minutes))


def present_counts(s: Session, session_ids: list[str]) -> dict[str, int]:
    """{session_id: trainees present} for one page of sessions, in one query."""
    if not session_ids:
        return {}
    stmt = (
        select(SessionTrainee.session_id, func.count(func.distinct(SessionTrainee.trainee_id)))
        .where(SessionTrainee.session_id.in_(session_ids), live(SessionTrainee.deleted))
        .group_by(SessionTrainee.session_id)
    )
    return {sid: int(n) for sid, n in s.execute(stmt)}


def live_session(s: Session, session_id: str) -> GuidanceSession | None:
    return get_live(s, GuidanceSession, session_id)


def present_trainees(s: Session, session_id: str) -> list[Trainee]:
    """Everyone marked present (deleted and erased trainees too: the attendance stands), by name."""
    stmt = (
        select(Trainee)
        .join(SessionTrainee, SessionTrainee.trainee_id == Trainee.id)
        .where(SessionTrainee.session_id == session_id, live(SessionTrainee.deleted))
        .distinct()
        .order_by(Trainee.erased_at.is_not(None), by_surname(Trainee.name_key), Trainee.id)
    )
    return list(s.scalars(stmt))


def methods_by_id(s: Session) -> dict[str, Method]:
    """Every method, retired and deleted too: old records still need their method's name."""
    return {m.id: m for m in s.scalars(select(Method))}


# -- the session form -------------------------------------------------------------


@dataclass
class SessionDefaults:
    date: dt.date
    method_id: str | None
    kind: str = "group"
    mode: str = "onsite"
    duration_minutes: int = DEFAULT_DURATION
    trainee_ids: list[str] = field(default_factory=list)


def last_session(s: Session, batch: int = 20) -> GuidanceSession | None:
    """The session logged most recently (not the latest by date): what the coordinator just did.

    created_at has no index, but updated_at has, and no row is updated before it is created:
    walking sessions by updated_at, newest first, the newest creation is found as soon as the
    next row was last updated before it -- usually after one row, never a 100k-row sort.
    (Sessions created in the same microsecond: either may be taken.)
    """
    best: GuidanceSession | None = None
    offset = 0
    while True:
        rows = s.scalars(
            select(GuidanceSession)
            .where(live(GuidanceSession.deleted))
            .order_by(GuidanceSession.updated_at.desc())
            .limit(batch)
            .offset(offset)
        ).all()
        for row in rows:
            if best is not None and row.updated_at <= best.created_at:
                return best  # this row and all after it were created no later than `best`
            if best is None or row.created_at > best.created_at:
                best = row
        if len(rows) < batch:
            return best
        offset += batch


def last_group_attendance(s: Session, method_id: str, today: dt.date) -> list[str]:
    """Ids of the still-active trainees present at the method's latest group session."""
    latest = (
        select(GuidanceSession.id)
        .where(
            live(GuidanceSession.deleted),
            GuidanceSession.method_id == method_id,
            GuidanceSession.kind == "group",
        )
        .order_by(GuidanceSession.date.desc(), GuidanceSession.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        select(Trainee.id)
        .join(SessionTrainee, SessionTrainee.trainee_id == Trainee.id)
        .where(
            SessionTrainee.session_id == latest,
            live(SessionTrainee.deleted),
            live(Trainee.deleted),
            Trainee.erased_at.is_(None),
            Trainee.method_id == method_id,
            active_condition(today),
        )
        .distinct()
    )
    return list(s.scalars(stmt))


def newest_trainee_method(s: Session, today: dt.date) -> str | None:
    """Before any session: the method of the trainee added last is the likeliest first session."""
    stmt = (
        select(Trainee.method_id)
        .where(live(Trainee.deleted), Trainee.erased_at.is_(None), active_condition(today))
        .order_by(Trainee.created_at.desc())
        .limit(1)
    )
    return s.scalars(stmt).first()


def session_defaults(
    s: Session, today: dt.date, allowed_methods: list[str], method_id: str | None = None, kind: str | None = None
) -> SessionDefaults:
    """What a new session form starts with: today, the last session's method, kind, mode and
    duration, and, for a group session, who came to the method's last group session.

    `method_id` (the form's ?method=) and `kind` override the last session's.
    Only a method in `allowed_methods` (the form's choices) is proposed.
    """
    last = last_session(s)
    defaults = SessionDefaults(date=today, method_id=None)
    if last is not None:
        defaults.kind = last.kind if last.kind in SESSION_KINDS else "group"
        defaults.mode = last.mode if last.mode in SESSION_MODES else "onsite"
        defaults.duration_minutes = last.duration_minutes
    if kind in SESSION_KINDS:
        defaults.kind = kind
    for candidate in (method_id, last.method_id if last else None, newest_trainee_method(s, today)):
        if candidate and candidate in allowed_methods:
            defaults.method_id = candidate
            break
    else:
        defaults.method_id = allowed_methods[0] if allowed_methods else None
    if defaults.method_id and defaults.kind == "group":
        defaults.trainee_ids = last_group_attendance(s, defaults.method_id, today)
    return defaults


def cohort_groups(trainees: list[Trainee]) -> list[tuple[str, list[Trainee]]]:
    """The session form's checkboxes by cohort: cohorts in Finnish/Swedish order, "no cohort" ("")
    last; within each, the order given (by surname)."""
    groups: dict[str, list[Trainee]] = {}
    for t in trainees:
        groups.setdefault(t.cohort, []).append(t)
    return sorted(groups.items(), key=lambda group: (group[0] == "", collation.key(group[0])))


def offered_trainees(s: Session, method_id: str | None, today: dt.date, session_id: str | None = None) -> list[Trainee]:
    """The checkboxes of a session form: the method's active trainees, plus anyone already
    present at the session being edited (even if since ended, erased or deleted)."""
    offered = active_trainees(s, method_id, today) if method_id else []
    if session_id:
        known = {t.id for t in offered}
        extra = [t for t in present_trainees(s, session_id) if t.id not in known]
        offered = sorted(offered + extra, key=lambda t: (t.erased_at is not None, names.key(t.name_key), t.id))
    return offered
