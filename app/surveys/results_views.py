"""The results of follow-up surveys: the county's results page (/surveys) and "not done, because…"
on a due round. The results and due rounds the unit page, the method page and the dashboard include
are template globals (template_globals.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from app.core import clock
from app.core import instruments as core
from app.core import survey_schedule as rules
from app.pdf.text import Texts
from app.queries import survey_results as q
from app.queries.deployments import live_deployment
from app.queries.survey_cache import memo
from app.queries.survey_pools import county_results
from app.queries.survey_schedule import schedule
from app.reports import survey_results as words
from app.surveys.results_forms import ResultsFilterForm, SkipForm
from app.surveys.schedule_ops import reopen_round, skip_round
from app.surveys.template_globals import Words
from app.web.db import or_404, session
from app.web.i18n import current_language
from app.web.layout import safe_next

ROUNDS_SHOWN = 20  # rounds listed per instrument; the rounds list (surveys.rounds) has them all
DUE_SHOWN = 15  # due rounds on the dashboard; the unit pages list the rest


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


def results():
    form, f = _filter()
    lang = current_language()
    return render_template("surveys/results.html", form=form, filtered=_filtered(f), body=_body(f, lang))


# -- "not done, because…" ---------------------------------------------------------------------------


def skip(id: str):
    s = session()
    deployment = or_404(live_deployment(s, id))
    form = SkipForm()
    back = safe_next(form.next.data)
    due = {
        r.key: r
        for r in schedule(s, clock.today(), unit_id=deployment.unit_id, method_id=deployment.method_id)
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
