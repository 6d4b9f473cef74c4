"""The front page's own figures: Helsinki weeks, and units the coordinator has not met lately.

Plain functions over a Session (no Flask). The dashboard's other numbers come from the
features' shared queries (between_stmt, minutes_between, count_by_phase, goals_due),
so they mean the same here as on the features' own pages and in reports.

"Contact" with a unit, for the no-contact list:
- an event that concerns the unit (a live attendance row), is live, not cancelled,
  and dated today or earlier (a planned event next week is not contact yet);
- a live guidance session, dated today or earlier, attended (live attendance row) by
  a live trainee of the unit (an erased trainee still counts: the session happened).
Only live, active units are listed: an ended unit needs no contact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from app.models import Event, EventUnit, GuidanceSession, SessionTrainee, Trainee, Unit

NO_CONTACT_WEEKS_KEY = "no_contact_weeks"  # a Setting: weeks without contact before a unit is listed
NO_CONTACT_WEEKS_DEFAULT = 6
NO_CONTACT_WEEKS_MIN = 1
NO_CONTACT_WEEKS_MAX = 52


def no_contact_weeks(saved: str | None) -> int:
    """The saved setting as weeks; the default when missing or not a number in range."""
    try:
        weeks = int(saved) if saved is not None else NO_CONTACT_WEEKS_DEFAULT
    except ValueError:
        return NO_CONTACT_WEEKS_DEFAULT
    return weeks if NO_CONTACT_WEEKS_MIN <= weeks <= NO_CONTACT_WEEKS_MAX else NO_CONTACT_WEEKS_DEFAULT


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """(Monday, Sunday) of the week `day` is in: Finnish weeks start on Monday."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def year_of(day: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def _event_contacts(start: dt.date | None, end: dt.date):
    """(unit_id, date) of every contact through an event dated start..end (start None: from the beginning)."""
    stmt = (
        select(EventUnit.unit_id.label("unit_id"), Event.date.label("date"))
        .join(Event, Event.id == EventUnit.event_id)
        .where(EventUnit.deleted.is_(False), Event.deleted.is_(False), Event.status != "cancelled", Event.date <= end)
    )
    return stmt.where(Event.date >= start) if start is not None else stmt


def _guidance_contacts(start: dt.date | None, end: dt.date):
    """(unit_id, date) of every contact through a guidance session dated start..end."""
    stmt = (
        select(Trainee.unit_id.label("unit_id"), GuidanceSession.date.label("date"))
        .select_from(SessionTrainee)
        .join(GuidanceSession, GuidanceSession.id == SessionTrainee.session_id)
        .join(Trainee, Trainee.id == SessionTrainee.trainee_id)
        .where(
            SessionTrainee.deleted.is_(False),
            GuidanceSession.deleted.is_(False),
            Trainee.deleted.is_(False),
            Trainee.unit_id.is_not(None),
            GuidanceSession.date <= end,
        )
    )
    return stmt.where(GuidanceSession.date >= start) if start is not None else stmt


@dataclass(frozen=True)
class NoContact:
    unit: Unit
    last_contact: dt.date | None  # None: no contact ever recorded

    def weeks_since(self, today: dt.date) -> int | None:
        return None if self.last_contact is None else (today - self.last_contact).days // 7


@dataclass(frozen=True)
class NoContactList:
    weeks: int
    since: dt.date  # contact on or after this day would have kept a unit off the list
    total: int
    units: list[NoContact]  # the `limit` longest without contact; never-contacted first

    @property
    def more(self) -> int:
        return self.total - len(self.units)


def _met_by_events(s: Session, since: dt.date, today: dt.date) -> set[str]:
    """Units with contact through an event in since..today: the window's events, from the
    covering indexes on events(date, ...) and event_attendance(event_id, ...) alone."""
    return set(s.scalars(_event_contacts(since, today).with_only_columns(EventUnit.unit_id).distinct()))


def _met_by_guidance(s: Session, unit_ids: list[str], since: dt.date, today: dt.date) -> set[str]:
    """Which of `unit_ids` had contact through a guidance session in since..today.

    Two ways to the same answer, and the cheaper one is taken, judged by two index-only
    counts: through these units' trainees' own attendance (few units left, or units with
    few sessions: the usual case, as events meet most units), or through all the
    window's sessions (many units left with long guidance histories).
    """
    trainee_units = {
        trainee_id: unit_id
        for trainee_id, unit_id in s.execute(
            select(Trainee.id, Trainee.unit_id).where(Trainee.unit_id.in_(unit_ids), Trainee.deleted.is_(False))
        )
    }
    if not trainee_units:
        return set()
    in_window = (GuidanceSession.date >= since, GuidanceSession.date <= today, GuidanceSession.deleted.is_(False))
    window_rows = s.scalar(select(func.count()).select_from(GuidanceSession).where(*in_window)) or 0
    history_rows = s.scalar(
        select(func.count())
        .select_from(SessionTrainee)
        .where(SessionTrainee.trainee_id.in_(list(trainee_units)), SessionTrainee.deleted.is_(False))
    ) or 0
    stmt = (
        select(SessionTrainee.trainee_id)
        .distinct()
        .join(GuidanceSession, GuidanceSession.id == SessionTrainee.session_id)
        .where(SessionTrainee.deleted.is_(False), *in_window)
    )
    if history_rows <= window_rows:
        stmt = stmt.where(SessionTrainee.trainee_id.in_(list(trainee_units)))
    return {trainee_units[t] for t in s.scalars(stmt) if t in trainee_units}


def _last_contacts(s: Session, unit_ids: list[str], until: dt.date) -> dict[str, dt.date]:
    """{unit_id: date of its last contact on or before `until`} (units never met are absent)."""
    history = union_all(
        _event_contacts(None, until).where(EventUnit.unit_id.in_(unit_ids)),
        _guidance_contacts(None, until).where(Trainee.unit_id.in_(unit_ids)),
    ).subquery()
    stmt = select(history.c.unit_id, func.max(history.c.date)).group_by(history.c.unit_id)
    return {unit_id: day for unit_id, day in s.execute(stmt)}


def units_without_contact(s: Session, today: dt.date, weeks: int, limit: int = 20) -> NoContactList:
    """Active live units with no contact from `today` - `weeks` weeks to today (both included).

    A few set-wise queries over covering indexes, never one query per unit, and the costly
    part only for the units that need it:
    1. the units met through the window's events (a few weeks of events; most units);
    2. of the active live units left, those met through guidance in the window;
    3. the last contact of the units still left (the list), then the units themselves.
    """
    since = today - dt.timedelta(weeks=weeks)
    active = list(s.scalars(select(Unit.id).where(Unit.deleted.is_(False), Unit.active.is_(True))))
    met = _met_by_events(s, since, today)
    left = [unit_id for unit_id in active if unit_id not in met]
    if left:
        met = _met_by_guidance(s, left, since, today)
        left = [unit_id for unit_id in left if unit_id not in met]
    if not left:
        return NoContactList(weeks, since, 0, [])
    last = _last_contacts(s, left, since)
    # Never contacted first, then the longest without contact; ties by name.
    units = sorted(
        s.scalars(select(Unit).where(Unit.id.in_(left))),
        key=lambda u: (last.get(u.id) is not None, last.get(u.id) or dt.date.min, u.name_key, u.id),
    )
    return NoContactList(weeks, since, len(units), [NoContact(u, last.get(u.id)) for u in units[:limit]])


__all__ = [
    "NO_CONTACT_WEEKS_KEY",
    "NO_CONTACT_WEEKS_DEFAULT",
    "NO_CONTACT_WEEKS_MIN",
    "NO_CONTACT_WEEKS_MAX",
    "no_contact_weeks",
    "week_of",
    "month_of",
    "year_of",
    "NoContact",
    "NoContactList",
    "units_without_contact",
]
