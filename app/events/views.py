"""The events feature's pages (their URL rules: routes.py): the list, one event, its attendance, and the annual plan."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import MultiDict

from app.core import clock, collation
from app.core.recurrence import MAX_OCCURRENCES
from app.events import ops
from app.events.calendar import calendar_file, survey_round_items
from app.events.forms import (
    ROLES,
    EventFilterForm,
    EventForm,
    attendance_form,
    count_field_name,
    format_feedback,
)
from app.files import deliver
from app.i18n import format_date
from app.labels.events import ROLE_LABELS, remote_place
from app.labels.survey_results import DUE_LABELS, due_label_key
from app.models import Event
from app.models.events import EVENT_STATUSES, EVENT_TYPES
from app.queries import events as q
from app.queries.methods import method_choices
from app.queries.survey_schedule import rounds_between
from app.queries.units import unit_choices
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.layout import safe_next
from app.web.listing import PER_PAGE, Page, page_number, paginate
from app.web.undo import delete_with_undo
from app.web.undo import restore as restore_record

# -- the list ------------------------------------------------------------------------


def _filter_form() -> tuple[EventFilterForm, q.EventFilter]:
    s = session()
    form = EventFilterForm(request.args)
    # Ended units stay choosable here: their past events are still listed.
    form.unit.choices = [("", _("All"))] + unit_choices(s, include_ended=True)
    form.method.choices = [("", _("All"))] + method_choices(s, current_language())
    if request.args:
        form.validate()  # shows an impossible range at its field; the other filters still apply
    f = q.EventFilter(
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
        type=form.type.data if form.type.data in EVENT_TYPES else "",
        status=form.status.data if form.status.data in EVENT_STATUSES else "",
        unit_id=form.unit.data or "",
        method_id=form.method.data or "",
        q=(form.q.data or "").strip()[:200],
    )
    return form, f


def index():
    s = session()
    form, f = _filter_form()
    number = page_number()
    items, total = q.upcoming_then_past(s, f, clock.today(), (number - 1) * PER_PAGE, PER_PAGE)
    page = Page(items, number, PER_PAGE, total)
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("events/list.html", form=form, page=page, today=clock.today(), export_args=export_args)


def export_list():
    s = session()
    _form, f = _filter_form()
    events = list(s.scalars(q.chronological_stmt(f)))
    data = calendar_file(s, events, _("Koordi events"))
    back = url_for("events.index", **request.args)
    return deliver(data, "koordi_tapahtumat.ics", "text/calendar", back=back)


# -- create, edit ---------------------------------------------------------------------------


def _fill_choices(form: EventForm, unit_ids=(), method_ids=()) -> None:
    s = session()
    form.units.choices = unit_choices(s, include=list(unit_ids))
    form.methods.choices = method_choices(s, current_language(), include=list(method_ids))


def _data(form: EventForm) -> ops.EventData:
    return ops.EventData(
        type=form.type.data,
        title=form.title.data,
        theme=form.theme.data or "",
        date=form.date.data,
        start_time=form.start_time.data,
        duration_minutes=form.duration_minutes.data,
        place=form.place.data or "",
        remote=form.remote.data,
        status=form.status.data,
        unit_ids=list(form.units.data or []),
        method_ids=list(form.methods.data or []),
        feedback_avg_centi=form.feedback_centi,
        feedback_count=form.feedback_count.data,
        notes=form.notes.data or "",
    )


def new():
    form = EventForm(repeat=True)
    if request.method == "GET":
        form.type.data = request.args.get("type") if request.args.get("type") in EVENT_TYPES else None
    _fill_choices(form)

    def save(form: EventForm) -> Saved:
        created = ops.create_events(session(), _data(form), form.series_dates or None)
        message = (
            _(
                "Saved a series of %(count)s events, %(first)s–%(last)s.",
                count=len(created),
                first=format_date(created[0].date),
                last=format_date(created[-1].date),
            )
            if len(created) > 1
            else _("Event saved.")
        )
        return Saved(message, url_for("events.detail", id=created[0].id))

    return form_page(form, "events/form.html", save, event=None, max_occurrences=MAX_OCCURRENCES)


def edit(id: str):
    s = session()
    event = or_404(q.live_event(session(), id))
    current_units = [eu.unit_id for eu, _unit in q.event_units(s, event.id)]
    current_methods = [m.id for m in q.event_methods(s, event.id)]
    form = EventForm(obj=event)
    if request.method == "GET":
        form.units.data = current_units
        form.methods.data = current_methods
        form.feedback_avg.data = format_feedback(event.feedback_avg_centi)
    _fill_choices(form, current_units, current_methods)

    def save(form: EventForm) -> Saved:
        ops.update_event(s, event, _data(form))
        return Saved(_("Event saved."), url_for("events.detail", id=event.id))

    return form_page(form, "events/form.html", save, event=event)


# -- one event -----------------------------------------------------------------------------


def detail(id: str):
    s = session()
    event = or_404(q.live_event(session(), id))
    units = q.event_units(s, event.id)
    methods = q.event_methods(s, event.id)
    series = q.series_events(s, event.series_id) if event.series_id else []
    following = len(ops.following_in_series(s, event)) if event.series_id else 1
    lang = current_language()
    return render_template(
        "events/detail.html",
        event=event,
        units=units,
        methods=sorted((m.name(lang) for m in methods), key=collation.key),
        series=series,
        following=following,
        roles=ROLES,
        role_labels=ROLE_LABELS,
        remote_place=remote_place,
    )


def attendance(id: str):
    s = session()
    event = or_404(q.live_event(session(), id))
    units = q.event_units(s, event.id)
    pairs = [(unit.id, unit.name) for _eu, unit in units]
    if request.method == "POST":
        form = attendance_form(pairs, formdata=request.form)
    else:
        initial: MultiDict[str, str] = MultiDict()
        for eu, unit in units:
            for role in ROLES:
                value = getattr(eu, role)
                if value is not None:
                    initial[count_field_name(unit.id, role)] = str(value)
        initial["feedback_avg"] = format_feedback(event.feedback_avg_centi)
        if event.feedback_count is not None:
            initial["feedback_count"] = str(event.feedback_count)
        form = attendance_form(pairs, formdata=initial)
    if request.method == "POST" and form.validate():
        counts = {
            unit_id: ops.Counts(*(form[count_field_name(unit_id, role)].data for role in ROLES)) for unit_id, _name in pairs
        }
        ops.record_attendance(s, event, counts, form.feedback_centi, form.feedback_count.data)
        flash(_("Marked held, with attendance and feedback."), "success")
        return redirect(url_for("events.detail", id=event.id))
    rows = [(unit, [form[count_field_name(unit.id, role)] for role in ROLES]) for _eu, unit in units]
    status = 422 if request.method == "POST" else 200
    return render_template("events/attendance.html", form=form, event=event, rows=rows, role_labels=ROLE_LABELS), status


def set_status(id: str, status: str):
    """One press from the dashboard: a past event that still says planned was held (or, from
    the message's Undo, planned after all). Attendance can be added later from the event."""
    if status not in ("held", "planned"):
        abort(404)
    s = session()
    event = or_404(q.live_event(s, id))
    before = ops.set_status(s, event, status)
    back = safe_next(request.form.get("next"), "dashboard.index")
    if status == "held":
        undo_url = url_for("events.set_status", id=event.id, status=before)
        flash(_("“%(title)s” marked held. Add its attendance from the event.", title=event.title), f"undo:{undo_url}")
    else:
        flash(_("“%(title)s” is planned again.", title=event.title), "success")
    return redirect(back)


def delete(id: str):
    s = session()
    event = or_404(q.live_event(session(), id))
    if request.form.get("scope") == "following" and event.series_id:
        batch = ops.delete_following(s, event)
        flash(
            ngettext("Deleted %(num)d event of the series.", "Deleted %(num)d events of the series.", len(batch)),
            f"undo:{url_for('events.restore', id=event.id, scope='following')}",
        )
    else:
        delete_with_undo(s, event, _("Event “%(title)s” deleted.", title=event.title), url_for("events.restore", id=event.id))
    return redirect(url_for("events.index"))


def restore(id: str):
    s = session()
    event = or_404(s.get(Event, id))
    if request.args.get("scope") == "following":
        batch = ops.restore_following(s, event)
        flash(ngettext("Restored %(num)d event.", "Restored %(num)d events.", len(batch)), "success")
    else:
        restore_record(s, event)
        flash(_("Event “%(title)s” restored.", title=event.title), "success")
    return redirect(url_for("events.detail", id=event.id))


# -- the annual plan (vuosikello) ----------------------------------------------------------


def _year_arg(default: int) -> int:
    try:
        year = int(request.args.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _year_choices(s, year: int) -> list[int]:
    this = clock.today().year
    years = set(q.years_with_events(s)) | {this - 1, this, this + 1, year}
    return sorted(y for y in years if 2000 <= y <= 2100)


def plan():
    s = session()
    year = _year_arg(clock.today().year)
    plan = q.annual_plan(s, year)
    return render_template(
        "events/plan.html",
        plan=plan,
        # The plan's month totals ("planned": every event of the month) are the calendar's counts.
        calendar=q.year_calendar(s, year, totals={m: count.planned for m, count in plan.months.items()}),
        rounds=_rounds_by_month(s, year),
        year=year,
        years=_year_choices(s, year),
        month_names=month_names(),
        wide_month_names=month_names(wide=True),
    )


def _rounds_by_month(s, year: int) -> dict[int, list[tuple[dt.date, str, str]]]:
    """The follow-up survey rounds still to do in `year`, by the month they are due (as in the
    year's calendar file): (due day, what, where)."""
    lang = current_language()
    by_month: dict[int, list[tuple[dt.date, str, str]]] = {}
    words: dict[str, str] = {}  # each round kind's words translated once, not per round (a year has hundreds)
    for r in rounds_between(s, dt.date(year, 1, 1), dt.date(year, 12, 31), clock.today()):
        where = f"{r.deployment.unit.name}, {r.deployment.method.name(lang)}"
        kind = due_label_key(r.key)
        what = words.get(kind)
        if what is None:
            what = words[kind] = str(DUE_LABELS[kind])
        by_month.setdefault(r.due.due.month, []).append((r.due.due, what, where))
    return by_month


def plan_month(year: int, month: int):
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        abort(404)
    s = session()
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    page = paginate(s, q.between_stmt(start, end))
    prev_month = (start - dt.timedelta(days=1)).replace(day=1)
    next_month = end + dt.timedelta(days=1)
    return render_template(
        "events/month.html",
        page=page,
        year=year,
        month=month,
        month_name=month_names(wide=True)[month],
        prev_month=prev_month if prev_month.year >= 2000 else None,
        next_month=next_month if next_month.year <= 2100 else None,
        counts=q.held_planned_by_month(s, year)[month],
    )


def export_year(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    s = session()
    events = q.events_between(s, dt.date(year, 1, 1), dt.date(year, 12, 31))
    surveys = survey_round_items(s, year, clock.today())  # due follow-up survey rounds (issue 12)
    data = calendar_file(s, events, _("Koordi annual plan %(year)s", year=year), surveys)
    return deliver(data, f"koordi_vuosikello_{year}.ics", "text/calendar", back=url_for("events.plan", year=year))


def month_names(wide: bool = False) -> dict[int, str]:
    from babel.dates import get_month_names

    from app.i18n import FORMAT_LOCALES

    names = get_month_names("wide" if wide else "abbreviated", "stand-alone", FORMAT_LOCALES[current_language()])
    return {m: str(names[m]) for m in range(1, 13)}
