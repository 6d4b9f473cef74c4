"""The front page's own figures: Helsinki weeks, and units the coordinator has not met lately.

Plain functions over a Session (no Flask). The weeks' events are the events list's
(app.queries.events.between_stmt's rows and order, read in one statement here); the other
numbers come from the features' shared queries (minutes_between, count_by_phase, goals_due),
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
from typing import Any, NamedTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.core import collation
from app.models import Event, EventUnit, GuidanceSession, SessionTrainee, Trainee, Unit
from app.queries.common import by_name, chunks, live
from app.queries.survey_cache import memo

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


class WeekEvents(NamedTuple):
    """A week's first events on the dashboard, and how many the week has in all."""

    events: list[Any]  # rows (id, date, start_time, title, type, status), in time order, at most the limit
    total: int  # every live event of the week


def two_weeks(s: Session, monday: dt.date, limit: int) -> tuple[WeekEvents, WeekEvents]:
    """The week starting `monday` and the next: each one's first `limit` live events in time order
    (app.queries.events.between_stmt's), and how many it has. One statement for both, where a
    count and a page per week took four (issue 17): numbered and counted per week by window
    functions over the two weeks' rows (a few hundred at the bench scale). Plain rows: what
    the dashboard's tables show, and safe to keep beyond this session."""
    next_monday, end = monday + dt.timedelta(days=7), monday + dt.timedelta(days=13)
    week = Event.date >= next_monday  # the partition: 0 this week, 1 the next
    order = (Event.date, Event.start_time, Event.title, Event.id)
    ranked = (
        select(
            Event.id,
            Event.date,
            Event.start_time,
            Event.title,
            Event.type,
            Event.status,
            func.row_number().over(partition_by=week, order_by=order).label("n"),
            func.count().over(partition_by=week).label("total"),
        )
        .where(Event.deleted.is_(False), Event.date >= monday, Event.date <= end)
        .subquery()
    )
    stmt = select(ranked).where(ranked.c.n <= limit).order_by(ranked.c.date, ranked.c.start_time, ranked.c.title, ranked.c.id)
    rows: tuple[list[Any], list[Any]] = ([], [])
    totals = [0, 0]
    for row in s.execute(stmt):
        second = int(row.date >= next_monday)
        rows[second].append(row)
        totals[second] = row.total
    return WeekEvents(rows[0], totals[0]), WeekEvents(rows[1], totals[1])


def unit_links_by_event(s: Session, event_ids: list[str]) -> dict[str, list[Any]]:
    """app.queries.events.units_by_event's units as rows of (id, name) only, in the same order: what
    a list of events links to (the dashboard's weeks), without making a hundred Unit objects. Here,
    not in app.queries.events: the first page of every start need not load the events pages' reads
    (issue 17)."""
    out: dict[str, list[Any]] = {}
    for chunk in chunks(event_ids):
        stmt = (
            select(EventUnit.event_id, Unit.id, Unit.name)
            .join(Unit, Unit.id == EventUnit.unit_id)
            .where(EventUnit.event_id.in_(chunk), live(EventUnit.deleted))
            .order_by(by_name(Unit.name_key))
        )
        for row in s.execute(stmt):
            out.setdefault(row.event_id, []).append(row)
    return out


def weeks_with_units(s: Session, monday: dt.date, limit: int) -> tuple[tuple[WeekEvents, WeekEvents], dict[str, list[Any]]]:
    """two_weeks(), and the units of the events shown (unit_links_by_event's rows), kept until
    the data next changes (app.queries.survey_cache): the front page asks on every visit."""

    def read():
        weeks = two_weeks(s, monday, limit)
        return weeks, unit_links_by_event(s, [e.id for w in weeks for e in w.events])

    return memo(s, whole=True).kept(("weeks", monday, limit), read)


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


class NoContact(NamedTuple):
    """A unit without contact in the window, and its last contact before it."""

    unit: Any  # a row of the unit's id and name
    last_contact: dt.date | None  # None: no contact ever recorded

    def weeks_since(self, today: dt.date) -> int | None:
        return None if self.last_contact is None else (today - self.last_contact).days // 7


class NoContactList(NamedTuple):
    """The dashboard's units without contact: the window, the count, the first of them."""

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


def _trainees_of(s: Session, unit_ids) -> dict[str, str]:
    """{trainee_id: unit_id} of the live trainees of these units."""
    stmt = select(Trainee.id, Trainee.unit_id).where(Trainee.unit_id.in_(list(unit_ids)), Trainee.deleted.is_(False))
    # unit_id is never None here (IN matches no NULL): the check is for the type checker
    return {trainee_id: unit_id for trainee_id, unit_id in s.execute(stmt) if unit_id is not None}


COUNT_CAP = 5000  # index entries a cost estimate reads at most


def _count_upto(s: Session, stmt, limit: int) -> int:
    """How many rows `stmt` has, counting no further than `limit` (an index-only estimate)."""
    return s.scalar(select(func.count()).select_from(stmt.limit(limit).subquery())) or 0


def _cheaper_by_own_rows(s: Session, own, span) -> bool:
    """Whether reading `own` (the records' own rows) costs less than reading `span` (all rows
    of the dates asked about). Counted up to the smaller of the two, so that deciding never
    costs more than the cheaper way would."""
    own_rows = _count_upto(s, own, COUNT_CAP + 1)
    return own_rows <= _count_upto(s, span, own_rows + 1)


def _guidance_between(s: Session, trainee_units: dict[str, str], start: dt.date | None, end: dt.date):
    """(conditions, by_trainee): the live sessions dated start..end (None: from the beginning),
    and whether to reach them through these trainees' own attendance rather than through
    all the sessions of those dates, whichever reads fewer index entries. (Through the
    trainees when few units are asked about, as events meet most units; through the
    dates when many units with long histories are.)"""
    dates = [GuidanceSession.deleted.is_(False), GuidanceSession.date <= end]
    if start is not None:
        dates.append(GuidanceSession.date >= start)
    own = select(SessionTrainee.id).where(SessionTrainee.trainee_id.in_(list(trainee_units)), SessionTrainee.deleted.is_(False))
    return dates, _cheaper_by_own_rows(s, own, select(GuidanceSession.date).where(*dates))


def _met_by_guidance(s: Session, unit_ids: list[str], since: dt.date, today: dt.date) -> set[str]:
    """Which of `unit_ids` had contact through a guidance session in since..today."""
    trainee_units = _trainees_of(s, unit_ids)
    if not trainee_units:
        return set()
    dates, by_trainee = _guidance_between(s, trainee_units, since, today)
    stmt = (
        select(SessionTrainee.trainee_id)
        .distinct()
        .join(GuidanceSession, GuidanceSession.id == SessionTrainee.session_id)
        .where(SessionTrainee.deleted.is_(False), *dates)
    )
    if by_trainee:
        stmt = stmt.where(SessionTrainee.trainee_id.in_(list(trainee_units)))
    return {trainee_units[t] for t in s.scalars(stmt) if t in trainee_units}


def _last_guidance(s: Session, trainee_units: dict[str, str], start: dt.date | None, end: dt.date) -> dict[str, dt.date]:
    """{unit_id: its last guidance session in start..end} through these trainees."""
    if not trainee_units:
        return {}
    dates, by_trainee = _guidance_between(s, trainee_units, start, end)
    stmt = (
        select(SessionTrainee.trainee_id, func.max(GuidanceSession.date))
        .join(GuidanceSession, GuidanceSession.id == SessionTrainee.session_id)
        .where(SessionTrainee.deleted.is_(False), *dates)
        .group_by(SessionTrainee.trainee_id)
    )
    if by_trainee:
        stmt = stmt.where(SessionTrainee.trainee_id.in_(list(trainee_units)))
    last: dict[str, dt.date] = {}
    for trainee_id, day in s.execute(stmt):
        unit_id = trainee_units.get(trainee_id)
        if unit_id is not None and (unit_id not in last or day > last[unit_id]):
            last[unit_id] = day
    return last


LOOK_BACK_WEEKS = (6, 12, 26)  # spans of events walked back from a date before asking per unit


def _last_events(s: Session, unit_ids: list[str], until: dt.date) -> dict[str, dt.date]:
    """{unit_id: its last event on or before `until`}.

    Per unit through its own attendance rows when that reads little (a few units left:
    the usual case). After a long break, though, every unit is listed and their whole
    histories are long, while the weeks just before the break meet most of them: then
    the events are walked back from `until` in growing spans over the date index, and
    only the units still left are asked about one by one. Bounded counts decide.
    """
    last: dict[str, dt.date] = {}
    left = set(unit_ids)
    end = until
    for weeks in LOOK_BACK_WEEKS:
        start = end - dt.timedelta(weeks=weeks)
        own = select(EventUnit.unit_id).where(EventUnit.unit_id.in_(list(left)))
        if _cheaper_by_own_rows(s, own, select(Event.date).where(Event.date >= start, Event.date <= end)):
            break
        stmt: Select[str, dt.date] = (
            _event_contacts(start, end).with_only_columns(EventUnit.unit_id, func.max(Event.date)).group_by(EventUnit.unit_id)
        )
        for unit_id, day in s.execute(stmt):
            if unit_id in left:
                last[unit_id] = day
                left.discard(unit_id)
        if not left:
            return last
        end = start - dt.timedelta(days=1)
    stmt = (
        _event_contacts(None, end)
        .where(EventUnit.unit_id.in_(list(left)))
        .with_only_columns(EventUnit.unit_id, func.max(Event.date))
        .group_by(EventUnit.unit_id)
    )
    last.update({unit_id: day for unit_id, day in s.execute(stmt)})
    return last


def _last_contacts(s: Session, unit_ids: list[str], until: dt.date) -> dict[str, dt.date]:
    """{unit_id: date of its last contact on or before `until`} (units never met are absent).

    The last event of each unit first (_last_events). A guidance session matters only if it
    is later than that: looked for from the earliest of those dates on; for units with no
    event at all, in their whole history.
    """
    last = _last_events(s, unit_ids, until)
    trainee_units = _trainees_of(s, unit_ids)
    with_events = {t: u for t, u in trainee_units.items() if u in last}
    without = {t: u for t, u in trainee_units.items() if u not in last}
    since_events = min((last[u] for u in with_events.values()), default=until)
    for guidance in (_last_guidance(s, with_events, since_events, until), _last_guidance(s, without, None, until)):
        for unit_id, day in guidance.items():
            if unit_id not in last or day > last[unit_id]:
                last[unit_id] = day
    return last


def units_without_contact(s: Session, today: dt.date, weeks: int, limit: int = 20) -> NoContactList:
    """Active live units with no contact from `today` - `weeks` weeks to today (both included).

    A few set-wise queries over covering indexes, never one query per unit, and the costly
    part only for the units that need it:
    1. the units met through the window's events (a few weeks of events; most units);
    2. of the active live units left, those met through guidance in the window;
    3. the last contact of the units still left (the list), then the units themselves.
    Where a step can go two ways (per unit or trainee, or over a span of dates), bounded
    counts pick the one that reads less. Bench scale (500 units, 100 000 sessions): about
    10 ms on a usual day, about 60 ms the day after a long break, when every unit is listed.
    """
    since = today - dt.timedelta(weeks=weeks)

    def listed() -> NoContactList:
        ordered, last = _without_contact(s, today, since)
        shown = ordered[:limit]
        # Rows of the id and name: what the card shows (no Unit objects), and safe to keep.
        names = {u.id: u for u in s.execute(select(Unit.id, Unit.name).where(Unit.id.in_(shown)))} if shown else {}
        return NoContactList(weeks, since, len(ordered), [NoContact(names[i], last.get(i)) for i in shown])

    # Kept until the data next changes (app.queries.survey_cache): the front page asks on every visit.
    return memo(s, whole=True).kept(("units_without_contact", today, weeks, limit), listed)


def _without_contact(s: Session, today: dt.date, since: dt.date) -> tuple[list[str], dict[str, dt.date]]:
    """(the ids of the units without contact since `since`, in the list's order; their last contacts)."""
    active = list(s.scalars(select(Unit.id).where(Unit.deleted.is_(False), Unit.active.is_(True))))
    met = _met_by_events(s, since, today)
    left = [unit_id for unit_id in active if unit_id not in met]
    if left:
        met = _met_by_guidance(s, left, since, today)
        left = [unit_id for unit_id in left if unit_id not in met]
    if not left:
        return [], {}
    last = _last_contacts(s, left, since)
    # Never contacted first, then the longest without contact; ties by name.
    names = sorted(
        s.execute(select(Unit.id, Unit.name_key).where(Unit.id.in_(left))),
        key=lambda u: (last.get(u.id) is not None, last.get(u.id) or dt.date.min, collation.key(u.name_key), u.id),
    )
    return [u.id for u in names], last


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


# -- what to act on: past events still planned, and the first week's path ---------------------------


class StalePlanned(NamedTuple):
    """Past events still marked planned: the most recent, and how many there are."""

    events: list[Any]  # rows (id, date, title): the most recent first, at most the limit
    total: int


def past_planned_events(s: Session, today: dt.date, limit: int = 8) -> StalePlanned:
    """Live events dated before today that still say "planned": held or cancelled, the coordinator
    has not said which (the dashboard offers a one-press "held")."""
    # likely(): SQLite's planner would otherwise read every planned event through the status
    # index (the future's too) and look up each one's date; over the covering date index it
    # walks back from today and stops at the limit (bench scale: 3 ms to 0.02 ms for the rows).
    # Kept until the data next changes (app.queries.survey_cache): the count walks every past
    # planned event (2 ms at the bench scale) on each visit of the front page (issue 17).
    return memo(s, whole=True).kept(("past_planned", today, limit), lambda: _past_planned(s, today, limit))


def _past_planned(s: Session, today: dt.date, limit: int) -> StalePlanned:
    where = (Event.deleted.is_(False), func.likely(Event.status == "planned"), Event.date < today)
    total = s.scalar(select(func.count()).select_from(Event).where(*where)) or 0
    # Plain rows, not Event objects: what the card shows, and safe to keep beyond this session.
    stmt = select(Event.id, Event.date, Event.title).where(*where).order_by(Event.date.desc(), Event.id).limit(limit)
    return StalePlanned(list(s.execute(stmt)), total)


class FirstSteps(NamedTuple):
    """Whether the coordinator has done each of the first week's steps (each is one cheap EXISTS)."""

    unit: bool
    event: bool
    session: bool

    @property
    def done(self) -> bool:
        return self.unit and self.event and self.session


def first_steps(s: Session) -> FirstSteps:
    def exists(model):
        return select(model.id).where(model.deleted.is_(False)).exists()

    # The three in one statement: each EXISTS stops at the first live row.
    unit, event, session = s.execute(select(exists(Unit), exists(Event), exists(GuidanceSession))).one()
    return FirstSteps(unit=bool(unit), event=bool(event), session=bool(session))
