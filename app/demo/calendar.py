"""Events: the one-off workshops, support meetings, sparring… that fill the coordinator's year,
plus the helpers the recurring guidance groups (app.demo.cohorts) share."""

from __future__ import annotations

import datetime as dt

from app.demo import vocabulary as words
from app.demo.context import Demo
from app.models import Event, EventMethod, EventUnit

# Relative frequency of one-off events by type; guidance groups mostly come as series.
TYPE_WEIGHTS = {
    "support_meeting": 30,
    "workshop": 16,
    "network_meeting": 12,
    "peer_mentoring": 10,
    "management_sparring": 10,
    "training": 8,
    "other": 5,
    "guidance_group": 4,
}
DURATIONS = {
    "workshop": (120, 180),
    "support_meeting": (60, 90),
    "guidance_group": (90, 120),
    "peer_mentoring": (90, 120),
    "management_sparring": (60, 90),
    "network_meeting": (120, 180),
    "training": (240, 360, 420),
    "other": (60, 120),
}
UNITS_CONCERNED = {
    "workshop": (2, 6),
    "support_meeting": (1, 1),
    "guidance_group": (1, 3),
    "peer_mentoring": (2, 5),
    "management_sparring": (1, 3),
    "network_meeting": (3, 8),
    "training": (2, 8),
    "other": (0, 2),
}
START_TIMES = tuple(dt.time(h, m) for h, m in ((8, 30), (9, 0), (10, 0), (12, 0), (12, 30), (13, 0), (14, 0)))


def status_for(demo: Demo, day: dt.date) -> str:
    """Mostly held in the past and planned ahead; some cancelled; the last two weeks partly
    still "planned" (the coordinator has not recorded the attendance yet)."""
    roll = demo.rng.random()
    if day >= demo.today:
        return "cancelled" if roll < 0.04 else "planned"
    if roll < 0.05:
        return "cancelled"
    if (demo.today - day).days <= 14 and roll < 0.35:
        return "planned"
    return "held"


def feedback(demo: Demo, status: str, attendees: int, share: float) -> tuple[int | None, int | None]:
    """(average 1–5 in hundredths, answers) for a held event, or none."""
    if status != "held" or attendees < 2 or demo.rng.random() >= share:
        return None, None
    return demo.rng.randint(340, 495), demo.rng.randint(2, attendees)


def add_event(
    demo: Demo,
    *,
    type: str,
    title: str,
    day: dt.date,
    status: str,
    unit_ids: list[str],
    method_ids: list[str],
    series_id: str | None = None,
    start_time: dt.time | None = None,
    duration: int | None = None,
    remote: bool | None = None,
    place: str | None = None,
    feedback_share: float = 0.7,
    counts: dict[str, tuple[int, int, int]] | None = None,
) -> dict:
    """One event with the units it concerns (attendance when held) and its methods.

    `counts` gives attendance per unit for a held event; without it, plausible numbers are drawn.
    """
    rng = demo.rng
    remote = rng.random() < 0.35 if remote is None else remote
    if place is None:
        host = demo.unit_by_id.get(unit_ids[0]) if unit_ids else None
        place = words.REMOTE_PLACE if remote else f"{host['name'] if host else 'Sote-keskus'}, {rng.choice(words.MEETING_ROOMS)}"
    created = max(demo.start - dt.timedelta(days=30), day - dt.timedelta(days=rng.randint(7, 120)))
    created = min(created, demo.today)
    attendance: dict[str, tuple[int, int, int] | tuple[None, None, None]] = {}  # (professionals, supervisors, others)
    for unit_id in unit_ids:
        if status != "held" or rng.random() < 0.04:
            attendance[unit_id] = (None, None, None)  # not known (yet)
        elif counts is not None:
            attendance[unit_id] = counts.get(unit_id, (0, 0, 0))
        elif type == "management_sparring":
            attendance[unit_id] = (rng.randint(0, 1), rng.randint(1, 3), 0)
        else:
            top = 12 if type == "training" else 8
            attendance[unit_id] = (rng.randint(1, top), rng.randint(0, 2), rng.choice((0, 0, 0, 1, 2)))
    attendees = sum(sum(c) for c in attendance.values() if c[0] is not None)
    average, answers = feedback(demo, status, attendees, feedback_share)
    event = demo.add(
        Event,
        created,
        day if status != "planned" else None,
        type=type,
        title=title,
        theme=rng.choice(words.EVENT_THEMES[type]),
        date=day,
        start_time=start_time or rng.choice(START_TIMES),
        duration_minutes=duration or rng.choice(DURATIONS[type]),
        place=place,
        remote=remote,
        status=status,
        series_id=series_id,
        feedback_avg_centi=average,
        feedback_count=answers,
        notes=rng.choice(words.EVENT_NOTES) if status == "held" else "",
    )
    for unit_id, (professionals, supervisors, others) in attendance.items():
        demo.add(
            EventUnit,
            created,
            day if professionals is not None else None,
            event_id=event["id"],
            unit_id=unit_id,
            professionals=professionals,
            supervisors=supervisors,
            others=others,
        )
    for method_id in method_ids:
        demo.add(EventMethod, created, event_id=event["id"], method_id=method_id)
    return event


def _event_day(demo: Demo) -> dt.date:
    """A working day in the window; July (the summer holiday month) only rarely."""
    while True:
        day = demo.workday(demo.day_between(demo.start, demo.end))
        if day.month != 7 or demo.rng.random() < 0.15:
            return day


def _one_off(demo: Demo, type: str, day: dt.date, active: list[dict]) -> tuple[str, list[str], list[str]]:
    """(title, unit ids, method ids) of a one-off event of `type` on `day`."""
    rng = demo.rng
    low, high = UNITS_CONCERNED[type]
    # Nothing is planned with a unit that has closed (the few inactive ones).
    pool = demo.units if day < demo.today else active
    units = rng.sample(pool, min(len(pool), rng.randint(low, high)))
    unit_ids = [u["id"] for u in units]
    if type == "support_meeting" and units:
        unit = units[0]
        word = "Stödmöte" if unit["id"] in demo.swedish_units else "Tukitapaaminen"
        deployed = demo.unit_methods.get(unit["id"], [])
        methods = rng.sample(deployed, min(len(deployed), rng.randint(1, 2)))
        return f"{word}: {unit['name']}", unit_ids, methods
    if type == "guidance_group":
        method = rng.choice(demo.methods)
        return f"Menetelmäohjaus: {words.METHOD_SHORT.get(method.key or '', method.name_fi)}", unit_ids, [method.id]
    methods = [rng.choice(demo.methods).id] if type in ("workshop", "training") or rng.random() < 0.3 else []
    return rng.choice(words.EVENT_TITLES[type]), unit_ids, methods


def add_one_off_events(demo: Demo, count: int) -> None:
    """`count` events that are not part of a guidance group, about 1 % of them deleted."""
    rng = demo.rng
    types, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    active = [u for u in demo.units if u["active"]] or demo.units
    made = 0
    while made < count:
        type = rng.choices(types, weights=weights)[0]
        day = _event_day(demo)
        title, unit_ids, method_ids = _one_off(demo, type, day, active)
        # A basic course takes two days in a row: two events of one series.
        days = [day, demo.next_workday(day)] if "peruskoulutus" in title else [day]
        days = days[: count - made]
        series_id = demo.new_id() if len(days) > 1 else None
        for one_day in days:
            event = add_event(
                demo,
                type=type,
                title=title,
                day=one_day,
                status=status_for(demo, one_day),
                unit_ids=unit_ids,
                method_ids=method_ids,
                series_id=series_id,
            )
            if rng.random() < 0.01:
                event["deleted"] = True
        made += len(days)
