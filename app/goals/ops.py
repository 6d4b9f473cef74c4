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


def _apply(goal: Goal, data: GoalData) -> None:
    goal.title = data.title.strip()
    goal.unit_id = data.unit_id or None
    goal.method_id = data.method_id or None
    goal.metric = (data.metric or "").strip()
    goal.target_value = data.target_value
    goal.target_date = data.target_date
    goal.status = data.status
    goal.notes = (data.notes or "").strip()


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
