"""Koordi's scoring rule on its own (FOLLOWUP.md): app.core.scoring."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import instruments as instruments_module
from app.core import scoring
from app.core.instruments import BLANK, SEEDED, Instrument, Item, Kind, Scale, options
from app.core.scoring import score_counts, score_means, tally

BY_KEY = {i.key: i for i in SEEDED}
NOMAD = BY_KEY["nomad-20"]
SUS = BY_KEY["sus"]
approx = pytest.approx

# FOLLOWUP.md's worked example: Coherence, 10 respondents.
COHERENCE = {
    "CO1": {"sa": 3, "a": 4, "n": 1, "nr_role": 1, "nr_stage": 1},
    "CO2": {"sa": 1, "a": 5, "n": 2, "d": 1, "nr_stage": 1},
    "CO3": {"sa": 2, "a": 6, "n": 2},
    "CO4": {"sa": 4, "a": 4, "n": 1, "d": 1},
}

CUSTOM = Instrument(
    "custom-test",
    Kind.CUSTOM,
    (
        Item("Q1", "team", Scale.POINTS, points=5),
        Item("Q2", "team", Scale.POINTS, points=5, reversed=True, not_applicable=True),
        Item("Q3", "team", Scale.POINTS, points=5, not_applicable=True),
        Item("Q4", "time", Scale.POINTS, points=7),
        Item("Q5", "time", Scale.POINTS, points=7, reversed=True),
        Item("Q6", "", Scale.ZERO_TEN, reversed=True),
    ),
)


def test_worked_example_coherence():
    result = score_counts(NOMAD, COHERENCE)
    means = [round(result.item(code).mean, 3) for code in ("CO1", "CO2", "CO3", "CO4")]
    assert means == [4.25, 3.667, 4.0, 4.1]
    coherence = result.group("coherence")
    assert coherence.shown and coherence.why_not is None
    assert (coherence.n, coherence.mean) == (37, approx(148 / 37)) and round(coherence.mean, 2) == 4.00
    assert coherence.not_relevant_share == approx(3 / 40)  # 7.5 %
    assert coherence.excluded == {"nr_role": 1, "nr_stage": 2}  # kept apart by type
    assert result.item("CO1").excluded == {"nr_role": 1, "nr_stage": 1}
    assert result.item("CO1").top_two == approx(7 / 8)
    assert result.item("CO1").not_relevant_share == approx(2 / 10)
    assert result.n == 10 and not result.small and not result.means_only
    # The other constructs were not asked: "–", and why.
    assert [(g.key, g.mean, g.why_not) for g in result.groups[1:]] == [
        ("cognitive_participation", None, scoring.TOO_FEW_ITEMS),
        ("collective_action", None, scoring.TOO_FEW_ITEMS),
        ("reflexive_monitoring", None, scoring.TOO_FEW_ITEMS),
    ]
    assert "general" not in {g.key for g in result.groups}  # G1-G3 are scored item by item


def test_worked_example_ca2_is_reversed():
    ca2 = score_counts(NOMAD, {"CA2": {"sa": 1, "a": 1, "n": 2, "d": 4, "sd": 2}}).item("CA2")
    assert (ca2.raw_mean, ca2.mean) == (approx(2.5), approx(3.5))
    assert ca2.top_two == approx(0.2)  # agreeing, as answered: agreeing with "disrupts" is bad news


def _valid(n: int) -> dict[str, int]:
    return {"a": n, "nr_role": 1}


@pytest.mark.parametrize(
    "asked, why",
    [
        (["CA1", "CA2", "CA3", "CA4"], None),  # 4 of 7: at least half
        (["CA1", "CA2", "CA3"], scoring.TOO_FEW_ITEMS),  # 3 of 7
    ],
)
def test_half_the_items_rule(asked, why):
    group = score_counts(NOMAD, {code: _valid(3) for code in asked}).group("collective_action")
    assert (group.shown, group.why_not, group.items_asked, group.items_total) == (why is None, why, len(asked), 7)
    assert (group.mean is None) == (why is not None)


def test_half_of_an_even_construct_is_enough():
    assert score_counts(NOMAD, {"CO1": _valid(3), "CO3": _valid(3)}).group("coherence").mean == approx(4.0)
    assert score_counts(NOMAD, {"CO1": _valid(9)}).group("coherence").why_not == scoring.TOO_FEW_ITEMS


@pytest.mark.parametrize("valid, why", [(3, None), (2, scoring.TOO_FEW_ANSWERS)])
def test_each_asked_item_needs_three_valid_answers(valid, why):
    counts = {"RM1": _valid(10), "RM2": _valid(10), "RM3": _valid(valid)}  # not relevant answers do not count
    group = score_counts(NOMAD, counts).group("reflexive_monitoring")
    assert (group.shown, group.why_not) == (why is None, why)


def test_sus_worked_example():
    answers = [4, 2, 4, 1, 4, 2, 5, 2, 4, 2]
    counts = {f"SUS{n}": {str(v): 1} for n, v in enumerate(answers, start=1)}
    result = score_counts(SUS, counts)
    assert result.score == approx(80.0) and result.score_items == 10
    assert result.band.grade == "A-" and result.band.percentiles == (85, 89)
    assert result.small  # one respondent


def test_sus_nine_item_variant():
    answers = [4, 2, 4, 1, 4, 2, 5, 2, 4, 2]
    counts = {f"SUS{n}": {str(v): 1} for n, v in enumerate(answers, start=1) if n != 8}
    result = score_counts(SUS, counts)
    assert result.score_items == 9
    assert result.score == approx((80 / 2.5 - 3) * 100 / 36)  # item 8 (2 -> 3 points) left out, × 100/36
    eight = {code: c for code, c in counts.items() if code != "SUS7"}
    assert score_counts(SUS, eight).score is None


def test_sus_positive_scores_every_item_x_minus_one():
    answers = [4, 2, 4, 1, 4, 2, 5, 2, 4, 2]
    counts = {f"SUS{n}": {str(v): 1} for n, v in enumerate(answers, start=1)}
    assert score_counts(BY_KEY["sus-positive"], counts).score == approx(2.5 * sum(v - 1 for v in answers))  # 55


def test_sus_bands_around_the_median():
    assert scoring.sus_band(68).grade == "C" and scoring.sus_band(68).percentiles[0] <= 50
    assert scoring.sus_band(100).grade == "A+" and scoring.sus_band(0).grade == "F"


@pytest.mark.parametrize("i1, i2, expected", [(6, 5, 75.0), (7, 7, 100.0), (1, 1, 0.0)])
def test_umux_lite(i1, i2, expected):
    result = score_counts(BY_KEY["umux-lite"], {"UL1": {str(i1): 2}, "UL2": {str(i2): 2}})
    assert result.score == approx(expected)  # (i1 + i2 - 2) × 100/12
    assert score_counts(BY_KEY["umux-lite"], {"UL1": {str(i1): 2}}).score is None


def test_means_only_round_scores_what_means_can_give():
    means = {"CO1": (4.25, 8), "CO2": (33 / 9, 9), "CO3": (4.0, 10), "CO4": (4.1, 10), "CA2": (2.5, 10)}
    result = score_means(NOMAD, means)
    assert result.means_only and result.n == 10
    assert result.group("coherence").mean == approx(4.0) and result.group("coherence").n == 37
    assert result.group("coherence").not_relevant_share is None  # unknown, not 0 %
    assert result.item("CA2").mean == approx(3.5)
    assert result.item("CO1").top_two is None and result.item("CO1").not_relevant_share is None
    sus = score_means(SUS, {f"SUS{n}": (float(v), 12) for n, v in enumerate([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], 1)})
    assert sus.score == approx(80.0) and sus.means_only
    with pytest.raises(ValueError):
        score_means(NOMAD, {"CO1": (5.5, 3)})  # off the scale


def test_custom_instrument_with_reversed_items_groups_and_not_applicable():
    counts = {
        "Q1": {"5": 2, "4": 1, "2": 1},  # 16 / 4
        "Q2": {"5": 1, "1": 2, "na": 1},  # raw 7/3, reversed 11/3 (5->1, 1->5)
        "Q3": {"3": 3, "na": 1, BLANK: 1},
        "Q4": {"7": 1, "6": 1, "1": 1},
        "Q6": {"10": 2, "0": 1},
    }
    result = score_counts(CUSTOM, counts)
    q2 = result.item("Q2")
    assert (q2.raw_mean, q2.mean, q2.top_two, q2.excluded) == (approx(7 / 3), approx(11 / 3), approx(1 / 3), {"na": 1})
    assert result.item("Q3").blank == 1 and result.n == 5
    team = result.group("team")
    assert (team.mean, team.n, team.excluded) == (approx(36 / 10), 10, {"na": 2})
    assert team.not_relevant_share == approx(2 / 12)
    time = result.group("time")  # one of two items asked: half, so shown
    assert (time.shown, time.mean, time.items_asked) == (True, approx(14 / 3), 1)
    assert result.item("Q6").mean == approx(10 / 3)  # reversed on 0-10: 10 - v
    assert [g.key for g in result.groups] == ["team", "time"] and result.score is None


def test_a_group_mixing_scales_is_not_pooled():
    mixed = Instrument("mixed", Kind.CUSTOM, (Item("A", "g", Scale.POINTS, points=5), Item("B", "g", Scale.POINTS, points=7)))
    group = score_counts(mixed, {"A": {"5": 5}, "B": {"7": 5}}).group("g")
    assert (group.mean, group.why_not) == (None, scoring.MIXED_SCALES)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError):
        score_counts(NOMAD, {"CO1": {"5": 3}})  # NoMAD answers are codes, never numbers
    with pytest.raises(ValueError):
        score_counts(NOMAD, {"SUS1": {"a": 3}})
    with pytest.raises(ValueError):
        score_counts(NOMAD, {"CO1": {"a": -1}})


def test_tally_counts_blanks_and_refuses_unknown_answers():
    people = [{"CO1": "sa", "CO2": None}, {"CO1": "nr_stage"}, {"CO1": "sa", "CO2": "d"}]
    assert tally(NOMAD, ["CO1", "CO2"], people) == {"CO1": {"sa": 2, "nr_stage": 1}, "CO2": {BLANK: 2, "d": 1}}
    assert tally(NOMAD, ["CO1"], []) == {"CO1": {}}
    with pytest.raises(ValueError):
        tally(NOMAD, ["CO1"], [{"CO1": "5"}])
    with pytest.raises(ValueError):
        tally(NOMAD, ["CO1"], [{"CO2": "a"}])


def test_pooling_refuses_rounds_of_different_items():
    a = {"CO1": {"a": 3}, "CO2": {"a": 3}}
    assert scoring.pool_counts([a, {"CO1": {"a": 1, "sa": 1}, "CO2": {}}]) == {"CO1": {"a": 4, "sa": 1}, "CO2": {"a": 3}}
    with pytest.raises(scoring.MixedItemSets):
        scoring.pool_counts([a, {"CO1": {"a": 3}}])
    assert scoring.pool_counts([]) == {}


def test_small_round():
    assert score_counts(NOMAD, {"CO1": {"a": 4}}).small
    assert not score_counts(NOMAD, {"CO1": {"a": 4, BLANK: 1}}).small


# --- Scores from counts == scores from the individual answers they came from ----------------------


def _bounds(item):
    return {Scale.NOMAD: (1, 5), Scale.ZERO_TEN: (0, 10)}.get(item.scale, (1, item.points))


def _direct(instrument, asked, people):
    """The oracle: every figure computed person by person, answer by answer."""
    items, groups = {}, {}
    for code in asked:
        item = instrument.item(code)
        by_code = {o.code: o.score for o in options(item)}
        low, high = _bounds(item)
        answers = [p.get(code) for p in people]
        raw = [by_code[a] for a in answers if a and by_code[a] is not None]
        values = [low + high - v for v in raw] if item.reversed else raw
        top = sorted({v for v in by_code.values() if v is not None})[-2:]
        excluded = {}
        for a in answers:
            if a and by_code[a] is None:
                excluded[a] = excluded.get(a, 0) + 1
        items[code] = (values, raw, top, excluded, answers.count(None))
    for item in instrument.items:
        if item.group and not (instrument.kind is Kind.NOMAD and item.group == "general"):
            groups.setdefault(item.group, []).append(item.code)
    return items, groups


def _check(instrument, asked, people, result):
    items, groups = _direct(instrument, asked, people)
    assert result.n == len(people)
    for code, (values, raw, top, excluded, blanks) in items.items():
        got = result.item(code)
        assert got.n == len(values) and got.blank == blanks and got.excluded == excluded
        if values:
            assert got.mean == approx(sum(values) / len(values))
            assert got.top_two == approx(sum(v in top for v in raw) / len(raw))
        else:
            assert got.mean is None and got.top_two is None
    for key, members in groups.items():
        group = result.group(key)
        answered = [code for code in members if code in items]
        enough = 2 * len(answered) >= len(members) and all(len(items[c][0]) >= 3 for c in answered)
        assert group.shown == enough
        pooled = [v for c in answered for v in items[c][0]]  # every valid answer of every person
        if enough:
            assert group.mean == approx(sum(pooled) / len(pooled))
        nr = sum(sum(items[c][3].values()) for c in answered)
        if pooled or nr:
            assert group.not_relevant_share == approx(nr / (len(pooled) + nr))


@st.composite
def survey(draw, instrument, min_people=0):
    codes = [i.code for i in instrument.items]
    asked = draw(st.lists(st.sampled_from(codes), unique=True, min_size=1))
    answer = {c: st.sampled_from([None, *(o.code for o in options(instrument.item(c)))]) for c in asked}
    people = draw(st.lists(st.fixed_dictionaries(answer), min_size=min_people, max_size=25))
    return asked, people


@pytest.mark.parametrize("instrument", [NOMAD, CUSTOM], ids=lambda i: i.key)
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_counts_score_as_the_individual_answers_do(instrument, data):
    asked, people = data.draw(survey(instrument))
    counts = tally(instrument, asked, people)
    _check(instrument, asked, people, score_counts(instrument, counts))
    # A means-only round made of the same answers gives the same means.
    from_counts = score_counts(instrument, counts)
    means = score_means(instrument, {s.code: (s.raw_mean or 0.0, s.n) for s in from_counts.items})
    for a, b in zip(from_counts.items, means.items, strict=True):
        assert (a.n, a.mean) == (b.n, approx(b.mean) if b.mean is not None else None)
    assert [(g.shown, g.mean) for g in from_counts.groups] == [(g.shown, approx(g.mean)) for g in means.groups]


@pytest.mark.parametrize("instrument", [NOMAD, CUSTOM], ids=lambda i: i.key)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_pooled_counts_score_as_the_concatenated_answers(instrument, data):
    asked, first = data.draw(survey(instrument))
    answer = {c: st.sampled_from([None, *(o.code for o in options(instrument.item(c)))]) for c in asked}
    second = data.draw(st.lists(st.fixed_dictionaries(answer), max_size=25))
    pooled = scoring.pool_counts([tally(instrument, asked, first), tally(instrument, asked, second)])
    _check(instrument, asked, first + second, score_counts(instrument, pooled))


def _person_score(kind, answers):
    if kind is Kind.SUS:
        return 2.5 * sum((x - 1) if n % 2 else (5 - x) for n, x in enumerate(answers, start=1))
    if kind is Kind.SUS_POSITIVE:
        return 2.5 * sum(x - 1 for x in answers)
    return (answers[0] + answers[1] - 2) * 100 / 12


@pytest.mark.parametrize("key", ["sus", "sus-positive", "umux-lite"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_usability_round_mean_is_the_mean_of_per_person_scores(key, data):
    instrument = BY_KEY[key]
    points = instrument.items[0].points
    size = len(instrument.items)
    people = data.draw(st.lists(st.lists(st.integers(1, points), min_size=size, max_size=size), min_size=1, max_size=30))
    codes = [i.code for i in instrument.items]
    counts = tally(instrument, codes, [dict(zip(codes, map(str, p), strict=True)) for p in people])
    result = score_counts(instrument, counts)
    assert result.score == approx(sum(_person_score(instrument.kind, p) for p in people) / len(people))
    assert result.n == len(people)


def test_an_items_scoring_keeps_its_options_right_when_they_are_made_anew():
    """score_item works an option table's ranking out once (issue 17); a table made again (the
    old one dropped by the lru cache) scores the same, and every seeded item's ranking is right."""
    counts = {"1": 1, "2": 1, "3": 2, "4": 3, "5": 5, "na": 2, BLANK: 1}
    item = CUSTOM.items[2]  # 1-5 and "not applicable"
    first = scoring.score_item(item, counts)
    for _ in range(3):
        instruments_module._options.cache_clear()
        assert scoring.score_item(item, counts) == first
    assert (first.n, first.top_two, first.excluded, first.blank) == (12, 8 / 12, {"na": 2}, 1)
    for other in (*CUSTOM.items, *NOMAD.items, *SUS.items):
        by_code, top = scoring._ranked(other)
        ranked = sorted((o for o in options(other) if o.score is not None), key=lambda o: o.score or 0.0)
        assert by_code == {o.code: o for o in options(other)} and top == {o.code for o in ranked[-2:]}
