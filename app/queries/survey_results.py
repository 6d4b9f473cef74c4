"""Follow-up survey results: every round with its scores, and figures pooled from counts.

The read model of the results page, the unit and method pages, the unit summary, the period
report and `koordi results`, so that a figure means the same wherever it is shown. The scores
are app.core.scoring's, from each round's counts per answer option (or its item means, "means
only"). Rules of this read (design decisions, stated where the figures are shown):

- Pooled figures (a half-year, a unit, a method, the county) add the rounds' counts up and score
  the sum (scoring.pool_counts): never an average of round means, so a big round weighs what its
  respondents do. Rounds with item means only pool their item means weighted by n
  (Σ mean·n / Σ n per item: what pooling their counts would give); their shares stay unknown.
- Constructs are pooled over rounds only when they asked the same items (FOLLOWUP.md); otherwise
  the pooled constructs are "–" (`Pooled.mixed`) and the items can be compared item by item.
- Trends go by half-year (January–June, July–December): NoMAD's June and October rounds fall in
  different halves, and the usability rounds of one deployment 4 months apart mostly do too.
- Rounds under SMALL_ROUND respondents are in the coordinator's own views, marked; a document
  that leaves the laptop (Filter.shareable_only) leaves them out unless the coordinator ticked
  that the round may be shared.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from app.core import collation, scoring
from app.core import instruments as core
from app.core.survey_schedule import phase_on
from app.models import (
    Deployment,
    Instrument,
    InstrumentItem,
    Method,
    PhaseChange,
    SurveyCount,
    SurveyMean,
    SurveyRound,
    SurveyRoundUnit,
    Unit,
)
from app.models.surveys import to_instrument
from app.queries.common import by_name, chunks
from app.queries.survey_cache import memo

USABILITY_KINDS = (core.Kind.SUS, core.Kind.SUS_POSITIVE, core.Kind.UMUX_LITE)


@dataclass(frozen=True)
class Filter:
    unit_id: str = ""
    method_id: str = ""
    instrument_id: str = ""
    start: dt.date | None = None  # rounds dated start..end (both included)
    end: dt.date | None = None
    shareable_only: bool = False  # a document: small rounds only where the coordinator ticked share_small

    @classmethod
    def year(cls, year: int | None, **kw) -> Filter:
        if year is None:
            return cls(**kw)
        return cls(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), **kw)


@dataclass(frozen=True, order=True)
class Half:
    """A half-year, the step of every trend."""

    year: int
    half: int  # 1: January–June, 2: July–December

    @classmethod
    def of(cls, day: dt.date) -> Half:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def label(self) -> str:
        """ "1–6/2026": the same in every language."""
        return f"1–6/{self.year}" if self.half == 1 else f"7–12/{self.year}"


@dataclass
class RoundResult:
    round: SurveyRound  # with .instrument and .method
    units: list[Unit]
    instrument: core.Instrument
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    means: dict[str, tuple[float, int]] = field(default_factory=dict)
    score: scoring.InstrumentScore | None = None
    phases: dict[str, str | None] = field(default_factory=dict)  # unit id -> its deployment's phase on the day

    @property
    def date(self) -> dt.date:
        return self.round.date

    @property
    def kind(self) -> core.Kind:
        return self.instrument.kind

    @property
    def small(self) -> bool:
        """Under SMALL_ROUND respondents (FOLLOWUP.md): shown here, marked; not in documents un-asked."""
        return self.round.answered < core.SMALL_ROUND

    @property
    def shareable(self) -> bool:
        return not self.small or self.round.share_small

    @property
    def half(self) -> Half:
        return Half.of(self.round.date)

    @property
    def item_set(self) -> frozenset[str]:
        return frozenset(self.means if self.round.means_only else self.counts)

    @property
    def stage_share(self) -> float | None:
        """Share of NoMAD part B answers "not relevant at this stage" (of all answers but blanks)."""
        return stage_share(self.score)

    def phase_names(self) -> list[str | None]:
        return [self.phases.get(u.id) for u in self.units]


@dataclass(frozen=True)
class Pooled:
    """Rounds of one instrument scored together from their summed counts."""

    instrument: core.Instrument
    rounds: int
    respondents: int  # the rounds' answered, summed
    score: scoring.InstrumentScore | None  # None: no rounds, or nothing to score
    mixed: bool = False  # the rounds asked different items: groups and usability score not pooled
    small_rounds: int = 0
    latest: dt.date | None = None

    @property
    def stage_share(self) -> float | None:
        return stage_share(self.score)


def stage_share(score: scoring.InstrumentScore | None) -> float | None:
    if score is None or score.means_only or score.kind is not core.Kind.NOMAD:
        return None
    stage = answered = 0
    for item in score.items:
        if item.code.startswith("G"):  # the general items have no "not relevant" answers
            continue
        stage += item.excluded.get("nr_stage", 0)
        answered += item.n + item.not_relevant
    return stage / answered if answered else None


# -- reading the rounds ----------------------------------------------------------------------------


def _round_stmt(f: Filter):
    stmt = select(SurveyRound).join(Instrument, Instrument.id == SurveyRound.instrument_id).where(SurveyRound.deleted.is_(False))
    if f.method_id:
        stmt = stmt.where(SurveyRound.method_id == f.method_id)
    if f.instrument_id:
        stmt = stmt.where(SurveyRound.instrument_id == f.instrument_id)
    if f.start:
        stmt = stmt.where(SurveyRound.date >= f.start)
    if f.end:
        stmt = stmt.where(SurveyRound.date <= f.end)
    if f.unit_id:
        covers = select(SurveyRoundUnit.round_id).where(SurveyRoundUnit.unit_id == f.unit_id, SurveyRoundUnit.deleted.is_(False))
        stmt = stmt.where(SurveyRound.id.in_(covers))
    if f.shareable_only:
        stmt = stmt.where((SurveyRound.answered >= core.SMALL_ROUND) | SurveyRound.share_small.is_(True))
    return stmt.order_by(SurveyRound.date, SurveyRound.created_at, SurveyRound.id)


def load_rounds(s: Session, f: Filter, *, scores: bool = True, ids: list[str] | None = None) -> list[RoundResult]:
    """The live rounds the filter selects (or with these ids), oldest first, with their units
    (live), counts or means, scores and the phase of each unit's deployment of the round's
    method on its date."""
    if ids is not None:
        rounds = [r for chunk in chunks(ids) for r in s.scalars(_round_stmt(f).where(SurveyRound.id.in_(chunk)))]
        rounds.sort(key=lambda r: (r.date, r.created_at, r.id))
    else:
        rounds = list(s.scalars(_round_stmt(f)))
    if not rounds:
        return []
    ids = [r.id for r in rounds]
    units: dict[str, list[Unit]] = defaultdict(list)
    for chunk in chunks(ids):
        stmt = (
            select(SurveyRoundUnit.round_id, Unit)
            .join(Unit, Unit.id == SurveyRoundUnit.unit_id)
            .where(SurveyRoundUnit.round_id.in_(chunk), SurveyRoundUnit.deleted.is_(False), Unit.deleted.is_(False))
            .order_by(by_name(Unit.name_key), Unit.id)
        )
        for round_id, unit in s.execute(stmt):
            units[round_id].append(unit)
    instruments = _instruments(s, {r.instrument_id for r in rounds})
    results = [RoundResult(r, units.get(r.id, []), instruments[r.instrument_id]) for r in rounds]
    if scores:
        ensure_scores(s, results)
    _fill_phases(s, results)
    return results


def ensure_scores(s: Session, results: Sequence[RoundResult]) -> None:
    """Fill the rounds' counts (or means) and scores: from the memo, or read and scored once."""
    m = memo(s)
    generation = m.generation
    missing = []
    for r in results:
        cached = m.get(("round", r.round.id))
        if cached is None:
            missing.append(r)
        else:
            r.counts, r.means, r.score = cached
    _fill_answers(s, missing)
    for r in missing:
        r.score = score_round(r)
        m.put(("round", r.round.id), (r.counts, r.means, r.score), generation)


def _instruments(s: Session, ids: set[str]) -> dict[str, core.Instrument]:
    rows = s.scalars(select(Instrument).where(Instrument.id.in_(list(ids))))
    return {row.id: to_instrument(row) for row in rows}


def _fill_answers(s: Session, results: list[RoundResult]) -> None:
    by_id = {r.round.id: r for r in results}
    counted = [r.round.id for r in results if not r.round.means_only]
    averaged = [r.round.id for r in results if r.round.means_only]
    for chunk in chunks(counted):
        stmt = (
            select(SurveyCount.round_id, InstrumentItem.code, SurveyCount.option, SurveyCount.count)
            .join(InstrumentItem, InstrumentItem.id == SurveyCount.item_id)
            .where(SurveyCount.round_id.in_(chunk), SurveyCount.deleted.is_(False))
        )
        for round_id, code, option, count in s.execute(stmt):
            result = by_id[round_id]
            item = result.counts.setdefault(code, {})
            item[option] = item.get(option, 0) + count
    for chunk in chunks(averaged):
        means = (
            select(SurveyMean.round_id, InstrumentItem.code, SurveyMean.mean_milli, SurveyMean.n)
            .join(InstrumentItem, InstrumentItem.id == SurveyMean.item_id)
            .where(SurveyMean.round_id.in_(chunk), SurveyMean.deleted.is_(False))
        )
        for round_id, code, mean_milli, n in s.execute(means):
            by_id[round_id].means[code] = (mean_milli / 1000, n)


def _known(instrument: core.Instrument, data: dict) -> dict:
    """Only the items the instrument still has (an item deleted from the catalogue since)."""
    codes = {i.code for i in instrument.items}
    return {code: value for code, value in data.items() if code in codes}


def score_round(result: RoundResult) -> scoring.InstrumentScore | None:
    try:
        if result.round.means_only:
            return scoring.score_means(result.instrument, _known(result.instrument, result.means))
        return scoring.score_counts(result.instrument, _known(result.instrument, result.counts))
    except ValueError:  # an option code the item does not have: stored by a newer version
        return None


def _fill_phases(s: Session, results: list[RoundResult]) -> None:
    pairs = {(u.id, r.round.method_id) for r in results if r.round.method_id for u in r.units}
    if not pairs:
        return
    unit_ids = sorted({u for u, _m in pairs})
    method_ids = sorted({m for _u, m in pairs if m})
    deployments: dict[tuple[str, str], list[str]] = defaultdict(list)
    histories: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    phase: str | None  # a history's phase, then a unit's phase on the round's day (None before any)
    for chunk in chunks(unit_ids):
        stmt = (
            select(Deployment.id, Deployment.unit_id, Deployment.method_id, PhaseChange.changed_on, PhaseChange.phase)
            .join(PhaseChange, PhaseChange.deployment_id == Deployment.id)
            .where(
                Deployment.unit_id.in_(chunk),
                Deployment.method_id.in_(method_ids),
                Deployment.deleted.is_(False),
                PhaseChange.deleted.is_(False),
            )
            .order_by(Deployment.created_at, Deployment.id, PhaseChange.changed_on, PhaseChange.created_at, PhaseChange.id)
        )
        for deployment_id, unit_id, method_id, day, phase in s.execute(stmt):
            ids = deployments[(unit_id, method_id)]
            if deployment_id not in ids:
                ids.append(deployment_id)
            histories[deployment_id].append((day, phase))
    for r in results:
        for unit in r.units:
            phase = None
            for deployment_id in deployments.get((unit.id, r.round.method_id or ""), []):  # the newest one that had begun
                phase = phase_on(histories[deployment_id], r.round.date) or phase
            r.phases[unit.id] = phase


# -- pooling ---------------------------------------------------------------------------------------


@dataclass
class PoolData:
    """What pooling needs of some rounds of one instrument: their counts summed per item and
    option (each item over the rounds that asked it), their item means as Σ mean·n and Σ n
    (means-only rounds), and each round's size and item set. Summed here from the rounds' own
    counts, or in SQL (app.queries.survey_pools): scored by score_pool either way."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    means: dict[str, list[float]] = field(default_factory=dict)  # code -> [Σ mean·n, Σ n]
    answered: list[int] = field(default_factory=list)
    means_only: int = 0  # rounds with item means only
    item_sets: set[frozenset[str]] = field(default_factory=set)
    latest: dt.date | None = None

    def add_round(self, r: RoundResult) -> None:
        self.add_meta(r.round.answered, r.round.means_only, r.item_set, r.date)
        for code, by_option in r.counts.items():
            target = self.counts.setdefault(code, {})
            for option, count in by_option.items():
                target[option] = target.get(option, 0) + count
        for code, (mean, n) in r.means.items():
            sums = self.means.setdefault(code, [0.0, 0])
            sums[0] += mean * n
            sums[1] += n

    def add_meta(self, answered: int, means_only: bool, item_set: frozenset[str], day: dt.date) -> None:
        self.answered.append(answered)
        self.means_only += bool(means_only)
        self.item_sets.add(item_set)
        self.latest = day if self.latest is None or day > self.latest else self.latest

    def merge(self, other: PoolData) -> None:
        for code, by_option in other.counts.items():
            target = self.counts.setdefault(code, {})
            for option, count in by_option.items():
                target[option] = target.get(option, 0) + count
        for code, (total, n) in other.means.items():
            sums = self.means.setdefault(code, [0.0, 0])
            sums[0] += total
            sums[1] += n
        self.answered += other.answered
        self.means_only += other.means_only
        self.item_sets |= other.item_sets
        if other.latest is not None:
            self.latest = other.latest if self.latest is None or other.latest > self.latest else self.latest


def pool(instrument: core.Instrument, rounds: Sequence[RoundResult]) -> Pooled:
    """The rounds (all of `instrument`) scored together from their summed counts: each item over
    the rounds that asked it; a construct (group) only where every round asked the same items of
    it, and a usability score only where every round asked the same items."""
    data = PoolData()
    for r in rounds:
        if r.score is not None:  # a round that cannot be scored (unknown options) stays out
            data.add_round(r)
    return score_pool(instrument, data)


def score_pool(instrument: core.Instrument, data: PoolData) -> Pooled:
    if not data.answered:
        return Pooled(instrument, 0, 0, None)
    respondents = sum(data.answered)
    small = sum(1 for n in data.answered if n < core.SMALL_ROUND)
    counts = _known(instrument, data.counts)
    try:
        if data.means_only:
            score = scoring.score_means(instrument, _pooled_means(instrument, counts, _known(instrument, data.means)))
        else:
            score = scoring.score_counts(instrument, counts)
    except ValueError:  # an option code an item does not have (a newer version's data)
        return Pooled(instrument, len(data.answered), respondents, None, False, small, data.latest)
    mixed = len(data.item_sets) > 1
    if mixed:
        score = _unpooled_groups(instrument, score, data.item_sets)
    return Pooled(instrument, len(data.answered), respondents, score, mixed, small, data.latest)


def _pooled_means(
    instrument: core.Instrument, counts: dict[str, dict[str, int]], means: dict[str, list[float]]
) -> dict[str, tuple[float, int]]:
    """Item means pooled Σ mean·n / Σ n over the rounds that asked the item: the means-only
    rounds' own, and the counted rounds' item means as answered with their n (from their summed
    counts: the same, as a mean of means weighted by n is the mean of the pooled answers)."""
    items = {i.code: i for i in instrument.items}
    sums = {code: [total, n] for code, (total, n) in means.items()}
    for code, by_option in counts.items():
        scored = scoring.score_item(items[code], by_option)
        target = sums.setdefault(code, [0.0, 0])
        target[0] += (scored.raw_mean or 0.0) * scored.n
        target[1] += scored.n
    return {code: (total / n if n else 0.0, int(n)) for code, (total, n) in sums.items()}


def _unpooled_groups(
    instrument: core.Instrument, score: scoring.InstrumentScore, sets: set[frozenset[str]]
) -> scoring.InstrumentScore:
    """The pooled score without the groups whose items differ between the rounds, and without a
    usability score (the rounds asked different items)."""
    members: dict[str, set[str]] = defaultdict(set)
    for item in instrument.items:
        members[item.group].add(item.code)
    groups = tuple(
        g
        if len({frozenset(members[g.key] & asked) for asked in sets}) == 1
        else replace(g, mean=None, shown=False, why_not=MIXED_ITEMS)
        for g in score.groups
    )
    return replace(score, groups=groups, score=None, band=None, score_items=0)


MIXED_ITEMS = "mixed_items"  # a why_not of a pooled group: the rounds asked different items


def by_instrument(rounds: Iterable[RoundResult]) -> dict[str, list[RoundResult]]:
    out: dict[str, list[RoundResult]] = defaultdict(list)
    for r in rounds:
        out[r.round.instrument_id].append(r)
    return out


def trend(instrument: core.Instrument, rounds: Sequence[RoundResult]) -> list[tuple[Half, Pooled]]:
    """The rounds pooled by half-year, oldest first (halves without rounds left out)."""
    halves: dict[Half, list[RoundResult]] = defaultdict(list)
    for r in rounds:
        halves[r.half].append(r)
    return [(h, pool(instrument, halves[h])) for h in sorted(halves)]


def pool_and_trend(instrument: core.Instrument, rounds: Sequence[RoundResult]) -> tuple[Pooled, list[tuple[Half, Pooled]]]:
    """pool() and trend() of the same rounds (oldest first), each round's counts added once, to
    its half-year's sums, which are then merged for the whole, instead of twice (the pages and
    the period report pool every group of rounds both ways). Counts sum exactly; means-only
    rounds' Σ mean·n may differ from pool()'s in the last bit (summed by half, then merged)."""
    halves: dict[Half, PoolData] = {}
    for r in rounds:
        data = halves.setdefault(r.half, PoolData())  # a half of unscorable rounds is still shown
        if r.score is not None:  # as in pool()
            data.add_round(r)
    whole = PoolData()
    for h in sorted(halves):
        whole.merge(halves[h])
    return score_pool(instrument, whole), [(h, score_pool(instrument, halves[h])) for h in sorted(halves)]


# -- what the pages show ---------------------------------------------------------------------------


@dataclass
class InstrumentResults:
    instrument_id: str
    instrument: core.Instrument
    method: Method | None  # with per_method: the method all these rounds are of (None: rounds without one)
    rounds: list[RoundResult]  # oldest first
    pooled: Pooled  # every round of the selection
    halves: list[tuple[Half, Pooled]]  # the trend
    rounds_total: int | None = None  # when `rounds` lists only the newest of them

    @property
    def total_rounds(self) -> int:
        return len(self.rounds) if self.rounds_total is None else self.rounds_total

    @property
    def kind(self) -> core.Kind:
        return self.instrument.kind

    @property
    def latest(self) -> RoundResult | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def latest_half(self) -> tuple[Half, Pooled] | None:
        return self.halves[-1] if self.halves else None

    def latest_by_unit(self) -> list[tuple[Unit, RoundResult, RoundResult | None]]:
        """Each unit's latest round and the one before it, by unit name (units side by side)."""
        seen: dict[str, list[RoundResult]] = {}
        units: dict[str, Unit] = {}
        for r in reversed(self.rounds):
            for u in r.units:
                units[u.id] = u
                rows = seen.setdefault(u.id, [])
                if len(rows) < 2:
                    rows.append(r)
        return sorted(
            ((units[uid], rows[0], rows[1] if len(rows) > 1 else None) for uid, rows in seen.items()),
            key=lambda t: (collation.key(t[0].name_key), t[0].id),
        )

    def name(self, lang: str) -> str:
        return self.instrument.names.get(lang) or self.instrument.names.get("fi") or self.instrument.key


@dataclass
class Results:
    rounds: list[RoundResult]  # oldest first
    instruments: list[InstrumentResults]
    small_total: int | None = None  # when `rounds` holds only the rounds listed

    @property
    def nomad(self) -> list[InstrumentResults]:
        return [i for i in self.instruments if i.kind is core.Kind.NOMAD]

    @property
    def usability(self) -> list[InstrumentResults]:
        return [i for i in self.instruments if i.kind in USABILITY_KINDS]

    @property
    def custom(self) -> list[InstrumentResults]:
        return [i for i in self.instruments if i.kind is core.Kind.CUSTOM]

    @property
    def small_rounds(self) -> int:
        return sum(1 for r in self.rounds if r.small) if self.small_total is None else self.small_total


KIND_ORDER = {core.Kind.NOMAD: 0, core.Kind.SUS: 1, core.Kind.SUS_POSITIVE: 2, core.Kind.UMUX_LITE: 3, core.Kind.CUSTOM: 4}


def results(s: Session, f: Filter, lang: str, per_method: bool = False) -> Results:
    """The selected rounds by instrument (and by method with `per_method`), each pooled, by
    half-year and by unit: NoMAD first, then the usability instruments, then custom ones."""
    return group(load_rounds(s, f), lang, per_method)


def group(rounds: list[RoundResult], lang: str, per_method: bool = False) -> Results:
    groups: dict[tuple[str, str], list[RoundResult]] = defaultdict(list)
    for r in rounds:
        groups[(r.round.instrument_id, (r.round.method_id or "") if per_method else "")].append(r)
    out = []
    for (instrument_id, _method_id), rows in groups.items():
        instrument = rows[0].instrument
        method = rows[0].round.method if per_method else None
        out.append(InstrumentResults(instrument_id, instrument, method, rows, *pool_and_trend(instrument, rows)))

    return Results(rounds, sorted(out, key=order_key(lang)))


def order_key(lang: str):
    """NoMAD first, then the usability instruments, then custom ones; by method, then by name."""

    def order(i: InstrumentResults):
        method = collation.key(i.method.name(lang)) if i.method else collation.key("")
        return (KIND_ORDER[i.kind], method, collation.key(i.name(lang)), i.instrument_id)

    return order


def small_left_out(s: Session, f: Filter) -> int:
    """How many rounds a document's filter (shareable_only) leaves out as small."""

    def count(stmt) -> int:
        return s.scalar(select(func.count()).select_from(stmt.with_only_columns(SurveyRound.id).order_by(None).subquery())) or 0

    return count(_round_stmt(replace(f, shareable_only=False))) - count(_round_stmt(f))


def filter_choices(s: Session, lang: str) -> dict[str, list[tuple[str, str]]]:
    """The results page's filters: the units, methods and instruments that have live rounds,
    and the years they are dated in (newest first)."""
    covered = (
        select(SurveyRoundUnit.unit_id)
        .join(SurveyRound, SurveyRound.id == SurveyRoundUnit.round_id)
        .where(SurveyRoundUnit.deleted.is_(False), SurveyRound.deleted.is_(False))
    )
    units = s.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(covered), Unit.deleted.is_(False)).order_by(by_name(Unit.name_key), Unit.id)
    )
    live_rounds = select(SurveyRound).where(SurveyRound.deleted.is_(False))
    method_ids = select(live_rounds.with_only_columns(SurveyRound.method_id).subquery().c.method_id)
    methods = s.scalars(select(Method).where(Method.id.in_(method_ids), Method.deleted.is_(False)))
    instrument_ids = select(live_rounds.with_only_columns(SurveyRound.instrument_id).subquery().c.instrument_id)
    instruments = s.scalars(select(Instrument).where(Instrument.id.in_(instrument_ids)))
    years = s.scalars(
        select(extract("year", SurveyRound.date).label("y"))
        .where(SurveyRound.deleted.is_(False))
        .distinct()
        .order_by(extract("year", SurveyRound.date).desc())
    )
    return {
        "units": [(row.id, row.name) for row in units],
        "methods": sorted(((m.id, m.name(lang)) for m in methods), key=lambda p: (collation.key(p[1]), p[0])),
        "instruments": sorted(((i.id, i.name(lang)) for i in instruments), key=lambda p: (collation.key(p[1]), p[0])),
        "years": [(str(int(y)), str(int(y))) for y in years if y is not None],
    }
