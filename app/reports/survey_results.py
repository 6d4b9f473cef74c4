"""Survey results in words, charts and document blocks: what the results page, the unit and
method pages, the unit summary and the period report all show of app.queries.survey_results,
worded and drawn once here (charts by app.pdf.charts, each with its figures as a table).

Documents leave the laptop: their read model holds only rounds that may be shared
(Filter.shareable_only), and the section says how many small rounds it left out.

The words are needed by pages loaded at every start (the survey views import this module);
the charts and blocks load reportlab, so they are imported where a chart or a section is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core import instruments as core
from app.labels.survey_results import NOT_RELEVANT_LABELS, POOLING_RULE, SCORING_RULE, USABILITY_RULE, WHY_NOT_LABELS
from app.labels.surveys import GROUP_LABELS
from app.pdf.text import Texts, msgid_of

if TYPE_CHECKING:  # types only: the dashboard's due rounds use these words without the results' query
    from app.core.scoring import GroupScore, InstrumentScore, SusBand
    from app.pdf.charts import Chart
    from app.queries.survey_results import Half, InstrumentResults, Pooled, Results, RoundResult

# -- words -------------------------------------------------------------------------------------------


def mean(texts: Texts, value: float | None, digits: int = 2) -> str:
    return "–" if value is None else texts.number(value, digits)


def share(texts: Texts, value: float | None) -> str:
    return "–" if value is None else f"{texts.number(value * 100, 1)} %"


def score(texts: Texts, value: float | None) -> str:
    return "–" if value is None else texts.number(value, 1)


def band(texts: Texts, value: SusBand | None) -> str:
    _ = texts
    if value is None:
        return "–"
    low, high = value.percentiles
    return _("grade %(grade)s, percentile %(low)s–%(high)s", grade=value.grade, low=low, high=high)


def construct_name(texts: Texts, key: str) -> str:
    return texts.label(GROUP_LABELS, key)


def why_not(texts: Texts, group: GroupScore | None) -> str:
    if group is None or group.why_not is None:
        return ""
    return texts.label(WHY_NOT_LABELS, group.why_not)


def not_relevant_split(texts: Texts, group: GroupScore | None) -> str:
    """ "to my role 1, at this stage 2": the not-relevant answers by type."""
    if group is None or not group.excluded:
        return ""
    return ", ".join(
        f"{texts.label(NOT_RELEVANT_LABELS, code)} {texts.number(group.excluded[code])}"
        for code in core.NOT_RELEVANT
        if group.excluded.get(code)
    )


def rules(texts: Texts, usability: bool = True) -> list[str]:
    """The scoring rule in one sentence, and the pooling rule (and the usability one)."""
    out = [texts(msgid_of(SCORING_RULE)), texts(msgid_of(POOLING_RULE))]
    if usability:
        out.append(texts(msgid_of(USABILITY_RULE)))
    return out


def constructs(result_score: InstrumentScore | None) -> list[tuple[str, GroupScore | None]]:
    """The four NoMAD constructs in order, each with its score (None: not asked at all)."""
    groups = {g.key: g for g in (result_score.groups if result_score else ())}
    return [(key, groups.get(key)) for key in core.CONSTRUCTS]


def instrument_name(texts: Texts, ir: InstrumentResults | RoundResult) -> str:
    names = ir.instrument.names
    return names.get(texts.lang) or names.get("fi") or ir.instrument.key


# -- charts ------------------------------------------------------------------------------------------


def profile_chart(texts: Texts, ir: InstrumentResults, key: str, subtitle: str = "") -> Chart | None:
    """The NoMAD construct profile of the latest half-year of the rounds."""
    from app.pdf.charts import ProfileBar, construct_profile_chart

    latest = ir.latest_half
    if latest is None or ir.kind is not core.Kind.NOMAD:
        return None
    half, pooled = latest
    bars = [
        ProfileBar(construct_name(texts, k), g.mean if g else None, g.n if g else 0, g.not_relevant_share if g else None)
        for k, g in constructs(pooled.score)
    ]
    return construct_profile_chart(bars, texts, key, ", ".join(p for p in (subtitle, half.label) if p))


def construct_trend(texts: Texts, ir: InstrumentResults, key: str, subtitle: str = "") -> Chart | None:
    """The four constructs' pooled means by half-year."""
    from app.pdf.charts import TrendSeries, trend_chart

    if ir.kind is not core.Kind.NOMAD or not ir.halves:
        return None
    _ = texts
    series = []
    for k in core.CONSTRUCTS:
        groups = [p.score.group(k) if p.score else None for _h, p in ir.halves]
        series.append(
            TrendSeries(
                construct_name(texts, k), tuple(g.mean if g else None for g in groups), tuple(g.n if g else 0 for g in groups)
            )
        )
    title = _("NoMAD constructs by half-year") + (f": {subtitle}" if subtitle else "")
    return trend_chart([h.label for h, _p in ir.halves], series, texts, key, title, (1, 5, 1))


def usability_trend(texts: Texts, irs: list[InstrumentResults], key: str, subtitle: str = "") -> Chart | None:
    """The usability instruments' pooled scores by half-year, beside the SUS median 68."""
    from app.pdf.charts import SUS_MEDIAN, TrendSeries, trend_chart

    irs = [i for i in irs if i.halves]
    if not irs:
        return None
    _ = texts
    halves: list[Half] = sorted({h for i in irs for h, _p in i.halves})
    series = []
    for i in irs:
        by_half: dict[Half, Pooled] = dict(i.halves)
        pooled = [by_half.get(h) for h in halves]
        series.append(
            TrendSeries(
                instrument_name(texts, i) + (f" ({i.method.name(texts.lang)})" if i.method else ""),
                tuple(p.score.score if p and p.score else None for p in pooled),
                tuple(p.respondents if p else 0 for p in pooled),
            )
        )
    title = _("Usability scores by half-year") + (f": {subtitle}" if subtitle else "")
    reference = (SUS_MEDIAN, _("68 = 50th percentile"))
    return trend_chart([h.label for h in halves], series, texts, key, title, (0, 100, 20), reference)


# -- the documents' section ---------------------------------------------------------------------------

CONSTRUCT_SHORT = {"coherence": "CO", "cognitive_participation": "CP", "collective_action": "CA", "reflexive_monitoring": "RM"}


def _construct_cells(texts: Texts, pooled_score: InstrumentScore | None) -> list[str]:
    return [
        mean(texts, g.mean if g else None) + (f" ({texts.number(g.n)})" if g and g.mean is not None else "")
        for _k, g in constructs(pooled_score)
    ]


def construct_legend(texts: Texts) -> str:
    """ "CO = Coherence; CP = …": what the short column headings of the constructs stand for."""
    return "; ".join(f"{CONSTRUCT_SHORT[k]} = {construct_name(texts, k)}" for k in core.CONSTRUCTS)


def _method_name(texts: Texts, ir: InstrumentResults) -> str:
    return ir.method.name(texts.lang) if ir.method else "–"


def _by_instrument(irs: list[InstrumentResults]) -> list[list[InstrumentResults]]:
    groups: dict[str, list[InstrumentResults]] = {}
    for ir in irs:
        groups.setdefault(ir.instrument_id, []).append(ir)
    return list(groups.values())


def section(
    texts: Texts, by_method: Results, overall: Results | None, left_out: int, heading: str, round_list: bool = True
) -> list:
    """The results section of a document: per instrument a construct table by method, the NoMAD
    trend chart(s), the usability rounds (`round_list`: the unit summary) and scores pooled by
    method, the rules and what was left out; nothing when the period had no rounds. `overall`
    (the period report's county level) draws one trend per instrument over every method;
    without it, one per method."""
    from reportlab.platypus import KeepTogether

    from app.pdf import blocks as b

    _ = texts
    if not by_method.rounds and not left_out:
        return []  # nothing surveyed: no section (a document without surveys stays as it was)
    out: list = [b.h2(heading)]
    if not by_method.rounds:
        out.append(b.empty(_("No survey rounds that may be shared in this period.")))
        out.append(b.small(_left_out(texts, left_out)))
        return out
    shorts = [CONSTRUCT_SHORT[k] for k in core.CONSTRUCTS]
    for irs in _by_instrument(by_method.nomad):
        rows = [
            [
                _method_name(texts, ir),
                texts.number(ir.pooled.rounds),
                texts.number(ir.pooled.respondents),
                *_construct_cells(texts, ir.pooled.score),
                share(texts, _nr_share(ir.pooled.score)),
            ]
            for ir in irs
        ]
        out.append(b.h3(_("NoMAD constructs by method: %(instrument)s", instrument=instrument_name(texts, irs[0]))))
        out.append(
            b.table(
                [_("Method"), _("Rounds"), _("Respondents"), *shorts, _("Not relevant")],
                rows,
                [0.28, 0.09, 0.11, 0.1, 0.1, 0.1, 0.1, 0.12],
                numeric=range(1, 8),
            )
        )
    if by_method.nomad:
        out.append(
            b.small(
                construct_legend(texts)
                + ". "
                + _(
                    "Pooled mean (valid answers) of each construct over the period's rounds; – : not shown under Koordi's rule. "
                    "Not relevant: the share of answers that were one of the three “not relevant” options."
                )
            )
        )
        trends = overall.nomad if overall is not None else by_method.nomad
        for i, ir in enumerate(trends):
            subtitle = ", ".join(p for p in (ir.method.name(texts.lang) if ir.method else "", instrument_name(texts, ir)) if p)
            chart = construct_trend(texts, ir, f"nomad-trend-{i}", subtitle)
            if chart is not None:
                out.append(KeepTogether([b.h3(chart.title), chart.drawing]))
    usability = by_method.usability
    for irs in _by_instrument(usability) if round_list else []:
        dated = []
        for ir in irs:
            for r in ir.rounds:
                s = r.score
                dated.append(
                    (
                        r.date,
                        [
                            texts.date(r.date),
                            _method_name(texts, ir),
                            texts.number(r.round.answered),
                            score(texts, s.score if s else None),
                            band(texts, s.band if s else None),
                        ],
                    )
                )
        rows = [row for _day, row in sorted(dated, key=lambda pair: pair[0], reverse=True)]  # newest first
        out.append(b.h3(_("Usability rounds: %(instrument)s", instrument=instrument_name(texts, irs[0]))))
        out.append(
            b.table(
                [_("Date"), _("Method"), _("Respondents"), _("Score"), _("Percentile band")],
                rows,
                [0.14, 0.36, 0.12, 0.1, 0.28],
                numeric=(2, 3),
                plain=(0,),
            )
        )
    for irs in _by_instrument(usability):
        rows = [
            [
                _method_name(texts, ir),
                texts.number(ir.pooled.rounds),
                texts.number(ir.pooled.respondents),
                score(texts, ir.pooled.score.score if ir.pooled.score else None),
                band(texts, ir.pooled.score.band if ir.pooled.score else None),
            ]
            for ir in irs
        ]
        out.append(b.h3(_("Usability pooled over the period: %(instrument)s", instrument=instrument_name(texts, irs[0]))))
        out.append(
            b.table(
                [_("Method"), _("Rounds"), _("Respondents"), _("Score"), _("Percentile band")],
                rows,
                [0.36, 0.1, 0.14, 0.1, 0.3],
                numeric=(1, 2, 3),
            )
        )
    if usability:
        chart = usability_trend(texts, overall.usability if overall is not None else usability, "usability-trend")
        if chart is not None:
            out.append(KeepTogether([b.h3(chart.title), chart.drawing]))
    out.append(b.gap(2))
    for sentence in rules(texts, usability=bool(usability)):
        out.append(b.small(sentence))
    if left_out:
        out.append(b.small(_left_out(texts, left_out)))
    return out


def _left_out(texts: Texts, count: int) -> str:
    _ = texts
    return _(
        "Survey rounds with fewer than 5 respondents left out of this document: %(count)s. They are shown only "
        "in Koordi, unless the coordinator marks them as shareable.",
        count=texts.number(count),
    )


def _nr_share(pooled_score: InstrumentScore | None) -> float | None:
    """Not relevant (all three) among the construct items' answers."""
    if pooled_score is None or pooled_score.means_only:
        return None
    nr = answered = 0
    for g in pooled_score.groups:
        nr += g.not_relevant
        answered += g.n + g.not_relevant
    return nr / answered if answered else None
