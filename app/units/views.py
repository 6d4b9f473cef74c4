"""Units: list, page (everything that touches the unit), create, edit, delete/undo, erase supervisor."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock
from app.labels.phase_metrics import words as phase_metrics_words
from app.models import Unit
from app.queries import deletion, duplicates
from app.queries import phase_metrics as phase_metrics_q
from app.queries import units as q
from app.units import ops
from app.units.forms import UnitFilterForm, UnitForm
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def _data(form: UnitForm) -> ops.UnitData:
    return ops.UnitData(
        name=form.name.data,
        service_line=form.service_line.data,
        age_group=form.age_group.data,
        municipality=form.municipality.data,
        supervisor_name=form.supervisor_name.data,
        supervisor_email=form.supervisor_email.data,
        professionals=form.professionals.data,
        active=form.status.data == "active",
        notes=form.notes.data,
    )


def index():
    filters = UnitFilterForm(request.args)
    filters.validate()  # unknown choices are ignored below, never an error page
    valid = {name: getattr(filters, name).data if not getattr(filters, name).errors else "" for name in filters._fields}
    criteria = q.UnitFilter(
        q=(valid["q"] or "").strip(),
        service_line=valid["service_line"] or "",
        age_group=valid["age_group"] or "",
        status=valid["status"] or "",
    )
    s = session()
    page = paginate(s, q.unit_list_stmt(s, criteria))
    filtered = any(getattr(criteria, f) for f in ("q", "service_line", "age_group", "status"))
    return render_template("units/list.html", page=page, filters=filters, filtered=filtered)


def new():
    def save(form: UnitForm) -> Saved | None:
        if _named_twice(form):
            return None
        unit = ops.create_unit(session(), _data(form))
        return Saved(_("Unit %(name)s added.", name=unit.name), url_for("units.detail", id=unit.id))

    return form_page(UnitForm(), "units/form.html", save, unit=None)


def detail(id: str):
    unit = or_404(q.live_unit(session(), id))
    s = session()
    today = clock.today()
    recent, upcoming = q.unit_events(s, unit.id, today)
    trainees = q.trainee_guidance_totals(s, unit.id)
    return render_template(
        "units/detail.html",
        unit=unit,
        deployments=q.unit_deployments(s, unit.id),
        recent_events=recent,
        upcoming_events=upcoming,
        trainees=trainees,
        trainee_sum=q.sum_totals(trainees),
        goals=q.unit_goals(s, unit.id),
        # Phase history (issue 13): days in each phase, stalled deployments.
        phase_days=phase_metrics_q.unit_days(s, unit.id, today),
        stall_months=phase_metrics_q.stall_months(s),
        pm=phase_metrics_words(),
    )


def edit(id: str):
    unit = or_404(q.live_unit(session(), id))

    def save(form: UnitForm) -> Saved | None:
        if _named_twice(form, unit.id):
            return None
        ops.update_unit(session(), unit, _data(form))
        return Saved(_("Unit %(name)s saved.", name=unit.name), url_for("units.detail", id=unit.id))

    form = UnitForm(obj=unit, status="active" if unit.active else "ended")
    return form_page(form, "units/form.html", save, unit=unit)


def _named_twice(form: UnitForm, exclude: str | None = None) -> bool:
    """A live unit of the same name (case and spacing aside) asks "Save anyway" first."""
    twin = duplicates.unit_named(session(), form.name.data, exclude)
    return twin is not None and form.confirm_first(
        form.name,
        "duplicate",
        _("A unit named %(name)s is already saved. Is this another unit?", name=twin.name),
        url_for("units.detail", id=twin.id),
        _("Open the saved unit"),
    )


def delete(id: str):
    """The GET says what goes with the unit and what stays; the POST deletes (with Undo)."""
    s = session()
    unit = or_404(q.live_unit(s, id))
    if request.method == "GET":
        return render_template("units/delete.html", unit=unit, links=deletion.unit_links(s, unit.id))
    delete_with_undo(s, unit, _("Unit %(name)s deleted.", name=unit.name), url_for("units.restore_unit", id=unit.id))
    return redirect(url_for("units.index"))


def restore_unit(id: str):
    return restore_view(
        session(),
        Unit,
        id,
        lambda unit: _("Unit %(name)s restored.", name=unit.name),
        lambda unit: url_for("units.detail", id=unit.id),
    )


def erase_supervisor(id: str):
    """Right to erasure, with a confirm step: the GET asks, the POST erases."""
    unit = or_404(q.live_unit(session(), id))
    if request.method == "POST":
        ops.erase_supervisor(session(), unit)
        flash(_("The supervisor's personal data was erased from %(name)s.", name=unit.name), "success")
        return redirect(url_for("units.detail", id=unit.id))
    return render_template("units/erase_supervisor.html", unit=unit)
