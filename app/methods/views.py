"""The method catalogue: list, page, create, edit, retire / un-retire, delete/undo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock
from app.labels.phase_metrics import words as phase_metrics_words
from app.methods import ops
from app.methods.forms import MethodFilterForm, MethodForm
from app.models import Method
from app.queries import methods as q
from app.queries import phase_metrics as phase_metrics_q
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def _data(form: MethodForm) -> ops.MethodData:
    return ops.MethodData(
        name_fi=form.name_fi.data,
        name_sv=form.name_sv.data,
        name_en=form.name_en.data,
        target_group=form.target_group.data,
        description=form.description.data,
    )


def index():
    filters = MethodFilterForm(request.args)
    filters.validate()
    group = filters.target_group.data if not filters.target_group.errors else ""
    show_retired = bool(filters.retired.data)
    page = paginate(session(), q.method_list_stmt(current_language(), group or "", show_retired))
    return render_template("methods/list.html", page=page, filters=filters, filtered=bool(group) or show_retired)


def new():
    def save(form: MethodForm) -> Saved:
        method = ops.create_method(session(), _data(form))
        return Saved(_("Method %(name)s added.", name=method.name(current_language())), url_for("methods.detail", id=method.id))

    return form_page(MethodForm(), "methods/form.html", save, method=None)


def detail(id: str):
    method = or_404(q.live_method(session(), id))
    s = session()
    by_phase = q.method_deployments_by_phase(s, method.id)
    return render_template(
        "methods/detail.html",
        method=method,
        by_phase=by_phase,
        deployment_total=sum(len(deployments) for _phase, deployments in by_phase),
        counts=q.method_counts(s, method.id),
        # Phase history (issue 13)
        phase_metrics=phase_metrics_q.method_summary(s, method.id, clock.today()),
        stall_months=phase_metrics_q.stall_months(s),
        deployments_by_id={d.id: d for _phase, deployments in by_phase for d in deployments},
        pm=phase_metrics_words(),
    )


def edit(id: str):
    method = or_404(q.live_method(session(), id))

    def save(form: MethodForm) -> Saved:
        ops.update_method(session(), method, _data(form))
        return Saved(_("Method %(name)s saved.", name=method.name(current_language())), url_for("methods.detail", id=method.id))

    return form_page(MethodForm(obj=method), "methods/form.html", save, method=method)


def retire(id: str):
    method = or_404(q.live_method(session(), id))
    ops.set_retired(session(), method, True)
    flash(
        _("Method %(name)s retired: its history stays, new records cannot choose it.", name=method.name(current_language())),
        "success",
    )
    return redirect(url_for("methods.detail", id=method.id))


def unretire(id: str):
    method = or_404(q.live_method(session(), id))
    ops.set_retired(session(), method, False)
    flash(_("Method %(name)s can be chosen for new records again.", name=method.name(current_language())), "success")
    return redirect(url_for("methods.detail", id=method.id))


def delete(id: str):
    method = or_404(q.live_method(session(), id))
    name = method.name(current_language())
    delete_with_undo(session(), method, _("Method %(name)s deleted.", name=name), url_for("methods.restore_method", id=method.id))
    return redirect(url_for("methods.index"))


def restore_method(id: str):
    return restore_view(
        session(),
        Method,
        id,
        lambda method: _("Method %(name)s restored.", name=method.name(current_language())),
        lambda method: url_for("methods.detail", id=method.id),
    )
