"""Follow-up survey rounds: NoMAD in June and October and usability rounds (SUS, some UMUX-Lite)
1 and 5 months after a unit starts a method, stored as counts per answer option per item.

Each deployment gets a level of agreement that, in most units, rises over its months in pilot
and in use (NoMAD construct means from about 3.3 towards 4.2 on 1-5; "not relevant at this
stage" answers common at first, rare later); some units stall. The respondents' answers are
drawn one by one and only their counts are kept, as a survey file's import would. Most due
rounds are done, the latest ones often not yet (overdue), a few are closed with a reason;
some rounds have fewer than 5 respondents, some only item means (a Zef summary), and a few
NoMAD rounds cover a method across several units.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import survey_schedule as rules
from app.core.instruments import BLANK, SEEDED, Instrument, Item, Scale
from app.demo.context import Demo
from app.models import (
    Deployment,
    InstrumentItem,
    PhaseChange,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    SurveySkip,
)
from app.models import Instrument as InstrumentRow

NOMAD_VERSIONS = ("nomad-20", "nomad-fi-16")
NOMAD_PHASES = ("pilot", "in_use", "embedded")  # embedded units often keep answering NoMAD
AGREE_CODES = {5: "sa", 4: "a", 3: "n", 2: "d", 1: "sd"}

# Where an item sits against the deployment's level (scored direction, 1-5): training,
# resources and reports on effects lag behind; openness to new ways is high from the start.
NOMAD_OFFSETS = {
    "CO1": 0.1,
    "CO2": -0.1,
    "CO3": 0.0,
    "CO4": 0.2,
    "CP1": 0.1,
    "CP2": 0.0,
    "CP3": 0.35,
    "CP4": 0.15,
    "CA1": -0.2,
    "CA2": 0.3,
    "CA3": 0.0,
    "CA4": -0.1,
    "CA5": -0.3,
    "CA6": -0.5,
    "CA7": -0.15,
    "RM1": -0.45,
    "RM2": 0.0,
    "RM3": 0.05,
    "RM4": 0.1,
    "RM5": -0.1,
}
NOT_MY_ROLE = {"CP1", "CA4", "CA6", "CA7", "RM1"}  # items some professionals leave to managers
SUS_OFFSETS = {"SUS3": 0.1, "SUS4": -0.2, "SUS7": 0.2, "SUS10": -0.3}

ROUND_NOTES = (
    "Kysely lähetettiin tiimin sähköpostilistalle.",
    "Vastausaikaa jatkettiin viikolla.",
    "Tulokset käsiteltiin tiimipalaverissa.",
    "Vastaukset kerättiin koulutuspäivän lopuksi.",
)
SKIP_REASONS = (
    "Yksikössä oli henkilöstövaihdoksia; kysely siirrettiin seuraavaan kierrokseen.",
    "Tiimi vastasi samaan aikaan hyvinvointialueen omaan kyselyyn.",
    "Pilotti oli kesätauolla, kysely jätettiin väliin.",
)


@dataclass(frozen=True)
class Catalogued:
    """A seeded instrument as the catalogue has it: its id and its live items' ids by code."""

    id: str
    instrument: Instrument
    item_ids: dict[str, str]


def catalogue(s: Session) -> dict[str, Catalogued]:
    """The seeded instruments still live and not retired, with the items the catalogue keeps."""
    rows = s.execute(
        select(InstrumentRow.key, InstrumentRow.id, InstrumentItem.code, InstrumentItem.id)
        .join(InstrumentItem, InstrumentItem.instrument_id == InstrumentRow.id)
        .where(
            InstrumentRow.deleted.is_(False),
            InstrumentRow.retired.is_(False),
            InstrumentRow.key.is_not(None),
            InstrumentItem.deleted.is_(False),
        )
    )
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for key, instrument_id, code, item_id in rows:
        assert key is not None  # the WHERE above
        found.setdefault(key, (instrument_id, {}))[1][code] = item_id
    out = {}
    for seeded in SEEDED:
        if seeded.key in found:
            instrument_id, ids = found[seeded.key]
            items = tuple(i for i in seeded.items if i.code in ids)
            if items:
                out[seeded.key] = Catalogued(instrument_id, Instrument(seeded.key, seeded.kind, items), ids)
    return out


@dataclass
class Profile:
    """How one deployment's professionals answer over time."""

    start: dt.date  # the unit started the method (pilot or in use)
    base: float  # level of agreement at the start, 1-5
    gain: float  # how much it rises once the method has settled
    settle_months: float
    invited: int  # professionals asked

    def progress(self, day: dt.date) -> float:
        return max(0.0, min(1.0, months_between(self.start, day) / self.settle_months))

    def level(self, day: dt.date) -> float:
        return self.base + self.gain * self.progress(day)


def months_between(first: dt.date, last: dt.date) -> float:
    return (last - first).days / 30.44


@dataclass
class Planned:
    """A round to write: its units' deployments, date and kind."""

    key: str  # instrument key
    day: dt.date
    deployments: list[dict]
    profiles: list[Profile]
    due: rules.Due | None = None  # the due round it closes (a round of one unit)
    means_only: bool = False  # what a Zef summary gives: item means and n


def add_rounds(demo: Demo) -> None:
    """Survey rounds for the deployments that started a method (call after add_deployments)."""
    if not demo.instruments:
        return
    rng = demo.rng
    histories: dict[str, list[tuple[dt.date, str]]] = {}
    for change in demo.rows.get(PhaseChange, []):
        histories.setdefault(change["deployment_id"], []).append((change["changed_on"], change["phase"]))
    nomad_keys = [k for k in NOMAD_VERSIONS if k in demo.instruments]
    usability_keys = [k for k in ("sus", "umux-lite") if k in demo.instruments]
    # One NoMAD version per method: a coordinator asks a method's units the same questions.
    version = {m.id: rng.choice(nomad_keys) for m in demo.methods} if nomad_keys else {}
    nomad_groups: dict[tuple[str, dt.date], list[tuple[dict, Profile, dt.date, rules.Due | None]]] = {}
    undone: list[tuple[dict, rules.Due]] = []
    usability: list[Planned] = []
    d: rules.Due | None  # a round due; in the NoMAD months, None when none is
    for deployment in demo.rows.get(Deployment, []):
        history = histories.get(deployment["id"], [])
        start = rules.start_day(history)
        if start is None:
            continue
        profile = _profile(demo, deployment, start)
        due = rules.due_rounds(history, rules.NOMAD_MONTHS_DEFAULT, demo.today)
        kind = "umux-lite" if "umux-lite" in usability_keys and rng.random() < 0.15 else "sus"
        for d in due:
            if d.kind == rules.USABILITY:
                day = _usability_day(demo, d)
                if day is None or kind not in usability_keys:
                    undone.append((deployment, d))
                else:
                    usability.append(Planned(kind, day, [deployment], [profile], d))
        due_nomad = {d.opens: d for d in due if d.kind == rules.NOMAD}
        for first in _nomad_months(start, demo.today):
            phase = rules.phase_on(history, first)
            if phase not in NOMAD_PHASES:
                continue
            d = due_nomad.get(first)
            day = _nomad_day(demo, first, embedded=d is None)
            if day is None:
                if d is not None:
                    undone.append((deployment, d))
                continue
            nomad_groups.setdefault((deployment["method_id"], first), []).append((deployment, profile, day, d))
    planned = usability + _nomad_rounds(demo, nomad_groups, version)
    _leave_overdue(demo, planned, undone)
    sus = [p for p in planned if p.key == "sus"]
    for plan in rng.sample(sus, min(len(sus), max(1, round(len(sus) * 0.1)))):
        plan.means_only = True
    for plan in planned:
        _write_round(demo, plan)
    _skip_some(demo, undone)


def _profile(demo: Demo, deployment: dict, start: dt.date) -> Profile:
    rng = demo.rng
    improving = rng.random() < 0.75
    trained = deployment.get("professionals_trained") or 0
    return Profile(
        start=start,
        base=rng.uniform(3.0, 3.35),
        gain=rng.uniform(0.85, 1.25) if improving else rng.uniform(0.0, 0.3),
        settle_months=rng.uniform(8, 16),
        invited=max(3, min(40, trained + rng.randint(1, 10))),
    )


def _nomad_months(start: dt.date, today: dt.date) -> list[dt.date]:
    out = []
    for year in range(start.year, today.year + 1):
        for month in rules.NOMAD_MONTHS_DEFAULT:
            first = dt.date(year, month, 1)
            if start <= first <= today:
                out.append(first)
    return out


def _usability_day(demo: Demo, d: rules.Due) -> dt.date | None:
    """When the round was answered; None: not done (yet)."""
    rng = demo.rng
    if d.opens > demo.today:
        return None
    start, end = d.window
    if rng.random() > (0.5 if demo.today <= end else 0.85):
        return None  # recent ones often not entered yet (overdue); a few older ones missed
    day = demo.workday(d.due + dt.timedelta(days=rng.randint(-7, 28)))
    day = max(start, min(day, end, demo.today))
    return day


def _nomad_day(demo: Demo, first: dt.date, embedded: bool) -> dt.date | None:
    rng = demo.rng
    last = min(rules.month_end(first.year, first.month), demo.today)
    if (last - first).days < 7:
        return None  # this month's round has only just opened
    recent = demo.today <= rules.add_months(last, rules.GRACE_MONTHS)  # still open: often not entered yet
    wanted = 0.5 if embedded or recent else 0.8
    if rng.random() > wanted:
        return None
    day = demo.day_between(first, last)
    if day.weekday() >= 5:  # an office day of the same month
        friday, monday = day - dt.timedelta(days=day.weekday() - 4), day + dt.timedelta(days=7 - day.weekday())
        day = friday if friday >= first else monday if monday <= last else day
    return day


def _nomad_rounds(demo: Demo, groups: dict, version: dict[str, str]) -> list[Planned]:
    """One round per unit, or now and then one for a method across its units that month."""
    out = []
    for (method_id, _first), members in groups.items():
        key = version[method_id]
        if 2 <= len(members) <= 6 and demo.rng.random() < 0.12:
            day = max(day for _d, _p, day, _due in members)
            out.append(Planned(key, day, [d for d, *_rest in members], [p for _d, p, *_rest in members]))
            continue
        out.extend(Planned(key, day, [d], [p], due) for d, p, day, due in members)
    return out


def _listed(demo: Demo, deployment: dict) -> bool:
    """Whether the schedule lists the deployment's due rounds (active unit, not paused or ended)."""
    return rules.listed(deployment["phase"]) and bool(demo.unit_by_id[deployment["unit_id"]]["active"])


def _overdue(demo: Demo, d: rules.Due | None) -> bool:
    return d is not None and d.due < demo.today <= d.window[1]


def _leave_overdue(demo: Demo, planned: list[Planned], undone: list[tuple[dict, rules.Due]], wanted: int = 3) -> None:
    """At least a few rounds past due, their window still open, stay undone when any are due:
    the dashboard's overdue list is part of the demo."""
    have = sum(_overdue(demo, d) and _listed(demo, deployment) for deployment, d in undone)
    candidates = [p for p in planned if _overdue(demo, p.due) and _listed(demo, p.deployments[0])]
    for plan in demo.rng.sample(candidates, max(0, min(len(candidates), wanted - have))):
        planned.remove(plan)
        assert plan.due is not None
        undone.append((plan.deployments[0], plan.due))


def _write_round(demo: Demo, plan: Planned) -> None:
    rng = demo.rng
    catalogued = demo.instruments[plan.key]
    instrument = catalogued.instrument
    counts: dict[str, Counter] = {item.code: Counter() for item in instrument.items}
    invited = answered = 0
    for profile in plan.profiles:
        asked = profile.invited
        rate = rng.uniform(0.45, 0.95)
        n = max(1, min(asked, round(asked * rate)))
        invited += asked
        answered += n
        for item in instrument.items:
            counts[item.code].update(_answers(demo, item, instrument.kind.value, profile, plan.day, n))
    means_only = plan.means_only
    tool = "zef" if instrument.kind.value == "sus" else rng.choice(("webropol", "webropol", "forms", "zef"))
    if answered < 4 and rng.random() < 0.5:
        tool = "paper"
    entered = min(demo.today, plan.day + dt.timedelta(days=rng.randint(0, 10)))
    round_row = demo.add(
        SurveyRound,
        entered,
        instrument_id=catalogued.id,
        method_id=plan.deployments[0]["method_id"],
        date=plan.day,
        invited=invited if rng.random() < 0.9 else None,
        answered=answered,
        tool=tool,
        means_only=means_only,
        share_small=answered < 5 and rng.random() < 0.2,
        notes=rng.choice(ROUND_NOTES) if rng.random() < 0.2 else "",
    )
    round_id = round_row["id"]
    for unit_id in dict.fromkeys(d["unit_id"] for d in plan.deployments):
        demo.add(SurveyRoundUnit, entered, round_id=round_id, unit_id=unit_id)
    for item in instrument.items:
        by_option = counts[item.code]
        item_id = catalogued.item_ids[item.code]
        if means_only:
            valid = {int(o): c for o, c in by_option.items() if o.isdigit()}
            n = sum(valid.values())
            if n:
                mean = sum(v * c for v, c in valid.items()) / n
                demo.add(SurveyMean, entered, round_id=round_id, item_id=item_id, mean_milli=round(mean * 1000), n=n)
            continue
        for option, count in by_option.items():
            if count:
                demo.add(SurveyCount, entered, round_id=round_id, item_id=item_id, option=option, count=count)


def _answers(demo: Demo, item: Item, kind: str, profile: Profile, day: dt.date, n: int) -> Counter:
    """n respondents' answers to one item, counted (BLANK: left empty)."""
    progress = profile.progress(day)
    level = profile.level(day)
    if item.scale is Scale.NOMAD:
        mean = level + NOMAD_OFFSETS.get(item.code, 0.0)
        early = max(0.0, 1 - months_between(profile.start, day) / 9)
        stage = 0.12 * (1.5 if item.group == "reflexive_monitoring" else 1.0) * early
        role = 0.05 if item.code in NOT_MY_ROLE else 0.012
        opted_out = {BLANK: 0.012, "nr_stage": stage, "nr_role": role, "nr_intervention": 0.004}
        points = _points(mean, 0.85, 1, 5)
        weights = {**opted_out, **{AGREE_CODES[6 - v if item.reversed else v]: p for v, p in points.items()}}
    else:
        if item.scale is Scale.ZERO_TEN:  # NoMAD's general items: familiar, normal now, will become normal
            g = (level - 1) / 4 * 10
            mean = {"G1": g - 1.0 * (1 - progress), "G2": g - 0.5 - 1.5 * (1 - progress)}.get(item.code, g + 0.5)
            low, high, spread = 0, 10, 1.6
        elif kind == "umux_lite":
            mean, low, high, spread = 1 + _usability_score(profile, day) * 6 / 100, 1, 7, 1.1
        else:  # SUS: odd items worded positively, even ones negatively
            mean = 1 + _usability_score(profile, day) / 25 + SUS_OFFSETS.get(item.code, 0.0)
            mean = 6 - mean if item.reversed else mean
            low, high, spread = 1, item.points, 0.8
        weights = {BLANK: 0.01, **{str(v): p for v, p in _points(mean, spread, low, high).items()}}
    # One draw of n answers from the options' weights (what n respondents drawn one by one give).
    return Counter(demo.rng.choices(list(weights), weights=list(weights.values()), k=n))


def _points(mean: float, spread: float, low: int, high: int) -> dict[int, float]:
    """A normal answer tendency rounded to the scale's points (the ends take the tails)."""

    def below(x: float) -> float:
        return 0.5 * (1 + math.erf((x - mean) / (spread * math.sqrt(2))))

    return {v: (1.0 if v == high else below(v + 0.5)) - (0.0 if v == low else below(v - 0.5)) for v in range(low, high + 1)}


def _usability_score(profile: Profile, day: dt.date) -> float:
    """The SUS-like score (0-100) the unit's answers centre on: about 60 at first, into the 70s."""
    return 56 + 22 * (profile.level(day) - 3.0)


def _skip_some(demo: Demo, undone: list[tuple[dict, rules.Due]]) -> None:
    """A few due rounds that were not done are closed with a reason ("not done, because…")."""
    listed = [(deployment, d) for deployment, d in undone if d.due < demo.today and _listed(demo, deployment)]
    # Older ones by preference: those still in their window stay on the overdue list.
    past = [(deployment, d) for deployment, d in listed if not _overdue(demo, d)] or listed
    if not past:
        return
    for deployment, d in demo.rng.sample(past, max(1, min(len(past), round(len(past) * 0.08)))):
        day = min(demo.today, d.due + dt.timedelta(days=demo.rng.randint(3, 40)))
        demo.add(SurveySkip, day, deployment_id=deployment["id"], due_key=d.key, reason=demo.rng.choice(SKIP_REASONS))
