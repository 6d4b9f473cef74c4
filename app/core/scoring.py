"""Scores of a survey round from its counts per answer option per item (or from item means and
n, where a survey tool gives only those): Koordi's scoring rule, FOLLOWUP.md's design decision.

- An answer scores its option's value (NoMAD: strongly agree 5 … strongly disagree 1); a
  negatively worded item scores low + high - v (NoMAD CA2, SUS's even items, reversed custom
  items). Not relevant / not applicable answers and blanks are counted, never scored.
- Per item: mean, share agreeing (top two options as answered), not-relevant share by type.
- Per construct / group: the pooled mean over all valid item answers, Σ v·n / Σ valid, shown
  only when at least half of the group's items were asked and each asked item has at least
  MIN_VALID valid answers. It is not the mean of per-person construct scores (counts cannot
  give those); the report says so.
- SUS, SUS all-positive, UMUX-Lite: the instrument's score from the item means.

An item is "asked" in a round when its code is a key of the round's counts (or means). Pure:
no Flask, no database; the results pages, documents, CLI and the central office all score here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.core.instruments import BLANK, GENERAL, SMALL_ROUND, Instrument, Item, Kind, Option, bounds, options

Counts = Mapping[str, Mapping[str, int]]  # item code -> option code (or BLANK) -> count
Means = Mapping[str, tuple[float, int]]  # item code -> (mean on the item's own scale as answered, n valid)

MIN_VALID = 3  # valid answers each asked item of a group needs before the group's mean is shown

# Why a group's mean is not shown ("–"); the UI words these.
TOO_FEW_ITEMS = "too_few_items"  # fewer than half of the group's items were asked
TOO_FEW_ANSWERS = "too_few_answers"  # an asked item has fewer than MIN_VALID valid answers
MIXED_SCALES = "mixed_scales"  # a custom group mixes scales: a pooled mean would mean nothing


@dataclass(frozen=True)
class SusBand:
    grade: str
    lowest: float  # the band's lowest score
    percentiles: tuple[int, int]


# Sauro & Lewis's curved grading scale for SUS (Quantifying the User Experience, 2nd ed. 2016,
# table 8.5; from about 450 studies): 68 is the 50th percentile. Lewis (2018) shows UMUX-Lite
# scores land on the same scale, so its score reads the same bands.
SUS_BANDS = (
    SusBand("A+", 84.1, (96, 100)),
    SusBand("A", 80.8, (90, 95)),
    SusBand("A-", 78.9, (85, 89)),
    SusBand("B+", 77.2, (80, 84)),
    SusBand("B", 74.1, (70, 79)),
    SusBand("B-", 72.6, (65, 69)),
    SusBand("C+", 71.1, (60, 64)),
    SusBand("C", 65.0, (41, 59)),
    SusBand("C-", 62.7, (35, 40)),
    SusBand("D", 51.7, (15, 34)),
    SusBand("F", 0.0, (0, 14)),
)


@dataclass(frozen=True)
class ItemScore:
    code: str
    n: int  # valid (scored) answers
    mean: float | None  # as scored: a reversed item's mean is low + high - raw_mean; None when n == 0
    raw_mean: float | None  # on the item's scale as answered
    # Share of valid answers in the item's two highest options as answered (agreeing), before any
    # reversal; None when n == 0 or the round has means only.
    top_two: float | None
    excluded: dict[str, int] = field(default_factory=dict, hash=False)  # not relevant / n.a. by option code
    blank: int = 0
    means_only: bool = False

    @property
    def not_relevant(self) -> int:
        return sum(self.excluded.values())

    @property
    def not_relevant_share(self) -> float | None:
        """Not relevant (or n.a.) among those who answered the item; None for means only."""
        answered = self.n + self.not_relevant
        return None if self.means_only or not answered else self.not_relevant / answered


@dataclass(frozen=True)
class GroupScore:
    key: str  # NoMAD construct or custom group
    mean: float | None  # pooled Σ v·n / Σ valid over the asked items; None unless shown
    n: int  # valid answers pooled
    items_asked: int
    items_total: int
    shown: bool
    why_not: str | None  # TOO_FEW_ITEMS | TOO_FEW_ANSWERS | MIXED_SCALES, None when shown
    excluded: dict[str, int] = field(default_factory=dict, hash=False)
    means_only: bool = False

    @property
    def not_relevant(self) -> int:
        return sum(self.excluded.values())

    @property
    def not_relevant_share(self) -> float | None:
        answered = self.n + self.not_relevant
        return None if self.means_only or not answered else self.not_relevant / answered


@dataclass(frozen=True)
class InstrumentScore:
    key: str
    kind: Kind
    items: tuple[ItemScore, ...]  # the asked items, in the instrument's order
    groups: tuple[GroupScore, ...]  # every group of the instrument (NoMAD: the constructs), shown or not
    score: float | None  # SUS / SUS all-positive / UMUX-Lite, 0-100; None for others or when items lack answers
    band: SusBand | None
    score_items: int  # how many items the score is from (SUS: 10, or 9 for the nine-item variant)
    n: int  # respondents: the most answers (valid, not relevant and blank) any item has; means only: the largest n
    means_only: bool

    @property
    def small(self) -> bool:
        """Under SMALL_ROUND respondents: never leaves the laptop un-asked (FOLLOWUP.md)."""
        return self.n < SMALL_ROUND

    def item(self, code: str) -> ItemScore | None:
        return next((s for s in self.items if s.code == code), None)

    def group(self, key: str) -> GroupScore | None:
        return next((g for g in self.groups if g.key == key), None)


class MixedItemSets(ValueError):
    """Rounds that asked different items: their constructs must not be pooled."""


def scored(item: Item, value: float) -> float:
    """A value on the item's scale as scored (reversed when the item is negatively worded)."""
    low, high = bounds(item)
    return low + high - value if item.reversed else value


# options(item)'s tuple (by identity: it is lru-cached) -> (that tuple, its options by code, the
# codes of its two best-scored options): the same for every round that asked such an item, so
# worked out once, not once per item of every round scored (issue 17: a cold year report
# scores 20 000 items). Pure: derived from the constant option tables alone.
_RANKED: dict[int, tuple[tuple[Option, ...], dict[str, Option], frozenset[str]]] = {}


def _ranked(item: Item) -> tuple[dict[str, Option], frozenset[str]]:
    opts = options(item)
    kept = _RANKED.get(id(opts))
    if kept is None or kept[0] is not opts:  # kept[0] holds the tuple, so its id is its own; checked anyway
        by_code = {o.code: o for o in opts}
        ranked = sorted((o for o in by_code.values() if o.score is not None), key=lambda o: o.score or 0.0)
        if len(_RANKED) > 256:
            _RANKED.clear()
        kept = _RANKED[id(opts)] = (opts, by_code, frozenset(o.code for o in ranked[-2:]))
    return kept[1], kept[2]


def score_item(item: Item, counts: Mapping[str, int]) -> ItemScore:
    """One item from its counts per option code (BLANK for respondents who left it empty)."""
    by_code, top = _ranked(item)
    valid = top_count = blank = 0
    total = 0.0
    excluded: dict[str, int] = {}
    for code, count in counts.items():
        if count < 0:
            raise ValueError(f"{item.code}: negative count for {code!r}")
        if code == BLANK:
            blank += count
            continue
        option = by_code.get(code)
        if option is None:
            raise ValueError(f"{item.code}: {code!r} is not an answer option")
        if option.score is None:
            if count:
                excluded[code] = excluded.get(code, 0) + count
            continue
        valid += count
        total += option.score * count
        top_count += count if code in top else 0
    raw = total / valid if valid else None
    return ItemScore(
        item.code,
        valid,
        None if raw is None else scored(item, raw),
        raw,
        top_count / valid if valid else None,
        excluded,
        blank,
    )


def score_item_mean(item: Item, mean: float, n: int) -> ItemScore:
    """One item of a means-only round: its mean on the item's scale as answered, and n valid."""
    low, high = bounds(item)
    if n < 0 or (n and not low <= mean <= high):
        raise ValueError(f"{item.code}: mean {mean} with n {n} is outside the scale {low}-{high}")
    raw = mean if n else None
    return ItemScore(item.code, n, None if raw is None else scored(item, raw), raw, None, {}, 0, means_only=True)


def score_counts(instrument: Instrument, counts: Counts) -> InstrumentScore:
    """A round from its counts per answer option per item."""
    by_code = _items_by_code(instrument, counts)
    items = tuple(score_item(by_code[code], counts[code]) for code in by_code)
    n = max((s.n + s.not_relevant + s.blank for s in items), default=0)
    return _instrument_score(instrument, items, n, means_only=False)


def score_means(instrument: Instrument, means: Means) -> InstrumentScore:
    """A "means only" round: item means with their n, all a tool gave. Item and group means and
    the usability scores are exact; shares (agreeing, not relevant) cannot be known."""
    by_code = _items_by_code(instrument, means)
    items = tuple(score_item_mean(by_code[code], *means[code]) for code in by_code)
    return _instrument_score(instrument, items, max((s.n for s in items), default=0), means_only=True)


def _items_by_code(instrument: Instrument, data: Mapping[str, object]) -> dict[str, Item]:
    """The asked items, in the instrument's order."""
    unknown = set(data) - {i.code for i in instrument.items}
    if unknown:
        raise ValueError(f"{instrument.key}: no items {sorted(unknown)}")
    return {i.code: i for i in instrument.items if i.code in data}


def _instrument_score(instrument: Instrument, items: tuple[ItemScore, ...], n: int, means_only: bool) -> InstrumentScore:
    scores = {s.code: s for s in items}
    groups: dict[str, list[Item]] = {}
    for item in instrument.items:
        # NoMAD's general items are three different questions on 0-10: item by item only.
        if item.group and not (instrument.kind is Kind.NOMAD and item.group == GENERAL):
            groups.setdefault(item.group, []).append(item)
    value, used = _usability(instrument, scores)
    return InstrumentScore(
        instrument.key,
        instrument.kind,
        items,
        tuple(_group(key, members, scores, means_only) for key, members in groups.items()),
        value,
        None if value is None else sus_band(value),
        used,
        n,
        means_only,
    )


def _group(key: str, members: list[Item], scores: Mapping[str, ItemScore], means_only: bool) -> GroupScore:
    asked = [scores[i.code] for i in members if i.code in scores]
    n = sum(s.n for s in asked)
    excluded: dict[str, int] = {}
    for s in asked:
        for code, count in s.excluded.items():
            excluded[code] = excluded.get(code, 0) + count
    why: str | None = None
    if len({(i.scale, bounds(i)) for i in members}) > 1:
        why = MIXED_SCALES
    elif 2 * len(asked) < len(members):
        why = TOO_FEW_ITEMS
    elif any(s.n < MIN_VALID for s in asked):
        why = TOO_FEW_ANSWERS
    # Σ v·n / Σ valid: each item's mean × its n gives back its Σ v·n.
    mean = None if why else sum((s.mean or 0.0) * s.n for s in asked) / n
    return GroupScore(key, mean, n, len(asked), len(members), why is None, why, excluded, means_only)


def _usability(instrument: Instrument, scores: Mapping[str, ItemScore]) -> tuple[float | None, int]:
    """SUS, SUS all-positive and UMUX-Lite from item means: 100 × Σ(μ - low) / Σ(high - low),
    with μ as scored. SUS: 2.5 × [Σ odd (μ - 1) + Σ even (5 - μ)], and × 100/36 instead of 2.5
    when one of the ten items was not asked or got no answer (the nine-item variant); SUS
    all-positive: every item
    μ - 1; UMUX-Lite: (μ1 + μ2 - 2) × 100/12.

    For complete answers (every respondent answered every item) this is exactly the mean of the
    per-person scores, since the score is linear in the answers. Its spread (SD, confidence
    interval) cannot be recovered from counts per item: counts lose who answered what. With blanks
    the item means come from different respondents and the figure is an approximation.
    """
    if instrument.kind not in (Kind.SUS, Kind.SUS_POSITIVE, Kind.UMUX_LITE):
        return None, 0
    used = [i for i in instrument.items if i.code in scores and scores[i.code].n > 0]
    wanted = len(instrument.items)
    nine_item = instrument.kind is not Kind.UMUX_LITE and wanted == 10 and len(used) == 9
    if not used or (len(used) != wanted and not nine_item):
        return None, 0
    gained = sum((scores[i.code].mean or 0.0) - bounds(i)[0] for i in used)
    possible = sum(bounds(i)[1] - bounds(i)[0] for i in used)
    return 100 * gained / possible, len(used)


def sus_band(score: float) -> SusBand:
    """The curved grading scale's band of a SUS (or UMUX-Lite) score."""
    return next((b for b in SUS_BANDS if score >= b.lowest), SUS_BANDS[-1])


def tally(instrument: Instrument, asked: Iterable[str], answers: Iterable[Mapping[str, str | None]]) -> dict[str, dict[str, int]]:
    """Individual answers (item code -> option code; None, "" or missing: blank) -> counts per
    option per asked item: how a survey file's rows become a round, in memory. Every asked item
    is a key of the result, even with no answers."""
    asked = list(asked)
    by_code = _items_by_code(instrument, dict.fromkeys(asked))
    valid = {code: {o.code for o in options(item)} for code, item in by_code.items()}
    result: dict[str, dict[str, int]] = {code: {} for code in asked}
    for person in answers:
        if not person.keys() <= valid.keys():
            raise ValueError(f"answers to items not asked: {sorted(person.keys() - valid.keys())}")
        for code in asked:
            answer = person.get(code) or BLANK
            if answer != BLANK and answer not in valid[code]:
                raise ValueError(f"{code}: {answer!r} is not an answer option")
            result[code][answer] = result[code].get(answer, 0) + 1
    return result


def item_set(counts: Counts) -> frozenset[str]:
    """The items a round asked."""
    return frozenset(counts)


def pool_counts(rounds: Iterable[Counts]) -> dict[str, dict[str, int]]:
    """Several rounds' counts added up, for trends and the central office: pooled from counts,
    never averaged means, so a big round weighs what its respondents do. The rounds must have
    asked the same items (MixedItemSets otherwise): a construct pooled over different item sets
    would mean nothing. Compare such rounds item by item instead (pool one item's counts)."""
    rounds = list(rounds)
    if any(item_set(r) != item_set(rounds[0]) for r in rounds[1:]):
        raise MixedItemSets("the rounds asked different items")
    pooled: dict[str, dict[str, int]] = {}
    for counts in rounds:
        for code, by_option in counts.items():
            target = pooled.setdefault(code, {})
            for option, count in by_option.items():
                target[option] = target.get(option, 0) + count
    return pooled
