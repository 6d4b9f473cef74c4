"""Guidance sessions: list, detail, the fast entry form, edit, delete/undo; totals per method."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock, collation
from app.guidance import ops, reads, trainee_adder
from app.guidance.forms import SessionForm, as_choices
from app.guidance.views import date_arg
from app.i18n import format_date
from app.models import GuidanceSession
from app.models.guidance import SESSION_KINDS
from app.queries import duplicates
from app.queries.guidance import Totals, method_totals
from app.queries.methods import method_choices
from app.web.db import or_404, session
from app.web.i18n import current_language
from app.web.listing import PER_PAGE, Page, page_number
from app.web.undo import delete_with_undo, restore_view

# Query-string keys of the form's no-JS "Show the method's trainees" button that must not stay in the URL.
_REFRESH_NOISE = ("csrf_token", "show", trainee_adder.TICK_COHORT)
FORM_FIELDS = {"date", "method", "kind", "trainees", "duration_minutes", "mode", "cases_discussed", "topics", "notes"}


def sessions():
    s = session()
    kind = request.args.get("kind", "")
    criteria = reads.SessionFilter(
        start=date_arg("start"),
        end=date_arg("end"),
        method=request.args.get("method", ""),
        kind=kind if kind in SESSION_KINDS else "",
    )
    stmt = reads.session_list_stmt(criteria)
    # One pass over the matching rows gives both the pager's count and the hours shown above the list.
    shown = reads.session_list_totals(s, criteria)
    number = min(page_number(), max(1, math.ceil(shown.sessions / PER_PAGE)))
    page = Page(list(s.scalars(stmt.limit(PER_PAGE).offset((number - 1) * PER_PAGE))), number, PER_PAGE, shown.sessions)
    return render_template(
        "guidance/sessions.html",
        page=page,
        criteria=criteria,
        filtered=any((criteria.start, criteria.end, criteria.method, criteria.kind)),
        shown=shown,
        present=reads.present_counts(s, [r.id for r in page.items]),
        methods=reads.methods_by_id(s),
        method_options=method_choices(s, current_language(), include=criteria.method or None),
    )


def session_detail(id: str):
    s = session()
    record = or_404(reads.live_session(s, id))
    return render_template(
        "guidance/session.html",
        record=record,
        method=reads.methods_by_id(s).get(record.method_id),
        trainees=reads.present_trainees(s, record.id),
    )


def new_session():
    return _session_form_page(None)


def edit_session(id: str):
    return _session_form_page(or_404(reads.live_session(session(), id)))


def _session_form_page(record: GuidanceSession | None):
    s = session()
    day = clock.today()
    if request.method == "GET" and any(k in request.args for k in _REFRESH_NOISE):
        # The no-JS method switch submitted the whole form by GET: drop the token from the URL.
        args: dict[str, Any] = {k: request.args.getlist(k) for k in request.args if k not in _REFRESH_NOISE}
        if request.args.get(trainee_adder.TICK_COHORT):  # no-JS "Tick the whole group": tick them in the URL
            cohort = trainee_adder.cohort_ids(
                s, request.args.get("method", ""), request.args[trainee_adder.TICK_COHORT], day, record.id if record else None
            )
            args["trainees"] = list(dict.fromkeys(request.args.getlist("trainees") + cohort))
        assert request.endpoint is not None and request.view_args is not None  # a request that was routed
        return redirect(url_for(request.endpoint, **request.view_args, **args))
    present = {t.id for t in reads.present_trainees(s, record.id)} if record else set()
    choices = method_choices(s, current_language(), include=record.method_id if record else None)
    allowed = [value for value, _label in choices]

    saved: GuidanceSession | None  # the session just saved, or the one named by ?saved= (new after new)
    adder, added = trainee_adder.make_form(s), None  # the "Add a trainee" fieldset, and whom it added
    if request.method == "POST":
        form = SessionForm(db=s, present=present)
        form.method.choices = as_choices(choices)
        if trainee_adder.pressed():  # "Add trainee": the trainee is saved, the session is not
            added = trainee_adder.add(s, adder, form.method.data, allowed, day)
        elif trainee_adder.refuse_unadded(adder):
            pass
        elif form.validate_on_submit() and not _asked_about_twin(s, form, record):
            saved = ops.save_session(s, _session_data(form), record)
            flash(_("Saved."), "success")
            if record is not None:
                return redirect(url_for("guidance.session_detail", id=saved.id))
            return redirect(url_for("guidance.new_session", saved=saved.id))
        method_id = form.method.data if form.method.data in allowed else None
        ticked, fallback = list(form.trainees.data or []) + ([added.id] if added else []), []
        status = 200 if added else 422
    else:
        form, ticked, fallback = _get_form(s, record, present, allowed, day)
        form.method.choices = as_choices(choices)
        method_id = form.method.data
        status = 200

    offered = reads.offered_trainees(s, method_id, day, record.id if record else None)
    offered_ids = {t.id for t in offered}
    if status == 200 and not any(i in offered_ids for i in ticked):
        ticked = fallback
    adding = trainee_adder.context(adder, added, offered)
    if trainee_adder.pressed() and trainee_adder.wants_json():
        return trainee_adder.json_reply(adding, offered, [i for i in ticked if i in offered_ids], method_id)
    saved = reads.live_session(s, request.args.get("saved", "")) if not record and request.args.get("saved") else None
    return render_template(
        "guidance/session_form.html",
        form=form,
        record=record,
        offered=offered,
        ticked=[i for i in ticked if i in offered_ids],
        saved=saved,
        methods=reads.methods_by_id(s),
        **adding,
    ), status


def _asked_about_twin(s, form: SessionForm, record: GuidanceSession | None) -> bool:
    """The same day, method and trainees as a saved session: "Save anyway" first."""
    twin = duplicates.same_session(
        s, form.date.data, form.method.data, list(form.trainees.data or []), record.id if record else None
    )
    return twin is not None and form.confirm_first(
        form.date,
        "duplicate",
        _("A session of this day and method with these same trainees is already saved. Is this another session?"),
        url_for("guidance.session_detail", id=twin.id),
        _("Open the saved session"),
    )


def _get_form(s, record, present, allowed, day):
    """The form a GET shows: the record's values or the next session's defaults, then any
    values the query string carries (the method switch keeps what was typed).

    Returns (form, ticked, fallback): who to tick, and who to tick instead when none of
    them is offered for the form's method (the method changed).
    """
    if record is not None:
        data = {
            "date": record.date,
            "method": record.method_id,
            "kind": record.kind,
            "mode": record.mode,
            "duration_minutes": record.duration_minutes,
            "cases_discussed": record.cases_discussed,
            "topics": record.topics,
            "notes": record.notes,
        }
        fallback = sorted(present) if request.args.get("method", record.method_id) == record.method_id else []
    else:
        defaults = reads.session_defaults(s, day, allowed, method_id=request.args.get("method"), kind=request.args.get("kind"))
        data = {
            # Right after a save the date is left empty: the form would otherwise hold the
            # session just saved, and Enter would save it again.
            "date": None if request.args.get("saved") else defaults.date,
            "method": defaults.method_id,
            "kind": defaults.kind,
            "mode": defaults.mode,
            "duration_minutes": defaults.duration_minutes,
            "cases_discussed": 0,
        }
        fallback = defaults.trainee_ids
    carried = any(k in FORM_FIELDS for k in request.args)
    form = SessionForm(formdata=request.args if carried else None, data=data, db=s, present=present)
    if form.method.data not in allowed:
        form.method.data = data["method"] if data["method"] in allowed else (allowed[0] if allowed else None)
    ticked = request.args.getlist("trainees") if "trainees" in request.args else fallback
    return form, ticked, fallback


def _session_data(form: SessionForm) -> ops.SessionData:
    return ops.SessionData(
        date=form.date.data,
        method_id=form.method.data,
        kind=form.kind.data,
        mode=form.mode.data,
        duration_minutes=form.duration_minutes.data,
        cases_discussed=form.cases_discussed.data or 0,
        topics=form.topics.data or "",
        notes=form.notes.data or "",
        trainee_ids=list(form.trainees.data or []),
    )


def trainee_options():
    """The trainee checkboxes for another method: guidance.js swaps them in without a reload."""
    s = session()
    day = clock.today()
    method_id = request.args.get("method", "")
    record = reads.live_session(s, request.args.get("session", "")) if request.args.get("session") else None
    offered = reads.offered_trainees(s, method_id or None, day, record.id if record else None)
    if record is not None and record.method_id == method_id:
        ticked = [t.id for t in reads.present_trainees(s, record.id)]
    elif record is None and request.args.get("kind", "group") == "group" and method_id:
        ticked = reads.last_group_attendance(s, method_id, day)
    else:
        ticked = []
    return render_template("guidance/_trainee_options.html", offered=offered, ticked=ticked, method_id=method_id)


def delete_session(id: str):
    s = session()
    record = or_404(reads.live_session(s, id))
    message = _("Guidance session of %(date)s deleted.", date=format_date(record.date))
    delete_with_undo(s, record, message, url_for("guidance.restore_session", id=record.id))
    return redirect(url_for("guidance.sessions"))


def restore_session(id: str):
    return restore_view(
        session(),
        GuidanceSession,
        id,
        lambda record: _("Guidance session of %(date)s restored.", date=format_date(record.date)),
        lambda record: url_for("guidance.session_detail", id=record.id),
    )


def totals():
    s = session()
    if "start" in request.args or "end" in request.args:
        start, end = date_arg("start"), date_arg("end")  # both empty: all time
    else:
        # This year by default: what a coordinator reports on, and a date-index range
        # instead of a pass over every session ever logged.
        year = clock.today().year
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    by_method = method_totals(s, start, end)
    methods = reads.methods_by_id(s)
    lang = current_language()
    rows = sorted(
        ((methods[mid], t) for mid, t in by_method.items() if mid in methods),
        key=lambda row: collation.key(row[0].name(lang)),
    )
    overall = Totals(sum(t.sessions for t in by_method.values()), sum(t.minutes for t in by_method.values()))
    return render_template("guidance/totals.html", rows=rows, overall=overall, start=start, end=end)
