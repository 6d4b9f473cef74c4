"""What every document shares beyond the page: who made it, how a period is named,
the labels of the features' enums, and the finished file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.core.periods import Period
from app.core.text import slug
from app.labels.deployments import PHASE_LABELS
from app.labels.events import ROLE_LABELS as ATTENDANCE_ROLE_LABELS
from app.labels.events import STATUS_LABELS as EVENT_STATUS_LABELS
from app.labels.events import TYPE_LABELS as EVENT_TYPE_LABELS
from app.labels.goals import STATUS_LABELS as GOAL_STATUS_LABELS
from app.labels.guidance import KIND_LABELS, MODE_LABELS
from app.labels.units import AGE_GROUP_LABELS, SERVICE_LINE_LABELS
from app.models import current_profile
from app.pdf.parts import Author, Rendered, info
from app.pdf.text import Texts

__all__ = [
    "Author",
    "Rendered",
    "author_of",
    "period_name",
    "info",
    "period_line",
    "file_slug",
    "PHASE_LABELS",
    "ATTENDANCE_ROLE_LABELS",
    "EVENT_STATUS_LABELS",
    "EVENT_TYPE_LABELS",
    "GOAL_STATUS_LABELS",
    "KIND_LABELS",
    "MODE_LABELS",
    "AGE_GROUP_LABELS",
    "SERVICE_LINE_LABELS",
    "SIGNIN_ROWS_MAX",
]

# Here, not in build.py, so the reports' forms (loaded at start-up) do not load reportlab.
SIGNIN_ROWS_MAX = 200  # ten pages of rows: a big seminar


def author_of(s: Session) -> Author:
    profile = current_profile(s)
    return Author(profile.name, profile.role, profile.county) if profile else Author()


def period_name(period: Period, texts: Texts) -> str:
    """ "Vuosi 2026", "3. vuosineljännes 2026", "joulukuu 2026", or the dates of a custom range."""
    _ = texts
    if period.kind == "year":
        return _("Year %(year)s", year=period.start.year)
    if period.kind == "quarter":
        return _("Quarter %(number)s/%(year)s", number=(period.start.month + 2) // 3, year=period.start.year)
    if period.kind == "month":
        from babel.dates import get_month_names

        from app.i18n import FORMAT_LOCALES

        names = get_month_names("wide", "stand-alone", FORMAT_LOCALES[texts.lang])
        return f"{names[period.start.month]} {period.start.year}".capitalize()
    return texts.period(period)


def activity_facts(texts: Texts, events, attendance, guidance, trainees_guided: int) -> list[tuple[str, str]]:
    """The four lines both the period report and the unit summary open with, worded once:
    events held of planned, people at held events by role, guidance sessions and hours, trainees."""
    _ = texts
    n = texts.number
    return [
        (
            _("Events held"),
            _(
                "%(held)s of %(planned)s planned (%(cancelled)s cancelled)",
                held=n(events.held),
                planned=n(events.planned),
                cancelled=n(events.cancelled),
            ),
        ),
        (
            _("People at held events"),
            _(
                "%(total)s (professionals %(professionals)s, supervisors %(supervisors)s, others %(others)s)",
                total=n(attendance.total),
                professionals=n(attendance.professionals),
                supervisors=n(attendance.supervisors),
                others=n(attendance.others),
            ),
        ),
        (
            _("Method guidance"),
            _("%(sessions)s sessions, %(hours)s h", sessions=n(guidance.sessions), hours=texts.hours(guidance.hours)),
        ),
        (_("Trainees guided"), n(trainees_guided)),
    ]


def period_line(texts: Texts, period: Period) -> str:
    _ = texts
    return _("Period %(period)s", period=texts.period(period))


file_slug = slug  # one slugifier: app.core.text.slug
