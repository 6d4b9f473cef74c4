"""The results page (/surveys), the unit and method pages' survey sections: figures equal
app.core.scoring's on the same counts, pooled over rounds from counts (never a mean of round
means), small rounds marked, the scoring rule stated, charts with their figures as tables."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from app.core import instruments as core
from app.core import scoring
from app.i18n import format_number
from app.queries import survey_results as q
from tests.common import COOL_KIDS, IPC, db, squash, text
from tests.surveys.results_data import NOMAD, SUS, UMUX, all_constructs, deployment, nomad_counts, survey_round, sus_counts, unit

D = dt.date
NOMAD_20 = next(i for i in core.SEEDED if i.key == NOMAD)
SUS_I = next(i for i in core.SEEDED if i.key == SUS)

# FOLLOWUP.md's worked example: coherence of 10 respondents, pooled 148/37 = 4.00, not relevant 3/40.
COHERENCE = {
    "CO1": {"sa": 3, "a": 4, "n": 1, "nr_role": 1, "nr_stage": 1},
    "CO2": {"sa": 1, "a": 5, "n": 2, "d": 1, "nr_stage": 1},
    "CO3": {"sa": 2, "a": 6, "n": 2},
    "CO4": {"sa": 4, "a": 4, "n": 1, "d": 1},
}
OTHERS = nomad_counts(
    cognitive_participation={"sa": 2, "a": 5, "n": 3},
    collective_action={"a": 4, "n": 4, "d": 2},
    reflexive_monitoring={"sa": 1, "a": 3, "n": 4, "sd": 1, "nr_stage": 1},
)
WORKED = {**COHERENCE, **OTHERS}


def en_number(value: float, digits: int = 2) -> str:
    """As the English UI prints it in Finland: a decimal comma (4,00)."""
    return format_number(value, "en", digits)


@pytest.fixture
def en(profiled):
    profiled.post("/language", {"lang": "en", "next": "/"})
    return profiled


@pytest.fixture
def data(app):
    lohja = unit(app, "Lohjan perheneuvola")
    vihti = unit(app, "Vihdin nuorisoasema")
    deployment(app, lohja, IPC, (D(2025, 1, 10), "pilot"), (D(2025, 9, 1), "in_use"))
    deployment(app, vihti, IPC, (D(2025, 2, 1), "pilot"))
    ids = {
        "lohja": lohja,
        "vihti": vihti,
        "worked": survey_round(app, NOMAD, D(2025, 6, 12), [lohja], IPC, WORKED, invited=14),
        # Autumn: a big round of neutral answers and a small one of strongly agree, in two units.
        "autumn_big": survey_round(app, NOMAD, D(2025, 10, 8), [lohja], IPC, all_constructs({"n": 30})),
        "autumn_small": survey_round(app, NOMAD, D(2025, 10, 20), [vihti], IPC, all_constructs({"sa": 10})),
        "sus_a": survey_round(app, SUS, D(2025, 3, 1), [lohja], IPC, sus_counts([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], n=6)),
        "sus_tiny": survey_round(app, SUS, D(2025, 3, 3), [vihti], IPC, sus_counts([5, 1, 5, 1, 5, 1, 5, 1, 5, 1], n=3)),
    }
    return ids


def cells(page: str, attr: str) -> dict[str, str]:
    return {k: squash(v) for k, v in re.findall(rf'data-{attr}="([\w-]+)">(.*?)</td>', page, re.S)}


def test_the_page_shows_each_rounds_scores_as_scoring_computes_them(app, en, data):
    expected = scoring.score_counts(NOMAD_20, WORKED)
    assert expected.group("coherence").mean == pytest.approx(4.0)  # the worked example itself
    page = text(en.get("/surveys?year=2025&instrument=" + q_id(app, data["worked"]) + "&unit=" + data["lohja"]))
    lohja_rounds = squash(page.split("Rounds of NoMAD (20 items)")[1])
    # The June round's row: its four construct means as scoring gives them, its stage share and phase.
    row = squash(re.search(r"<tr>\s*<td>12\.6\.2025.*?</tr>", page, re.S).group(0))
    for key in core.CONSTRUCTS:
        assert en_number(expected.group(key).mean) in row
    stage = sum(i.excluded.get("nr_stage", 0) for i in expected.items)
    answered = sum(i.n + i.not_relevant for i in expected.items)
    assert f"{en_number(100 * stage / answered, 1)} %" in row and "Pilot" in row
    assert "10 / 14" in row  # answered of invited
    assert "12.6.2025" in lohja_rounds
    # The usability score from its counts: FOLLOWUP.md's example is 80.
    sus = scoring.score_counts(SUS_I, sus_counts([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], n=6))
    assert sus.score == pytest.approx(80)
    page = text(en.get(f"/surveys?unit={data['lohja']}"))
    assert cells(page, "score")["sus"] == "80,0"
    assert "grade A-, percentile 85–89" in squash(page)


def q_id(app, round_id: str) -> str:
    from app.models import SurveyRound
    from tests.common import get

    return get(app, SurveyRound, round_id).instrument_id


def test_the_worked_example_profile_with_n_and_not_relevant_share(app, en, data):
    page = text(en.get(f"/surveys?unit={data['lohja']}&year=2025"))
    # The latest half-year of Lohja is the autumn one; the spring profile is the worked example's.
    spring = text(en.get(f"/surveys?unit={data['lohja']}&year=2025&instrument={q_id(app, data['worked'])}"))
    assert "Constructs, latest half-year 7–12/2025" in squash(page)
    with db(app) as s:
        rounds = q.load_rounds(s, q.Filter(unit_id=data["lohja"], end=D(2025, 6, 30)))
    nomad = [r for r in rounds if r.kind is core.Kind.NOMAD]
    pooled = q.pool(nomad[0].instrument, nomad)
    coherence = pooled.score.group("coherence")
    assert (coherence.mean, coherence.n, coherence.not_relevant_share) == (pytest.approx(4.0), 37, pytest.approx(0.075))
    assert "Coherence" in squash(spring)


def test_pooled_from_counts_is_not_the_mean_of_round_means(app, en, data):
    """Autumn: 30 answers of 3 and 10 of 5 per item pool to 3.5; the rounds' means average to 4."""
    with db(app) as s:
        rounds = [r for r in q.load_rounds(s, q.Filter(start=D(2025, 7, 1), end=D(2025, 12, 31))) if r.kind is core.Kind.NOMAD]
    means = [r.score.group("coherence").mean for r in rounds]
    assert means == [pytest.approx(3.0), pytest.approx(5.0)]
    pooled = q.pool(rounds[0].instrument, rounds)
    assert pooled.score.group("coherence").mean == pytest.approx(3.5) != sum(means) / 2
    assert (pooled.rounds, pooled.respondents) == (2, 40)
    # The page's latest half-year (both units) says 3.50, and the trend's table has both halves.
    page = text(en.get("/surveys?year=2025"))
    constructs = re.search(r"Constructs, latest half-year 7–12/2025.*?</table>", page, re.S).group(0)
    assert re.search(r'data-construct="coherence">3,50', constructs)
    trend = squash(re.search(r'<figure class="chart" aria-labelledby="nomad-trend-0-caption">.*?</figure>', page, re.S).group(0))
    assert "1–6/2025" in trend and "7–12/2025" in trend and "3,50 (n 160)" in trend
    assert f"{en_number(scoring.score_counts(NOMAD_20, WORKED).group('coherence').mean)} (n 37)" in trend


def test_pooling_keeps_constructs_apart_where_the_rounds_asked_different_items(app, data):
    fewer = {code: counts for code, counts in all_constructs({"a": 5}).items() if code != "CO4"}
    survey_round(app, NOMAD, D(2025, 11, 3), [data["vihti"]], IPC, fewer)
    with db(app) as s:
        rounds = [r for r in q.load_rounds(s, q.Filter(start=D(2025, 7, 1))) if r.kind is core.Kind.NOMAD]
    pooled = q.pool(rounds[0].instrument, rounds)
    assert pooled.mixed
    assert pooled.score.group("coherence").mean is None and pooled.score.group("coherence").why_not == q.MIXED_ITEMS
    assert pooled.score.group("cognitive_participation").mean == pytest.approx((30 * 3 + 10 * 5 + 5 * 4) / 45)
    assert pooled.score.item("CO4").n == 40  # item by item: over the rounds that asked it


def test_means_only_rounds_pool_their_item_means_weighted_by_n(app, data):
    means = {f"SUS{i}": (v, 4) for i, v in enumerate([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], start=1)}
    survey_round(app, SUS, D(2025, 5, 1), [data["vihti"]], IPC, means=means, answered=4)
    with db(app) as s:
        rounds = [r for r in q.load_rounds(s, q.Filter(instrument_id=q_id(app, data["sus_a"])))]
    assert [r.round.means_only for r in rounds] == [False, False, True]
    pooled = q.pool(rounds[0].instrument, rounds)
    # 6 people scoring 80, 3 scoring 100, 4 scoring 80: (480 + 300 + 320) / 13.
    assert pooled.score.score == pytest.approx((6 * 80 + 3 * 100 + 4 * 80) / 13)


def test_small_rounds_are_shown_and_marked(app, en, data):
    page = text(en.get("/surveys"))
    tiny_row = squash(re.search(r'<tr class="small-round">.*?</tr>', page, re.S).group(0))
    assert "3.3.2025" in tiny_row and "under 5 respondents" in tiny_row
    assert "1 round here has fewer than 5 respondents" in squash(page)


def test_the_scoring_rule_is_stated_in_one_sentence_in_every_language(app, en, data):
    assert "Koordi's rule: NoMAD answers score strongly agree 5" in html.unescape(squash(text(en.get("/surveys"))))
    en.post("/language", {"lang": "fi", "next": "/"})
    assert "Koordin sääntö:" in html.unescape(squash(text(en.get("/surveys"))))
    en.post("/language", {"lang": "sv", "next": "/"})
    assert "Koordis regel:" in html.unescape(squash(text(en.get("/surveys"))))


def test_filters_narrow_the_rounds(app, en, data):
    other = unit(app, "Karkkilan koulu")
    survey_round(app, UMUX, D(2024, 4, 1), [other], COOL_KIDS, {"UL1": {"6": 5}, "UL2": {"5": 5}})

    def results(query: str) -> str:  # the page below its filters (whose choices name every unit)
        return squash(text(en.get("/surveys" + query)).split('class="survey-rules"', 1)[1])

    everything = results("")
    assert "Karkkilan koulu" in everything and "Rounds of UMUX-Lite" in everything
    by_method = results(f"?method={IPC}")
    assert "Karkkilan koulu" not in by_method and "Rounds of UMUX-Lite" not in by_method
    by_year = results("?year=2024")
    assert "Rounds of UMUX-Lite" in by_year and "NoMAD (20 items)" not in by_year
    # UMUX-Lite: (6 + 5 - 2) × 100/12 = 75.
    assert cells(text(en.get("/surveys?year=2024")), "score")["umux-lite"] == "75,0"
    # An unknown value is ignored, not refused.
    assert en.get("/surveys?unit=nonexistent&year=abc").status_code == 200
    assert "No survey rounds yet." not in by_method


def test_charts_carry_their_figures_as_a_table(app, en, data):
    page = text(en.get("/surveys"))
    figures = re.findall(r'<figure class="chart" aria-labelledby="([\w-]+)-caption">(.*?)</figure>', page, re.S)
    keys = [k for k, _body in figures]
    assert "nomad-profile-0" in keys and "nomad-trend-0" in keys and "usability-trend" in keys
    for key, body in figures:
        assert f'aria-labelledby="{key}-title {key}-desc"' in body and "<table>" in body
        assert " style=" not in body  # the page's CSP refuses inline styles
    profile = dict(figures)["nomad-profile-0"]
    assert "Pooled mean (1–5)" in profile and "Not relevant" in profile


def test_the_unit_page_shows_the_latest_scores_per_method_and_the_round_before(app, en, data):
    page = text(en.get(f"/units/{data['lohja']}"))
    section = squash(page.split('id="unit-surveys"')[1].split("Print / PDF")[0])
    assert "Latest scores by method" in section
    latest = squash(re.search(r'data-latest="nomad-20">(.*?)</td>', page, re.S).group(1))
    assert latest == "CO 3,00 · CP 3,00 · CA 3,00 · RM 3,00"  # the autumn round
    expected = scoring.score_counts(NOMAD_20, WORKED)
    assert f"12.6.2025: CO {en_number(expected.group('coherence').mean)}" in section  # the round before
    assert squash(re.search(r'data-latest="sus">(.*?)</td>', page, re.S).group(1)) == "80,0 (grade A-, percentile 85–89)"
    assert f'href="/surveys?unit={data["lohja"]}"' in html.unescape(page)


def test_the_method_page_shows_the_units_side_by_side(app, en, data):
    page = text(en.get(f"/methods/{IPC}"))
    section = page.split('id="method-surveys"')[1]
    nomad = squash(re.search(r"<table class=\"survey-side-by-side\">.*?NoMAD.*?</table>", section, re.S).group(0))
    assert "Lohjan perheneuvola 8.10.2025 30 3,00 3,00 3,00 3,00 12.6.2025: CO 4,00" in nomad
    # All strongly agree: the negatively worded CA2 scores 1, so collective action is 31/7.
    assert "Vihdin nuorisoasema 20.10.2025 10 5,00 5,00 4,43 5,00 –" in nomad
    # Pooled from counts: (30 × 3 + 10 × 5) / 40 = 3.5, collective action (30 × 21 + 10 × 31) / 280.
    assert "All units, 7–12/2025 40 3,50 3,50 3,36 3,50 pooled from counts" in nomad
    sus = squash(section.split("SUS (System Usability Scale): each unit")[1].split("</table>")[0])
    assert "3 under 5 respondents" in sus


def test_pages_without_rounds_say_so(app, en):
    lohja = unit(app, "Lohjan perheneuvola")
    assert "No survey rounds yet." in squash(text(en.get("/surveys")))
    assert "No survey rounds for this unit yet." in squash(text(en.get(f"/units/{lohja}")))
    assert "No survey rounds for this method yet." in squash(text(en.get(f"/methods/{IPC}")))


def test_the_county_pages_sums_in_sql_score_as_pooling_the_rounds_own_counts(app, data):
    """One rule: the results page pools in SQL (app.queries.survey_pools) what the unit page and
    the documents pool round by round; a means-only round and one asking fewer items included."""
    means = {f"SUS{i}": (v, 4) for i, v in enumerate([4, 2, 4, 1, 4, 2, 5, 2, 4, 2], start=1)}
    survey_round(app, SUS, D(2025, 5, 1), [data["vihti"]], IPC, means=means, answered=4)
    fewer = {code: counts for code, counts in all_constructs({"a": 5, "d": 1}).items() if code != "CO4"}
    survey_round(app, NOMAD, D(2025, 11, 3), [data["vihti"]], IPC, fewer)
    from app.queries.survey_pools import county_results

    with db(app) as s:
        county = county_results(s, q.Filter(), "en", shown=2)
        rounds = q.load_rounds(s, q.Filter())
    by_instrument = q.by_instrument(rounds)
    assert len(county.instruments) == 2
    for ir in county.instruments:
        own = by_instrument[ir.instrument_id]
        assert ir.total_rounds == len(own) and [r.round.id for r in ir.rounds] == [r.round.id for r in own[-2:]]
        assert ir.pooled == q.pool(ir.instrument, own)
        assert ir.halves == q.trend(ir.instrument, own)
    nomad = next(ir for ir in county.instruments if ir.kind is core.Kind.NOMAD)
    assert nomad.halves[-1][1].mixed and nomad.halves[-1][1].score.group("coherence").mean is None
    with db(app) as s:  # one unit's: by method too
        per_unit = county_results(s, q.Filter(unit_id=data["vihti"]), "en", shown=50)
        own = q.results(s, q.Filter(unit_id=data["vihti"]), "en", per_method=True)

    def figures(res):
        return [(i.instrument_id, i.method.id, i.pooled, i.halves, [r.round.id for r in i.rounds]) for i in res.instruments]

    assert figures(per_unit) == figures(own) and len(own.instruments) == 2
    assert county.small_rounds == sum(1 for r in rounds if r.small) == 2


def test_the_page_shows_a_round_entered_after_it_was_first_shown(app, en, data):
    """The page's figures are kept until the database changes, never past it."""
    before = text(en.get("/surveys?year=2025"))
    assert cells(before, "score")["sus"] == format_number((6 * 80 + 3 * 100) / 9, "en", 1)
    survey_round(app, SUS, D(2025, 4, 2), [data["lohja"]], IPC, sus_counts([3] * 10, n=9))  # 9 people scoring 50
    after = text(en.get("/surveys?year=2025"))
    assert cells(after, "score")["sus"] == format_number((6 * 80 + 3 * 100 + 9 * 50) / 18, "en", 1)


def test_one_units_results_go_by_method(app, en, data):
    """A unit's trend is its own per method: pooling two methods' rounds would mix two deployments."""
    survey_round(app, NOMAD, D(2025, 10, 15), [data["lohja"]], COOL_KIDS, all_constructs({"sa": 8}))
    unit_page = squash(text(en.get(f"/surveys?unit={data['lohja']}")))
    assert "NoMAD (20 items) · Interpersonal counselling IPC" in unit_page and "NoMAD (20 items) · Cool Kids" in unit_page
    county = squash(text(en.get("/surveys")))
    assert "NoMAD (20 items) · " not in county and "Rounds of NoMAD (20 items), newest first" in county


def test_a_construct_never_shown_leaves_its_line_out_of_the_chart_not_the_page(app, en):
    """Reflexive monitoring with 2 answers an item is "–" in every half-year: no line to draw."""
    lohja = unit(app, "Lohjan perheneuvola")
    few = {**all_constructs({"a": 6}), **nomad_counts(reflexive_monitoring={"a": 2})}
    survey_round(app, NOMAD, D(2025, 3, 12), [lohja], IPC, few, answered=6)
    survey_round(app, NOMAD, D(2025, 9, 12), [lohja], IPC, few, answered=6)
    resp = en.get("/surveys")
    assert resp.status_code == 200
    trend = squash(re.search(r'aria-labelledby="nomad-trend-0-caption">.*?</figure>', text(resp), re.S).group(0))
    assert "1–6/2025 4,00 (n 24) 4,00 (n 24) 3,71 (n 42) –" in trend  # CA2 reversed: (6 × 6 × 4 + 6 × 2) / 42
