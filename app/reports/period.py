"""The period report: a month, quarter, year or custom range for county leadership.

Totals first, then the two charts and the month table behind them, then events by
type, attendance by role, deployments by phase, and the per-method and per-unit
tables, then the goals. Aggregates only: no person's name appears. Goal notes only
when the coordinator asks for notes.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph

from app.models.deployments import PHASES
from app.pdf import blocks as b
from app.pdf.charts import MonthFigures, events_chart, guidance_chart, month_name
from app.pdf.document import PageCounter, build_pdf, landscape_pages, register_fonts
from app.pdf.text import Texts, para
from app.queries.guidance import Totals
from app.queries.period_report import PeriodReport
from app.reports.common import (
    ATTENDANCE_ROLE_LABELS,
    EVENT_TYPE_LABELS,
    GOAL_STATUS_LABELS,
    PHASE_LABELS,
    Author,
    activity_facts,
    info,
    period_line,
    period_name,
)
from app.reports.phase_history import section as phase_history_section
from app.reports.survey_results import section as survey_section


def month_figures(report: PeriodReport) -> list[MonthFigures]:
    return [MonthFigures(m.month, m.events.planned, m.events.held, m.guidance.hours) for m in report.months]


def render(
    report: PeriodReport, author: Author, texts: Texts, generated: dt.date, include_notes: bool = False
) -> tuple[bytes, int]:
    register_fonts()  # before the first Paragraph: its style names the font
    _ = texts
    n = texts.number
    name = period_name(report.period, texts)
    title = _("Period report")
    story = b.title(title, f"{name} ({texts.period(report.period)})" if report.period.kind != "custom" else name)
    story += _totals(report, texts)

    figures = month_figures(report)
    for chart in (events_chart(figures, texts), guidance_chart(figures, texts)):
        story.append(KeepTogether([b.h3(chart.title), chart.drawing]))
    story.append(b.h2(_("By month")))
    story.append(
        b.table(
            [_("Month"), _("Planned"), _("Held"), _("Sessions"), _("Hours")],
            list(_month_rows(report, texts)),
            [0.32, 0.17, 0.17, 0.17, 0.17],
            numeric=(1, 2, 3, 4),
            total=[
                _("Total"),
                n(report.events.planned),
                n(report.events.held),
                n(report.guidance.sessions),
                texts.hours(report.guidance.hours),
            ],
            groups=[("", 1), (_("Events"), 2), (_("Method guidance"), 2)],
        )
    )

    story.append(b.h2(_("Events by type")))
    types = [(t, c) for t, c in report.events_by_type.items() if c.planned]
    story.append(
        b.table(
            [_("Type"), _("Planned"), _("Held"), _("Cancelled")],
            [[texts.label(EVENT_TYPE_LABELS, t), n(c.planned), n(c.held), n(c.cancelled)] for t, c in types],
            [0.52, 0.16, 0.16, 0.16],
            numeric=(1, 2, 3),
            total=[_("Total"), n(report.events.planned), n(report.events.held), n(report.events.cancelled)],
            empty_text=_("No events in this period."),
        )
    )

    a = report.attendance
    roles = b.table(
        [_("Role"), _("People")],
        [[texts.label(ATTENDANCE_ROLE_LABELS, role), n(getattr(a, role))] for role in ATTENDANCE_ROLE_LABELS],
        [0.7, 0.3],
        numeric=(1,),
        total=[_("Total"), n(a.total)],
        width=b.HALF_WIDTH,
    )
    phases = b.table(
        [_("Phase"), _("Deployments")],
        [[texts.label(PHASE_LABELS, p), n(report.phases.get(p, 0))] for p in PHASES],
        [0.7, 0.3],
        numeric=(1,),
        total=[_("Total"), n(sum(report.phases.values()))],
        width=b.HALF_WIDTH,
    )
    phases_note = b.small(_("Phase changes in the period: %(count)s.", count=n(report.phase_changes)))
    story.append(
        KeepTogether(
            b.side_by_side(
                [b.h3(_("Attendance at held events by role")), roles],
                [b.h3(_("Deployments by phase on %(date)s", date=texts.date(report.phases_on))), phases, phases_note],
            )
        )
    )

    if report.surveys is not None:  # follow-up survey results (issue 12)
        story += survey_section(
            texts, report.surveys, report.surveys_county, report.surveys_left_out, _("Follow-up survey results"), round_list=False
        )

    story += landscape_pages()
    story += _methods(report, texts)
    if report.phase_history is not None:  # what the phase history tells (issue 13)
        story += phase_history_section(texts, report.phase_history)
    story += _units(report, texts)
    story += _goals(report, texts, include_notes)
    story.append(b.gap(4))
    story.append(
        b.small(
            _(
                "How the figures are counted: planned events are every event of the period, whatever became of it; "
                "attendance counts held events. A guidance session counts once however many trainees were present; "
                "a unit's guidance is the sessions at which at least one of its trainees was present. Trainees guided "
                "are people present at one or more sessions in the period. Phase changes include the phase a deployment "
                "started in. Hours are rounded to one decimal."
            )
        )
    )
    counter = PageCounter()
    subject = _("Period report %(period)s", period=texts.period(report.period))
    data = build_pdf(info(texts, author, title, subject, period_line(texts, report.period), generated), texts, story, counter)
    return data, counter.pages


def _totals(report: PeriodReport, texts: Texts) -> list:
    _ = texts
    n = texts.number
    pairs = [
        *activity_facts(texts, report.events, report.attendance, report.guidance, report.trainees_guided),
        (
            _("Deployments"),
            _(
                "%(count)s on %(date)s; %(changes)s phase changes in the period",
                count=n(sum(report.phases.values())),
                date=texts.date(report.phases_on),
                changes=n(report.phase_changes),
            ),
        ),
        (_("Goals"), _goal_summary(report, texts)),
    ]
    return [b.h2(_("Totals")), b.facts(pairs, label_width=48 * mm)]


def _goal_summary(report: PeriodReport, texts: Texts) -> str:
    _ = texts
    if not report.goals:
        return _("none with a target date in the period")
    statuses = report.goal_statuses
    parts = [f"{texts.label(GOAL_STATUS_LABELS, s)} {texts.number(statuses[s])}" for s in GOAL_STATUS_LABELS if statuses[s]]
    return f"{texts.number(len(report.goals))} ({', '.join(parts)})"


def _month_rows(report: PeriodReport, texts: Texts):
    for m in report.months:
        yield [
            month_name(m.month, texts),
            texts.number(m.events.planned),
            texts.number(m.events.held),
            texts.number(m.guidance.sessions),
            texts.hours(m.guidance.hours),
        ]


def _methods(report: PeriodReport, texts: Texts) -> list:
    _ = texts
    n = texts.number
    rows = report.methods
    out = [b.h2(_("By method"))]
    total = Totals(sum(r.guidance.sessions for r in rows), sum(r.guidance.minutes for r in rows))
    out.append(
        b.table(
            [_("Method"), _("Held"), _("Planned"), _("Sessions"), _("Hours"), _("People guided"), _("Phase changes")],
            [
                [
                    r.method.name(texts.lang),
                    n(r.events.held),
                    n(r.events.planned),
                    n(r.guidance.sessions),
                    texts.hours(r.guidance.hours),
                    n(r.trainees),
                    n(r.phase_changes),
                ]
                for r in rows
            ],
            [0.3] + [0.1167] * 6,
            numeric=(1, 2, 3, 4, 5, 6),
            total=[
                _("Total"),
                "",
                "",
                n(total.sessions),
                texts.hours(total.hours),
                n(report.trainees_guided),
                n(report.phase_changes),
            ],
            empty_text=_("Nothing recorded for any method in this period."),
            wide=True,
            groups=[("", 1), (_("Events"), 2), (_("Method guidance"), 3), (_("Deployments"), 1)],
        )
    )
    out.append(
        b.small(
            _(
                "An event may name several methods, so the events columns have no total. The trainees' "
                "total counts each person once, also one guided in two methods."
            )
        )
    )
    out.append(b.h2(_("Deployments by method and phase on %(date)s", date=texts.date(report.phases_on))))
    deployed = [r for r in rows if r.deployments]
    out.append(
        b.table(
            [_("Method"), *(texts.label(PHASE_LABELS, p) for p in PHASES), _("Total")],
            [[r.method.name(texts.lang), *(n(r.phases.get(p, 0)) for p in PHASES), n(r.deployments)] for r in deployed],
            [0.31] + [0.085] * len(PHASES) + [0.095],
            numeric=range(1, len(PHASES) + 2),
            total=[_("Total"), *(n(report.phases.get(p, 0)) for p in PHASES), n(sum(report.phases.values()))],
            empty_text=_("No deployments on that day."),
            wide=True,
        )
    )
    return out


def _units(report: PeriodReport, texts: Texts) -> list:
    _ = texts
    n = texts.number
    rows = report.units
    out = [b.h2(_("By unit"))]
    out.append(
        b.table(
            [
                _("Unit"),
                _("Held"),
                _("Planned"),
                _("Professionals"),
                _("Supervisors"),
                _("Others"),
                _("Sessions"),
                _("Hours"),
                _("People guided"),
            ],
            [
                [
                    r.unit.name,
                    n(r.events.held),
                    n(r.events.planned),
                    n(r.attendance.professionals),
                    n(r.attendance.supervisors),
                    n(r.attendance.others),
                    n(r.guidance.sessions),
                    texts.hours(r.guidance.hours),
                    n(r.trainees),
                ]
                for r in rows
            ],
            [0.24] + [0.095] * 8,
            numeric=range(1, 9),
            empty_text=_("No units."),
            wide=True,
            groups=[("", 1), (_("Events"), 2), (_("People at held events"), 3), (_("Method guidance"), 3)],
        )
    )
    out.append(
        b.small(
            _(
                "Active units, and ended units with something in the period. An event may concern several units and a "
                "guidance session may have trainees from several units, so these columns have no total: the totals are above."
            )
        )
    )
    return out


def _goals(report: PeriodReport, texts: Texts, include_notes: bool) -> list:
    _ = texts
    n = texts.number
    out = [b.h2(_("Goals"))]
    out.append(
        b.small(
            _(
                "Goals whose target date is in the period, and goals without a target date. "
                "The latest value is the newest recorded progress."
            )
        )
    )
    rows = []
    for r in report.goals:
        title: Paragraph | str = r.goal.title  # b.table makes it a paragraph only if it wraps
        if include_notes and r.goal.notes:
            notes = f'<br/><font size="7.5" color="#4a5560">{para(r.goal.notes)}</font>'
            title = Paragraph(para(r.goal.title) + notes, b.CELL)
        latest = (
            "–" if r.value is None else f"{texts.number(r.value, 0 if r.value == int(r.value) else 1)} ({texts.date(r.as_of)})"
        )
        latest = Paragraph(para(latest), b.CELL_NUM)
        rows.append(
            [
                title,
                r.unit.name if r.unit else "–",
                n(r.goal.target_value),
                texts.date(r.goal.target_date),
                latest,
                texts.percent(r.percent),
                texts.label(GOAL_STATUS_LABELS, r.goal.status),
            ]
        )
    out.append(
        b.table(
            [_("Goal"), _("Unit"), _("Target"), _("Target date"), _("Latest value"), _("Progress"), _("Status")],
            rows,
            [0.30, 0.22, 0.08, 0.1, 0.12, 0.08, 0.1],
            numeric=(2, 4, 5),
            plain=(3,),
            empty_text=_("No goals with a target date in the period."),
            wide=True,
        )
    )
    return out
