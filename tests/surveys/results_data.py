"""Rows for the results and schedule tests, written straight to the database (tests.common.add):
units, deployments with their phase history, survey rounds with counts or means, skips."""

from __future__ import annotations

import datetime as dt

from app.core import instruments as core
from app.models import Deployment, PhaseChange, Setting, SurveyCount, SurveyMean, SurveyRound, SurveyRoundUnit, SurveySkip
from app.models.base import new_id
from app.store.seeds import instrument_id, item_id
from tests.common import add, db, unit_row

NOMAD = "nomad-20"
NOMAD_FI = "nomad-fi-16"
SUS = "sus"
UMUX = "umux-lite"


def unit(app, name: str, **kw) -> str:
    (unit_id,) = add(app, unit_row(name, **kw))
    return unit_id


def deployment(app, unit_id: str, method_id: str, *history: tuple[dt.date, str]) -> str:
    """A deployment with its phase history ((day, phase), oldest first); its phase is the last one."""
    d = Deployment(id=new_id(), unit_id=unit_id, method_id=method_id, phase=history[-1][1], phase_since=history[-1][0])
    changes = [PhaseChange(id=new_id(), deployment_id=d.id, phase=phase, changed_on=day) for day, phase in history]
    add(app, d)
    add(app, *changes)
    return d.id


def survey_round(
    app,
    key: str,
    day: dt.date,
    units: list[str],
    method_id: str | None,
    counts: dict | None = None,
    means: dict | None = None,
    answered: int | None = None,
    share_small: bool = False,
    **kw,
) -> str:
    """A round of the seeded instrument `key`: counts {item code: {option: n}} or means {code: (mean, n)}.
    `answered` defaults to the most answers any item has."""
    counts = counts or {}
    if answered is None:
        answered = max((sum(c.values()) for c in counts.values()), default=0) or max(
            (n for _m, n in (means or {}).values()), default=0
        )
    r = SurveyRound(
        id=new_id(),
        instrument_id=instrument_id(key),
        method_id=method_id,
        date=day,
        answered=answered,
        means_only=means is not None,
        share_small=share_small,
        **kw,
    )
    rows: list = [SurveyRoundUnit(id=new_id(), round_id=r.id, unit_id=u) for u in units]
    for code, by_option in counts.items():
        rows += [
            SurveyCount(id=new_id(), round_id=r.id, item_id=item_id(key, code), option=o, count=n) for o, n in by_option.items()
        ]
    for code, (mean, n) in (means or {}).items():
        rows.append(SurveyMean(id=new_id(), round_id=r.id, item_id=item_id(key, code), mean_milli=round(mean * 1000), n=n))
    add(app, r)
    add(app, *rows)
    return r.id


def skip(app, deployment_id: str, due_key: str, reason: str = "Yksikkö lomalla") -> None:
    add(app, SurveySkip(id=new_id(), deployment_id=deployment_id, due_key=due_key, reason=reason))


def setting(app, key: str, value: str) -> None:
    with db(app) as s:
        s.merge(Setting(key=key, value=value))
        s.commit()


def nomad_counts(**per_construct: dict[str, int]) -> dict[str, dict[str, int]]:
    """The same answers to every part B item of the named constructs ({"coherence": {"sa": 3, ...}})."""
    instrument = next(i for i in core.SEEDED if i.key == NOMAD)
    return {item.code: dict(answers) for item in instrument.items for c, answers in per_construct.items() if item.group == c}


def all_constructs(answers: dict[str, int]) -> dict[str, dict[str, int]]:
    return nomad_counts(**dict.fromkeys(core.CONSTRUCTS, answers))


def sus_counts(answers: list[int], n: int = 1) -> dict[str, dict[str, int]]:
    """n respondents who all gave `answers` (SUS1..SUS10)."""
    return {f"SUS{i}": {str(v): n} for i, v in enumerate(answers, start=1)}
