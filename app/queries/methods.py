"""Reads about the method catalogue: choices for other forms, the list, and a method's page.

Plain functions over a Session (no Flask), shared with the dashboard, reports and exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.core import collation
from app.models import Deployment, Event, EventMethod, GuidanceSession, Method, Trainee, Unit
from app.models.deployments import PHASES
from app.queries.common import by_name, get_live, live
from app.queries.survey_cache import memo


def name_column(lang: str):
    """The method's name in `lang` as SQL, falling back to Finnish like Method.name()."""
    column = {"sv": Method.name_sv, "en": Method.name_en}.get(lang)
    return Method.name_fi if column is None else func.coalesce(func.nullif(column, ""), Method.name_fi)


def method_choices(s: Session, lang: str, include: str | Iterable[str] | None = None) -> list[tuple[str, str]]:
    """[(id, name in `lang`)] of methods a new record may use (live, not retired), by folded name.

    `include` (a record's current method, or methods) stays selectable whatever became of it
    since, so editing the record never fails on a choice the record already holds.
    """
    cond = and_(Method.deleted.is_(False), Method.retired.is_(False))
    kept = [include] if isinstance(include, str) else [i for i in include or () if i]
    if kept:
        cond = or_(cond, Method.id.in_(kept))
    methods = s.scalars(select(Method).where(cond))
    return sorted(((m.id, m.name(lang)) for m in methods), key=lambda pair: (collation.key(pair[1]), pair[0]))


def live_method(s: Session, method_id: str) -> Method | None:
    return get_live(s, Method, method_id)


def method_list_stmt(lang: str, target_group: str = "", show_retired: bool = False) -> Select:
    stmt = select(Method).where(Method.deleted.is_(False))
    if target_group:
        stmt = stmt.where(Method.target_group == target_group)
    if not show_retired:
        stmt = stmt.where(Method.retired.is_(False))
    return stmt.order_by(by_name(name_column(lang)), Method.id)


def method_deployments_by_phase(s: Session, method_id: str) -> list[tuple[str, list[Deployment]]]:
    """[(phase, deployments)] in the phases' own order, only phases that have any.

    Deployments of deleted units are left out: the unit is gone from every list.
    """
    stmt = (
        select(Deployment)
        .join(Unit, Unit.id == Deployment.unit_id)
        .where(Deployment.method_id == method_id, live(Deployment.deleted), live(Unit.deleted))
        .order_by(by_name(Unit.name_key), Deployment.id)
    )
    grouped: dict[str, list[Deployment]] = {}
    for deployment in s.scalars(stmt):
        grouped.setdefault(deployment.phase, []).append(deployment)
    order = {phase: i for i, phase in enumerate(PHASES)}
    return sorted(grouped.items(), key=lambda item: order.get(item[0], len(order)))


class MethodCounts(NamedTuple):
    """What a method has been used in: events, guidance sessions, trainees."""

    events: int
    guidance_sessions: int
    trainees: int


def method_counts(s: Session, method_id: str) -> MethodCounts:
    """Live events that name the method, its live guidance sessions and live trainees. Kept until
    the data next changes (app.queries.survey_cache): counting a busy method's sessions walks
    tens of thousands of index entries on each visit of its page (issue 17: 10 ms at bench scale)."""
    return memo(s, whole=True).kept(("method_counts", method_id), lambda: _method_counts(s, method_id))


def _method_counts(s: Session, method_id: str) -> MethodCounts:
    events = s.scalar(
        select(func.count(func.distinct(EventMethod.event_id)))
        .join(Event, Event.id == EventMethod.event_id)
        .where(EventMethod.method_id == method_id, live(EventMethod.deleted), live(Event.deleted))
    )
    sessions = s.scalar(
        select(func.count())
        .select_from(GuidanceSession)
        .where(GuidanceSession.method_id == method_id, live(GuidanceSession.deleted))
    )
    trainees = s.scalar(select(func.count()).select_from(Trainee).where(Trainee.method_id == method_id, live(Trainee.deleted)))
    return MethodCounts(events or 0, sessions or 0, trainees or 0)
