"""The follow-up surveys' template globals: the due rounds (the dashboard, the unit page), a unit's
or a method's results (the unit and method pages), the results' words and an item's scale. Registered
by routes.py and imported on their first use; the results' query (app.queries.survey_results) waits
for a page that shows results."""

from __future__ import annotations

from functools import cached_property
from types import ModuleType
from typing import TYPE_CHECKING

from flask import render_template
from markupsafe import Markup

from app.core import clock
from app.core import instruments as core
from app.core import survey_schedule as rules
from app.labels import label
from app.labels.deployments import PHASE_LABELS
from app.labels.survey_results import DUE_LABELS, SCHEDULE_RULE, STATUS_LABELS, due_label_key
from app.labels.surveys import GROUP_LABELS, SCALE_LABELS
from app.queries.survey_cache import memo
from app.queries.survey_schedule import ScheduledRound, open_rounds, schedule
from app.web.db import session
from app.web.i18n import current_language

if TYPE_CHECKING:
    from app.pdf.text import Texts
    from app.queries import survey_results as q


def _words() -> ModuleType:
    """The results' wording (app.reports.survey_results, with the documents' texts), imported when a
    page first shows results: the dashboard's due rounds need none of it (issue 17)."""
    from app.reports import survey_results

    return survey_results


class Words:
    """The results' numbers and labels in the UI language, for templates (the documents' wording)."""

    def __init__(self, lang: str):
        self.lang = lang

    @cached_property
    def texts(self) -> Texts:
        from app.pdf.text import Texts

        return Texts(self.lang)

    def mean(self, value, digits: int = 2) -> str:
        return _words().mean(self.texts, value, digits)

    def share(self, value) -> str:
        return _words().share(self.texts, value)

    def score(self, value) -> str:
        return _words().score(self.texts, value)

    def band(self, value) -> str:
        return _words().band(self.texts, value)

    def number(self, value) -> str:
        return self.texts.number(value)

    def construct(self, key: str) -> str:
        return label(GROUP_LABELS, key)

    def short(self, key: str) -> str:
        return _words().CONSTRUCT_SHORT.get(key, key)

    def constructs(self, score):
        return _words().constructs(score)

    def why_not(self, group) -> str:
        return _words().why_not(self.texts, group)

    def not_relevant(self, group) -> str:
        return _words().not_relevant_split(self.texts, group)

    def phase(self, phase: str | None) -> str:
        return label(PHASE_LABELS, phase) if phase else "–"

    def due(self, key: str) -> str:
        return label(DUE_LABELS, due_label_key(key))

    def status(self, status: str) -> str:
        return label(STATUS_LABELS, status)

    def instrument(self, item) -> str:
        return _words().instrument_name(self.texts, item)

    def heading(self, ir) -> str:
        """An instrument's results: its name, and its method's where they are per method (one unit's)."""
        name = _words().instrument_name(self.texts, ir)
        return f"{name} · {ir.method.name(self.lang)}" if ir.method else name

    def rules(self, usability: bool = True) -> list[str]:
        return _words().rules(self.texts, usability)

    def key_figures(self, result) -> str:
        """A round's (or a pooled score's) main figures in a line: constructs or the usability score."""
        score = result.score
        if score is None:
            return "–"
        if score.kind is core.Kind.NOMAD:
            return " · ".join(
                f"{_words().CONSTRUCT_SHORT[k]} {self.mean(g.mean if g else None)}" for k, g in _words().constructs(score)
            )
        if score.score is not None:
            return f"{self.score(score.score)} ({self.band(score.band)})"
        shown = [g for g in score.groups if g.mean is not None]
        if shown:
            return " · ".join(f"{g.key or '–'} {self.mean(g.mean)}" for g in shown)
        return " · ".join(f"{i.code} {self.mean(i.mean)}" for i in score.items[:6])


def survey_words() -> Words:
    return Words(current_language())


# clock.today() looked up at each call, not bound at import: this module is imported by the first
# page that shows due rounds, whenever that is, and must take the clock that page's view takes.


def survey_due(unit_id: str | None = None) -> list[ScheduledRound]:
    """Overdue and due rounds (the dashboard: every unit's; the unit page: one unit's)."""
    return open_rounds(session(), clock.today(), unit_id)


def survey_closed(unit_id: str) -> list[ScheduledRound]:
    """The unit's rounds closed as not done in the last year (with the reason; can be opened again)."""
    day = clock.today()
    return [r for r in schedule(session(), day, unit_id=unit_id) if r.status == rules.SKIPPED and (day - r.due.due).days <= 365]


def survey_results_of(unit_id: str = "", method_id: str = "") -> q.Results:
    """Every round of a unit (by method and instrument) or of a method (by instrument)."""
    from app.queries import survey_results as q

    s = session()
    lang = current_language()
    return memo(s).kept(
        ("results-of", unit_id, method_id, lang),
        lambda: q.results(s, q.Filter(unit_id=unit_id, method_id=method_id), lang, per_method=bool(unit_id)),
    )


def survey_method_section(method_id: str) -> Markup:
    """The method page's section: its units side by side, rendered once and kept in the memo."""
    from app.queries import survey_results as q

    s = session()
    lang = current_language()

    def render() -> Markup:
        sres = q.results(s, q.Filter(method_id=method_id), lang)
        return Markup(render_template("surveys/_method_results_body.html", sres=sres, w=Words(lang), method_id=method_id))

    return memo(s).kept(("method-section", method_id, lang), render)


def survey_schedule_rule() -> str:
    return str(SCHEDULE_RULE)


def scale_text(item) -> str:
    """An item's scale in a few characters: "1–5", "0–10", or NoMAD's agree – disagree."""
    if item.scale == "points":
        return f"1–{item.points}"
    if item.scale == "zero_ten":
        return "0–10"
    return str(label(SCALE_LABELS, item.scale))


def group_text(key: str) -> str:
    return label(GROUP_LABELS, key) if key in GROUP_LABELS else key
