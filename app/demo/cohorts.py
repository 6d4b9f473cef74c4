"""Method guidance: cohorts of trainees per method, their group meeting every 3 weeks for a
year (a recurring event series), the group sessions of the meetings held, and individual
sessions in between."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.core.holidays import is_working_day
from app.core.text import fold
from app.demo import vocabulary as words
from app.demo.calendar import add_event, status_for
from app.demo.context import Demo, MethodInfo
from app.models import GuidanceSession, SessionTrainee, Trainee

EVERY = dt.timedelta(days=21)  # IPC method guidance groups meet every 3 weeks for a year
MEETINGS = 18  # 17 intervals of 3 weeks: 357 days
GROUP_TIMES = tuple(dt.time(h, m) for h, m in ((8, 30), (9, 0), (12, 30), (13, 0), (14, 0)))


@dataclass
class Cohort:
    method: MethodInfo
    label: str
    first: dt.date
    trainees: list[dict] = field(default_factory=list)


def _terms(demo: Demo) -> list[tuple[dt.date, str]]:
    """Cohort start days: each spring (late January) and autumn (late August) in the window."""
    terms = []
    for year in range(demo.start.year, demo.end.year + 1):
        for day, season in ((dt.date(year, 1, 20), "kevät"), (dt.date(year, 8, 25), "syksy")):
            if demo.start <= day <= demo.end - dt.timedelta(days=30):
                terms.append((day, f"{season} {year}"))
    return terms


def _guided_methods(demo: Demo) -> list[MethodInfo]:
    guided = [m for m in demo.methods if m.key in words.GUIDED_METHODS]
    return guided or list(demo.methods)


def _cohorts(demo: Demo) -> list[Cohort]:
    rng = demo.rng
    methods = _guided_methods(demo)
    cohorts = []
    for term_day, term in _terms(demo):
        order = rng.sample(methods, len(methods))
        seen: dict[str, int] = {}
        for i in range(demo.scale.cohorts_per_term):
            method = order[i % len(order)]
            short = words.METHOD_SHORT.get(method.key or "", method.name_fi)
            seen[method.id] = seen.get(method.id, 0) + 1
            label = f"{short} {term}" + (f", ryhmä {seen[method.id]}" if seen[method.id] > 1 else "")
            first = demo.workday(term_day + dt.timedelta(days=rng.randint(0, 20)))
            cohorts.append(Cohort(method, label, first))
    return cohorts


def _add_trainees(demo: Demo, cohort: Cohort) -> None:
    rng = demo.rng
    group = {"adult": "adults", "child_youth": "children_youth"}[cohort.method.target_group]
    pool = (
        demo.method_units.get(cohort.method.id)
        or [u["id"] for u in demo.units if u["age_group"] in (group, "both")]
        or [u["id"] for u in demo.units]
    )
    for _i in range(rng.randint(5, 9)):
        unit_id = rng.choice(pool)
        name = demo.person(unit_id in demo.swedish_units or None)
        # A few stop early (parental leave, a new job): their year ends sooner.
        days = rng.randint(60, 250) if rng.random() < 0.08 else 364
        created = min(demo.today, cohort.first - dt.timedelta(days=rng.randint(7, 40)))
        cohort.trainees.append(
            demo.add(
                Trainee,
                created,
                name=name,
                name_key=fold(name),
                email=demo.email(name) if rng.random() < 0.8 else "",
                profession=rng.choice(words.PROFESSIONS),
                unit_id=unit_id,
                method_id=cohort.method.id,
                cohort=cohort.label,
                start_date=cohort.first,
                end_date=cohort.first + dt.timedelta(days=days),
                erased_at=None,
            )
        )


def _topics(demo: Demo) -> str:
    picked = demo.rng.sample(words.GUIDANCE_TOPICS, demo.rng.randint(1, 2))
    text = ", ".join(picked)
    return text[0].upper() + text[1:]


def _add_session(
    demo: Demo,
    *,
    day: dt.date,
    method_id: str,
    kind: str,
    duration: int,
    remote: bool,
    trainee_ids: list[str],
    event_id: str | None = None,
) -> None:
    rng = demo.rng
    session = demo.add(
        GuidanceSession,
        day,
        date=day,
        method_id=method_id,
        kind=kind,
        duration_minutes=duration,
        mode="remote" if remote else "onsite",
        cases_discussed=rng.randint(1, 4) if kind == "group" else rng.randint(1, 2),
        topics=_topics(demo),
        notes=rng.choice(words.SESSION_NOTES),
        event_id=event_id,
    )
    for trainee_id in trainee_ids:
        demo.add(SessionTrainee, day, session_id=session["id"], trainee_id=trainee_id)


def _add_group_series(demo: Demo, cohort: Cohort) -> tuple[int, int]:
    """The cohort's guidance group: one event every 3 weeks, a group session for each held one.

    Returns (events, sessions) made.
    """
    rng = demo.rng
    series_id = demo.new_id()
    start_time, duration = rng.choice(GROUP_TIMES), rng.choice((90, 120))
    remote = rng.random() < 0.35
    unit_ids = list(dict.fromkeys(t["unit_id"] for t in cohort.trainees))[:8]
    events = sessions = 0
    for k in range(MEETINGS):
        day = cohort.first + EVERY * k
        if day > demo.end:
            break
        if not is_working_day(day):
            continue  # the group does not meet on a public holiday (Ascension Day, Christmas Eve…)
        active = [t for t in cohort.trainees if t["start_date"] <= day <= t["end_date"]]
        present = [t for t in active if rng.random() < 0.85] or active[:1]
        status = status_for(demo, day)
        counts = {u: (sum(1 for t in present if t["unit_id"] == u), 0, 0) for u in unit_ids}
        event = add_event(
            demo,
            type="guidance_group",
            title=f"Menetelmäohjaus: {cohort.label}",
            day=day,
            status=status,
            unit_ids=unit_ids,
            method_ids=[cohort.method.id],
            series_id=series_id,
            start_time=start_time,
            duration=duration,
            remote=remote,
            feedback_share=0.3,
            counts=counts,
        )
        events += 1
        if status == "held" and present:
            _add_session(
                demo,
                day=day,
                method_id=cohort.method.id,
                kind="group",
                duration=duration,
                remote=remote,
                trainee_ids=[t["id"] for t in present],
                event_id=event["id"],
            )
            sessions += 1
    return events, sessions


def add_guidance(demo: Demo) -> tuple[int, int]:
    """Cohorts, trainees, their group series and group sessions. Returns (events, sessions)."""
    events = sessions = 0
    cohorts = _cohorts(demo)
    for cohort in cohorts:
        _add_trainees(demo, cohort)
    for cohort in cohorts:
        made_events, made_sessions = _add_group_series(demo, cohort)
        events += made_events
        sessions += made_sessions
    return events, sessions


def add_individual_sessions(demo: Demo, count: int) -> None:
    """`count` one-to-one sessions with trainees, on days within their guidance year, none ahead."""
    rng = demo.rng
    yesterday = demo.today - dt.timedelta(days=1)
    started = [t for t in demo.rows.get(Trainee, []) if t["start_date"] <= yesterday]
    for _i in range(count if started else 0):
        trainee = rng.choice(started)
        last = min(trainee["end_date"], yesterday)
        day = demo.workday(demo.day_between(trainee["start_date"], last))
        day = min(max(day, trainee["start_date"]), yesterday)
        while not is_working_day(day) and day > trainee["start_date"]:  # "yesterday" was a Sunday
            day -= dt.timedelta(days=1)
        _add_session(
            demo,
            day=day,
            method_id=trainee["method_id"],
            kind="individual",
            duration=rng.choice((45, 60, 60, 90)),
            remote=rng.random() < 0.45,
            trainee_ids=[trainee["id"]],
        )
