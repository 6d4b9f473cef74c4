"""The unit summary: what a unit manager gets about their unit for a period.

The unit's details, its deployments with their phase history, the period's events
with the unit's attendance, the guidance its own trainees got (by name: this goes to
their own manager), and its goals with progress. Free-text notes only when asked for.
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Paragraph

from app.pdf import blocks as b
from app.pdf.document import PageCounter, build_pdf, register_fonts
from app.pdf.text import Texts, para
from app.queries.unit_report import UnitReport
from app.reports.common import (
    AGE_GROUP_LABELS,
    EVENT_STATUS_LABELS,
    EVENT_TYPE_LABELS,
    GOAL_STATUS_LABELS,
    PHASE_LABELS,
    SERVICE_LINE_LABELS,
    Author,
    activity_facts,
    info,
    period_line,
)
from app.reports.survey_results import section as survey_section

NOTE = '<br/><font size="7.5" color="#4a5560">{}</font>'


def _with_note(text: str, note: str, include_notes: bool) -> Paragraph:
    markup = para(text)
    if include_notes and note.strip():
        markup += NOTE.format(para(note))
    return Paragraph(markup, b.CELL)


def _count(texts: Texts, value: int | None) -> str:
    return "–" if value is None else texts.number(value)


def render(
    report: UnitReport, author: Author, texts: Texts, generated: dt.date, include_notes: bool = False
) -> tuple[bytes, int]:
    register_fonts()  # before the first Paragraph: its style names the font
    _ = texts
    unit = report.unit
    title = _("Unit summary")
    story = b.title(title, f"{unit.name} · {texts.period(report.period)}")
    details = [
        (_("Service line"), texts.label(SERVICE_LINE_LABELS, unit.service_line)),
        (_("Age group served"), texts.label(AGE_GROUP_LABELS, unit.age_group)),
        (_("Municipality"), unit.municipality),
        (_("Supervisor"), unit.supervisor_name),
        (_("Number of professionals"), _count(texts, unit.professionals)),
        (_("Status"), _("Active") if unit.active else _("Ended")),
    ]
    if include_notes and unit.notes.strip():
        details.append((_("Notes"), unit.notes))
    story += [b.h2(_("The unit")), b.facts(details)]
    story += _key_figures(report, texts)
    story += _deployments(report, texts, include_notes)
    story += _events(report, texts, include_notes)
    story += _guidance(report, texts)
    story += _goals(report, texts, include_notes)
    if report.surveys is not None:  # follow-up survey results (issue 12)
        story += survey_section(texts, report.surveys, None, report.surveys_left_out, _("Follow-up survey results"))

    counter = PageCounter()
    subject = _("Unit summary of %(unit)s, %(period)s", unit=unit.name, period=texts.period(report.period))
    data = build_pdf(info(texts, author, title, subject, period_line(texts, report.period), generated), texts, story, counter)
    return data, counter.pages


def _key_figures(report: UnitReport, texts: Texts) -> list:
    _ = texts
    pairs = activity_facts(texts, report.events_total, report.attendance, report.guidance, len(report.trainees))
    return [b.h2(_("The period in figures")), b.facts(pairs)]


def _deployments(report: UnitReport, texts: Texts, include_notes: bool) -> list:
    _ = texts
    rows = []
    for item in report.deployments:
        d = item.deployment
        history = " → ".join(f"{texts.label(PHASE_LABELS, c.phase)} {texts.date(c.changed_on)}" for c in item.changes)
        rows.append(
            [
                _with_note(d.method.name(texts.lang), d.notes, include_notes),
                texts.label(PHASE_LABELS, d.phase),
                texts.date(d.phase_since),
                texts.number(d.professionals_trained),
                history or "–",
            ]
        )
    return [
        b.h2(_("Deployments and their phases")),
        b.table(
            [_("Method"), _("Phase now"), _("Since"), _("Professionals trained"), _("Phase history")],
            rows,
            [0.24, 0.12, 0.12, 0.13, 0.39],
            numeric=(3,),
            plain=(2,),
            empty_text=_("No methods are being deployed in this unit."),
        ),
    ]


def _events(report: UnitReport, texts: Texts, include_notes: bool) -> list:
    _ = texts
    rows = []
    for row in report.events:
        ev = row.event
        when = texts.date(ev.date) + (f" {texts.time(ev.start_time)}" if ev.start_time else "")
        rows.append(
            [
                when,
                _with_note(ev.title, ev.notes, include_notes),
                texts.label(EVENT_TYPE_LABELS, ev.type),
                texts.label(EVENT_STATUS_LABELS, ev.status),
                _count(texts, row.attended),
            ]
        )
    out = [
        b.h2(_("Events in the period")),
        b.table(
            [_("Date"), _("Event"), _("Type"), _("Status"), _("People from the unit")],
            rows,
            [0.16, 0.32, 0.24, 0.14, 0.14],
            numeric=(4,),
            plain=(0,),
            total=[_("Total at held events"), "", "", "", texts.number(report.attendance.total)],
            empty_text=_("No events concerned this unit in the period."),
        ),
    ]
    if rows:
        out.append(
            b.small(
                _(
                    "People from the unit at each event; – means not recorded. The last row sums the held "
                    "events only; the roles are in the figures above."
                )
            )
        )
    return out


def _guidance(report: UnitReport, texts: Texts) -> list:
    _ = texts
    n = texts.number
    rows = [
        [
            r.trainee.name if not r.trainee.erased_at else _("Personal data erased"),
            r.method.name(texts.lang),
            n(r.totals.sessions),
            n(r.totals.minutes),
            texts.hours(r.totals.hours),
        ]
        for r in report.trainees
    ]
    s = report.trainee_sum
    out = [
        b.h2(_("Method guidance of the unit's trainees")),
        b.table(
            [_("Trainee"), _("Method"), _("Sessions"), _("Minutes"), _("Hours")],
            rows,
            [0.30, 0.31, 0.13, 0.13, 0.13],
            numeric=(2, 3, 4),
            total=[_("Total"), "", n(s.sessions), n(s.minutes), texts.hours(s.hours)],
            empty_text=_("None of the unit's trainees had method guidance in the period."),
        ),
    ]
    if rows:
        g = report.guidance
        out.append(
            b.small(
                _(
                    "The rows count each trainee's sessions. The coordinator held %(sessions)s sessions (%(hours)s h) with the "
                    "unit's trainees: a session with several of them counts once.",
                    sessions=n(g.sessions),
                    hours=texts.hours(g.hours),
                )
            )
        )
    return out


def _goals(report: UnitReport, texts: Texts, include_notes: bool) -> list:
    _ = texts
    n = texts.number
    rows = []
    for r in report.goals:
        g = r.goal
        latest = (
            "–" if r.value is None else f"{texts.number(r.value, 0 if r.value == int(r.value) else 1)} ({texts.date(r.as_of)})"
        )
        rows.append(
            [
                _with_note(g.title, g.notes, include_notes),
                g.metric or (r.indicator.name(texts.lang) if r.indicator else "–"),
                n(g.target_value),
                texts.date(g.target_date),
                Paragraph(para(latest), b.CELL_NUM),
                texts.percent(r.percent),  # direction-correct: lower is better is target / value
                texts.label(GOAL_STATUS_LABELS, g.status),
            ]
        )
    return [
        b.h2(_("Goals")),
        b.table(
            [_("Goal"), _("Metric"), _("Target"), _("Target date"), _("Latest value"), _("Progress"), _("Status")],
            rows,
            [0.22, 0.16, 0.11, 0.12, 0.15, 0.11, 0.13],
            numeric=(2, 4, 5),
            plain=(3,),
            empty_text=_("No goals for this unit."),
        ),
    ]
