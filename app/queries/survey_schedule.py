"""The schedule of follow-up survey rounds: which are due, overdue, done or closed as not done.

The rules are app.core.survey_schedule's (usability at +1 and +5 months from the day a unit
starts a method, NoMAD in the county's months, the window a survey round must be dated in);
this reads what they need in four queries whatever the number of deployments: the live
deployments of active units, their phase histories, the survey rounds that name a method, and
the skips. The dashboard, the unit page and the annual plan's calendar file all read it here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import collation
from app.core import survey_schedule as rules
from app.models import Deployment, Instrument, Method, PhaseChange, SurveyRound, SurveyRoundUnit, SurveySkip, Unit, read_setting
from app.queries.common import by_name
from app.queries.deployments import live_condition
from app.queries.survey_cache import memo


class UnitRef(NamedTuple):
    """A unit as the survey schedule names it."""

    id: str
    name: str
    name_key: str


class MethodRef(NamedTuple):
    """A method as the survey schedule names it, in each language."""

    id: str
    name_fi: str
    name_sv: str
    name_en: str

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi


class DeploymentRef(NamedTuple):
    """What the schedule shows of a deployment: read as plain rows (a county's thousand
    deployments as ORM objects cost more than the rest of the dashboard)."""

    id: str
    phase: str
    unit: UnitRef
    method: MethodRef

    @property
    def unit_id(self) -> str:
        return self.unit.id

    @property
    def method_id(self) -> str:
        return self.method.id


class ScheduledRound(NamedTuple):
    """A survey round due for a deployment, and whether it was done, skipped or is open."""

    deployment: DeploymentRef
    due: rules.Due
    status: str  # rules.DONE | SKIPPED | MISSED | OVERDUE | OPEN | UPCOMING
    done_on: dt.date | None = None  # the survey round that closed it
    reason: str = ""  # why it was not done (a skip)

    @property
    def key(self) -> str:
        return self.due.key

    @property
    def overdue(self) -> bool:
        return self.status == rules.OVERDUE


def nomad_months(s: Session) -> tuple[int, ...]:
    return rules.parse_months(read_setting(s, rules.NOMAD_MONTHS_KEY))


def _deployments(s: Session, unit_id: str | None, method_id: str | None) -> list[DeploymentRef]:
    stmt = (
        select(
            Deployment.id,
            Deployment.phase,
            Unit.id,
            Unit.name,
            Unit.name_key,
            Method.id,
            Method.name_fi,
            Method.name_sv,
            Method.name_en,
        )
        .join(Unit, Unit.id == Deployment.unit_id)
        .join(Method, Method.id == Deployment.method_id)
        .where(live_condition(), Unit.active.is_(True))
        .order_by(by_name(Unit.name_key), Deployment.id)
    )
    if unit_id:
        stmt = stmt.where(Deployment.unit_id == unit_id)
    if method_id:
        stmt = stmt.where(Deployment.method_id == method_id)
    return [
        DeploymentRef(d_id, phase, UnitRef(u_id, u_name, u_key), MethodRef(m_id, fi, sv or "", en or ""))
        for d_id, phase, u_id, u_name, u_key, m_id, fi, sv, en in s.execute(stmt)
    ]


def _histories(s: Session, unit_id: str | None, method_id: str | None) -> dict[str, list[tuple[dt.date, str]]]:
    stmt = (
        select(PhaseChange.deployment_id, PhaseChange.changed_on, PhaseChange.phase)
        .join(Deployment, Deployment.id == PhaseChange.deployment_id)
        .where(PhaseChange.deleted.is_(False), Deployment.deleted.is_(False))
        .order_by(PhaseChange.deployment_id, PhaseChange.changed_on, PhaseChange.created_at, PhaseChange.id)
    )
    if unit_id:
        stmt = stmt.where(Deployment.unit_id == unit_id)
    if method_id:
        stmt = stmt.where(Deployment.method_id == method_id)
    out: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for deployment_id, day, phase in s.execute(stmt):
        out[deployment_id].append((day, phase))
    return out


def _done(s: Session, unit_id: str | None, method_id: str | None) -> dict[tuple[str, str], list[tuple[str, dt.date]]]:
    """{(unit_id, method_id): [(schedule kind, date)]} of the live survey rounds naming a method."""
    stmt = (
        select(SurveyRoundUnit.unit_id, SurveyRound.method_id, Instrument.kind, SurveyRound.date)
        .join(SurveyRound, SurveyRound.id == SurveyRoundUnit.round_id)
        .join(Instrument, Instrument.id == SurveyRound.instrument_id)
        .where(SurveyRoundUnit.deleted.is_(False), SurveyRound.deleted.is_(False), SurveyRound.method_id.is_not(None))
    )
    if unit_id:
        stmt = stmt.where(SurveyRoundUnit.unit_id == unit_id)
    if method_id:
        stmt = stmt.where(SurveyRound.method_id == method_id)
    out: dict[tuple[str, str], list[tuple[str, dt.date]]] = defaultdict(list)
    for unit, method, kind, day in s.execute(stmt):
        assert method is not None  # the WHERE above
        out[(unit, method)].append((rules.schedule_kind(kind), day))
    return out


def _skips(s: Session, deployment_ids: list[str] | None) -> dict[str, dict[str, str]]:
    stmt = select(SurveySkip.deployment_id, SurveySkip.due_key, SurveySkip.reason).where(SurveySkip.deleted.is_(False))
    if deployment_ids is not None:
        stmt = stmt.where(SurveySkip.deployment_id.in_(deployment_ids))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for deployment_id, key, reason in s.execute(stmt.order_by(SurveySkip.created_at)):
        out[deployment_id][key] = reason
    return out


def schedule(
    s: Session, today: dt.date, until: dt.date | None = None, unit_id: str | None = None, method_id: str | None = None
) -> list[ScheduledRound]:
    """Every round that has fallen due, or opens by `until` (default: the listing's lead time from
    today), for the listed deployments (of active units, not paused or ended now), by due day.
    Kept in the memo (app.queries.survey_cache) until the database next changes."""
    until = until or today + dt.timedelta(days=rules.LEAD_DAYS)
    found = memo(s).kept(("schedule", today, until, unit_id, method_id), lambda: _schedule(s, today, until, unit_id, method_id))
    return list(found)


def _schedule(
    s: Session, today: dt.date, until: dt.date, unit_id: str | None, method_id: str | None
) -> tuple[ScheduledRound, ...]:
    deployments = [d for d in _deployments(s, unit_id, method_id) if rules.listed(d.phase)]
    if not deployments:
        return ()
    histories = _histories(s, unit_id, method_id)
    done = _done(s, unit_id, method_id)
    skips = _skips(s, [d.id for d in deployments] if unit_id or method_id else None)
    months = nomad_months(s)
    out = []
    for d in deployments:
        due = rules.due_rounds(histories.get(d.id, []), months, until)
        if not due:
            continue
        closed = rules.match(due, done.get((d.unit_id, d.method_id), []))
        skipped = skips.get(d.id, {})
        for item in due:
            state = rules.status(item, closed, skipped, today)
            out.append(ScheduledRound(d, item, state, closed.get(item.key), skipped.get(item.key, "")))
    return tuple(sorted(out, key=lambda r: (r.due.due, collation.key(r.deployment.unit.name_key), r.deployment.id, r.key)))


def open_rounds(s: Session, today: dt.date, unit_id: str | None = None) -> list[ScheduledRound]:
    """The rounds to do now: overdue ones first, then those due soon, by due day. Kept with the
    schedule it is picked from (the dashboard asks on every visit: a county's schedule has hundreds
    of rounds to go through, issue 17)."""
    return list(memo(s).kept(("open_rounds", today, unit_id), lambda: _open_rounds(s, today, unit_id)))


def _open_rounds(s: Session, today: dt.date, unit_id: str | None) -> tuple[ScheduledRound, ...]:
    rows = [r for r in schedule(s, today, unit_id=unit_id) if r.status in (rules.OVERDUE, rules.OPEN)]
    return tuple(sorted(rows, key=lambda r: (r.status != rules.OVERDUE, r.due.due)))


def rounds_between(s: Session, start: dt.date, end: dt.date, today: dt.date) -> list[ScheduledRound]:
    """The rounds still to do (not done, not closed, not missed) that are due from `start` to
    `end`: the annual plan's calendar file holds these."""
    rows = schedule(s, today, until=end)
    keep = (rules.OVERDUE, rules.OPEN, rules.UPCOMING)
    return [r for r in rows if r.status in keep and start <= r.due.due <= end]
