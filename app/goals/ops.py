"""Writes of the goals feature, each one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import Goal, GoalUpdate
from app.store import write


@dataclass
class GoalData:
    title: str
    target_value: int
    unit_id: str | None = None
    method_id: str | None = None
    metric: str = ""
    target_date: dt.date | None = None
    status: str = "open"
    notes: str = ""
    # A goal on an indicator (None: free text with dated updates). The view passes the indicator's
    # own direction for such a goal, its days only when the indicator takes days, and counted_from
    # only when its months add up.
    indicator_id: str | None = None
    direction: str = "higher"
    days: int | None = None
    counted_from: dt.date | None = None


def _apply(goal: Goal, data: GoalData) -> None:
    goal.title = data.title.strip()
    goal.unit_id = data.unit_id or None
    goal.method_id = data.method_id or None
    goal.metric = (data.metric or "").strip()
    goal.target_value = data.target_value
    goal.target_date = data.target_date
    goal.status = data.status
    goal.notes = (data.notes or "").strip()
    goal.indicator_id = data.indicator_id or None
    goal.direction = data.direction
    goal.days = data.days
    goal.counted_from = data.counted_from.replace(day=1) if data.counted_from else None


def create_goal(s: Session, data: GoalData) -> Goal:
    with write(s):
        goal = Goal()
        _apply(goal, data)
        s.add(goal)
    return goal


def update_goal(s: Session, goal: Goal, data: GoalData) -> Goal:
    with write(s):
        _apply(goal, data)
    return goal


def add_update(s: Session, goal: Goal, date: dt.date, value: int, note: str = "") -> GoalUpdate:
    """A dated value of the goal's metric; the newest one is the goal's current value."""
    with write(s):
        update = GoalUpdate(goal_id=goal.id, date=date, value=value, note=(note or "").strip())
        s.add(update)
    return update
