"""Reads about goals: the list and its filters, one goal's history, goals due, progress.

Plain functions over a Session (no Flask), shared by the goals pages, the dashboard,
reports and exports. The rules every function here follows:
- a goal's current value is its newest live update: latest date, and on the same
  day the one entered last; a goal without updates has no current value (not 0);
- progress follows the goal's direction (app.core.indicator_progress): higher is better,
  value / target; lower is better, target / value (20 days against 13 is 65 %, not
  achieved); a whole percentage rounded half up that may pass 100 % (the bar stops at full);
- a goal that points at an indicator takes its current value from the monthly figures
  (app.queries.indicators.goal_current), not from dated updates;
- deleted goals and deleted updates never count; a goal keeps showing after its
  unit or method is deleted (it was agreed; the name shows as it was).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import NamedTuple

from sqlalchemy import Select, and_, func, null, select
from sqlalchemy.orm import Session, aliased

from app.core.indicator_progress import Current, Progress, progress
from app.models import Goal, GoalUpdate, Indicator, Method, Unit
from app.models.goals import GOAL_STATUSES
from app.queries.common import get_live
from app.queries.indicators import goal_current

DUE_WINDOW_DAYS = 60  # "goals due": open goals whose target date is within this many days, or past

__all__ = [
    "GOAL_STATUSES",
    "DUE_WINDOW_DAYS",
    "GoalFilter",
    "GoalRow",
    "progress_percent",
    "latest_updates",
    "goal_list_stmt",
    "goal_rows",
    "goal_row",
    "goals_due",
    "count_goals_due",
    "goal_updates",
    "indicator_goals_behind",
    "live_goal",
    "live_update",
]


def progress_percent(value: int | None, target: int) -> int | None:
    """Current value as a whole percentage of the target (half up), None without a value."""
    if value is None or target <= 0:
        return None
    return (200 * value + target) // (2 * target)  # integer half-up: no float rounding surprises


class GoalFilter(NamedTuple):
    """The goals list's filters (empty: any)."""

    status: str = ""
    unit_id: str = ""
    method_id: str = ""
    due_before: dt.date | None = None  # target date on or before this day


@dataclass(frozen=True)
class GoalRow:
    """A goal as lists show it: its unit and method, its latest update or its figures."""

    goal: Goal
    unit: Unit | None
    method: Method | None
    latest_value: int | None  # the newest dated update's (free-text goals)
    latest_date: dt.date | None
    indicator: Indicator | None = None
    figures: Current | None = None  # an indicator goal's current value from the monthly figures

    @property
    def value(self) -> Decimal | int | None:
        """The current value: the monthly figures' for an indicator goal, else the newest update's."""
        return self.figures.value if self.indicator is not None and self.figures is not None else self.latest_value

    @property
    def as_of(self) -> dt.date | None:
        """The newest update's date, or (indicator goals) the latest reported month's first day."""
        return self.figures.month if self.indicator is not None and self.figures is not None else self.latest_date

    @cached_property  # asked for five times per row by goals/_progress.html (Fractions: not free)
    def progress(self) -> Progress:
        return progress(self.value, self.goal.target_value, self.goal.direction or "higher")

    @property
    def percent(self) -> int | None:
        return self.progress.percent

    @property
    def achieved(self) -> bool | None:
        return self.progress.achieved

    @property
    def bar_value(self) -> int:
        """What a <progress max=100> shows: 0..100, full once achieved."""
        return self.progress.bar

    def overdue(self, today: dt.date) -> bool:
        return self.goal.status == "open" and self.goal.target_date is not None and self.goal.target_date < today


def latest_updates():
    """Subquery (goal_id, value, date) of each goal's current value: its newest live update."""
    ranked = (
        select(
            GoalUpdate.goal_id,
            GoalUpdate.value,
            GoalUpdate.date,
            func.row_number()
            .over(
                partition_by=GoalUpdate.goal_id,
                order_by=(GoalUpdate.date.desc(), GoalUpdate.created_at.desc(), GoalUpdate.id.desc()),
            )
            .label("rank"),
        )
        .where(GoalUpdate.deleted.is_(False))
        .subquery()
    )
    return select(ranked.c.goal_id, ranked.c.value, ranked.c.date).where(ranked.c.rank == 1).subquery()


# (goal, its unit, its method, the latest update's value and date): None where there is none
GoalSelect = Select[Goal, Unit | None, Method | None, int | None, dt.date | None]


def _latest(column):
    """The goal's newest live update's `column` (latest_updates' rank 1), read per goal shown.
    latest_updates() joined instead ranks every update of every goal for a page of 50 (and
    for its count): a few ms at the bench scale; this reads the goal_id index a row at a time."""
    return (
        select(column)
        .where(GoalUpdate.goal_id == Goal.id, GoalUpdate.deleted.is_(False))
        .order_by(GoalUpdate.date.desc(), GoalUpdate.created_at.desc(), GoalUpdate.id.desc())
        .limit(1)
        .correlate(Goal)
        .scalar_subquery()
    )


# Built once: a Select is immutable (each .where() makes a new one), and making the aliases and
# subqueries again took a few ms of every dashboard (issue 17).
@cache
def _rows_stmt() -> GoalSelect:
    unit = aliased(Unit)
    method = aliased(Method)
    return (
        select(Goal, unit, method, _latest(GoalUpdate.value), _latest(GoalUpdate.date))
        .outerjoin(unit, unit.id == Goal.unit_id)
        .outerjoin(method, method.id == Goal.method_id)
        .where(Goal.deleted.is_(False))
    )


def goal_list_stmt(f: GoalFilter) -> GoalSelect:
    """Live goals matching the filter: soonest target date first (none last), then by title."""
    stmt = _rows_stmt()
    if f.status in GOAL_STATUSES:
        stmt = stmt.where(Goal.status == f.status)
    if f.unit_id:
        stmt = stmt.where(Goal.unit_id == f.unit_id)
    if f.method_id:
        stmt = stmt.where(Goal.method_id == f.method_id)
    if f.due_before is not None:
        stmt = stmt.where(Goal.target_date <= f.due_before)
    return stmt.order_by(Goal.target_date.is_(None), Goal.target_date, Goal.title, Goal.id)


def goal_rows(rows, s: Session, known: dict[str, Current] | None = None) -> list[GoalRow]:
    """Rows of goal_list_stmt (e.g. a Page's items) as GoalRow; indicator goals with their figures.
    `known`: goal id -> current value already read in this request (the dashboard asks twice)."""
    rows = list(rows)
    wanted = {row[0].indicator_id for row in rows if row[0].indicator_id}
    by_id = {i.id: i for i in s.scalars(select(Indicator).where(Indicator.id.in_(wanted)))} if wanted else {}
    known = {} if known is None else known
    out = []
    for row in rows:
        goal = row[0]
        indicator = by_id.get(goal.indicator_id) if goal.indicator_id else None
        figures = None
        if indicator is not None:
            figures = known.get(goal.id) or goal_current(s, goal, indicator)
            known[goal.id] = figures
        out.append(GoalRow(goal, row[1], row[2], row[3], row[4], indicator, figures))
    return out


def goal_row(s: Session, goal_id: str) -> GoalRow | None:
    row = s.execute(_rows_stmt().where(Goal.id == goal_id)).first()
    return goal_rows([row], s)[0] if row else None


def _due(today: dt.date, days: int):
    return and_(Goal.status == "open", Goal.target_date.is_not(None), Goal.target_date <= today + dt.timedelta(days=days))


@cache  # built once, as _rows_stmt
def _card_rows_stmt() -> GoalSelect:
    """_rows_stmt without the goal's unit and method (None in their places): the dashboard's goal
    cards show neither, and their two joined entities were nearly half of compiling the first page's
    largest statement (issue 17)."""
    return select(Goal, null(), null(), _latest(GoalUpdate.value), _latest(GoalUpdate.date)).where(Goal.deleted.is_(False))


def goals_due(
    s: Session, today: dt.date, days: int = DUE_WINDOW_DAYS, limit: int | None = None, known: dict[str, Current] | None = None
) -> list[GoalRow]:
    """Open live goals whose target date is past or within `days` days of `today`, soonest first:
    the dashboard's card, whose rows have no unit or method (_card_rows_stmt)."""
    stmt = _card_rows_stmt().where(_due(today, days)).order_by(Goal.target_date, Goal.title, Goal.id)
    return goal_rows(s.execute(stmt if limit is None else stmt.limit(limit)), s, known)


def count_goals_due(s: Session, today: dt.date, days: int = DUE_WINDOW_DAYS) -> int:
    stmt = select(func.count()).select_from(Goal).where(Goal.deleted.is_(False), _due(today, days))
    return s.scalar(stmt) or 0


@cache  # built once, as _rows_stmt
def _open_indicator_goals_stmt() -> GoalSelect:
    # Without _rows_stmt's latest update of every goal: an indicator goal's value is its figures'.
    # Without its unit and method too, as _card_rows_stmt.
    return (
        select(Goal, null(), null(), null(), null())
        .where(Goal.deleted.is_(False), Goal.status == "open", Goal.indicator_id.is_not(None))
        .order_by(Goal.target_date.is_(None), Goal.target_date, Goal.title, Goal.id)
    )


def indicator_goals_behind(s: Session, limit: int, known: dict[str, Current] | None = None) -> tuple[list[GoalRow], int]:
    """Open goals on an indicator whose figures have not reached the target (soonest target first),
    at most `limit` of them, and how many there are. A goal without a figure yet is not behind:
    its month is "not yet reported" (app.queries.indicators.unreported). The dashboard's card:
    rows without their unit or method, as goals_due's."""
    behind = [row for row in goal_rows(s.execute(_open_indicator_goals_stmt()), s, known) if row.achieved is False]
    return behind[:limit], len(behind)


def goal_updates(s: Session, goal_id: str) -> list[GoalUpdate]:
    """A goal's live updates, newest first (the first one is the current value)."""
    stmt = (
        select(GoalUpdate)
        .where(GoalUpdate.goal_id == goal_id, GoalUpdate.deleted.is_(False))
        .order_by(GoalUpdate.date.desc(), GoalUpdate.created_at.desc(), GoalUpdate.id.desc())
    )
    return list(s.scalars(stmt))


def live_goal(s: Session, goal_id: str) -> Goal | None:
    return get_live(s, Goal, goal_id)


def live_update(s: Session, update_id: str) -> GoalUpdate | None:
    return get_live(s, GoalUpdate, update_id)
