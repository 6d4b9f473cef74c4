"""The coordinator's organisation: profile, units, deployments with their phase history, goals."""

from __future__ import annotations

import datetime as dt
import random

from app.core.text import fold
from app.demo import vocabulary as words
from app.demo.context import Demo
from app.models import CoordinatorProfile, Deployment, Goal, GoalUpdate, PhaseChange, Unit
from app.models.units import SERVICE_LINES

# How common each service line is among a county's units (health stations and school
# health care are the most numerous); the first units take one of each line.
LINE_WEIGHTS = {
    "health_station": 25,
    "school_student_health": 20,
    "mental_health_substance": 15,
    "family_counselling": 10,
    "child_health_clinic": 10,
    "adult_social_work": 10,
    "other": 10,
}
FORWARD = ("training", "pilot", "in_use", "embedded")
TRAINED_BY_PHASE = {"planned": (0, 0), "training": (0, 4), "pilot": (2, 8), "in_use": (3, 14), "embedded": (5, 20)}


def add_profile(demo: Demo) -> None:
    demo.add(
        CoordinatorProfile,
        demo.today,
        name=demo.person(),
        role=words.COORDINATOR_ROLE,
        county=demo.county,
        central_office_email=words.CENTRAL_OFFICE_EMAIL,
    )


def _unit_name(demo: Demo, line: str, taken: set[str]) -> tuple[str, bool]:
    fi, sv, _ages = words.UNIT_KINDS[line]
    name, swedish = f"Kivikylän {fi}", False
    for _attempt in range(50):
        swedish = demo.rng.random() < 0.12
        if swedish:
            name = f"{demo.rng.choice(words.PLACES_SV)} {sv}"
        else:
            nominative, genitive = demo.rng.choice(words.PLACE_ENDS)
            start = demo.rng.choice(words.PLACE_STARTS)
            if start + nominative in words.REAL_PLACES:
                continue
            name = f"{start}{genitive} {fi}"
        if name not in taken:
            return name, swedish
    number = 2
    while f"{name} {number}" in taken:
        number += 1
    return f"{name} {number}", swedish


def add_units(demo: Demo) -> None:
    rng = demo.rng
    taken: set[str] = set()
    lines = list(SERVICE_LINES)
    for i in range(demo.scale.units):
        line = lines[i] if i < len(lines) else rng.choices(list(LINE_WEIGHTS), weights=list(LINE_WEIGHTS.values()))[0]
        name, swedish = _unit_name(demo, line, taken)
        taken.add(name)
        supervisor = demo.person(swedish)
        created = demo.day_between(demo.start - dt.timedelta(days=365), demo.start + dt.timedelta(days=60))
        row = demo.add(
            Unit,
            created,
            demo.day_between(created, demo.today) if rng.random() < 0.3 else None,
            name=name,
            name_key=fold(name),
            service_line=line,
            age_group=rng.choice(words.UNIT_KINDS[line][2]),
            municipality=rng.choice(demo.municipalities()),
            supervisor_name=supervisor,
            supervisor_email=demo.email(supervisor) if rng.random() < 0.9 else "",
            professionals=rng.randint(4, 40) if rng.random() < 0.9 else None,
            active=rng.random() < 0.96,
            notes=rng.choice(words.UNIT_NOTES),
        )
        demo.units.append(row)
        demo.unit_by_id[row["id"]] = row
        if swedish:
            demo.swedish_units.add(row["id"])


def _phase_path(demo: Demo) -> list[tuple[str, dt.date]]:
    """(phase, day) from planned onwards, in date order, none after today."""
    rng = demo.rng
    day = demo.day_between(demo.start - dt.timedelta(days=200), demo.today - dt.timedelta(days=14))
    path = [("planned", day)]
    for phase in FORWARD:
        if rng.random() < 0.12:
            break  # stays where it is for now
        day = day + dt.timedelta(days=rng.randint(20, 160))
        if day > demo.today:
            break
        path.append((phase, day))
    roll = rng.random()
    detour = "paused" if roll < 0.07 else "ended" if roll < 0.12 else None
    if detour and len(path) > 1:
        day = min(demo.today, day + dt.timedelta(days=rng.randint(14, 120)))
        path.append((detour, max(day, path[-1][1])))
    return path


def _stop_reason(deployment_id: str, phase: str) -> tuple[str, str]:
    """Why a demo deployment paused or ended ("" for other phases). From its own random source
    (seeded by the deployment's id): the records after it stay the same as before reasons."""
    weights = words.STOP_REASON_WEIGHTS.get(phase)
    if not weights:
        return "", ""
    rng = random.Random(f"{deployment_id}:{phase}")
    reason = rng.choices(list(weights), weights=list(weights.values()))[0]
    text = rng.choice(words.STOP_REASON_NOTES[reason]) if rng.random() < 0.5 else ""
    return reason, text


def add_deployments(demo: Demo) -> None:
    rng = demo.rng
    for unit in demo.units:
        choices = demo.methods_for(unit["age_group"])
        if not choices:
            continue
        picked = rng.sample(choices, min(len(choices), rng.randint(1, 4)))
        for method in picked:
            path = _phase_path(demo)
            phase, since = path[-1]
            reached = max((p for p, _d in path if p in TRAINED_BY_PHASE), key=list(TRAINED_BY_PHASE).index)
            low, high = TRAINED_BY_PHASE[reached]
            pilot_start = next((d for p, d in path if p == "pilot"), None)
            pilot_end = pilot_start + dt.timedelta(days=rng.randint(90, 180)) if pilot_start else None
            row = demo.add(
                Deployment,
                path[0][1],
                since,
                unit_id=unit["id"],
                method_id=method.id,
                phase=phase,
                phase_since=since,
                professionals_trained=rng.randint(low, high),
                pilot_start=pilot_start,
                pilot_end=pilot_end,
                notes=rng.choice(("", "", "", "Pilotin tulokset esitelty johtoryhmälle.", "Odottaa koulutuspaikkoja.")),
            )
            for changed_phase, changed_on in path:
                reason, reason_text = _stop_reason(row["id"], changed_phase)
                demo.add(
                    PhaseChange,
                    changed_on,
                    deployment_id=row["id"],
                    phase=changed_phase,
                    changed_on=changed_on,
                    reason=reason,
                    reason_text=reason_text,
                )
            demo.unit_methods.setdefault(unit["id"], []).append(method.id)
            demo.method_units.setdefault(method.id, []).append(unit["id"])


def _goal_status(demo: Demo, target: dt.date) -> str:
    roll = demo.rng.random()
    if target < demo.today:
        return "achieved" if roll < 0.6 else "not_achieved" if roll < 0.85 else "dropped"
    return "achieved" if roll < 0.1 else "open"


# How far the newest value gets towards the target, by status.
REACH = {"achieved": (1.0, 1.2), "not_achieved": (0.5, 0.9), "dropped": (0.1, 0.5), "open": (0.3, 0.9)}


def add_goals(demo: Demo) -> None:
    rng = demo.rng
    short = {m.id: words.METHOD_SHORT.get(m.key or "", m.name_fi) for m in demo.methods}
    guided = [m.id for m in demo.methods if m.key in words.GUIDED_METHODS] or [m.id for m in demo.methods]
    templates: list[tuple] = []
    for _i in range(demo.scale.goals):
        if not templates:  # every template once before any repeats
            templates = rng.sample(words.GOAL_TEMPLATES, len(words.GOAL_TEMPLATES))
        title, metric, (low, high), with_unit, with_method = templates.pop()
        unit = rng.choice(demo.units) if with_unit else None
        method_id = None
        if with_method:
            pool = demo.unit_methods.get(unit["id"], []) if unit else []
            method_id = rng.choice(pool or guided)
            title = f"{title}: {short[method_id]}"
        if unit:
            title = f"{title} – {unit['name']}"
        target_value = rng.randint(low, high)
        target_date = demo.day_between(demo.start + dt.timedelta(days=120), demo.end + dt.timedelta(days=180))
        created = max(demo.start, min(demo.today, target_date - dt.timedelta(days=365)))
        status = _goal_status(demo, target_date)
        updates = _goal_updates(demo, created, target_date, target_value, status, percent="%" in metric)
        goal = demo.add(
            Goal,
            created,
            updates[-1][0] if updates else None,
            title=title,
            unit_id=unit["id"] if unit else None,
            method_id=method_id,
            metric=metric,
            target_value=target_value,
            target_date=target_date,
            status=status,
            notes=rng.choice(words.GOAL_NOTES),
        )
        for day, value in updates:
            demo.add(GoalUpdate, day, goal_id=goal["id"], date=day, value=value, note=rng.choice(words.UPDATE_NOTES))


def _goal_updates(demo: Demo, created: dt.date, target_date: dt.date, target: int, status: str, percent: bool):
    """Dated values rising from a baseline towards where the goal got, oldest first."""
    rng = demo.rng
    last = min(demo.today, target_date)
    if last <= created + dt.timedelta(days=14):
        return []
    days = sorted({demo.day_between(created + dt.timedelta(days=14), last) for _ in range(rng.randint(1, 6))})
    low, high = REACH[status]
    reach = rng.uniform(low, high)
    if status == "achieved":
        final = max(target, round(target * reach))
    else:
        final = min(target - 1, round(target * reach))
    base = round(target * 0.6) if percent else 0
    final = max(final, base)
    steps = len(days)
    return [(day, base + round((final - base) * (i + 1) / steps)) for i, day in enumerate(days)]
