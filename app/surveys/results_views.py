"""The results of follow-up surveys: the county's results page (/surveys), the results and due
rounds the unit page, the method page and the dashboard include (template globals, so those
features' views stay as they are), and "not done, because…" on a due round."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from app.core import instruments as core
from app.core import survey_schedule as rules
from app.core.clock import today
from app.labels import label
from app.labels.deployments import PHASE_LABELS
from app.labels.survey_results import DUE_LABELS, SCHEDULE_RULE, STATUS_LABELS, due_label_key
from app.labels.surveys import GROUP_LABELS
from app.pdf.text import Texts
from app.queries import survey_results as q
from app.queries.deployments import live_deployment
from app.queries.survey_cache import memo
from app.queries.survey_pools import county_results
from app.queries.survey_schedule import ScheduledRound, open_rounds, schedule
from app.reports import survey_results as words
from app.surveys.results_forms import ResultsFilterForm, SkipForm
from app.surveys.schedule_ops import reopen_round, skip_round
from app.surveys.views import bp
from app.web.db import or_404, session
from app.web.i18n import current_language
from app.web.layout import safe_next

ROUNDS_SHOWN = 20  # rounds listed per instrument; the rounds list (surveys.rounds) has them all
DUE_SHOWN = 15  # due rounds on the dashboard; the unit pages list the rest


class Words:
    """The results' numbers and labels in the UI language, for templates (the documents' wording)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.texts = Texts(lang)

    def mean(self, value, digits: int = 2) -> str:
        return words.mean(self.texts, value, digits)

    def share(self, value) -> str:
        return words.share(self.texts, value)

    def score(self, value) -> str:
        return words.score(self.texts, value)

    def band(self, value) -> str:
        return words.band(self.texts, value)

    def number(self, value) -> str:
        return self.texts.number(value)

    def construct(self, key: str) -> str:
        return label(GROUP_LABELS, key)

    def short(self, key: str) -> str:
        return words.CONSTRUCT_SHORT.get(key, key)

    def constructs(self, score):
        return words.constructs(score)

    def why_not(self, group) -> str:
        return words.why_not(self.texts, group)

    def not_relevant(self, group) -> str:
        return words.not_relevant_split(self.texts, group)

    def phase(self, phase: str | None) -> str:
        return label(PHASE_LABELS, phase) if phase else "–"

    def due(self, key: str) -> str:
        return label(DUE_LABELS, due_label_key(key))

    def status(self, status: str) -> str:
        return label(STATUS_LABELS, status)

    def instrument(self, item) -> str:
        return words.instrument_name(self.texts, item)

    def heading(self, ir) -> str:
        """An instrument's results: its name, and its method's where they are per method (one unit's)."""
        name = words.instrument_name(self.texts, ir)
        return f"{name} · {ir.method.name(self.lang)}" if ir.method else name

    def rules(self, usability: bool = True) -> list[str]:
        return words.rules(self.texts, usability)

    def key_figures(self, result) -> str:
        """A round's (or a pooled score's) main figures in a line: constructs or the usability score."""
        score = result.score
        if score is None:
            return "–"
        if score.kind is core.Kind.NOMAD:
            return " · ".join(
                f"{words.CONSTRUCT_SHORT[k]} {self.mean(g.mean if g else None)}" for k, g in words.constructs(score)
            )
        if score.score is not None:
            return f"{self.score(score.score)} ({self.band(score.band)})"
        shown = [g for g in score.groups if g.mean is not None]
        if shown:
            return " · ".join(f"{g.key or '–'} {self.mean(g.mean)}" for g in shown)
        return " · ".join(f"{i.code} {self.mean(i.mean)}" for i in score.items[:6])


@bp.app_template_global()
def survey_words() -> Words:
    return Words(current_language())


@bp.app_template_global()
def survey_due(unit_id: str | None = None) -> list[ScheduledRound]:
    """Overdue and due rounds (the dashboard: every unit's; the unit page: one unit's)."""
    return open_rounds(session(), today(), unit_id)


@bp.app_template_global()
def survey_closed(unit_id: str) -> list[ScheduledRound]:
    """The unit's rounds closed as not done in the last year (with the reason; can be opened again)."""
    day = today()
    return [r for r in schedule(session(), day, unit_id=unit_id) if r.status == rules.SKIPPED and (day - r.due.due).days <= 365]


@bp.app_template_global()
def survey_results_of(unit_id: str = "", method_id: str = "") -> q.Results:
    """Every round of a unit (by method and instrument) or of a method (by instrument)."""
    s = session()
    lang = current_language()
    return memo(s).kept(
        ("results-of", unit_id, method_id, lang),
        lambda: q.results(s, q.Filter(unit_id=unit_id, method_id=method_id), lang, per_method=bool(unit_id)),
    )


@bp.app_template_global()
def survey_method_section(method_id: str) -> Markup:
    """The method page's section: its units side by side, rendered once and kept in the memo."""
    s = session()
    lang = current_language()

    def render() -> Markup:
        sres = q.results(s, q.Filter(method_id=method_id), lang)
        return Markup(render_template("surveys/_method_results_body.html", sres=sres, w=Words(lang), method_id=method_id))

    return memo(s).kept(("method-section", method_id, lang), render)


@bp.app_template_global()
def survey_schedule_rule() -> str:
    return str(SCHEDULE_RULE)


# -- the results page ------------------------------------------------------------------------------


def _filter() -> tuple[ResultsFilterForm, q.Filter]:
    s = session()
    lang = current_language()
    form = ResultsFilterForm(request.args)
    choices = memo(s).kept(("results-choices", lang), lambda: q.filter_choices(s, lang))
    form.method.choices = [("", _("All"))] + choices["methods"]
    form.unit.choices = [("", _("All"))] + choices["units"]
    form.instrument.choices = [("", _("All"))] + choices["instruments"]
    form.year.choices = [("", _("All years"))] + choices["years"]

    def chosen(field, key: str) -> str:
        return field.data if field.data in {value for value, _label in choices[key]} else ""

    year = chosen(form.year, "years")
    f = q.Filter.year(
        int(year) if year else None,
        unit_id=chosen(form.unit, "units"),
        method_id=chosen(form.method, "methods"),
        instrument_id=chosen(form.instrument, "instruments"),
    )
    return form, f


class DrawnChart:
    """A chart whose SVG is drawn once (renderSVG is the slowest part of a page) and kept: the
    same figures (a write elsewhere in the database) are not drawn again."""

    drawn: dict[tuple, Markup] = {}
    KEEP = 200

    def __init__(self, chart):
        self.key, self.title, self.description = chart.key, chart.title, chart.description
        self.columns, self.rows = chart.columns, chart.rows
        figures = (chart.key, chart.title, chart.description, chart.columns, chart.rows)
        svg = self.drawn.get(figures)
        if svg is None:
            if len(self.drawn) >= self.KEEP:
                self.drawn.clear()
            svg = self.drawn[figures] = chart.svg()
        self._svg = svg

    def svg(self):
        return self._svg


def _body(f: q.Filter, lang: str) -> Markup:
    """Everything below the filters, rendered once per filter and language and kept in the memo
    until the database next changes (a bench county's page is 20 000 numbers to format)."""
    s = session()
    m = memo(s)
    generation = m.generation
    key = ("results-body", f, lang)
    found = m.get(key)
    if found is not None:
        return found
    texts = Texts(lang)
    res = county_results(s, f, lang, ROUNDS_SHOWN)

    def drawn(chart):
        return DrawnChart(chart) if chart is not None else None

    nomad = [
        {
            "ir": ir,
            "profile": drawn(words.profile_chart(texts, ir, f"nomad-profile-{i}")),
            "trend": drawn(words.construct_trend(texts, ir, f"nomad-trend-{i}")),
        }
        for i, ir in enumerate(res.nomad)
    ]
    list_args = {"unit": f.unit_id, "method": f.method_id, "year": str(f.start.year) if f.start else ""}
    found = Markup(
        render_template(
            "surveys/_results_body.html",
            res=res,
            nomad=nomad,
            usability_chart=drawn(words.usability_trend(texts, res.usability, "usability-trend")),
            filtered=_filtered(f),
            list_args={k: v for k, v in list_args.items() if v},
            rounds_shown=ROUNDS_SHOWN,
            w=Words(lang),
            small=core.SMALL_ROUND,
        )
    )
    m.put(key, found, generation)
    return found


def _filtered(f: q.Filter) -> bool:
    return any((f.unit_id, f.method_id, f.instrument_id, f.start))


@bp.get("/surveys")
def results():
    form, f = _filter()
    lang = current_language()
    return render_template("surveys/results.html", form=form, filtered=_filtered(f), body=_body(f, lang))


# -- "not done, because…" ---------------------------------------------------------------------------


@bp.post("/surveys/due/<id>/skip")
def skip(id: str):
    s = session()
    deployment = or_404(live_deployment(s, id))
    form = SkipForm()
    back = safe_next(form.next.data)
    due = {
        r.key: r
        for r in schedule(s, today(), unit_id=deployment.unit_id, method_id=deployment.method_id)
        if r.deployment.id == deployment.id
    }
    item = due.get(form.due_key.data or "")
    if item is None or item.status not in (rules.OPEN, rules.OVERDUE, rules.SKIPPED):
        flash(_("That round is not due, so there is nothing to close."), "error")
        return redirect(back)
    if not form.validate():
        return render_template("surveys/skip.html", form=form, item=item, back=back, w=Words(current_language())), 422
    skip_round(s, deployment.id, item.key, form.reason.data)
    flash(
        _("%(round)s of %(unit)s closed as not done.", round=Words(current_language()).due(item.key), unit=deployment.unit.name),
        "success",
    )
    return redirect(back)


@bp.post("/surveys/due/<id>/reopen")
def reopen(id: str):
    s = session()
    deployment = or_404(live_deployment(s, id))
    key = request.form.get("due_key", "")
    back = safe_next(request.form.get("next"))
    if reopen_round(s, deployment.id, key):
        flash(
            _("%(round)s of %(unit)s is due again.", round=Words(current_language()).due(key), unit=deployment.unit.name),
            "success",
        )
    return redirect(back)
