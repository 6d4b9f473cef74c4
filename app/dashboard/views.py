"""The coordinator's front page: this week and next, units without contact, guidance hours,
deployments by phase, goals due."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l

from app.core import clock
from app.core.geography import COUNTY_BY_KEY
from app.labels import label
from app.labels.deployments import PHASE_LABELS
from app.labels.events import STATUS_LABELS as EVENT_STATUS_LABELS
from app.labels.events import TYPE_LABELS as EVENT_TYPE_LABELS
from app.labels.goals import STATUS_LABELS as GOAL_STATUS_LABELS
from app.models import read_setting
from app.queries import dashboard as q
from app.queries import indicators as iq
from app.queries.deployments import count_by_phase
from app.queries.goals import DUE_WINDOW_DAYS, count_goals_due, goals_due, indicator_goals_behind
from app.queries.guidance import Totals, minutes_between
from app.queries.indicators import last_month
from app.queries.survey_cache import Memo, memo
from app.sync.history import HistoryEntry, last_central
from app.web.db import session
from app.web.i18n import current_language
from app.web.layout import page_profile, register_nav

if TYPE_CHECKING:
    from app.sync.pending import Pending

bp = Blueprint("dashboard", __name__, template_folder="templates")

EVENTS_PER_WEEK = 15  # a busier week links to the events list for the rest
GOALS_SHOWN = 15  # more goals due link to the goals list, filtered the same way
INDICATOR_ROWS = 6  # indicator goals behind, and indicators not yet reported: a glance, the rest a click away


@bp.record_once
def _nav(state):
    register_nav(state.app, "dashboard.index", _l("Dashboard"), 0)


def _weeks(s, today: dt.date) -> tuple[list[dict], dict]:
    """This week and next: each week's first events and how many more (counted, not loaded)."""
    this_monday, _sunday = q.week_of(today)
    found, event_units = q.weeks_with_units(s, this_monday, EVENTS_PER_WEEK)  # one statement, kept (issue 17)
    weeks = []
    for (offset, title), week in zip(((0, _l("This week")), (7, _l("Next week"))), found, strict=True):
        monday = this_monday + dt.timedelta(days=offset)
        sunday = monday + dt.timedelta(days=6)
        weeks.append(
            {
                "title": title,
                "id": f"week-{monday.isoformat()}",
                "monday": monday,
                "sunday": sunday,
                "number": monday.isocalendar().week,
                "events": week.events,
                "more": week.total - len(week.events),
            }
        )
    return weeks, event_units


def _pending(s, kept: Memo, last_send: HistoryEntry) -> Pending:
    """What the next send holds: it depends on the data and where it starts (the last send;
    a full one when the clock shows a time before it), not on the hour."""
    # Imported here: the export's selection (app.sync.export, the file format) is only counted
    # once something was sent, and a start before the first send need not load it (issue 17).
    from app.sync.pending import pending_export

    now = clock.now_utc()
    return kept.kept(("pending", last_send.at, now < last_send.at), lambda: pending_export(s, now=now))


@bp.get("/")
def index():
    s = session()
    profile = page_profile()
    county = COUNTY_BY_KEY[profile.county].name(current_language()) if profile else ""
    today = clock.today()
    weeks, event_units = _weeks(s, today)
    month_start, month_end = q.month_of(today)
    year_start, year_end = q.year_of(today)
    weeks_setting = q.no_contact_weeks(read_setting(s, q.NO_CONTACT_WEEKS_KEY))
    kept = memo(s, whole=True)  # figures kept until the data next changes (app.queries.survey_cache)

    def goal_cards():
        known: dict = {}  # indicator goals' current values, read once for both cards
        due = goals_due(s, today, limit=GOALS_SHOWN, known=known)
        behind, behind_total = indicator_goals_behind(s, INDICATOR_ROWS, known)
        return due, behind, behind_total, count_goals_due(s, today) if len(due) == GOALS_SHOWN else len(due)

    # Kept too (issue 17: 3 ms of every visit): rows of goals, units, methods and indicators loaded
    # in full (no relationship left to load), only read after their session has closed.
    goals, behind, behind_total, goals_total = kept.kept(("goal cards", today), goal_cards)
    report_month = last_month(today)
    unreported, unreported_counts = iq.unreported(s, report_month)
    last_send = last_central(s)
    month_minutes = kept.kept(("minutes", month_start, month_end), lambda: minutes_between(s, month_start, month_end))
    year_minutes = kept.kept(("minutes", year_start, year_end), lambda: minutes_between(s, year_start, year_end))
    return render_template(
        "dashboard/index.html",
        profile=profile,
        first_steps=q.first_steps(s),
        past_planned=q.past_planned_events(s, today),
        last_send=last_send,
        # Counted only after a first send: before it, the first send holds everything anyway.
        pending=_pending(s, kept, last_send) if last_send is not None else None,
        county=county,
        today=today,
        weeks=weeks,
        event_units=event_units,
        no_contact=q.units_without_contact(s, today, weeks_setting),
        month_hours=Totals(minutes=month_minutes).hours,
        year_hours=Totals(minutes=year_minutes).hours,
        phases=kept.kept(("phases",), lambda: count_by_phase(s)),
        goals=goals,
        # Indicators (issue 13): goals behind, and last month's figures not yet in.
        behind=behind,
        behind_total=behind_total,
        report_month=report_month,
        report_month_key=f"{report_month.year:04d}-{report_month.month:02d}",
        unreported=unreported[:INDICATOR_ROWS],
        unreported_counts=unreported_counts,
        goals_total=goals_total,
        due_by=today + dt.timedelta(days=DUE_WINDOW_DAYS),
        due_days=DUE_WINDOW_DAYS,
        label=label,
        # Each label translated once per page, not once per row (issue 17: the weeks show 30 events).
        labels={
            name: {value: str(words) for value, words in labels.items()}
            for name, labels in (
                ("event_type", EVENT_TYPE_LABELS),
                ("event_status", EVENT_STATUS_LABELS),
                ("phase", PHASE_LABELS),
                ("goal_status", GOAL_STATUS_LABELS),
            )
        },
    )
