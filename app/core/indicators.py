"""The indicator catalogue's seeded entries and the words of an indicator: what is measured, in
which unit, which way is better, and whether months add up. Pure: no Flask, no database.

Seed 004's target "joint clientship starts within 13 days", the therapy guarantee's 28 days for
under-23s, seed 001's professionals trained: each is an indicator with a *direction* (a waiting
time is better lower) and an *aggregation* (professionals trained in January and February add up;
a median waiting time or a share never does). Progress and roll-ups follow those two facts; see
app/core/indicator_progress.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Measure(StrEnum):
    """The unit a figure is in (how it is shown and which aggregations make sense)."""

    COUNT = "count"  # whole people or treatments
    DAYS = "days"  # a time, e.g. the median days from need to start
    PERCENT = "percent"  # a share 0..100


class Direction(StrEnum):
    HIGHER = "higher"  # more is better: professionals trained, share started in time
    LOWER = "lower"  # less is better: days waited, waiting list length


@dataclass(frozen=True)
class IndicatorSpec:
    """A national indicator as the programme defines it: what it measures and how its figures add up."""

    key: str  # stable: its id is derived from it (app/store/seeds.indicator_id), so the central office adds it up
    measure: Measure
    direction: Direction
    additive: bool  # months (and units) add up: counts of events in the month, never medians or shares
    per_method: bool  # reported per unit × method (else per unit)
    takes_days: bool = False  # the figure depends on a number of days given with it ("started within N days")
    names: dict[str, str] = field(default_factory=dict)


SEEDED: tuple[IndicatorSpec, ...] = (
    IndicatorSpec(
        "professionals_trained",
        Measure.COUNT,
        Direction.HIGHER,
        additive=True,
        per_method=True,
        names={
            "fi": "Koulutetut ammattilaiset",
            "sv": "Utbildade yrkespersoner",
            "en": "Professionals trained",
        },
    ),
    IndicatorSpec(
        "treatments_started",
        Measure.COUNT,
        Direction.HIGHER,
        additive=True,
        per_method=True,
        names={
            "fi": "Aloitetut hoidot",
            "sv": "Påbörjade behandlingar",
            "en": "Treatments started",
        },
    ),
    IndicatorSpec(
        "median_days_to_start",
        Measure.DAYS,
        Direction.LOWER,
        additive=False,
        per_method=True,
        names={
            "fi": "Mediaaniaika tarpeesta hoidon alkuun (vrk)",
            "sv": "Mediantid från behov till start (dygn)",
            "en": "Median days from need to start",
        },
    ),
    IndicatorSpec(
        "share_started_within",
        Measure.PERCENT,
        Direction.HIGHER,
        additive=False,
        per_method=True,
        takes_days=True,
        names={
            "fi": "Osuus aloitettu tavoiteajassa",
            "sv": "Andel påbörjade inom måltiden",
            "en": "Share started within the target days",
        },
    ),
    IndicatorSpec(
        "waiting_list",
        Measure.COUNT,
        Direction.LOWER,
        additive=False,  # a stock at the month's end: January's and February's lists do not add up
        per_method=False,
        names={
            "fi": "Jonon pituus kuun lopussa",
            "sv": "Kölängd vid månadens slut",
            "en": "Waiting list at the month's end",
        },
    ),
)


def seeded(key: str) -> IndicatorSpec | None:
    return next((spec for spec in SEEDED if spec.key == key), None)
