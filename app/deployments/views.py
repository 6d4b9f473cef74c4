"""Deployment pages: list, board, detail, create, edit, move to phase, delete and restore."""

from __future__ import annotations

from contextlib import contextmanager

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock, phases
from app.deployments import ops
from app.deployments.forms import (
    PHASE_LABELS,
    DeploymentForm,
    MoveForm,
    NewDeploymentForm,
    phase_label,
    refusal_message,
)
from app.i18n import format_date
from app.labels.methods import TARGET_GROUP_LABELS
from app.labels.phase_metrics import words as phase_metrics_words
from app.labels.units import SERVICE_LINE_LABELS
from app.models import Deployment
from app.models.deployments import PHASES
from app.queries import deployments as q
from app.queries import phase_metrics as phase_metrics_q
from app.queries.methods import live_method, method_choices
from app.queries.units import live_unit, unit_choices
from app.web import undo
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.layout import safe_next
from app.web.listing import Page, page_number, paginate

# -- helpers ----------------------------------------------------------------------


FILTER_ARGS = ("unit", "method", "target_group", "service_line")  # what the list and the map share


def _filter_from_args(with_phase: bool = True) -> q.DeploymentFilter:
    args = request.args
    phase = args.get("phase", "") if with_phase else ""
    target = args.get("target_group", "")
    line = args.get("service_line", "")
    return q.DeploymentFilter(
        phase=phase if phase in PHASES else "",
        unit_id=args.get("unit", "").strip(),
        method_id=args.get("method", "").strip(),
        target_group=target if target in TARGET_GROUP_LABELS else "",
        service_line=line if line in SERVICE_LINE_LABELS else "",
    )


def _shared_args() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in FILTER_ARGS and v}


def _filter_choices(f: q.DeploymentFilter) -> dict:
    s = session()
    return {
        "units": unit_choices(s, include=f.unit_id or None),
        "methods": method_choices(s, current_language(), include=f.method_id or None),
        "target_groups": list(TARGET_GROUP_LABELS.items()),
        "service_lines": list(SERVICE_LINE_LABELS.items()),
        "phases": [(p, PHASE_LABELS[p]) for p in PHASES],
    }


def _fill_choices(form: DeploymentForm, unit_id: str | None = None, method_id: str | None = None) -> None:
    """Offer live units and methods, plus the record's own (even if ended or retired)."""
    s = session()
    form.unit_id.choices = [("", _("Choose a unit"))] + unit_choices(s, include=unit_id or None)
    form.method_id.choices = [("", _("Choose a method"))] + method_choices(s, current_language(), include=method_id or None)


@contextmanager
def refusal_at_field(form):
    """A rule the write checks (ops.Refused) becomes a message at its field; the save
    then returns None and form_page shows the form again."""
    try:
        yield
    except ops.Refused as refused:
        message = refusal_message(refused.reason, **refused.params)
        target = getattr(form, refused.field, None)
        if target is None:  # a rule about a field this form lacks: show it on the first one
            target = next(field for field in form if field.name != "csrf_token")
        target.errors = [*target.errors, message]


# -- list and board ----------------------------------------------------------------


def index():
    f = _filter_from_args()
    page = paginate(session(), q.deployment_list_stmt(f, current_language()))
    return render_template(
        "deployments/index.html",
        page=page,
        f=f,
        board_args=_shared_args(),
        lang=current_language(),
        # Phase history of every deployment (issue 13): deployments/_index_phase_metrics.html
        overall=phase_metrics_q.overall(session(), clock.today()),
        pm=phase_metrics_words(),
        **_filter_choices(f),
    )


MAP_UNITS_PER_PAGE = 40


def board():
    """The units × methods map (the phase board's successor: one screen instead of seven columns
    of cards). Each cell names its phase and offers the usual next move, with undo."""
    f = _filter_from_args(with_phase=False)
    number = page_number()
    dmap = q.deployment_map(session(), f, current_language(), (number - 1) * MAP_UNITS_PER_PAGE, MAP_UNITS_PER_PAGE)
    list_args = _shared_args()
    back_args = {**list_args, **({"page": str(number)} if number > 1 else {})}
    return render_template(
        "deployments/board.html",
        dmap=dmap,
        page=Page([u for u, _name in dmap.units], number, MAP_UNITS_PER_PAGE, dmap.total_units),
        f=f,
        list_args=list_args,
        back_url=url_for("deployments.board", **back_args),
        lang=current_language(),
        **_filter_choices(f),
    )


# -- one deployment ----------------------------------------------------------------


def detail(id: str):
    deployment = or_404(q.live_deployment(session(), id))
    history = q.phase_history(session(), deployment.id)
    today = clock.today()
    # Days in each phase: until the next change, or until today for the current one.
    spans = []
    for i, change in enumerate(history):
        until = history[i + 1].changed_on if i + 1 < len(history) else today
        spans.append((change, max(0, (until - change.changed_on).days), i + 1 == len(history)))
    return render_template(
        "deployments/detail.html",
        d=deployment,
        spans=spans,
        lang=current_language(),
        target_group_labels=TARGET_GROUP_LABELS,
        unit_url=url_for("units.detail", id=deployment.unit_id),
        method_url=url_for("methods.detail", id=deployment.method_id),
    )


def create():
    s = session()
    form = NewDeploymentForm()
    if request.method == "GET":
        # From a unit's or a method's page: that one is chosen already.
        form.unit_id.data = request.args.get("unit", "") or form.unit_id.data
        form.method_id.data = request.args.get("method", "") or form.method_id.data
    # A new record offers a deleted unit or method to no one, even when the address names it.
    _fill_choices(
        form,
        form.unit_id.data if form.unit_id.data and live_unit(s, form.unit_id.data) else None,
        form.method_id.data if form.method_id.data and live_method(s, form.method_id.data) else None,
    )

    def save(form: NewDeploymentForm) -> Saved | None:
        with refusal_at_field(form):
            deployment = ops.create(
                s,
                form.data_for_ops(),
                form.phase.data,
                form.phase_since.data,
                reason=form.reason.data or "",
                reason_text=form.reason_text.data or "",
            )
            return Saved(_("Deployment saved."), url_for("deployments.detail", id=deployment.id))

    return form_page(form, "deployments/form.html", save, deployment=None)


def edit(id: str):
    s = session()
    deployment = or_404(q.live_deployment(session(), id))
    form = DeploymentForm(obj=deployment)
    _fill_choices(form, deployment.unit_id, deployment.method_id)

    def save(form: DeploymentForm) -> Saved | None:
        with refusal_at_field(form):
            ops.update(s, deployment, form.data_for_ops())
            return Saved(_("Deployment saved."), url_for("deployments.detail", id=deployment.id))

    return form_page(form, "deployments/form.html", save, deployment=deployment)


def move(id: str):
    s = session()
    deployment = or_404(q.live_deployment(session(), id))
    formdata = None
    if request.method == "POST":
        formdata = request.form.copy()
        # A board card's one-press move sends no date: it means today, when pressed
        # (not when the board was loaded: a window may stay open past midnight).
        formdata.setdefault("changed_on", clock.today().isoformat())
    form = MoveForm(formdata=formdata)
    if request.method == "GET":
        form.phase.data = request.args.get("phase") or phases.next_phase(deployment.phase) or ""
    back = safe_next(request.values.get("next"), "deployments.board") if request.values.get("next") else None

    def save(form: MoveForm) -> Saved | None:
        with refusal_at_field(form):
            change = ops.move(
                s, deployment, form.phase.data, form.changed_on.data, form.reason.data or "", form.reason_text.data or ""
            )
            message = _(
                "%(unit)s – %(method)s moved to %(phase)s on %(date)s.",
                unit=deployment.unit.name,
                method=deployment.method.name(current_language()),
                phase=phase_label(deployment.phase),
                date=format_date(deployment.phase_since),
            )
            undo_url = url_for("deployments.undo_move", id=deployment.id, change=change.id, next=back)
            return Saved(message, back or url_for("deployments.detail", id=deployment.id), f"undo:{undo_url}")

    return form_page(form, "deployments/move.html", save, d=deployment, back=back, lang=current_language())


def undo_move(id: str, change: str):
    """The Undo of a move's message: the phase before it is current again (twice is harmless)."""
    s = session()
    deployment = or_404(q.live_deployment(s, id))
    back = safe_next(request.args.get("next"), "deployments.board") if request.args.get("next") else None
    back = back or url_for("deployments.detail", id=deployment.id)
    if any(c.id == change for c in q.phase_history(s, deployment.id)):  # already undone: nothing to do
        try:
            ops.undo_move(s, deployment, change)
        except ops.Refused as refused:
            flash(refusal_message(refused.reason, **refused.params), "error")
        else:
            flash(
                _(
                    "Undone: %(unit)s – %(method)s is in %(phase)s again.",
                    unit=deployment.unit.name,
                    method=deployment.method.name(current_language()),
                    phase=phase_label(deployment.phase),
                ),
                "success",
            )
    return redirect(back)


def delete(id: str):
    deployment = or_404(q.live_deployment(session(), id))
    message = _(
        "Deployment deleted: %(unit)s – %(method)s.",
        unit=deployment.unit.name,
        method=deployment.method.name(current_language()),
    )
    undo.delete_with_undo(session(), deployment, message, url_for("deployments.restore", id=deployment.id))
    return redirect(url_for("deployments.index"))


def restore(id: str):
    s = session()
    deployment = or_404(s.get(Deployment, id))
    if deployment.deleted:
        other = ops.restore_problem(s, deployment)
        if other is not None:
            flash(
                _(
                    "The deployment was not restored: %(unit)s already has an active deployment of %(method)s.",
                    unit=other.unit.name,
                    method=other.method.name(current_language()),
                ),
                "error",
            )
            return redirect(url_for("deployments.detail", id=other.id))
        undo.restore(s, deployment)
        flash(_("Deployment restored."), "success")
    return redirect(url_for("deployments.detail", id=deployment.id))
