"""Trainees (kouluttautujat): list, page with totals, create, edit, delete/undo, erase person."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock
from app.guidance import ops, reads
from app.guidance.forms import TraineeForm, as_choices
from app.models import Trainee, Unit
from app.queries.guidance import Totals, trainee_totals
from app.queries.methods import method_choices
from app.queries.survey_cache import memo
from app.queries.units import unit_choices
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def _totals(s, trainee_ids: list[str]) -> dict[str, Totals]:
    """The page's trainees' totals, kept until the data next changes (app.queries.survey_cache):
    reading 50 trainees' thousands of attendances is a third of the page's SQL."""
    return memo(s, whole=True).kept(("trainee_totals", tuple(trainee_ids)), lambda: trainee_totals(s, trainee_ids))


def trainees():
    s = session()
    lang = current_language()
    status = request.args.get("status", "")
    criteria = reads.TraineeFilter(
        q=request.args.get("q", "").strip()[: reads.MAX_QUERY],
        method=request.args.get("method", ""),
        unit=request.args.get("unit", ""),
        cohort=request.args.get("cohort", ""),
        status=status if status in reads.TRAINEE_STATUSES else "",
    )
    page = paginate(s, reads.trainee_list_stmt(criteria, clock.today()), scalars=False)
    return render_template(
        "guidance/trainees.html",
        page=page,
        criteria=criteria,
        filtered=any((criteria.q, criteria.method, criteria.unit, criteria.cohort, criteria.status)),
        totals=_totals(s, [row.Trainee.id for row in page.items]),
        methods=reads.methods_by_id(s),
        method_options=method_choices(s, lang, include=criteria.method or None),
        unit_options=unit_choices(s, include=criteria.unit or None),
        cohort_options=reads.cohorts(s),
    )


def trainee(id: str):
    s = session()
    person = or_404(reads.live_trainee(s, id))
    page = paginate(s, reads.trainee_sessions_stmt(person.id))
    unit = s.get(Unit, person.unit_id) if person.unit_id else None
    return render_template(
        "guidance/trainee.html",
        trainee=person,
        unit=unit,
        totals=trainee_totals(s, [person.id]).get(person.id, Totals()),
        page=page,
        methods=reads.methods_by_id(s),
    )


def _trainee_form(person: Trainee | None) -> TraineeForm:
    s = session()
    form = TraineeForm(obj=person)
    form.method_id.choices = as_choices(method_choices(s, current_language(), include=person.method_id if person else None))
    form.unit_id.choices = as_choices([("", _("No unit"))] + unit_choices(s, include=person.unit_id if person else None))
    if person is None and request.method == "GET" and request.args.get("method"):
        form.method_id.data = request.args["method"]
    if person is not None and person.erased_at is not None:
        # The person's data was erased: there is no name or email to edit, ever again.
        del form.name
        del form.email
    return form


def _trainee_data(form: TraineeForm) -> ops.TraineeData:
    return ops.TraineeData(
        name=form.name.data if "name" in form else "",
        email=(form.email.data or "") if "email" in form else "",
        method_id=form.method_id.data,
        profession=form.profession.data or "",
        unit_id=form.unit_id.data or None,
        cohort=form.cohort.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
    )


def new_trainee():
    def save(form: TraineeForm) -> Saved:
        person = ops.save_trainee(session(), _trainee_data(form))
        if request.form.get("another"):  # "Save and add another": the same method again
            return Saved(_("Trainee saved."), url_for("guidance.new_trainee", method=person.method_id))
        return Saved(_("Trainee saved."), url_for("guidance.trainee", id=person.id))

    return form_page(_trainee_form(None), "guidance/trainee_form.html", save, trainee=None)


def edit_trainee(id: str):
    person = or_404(reads.live_trainee(session(), id))

    def save(form: TraineeForm) -> Saved:
        ops.save_trainee(session(), _trainee_data(form), person)
        return Saved(_("Trainee saved."), url_for("guidance.trainee", id=person.id))

    return form_page(_trainee_form(person), "guidance/trainee_form.html", save, trainee=person)


def delete_trainee(id: str):
    s = session()
    person = or_404(reads.live_trainee(s, id))
    delete_with_undo(s, person, _("Trainee deleted."), url_for("guidance.restore_trainee", id=person.id))
    return redirect(url_for("guidance.trainees"))


def restore_trainee(id: str):
    return restore_view(session(), Trainee, id, lambda t: _("Trainee restored."), lambda t: url_for("guidance.trainee", id=t.id))


def erase_trainee(id: str):
    """Right to erasure, with a confirm step: the GET asks, the POST erases."""
    s = session()
    person = or_404(reads.live_trainee(s, id))
    if request.method == "POST":
        ops.erase_trainee(s, person)
        flash(_("The trainee's name and email were erased. Attendance and totals are kept."), "success")
        return redirect(url_for("guidance.trainee", id=person.id))
    return render_template("guidance/erase.html", trainee=person)
