"""Goals: list, page with the updates history, create, edit, add update, delete/undo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.core import clock
from app.goals import ops
from app.goals.forms import GoalFilterForm, GoalForm, GoalUpdateForm
from app.i18n import format_date, format_month
from app.labels import label
from app.labels.indicators import DIRECTION_LABELS, NO_VALUE_LABELS
from app.models import Goal, GoalUpdate, Indicator
from app.pdf.text import Texts
from app.queries import goals as q
from app.queries import indicators as iq
from app.queries.indicators import indicator_choices
from app.queries.methods import method_choices
from app.queries.units import unit_choices
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language
from app.web.listing import paginate
from app.web.undo import delete_with_undo, restore_view


def _goal_form(goal: Goal | None = None) -> GoalForm:
    s = session()
    form = GoalForm(obj=goal)
    # A goal's own unit, method and indicator stay selectable after the unit ended or they retired.
    lang = current_language()
    indicator_list = indicator_choices(s, lang, include=goal.indicator_id if goal else None)
    rules = {i.id: i for i in s.scalars(select(Indicator).where(Indicator.id.in_([i for i, _n in indicator_list])))}
    form.set_choices(
        unit_choices(s, include=goal.unit_id if goal else None),
        method_choices(s, lang, include=goal.method_id if goal else None),
        indicator_list,
        rules,
    )
    if request.method == "GET" and goal is not None:
        form.unit_id.data = goal.unit_id or ""
        form.method_id.data = goal.method_id or ""
    if form.indicator_id.data is None:  # a free-text goal, or a post without the field
        form.indicator_id.data = ""
    return form


def _data(form: GoalForm) -> ops.GoalData:
    indicator = form.indicator
    return ops.GoalData(
        indicator_id=indicator.id if indicator else None,
        direction=indicator.direction if indicator else (form.direction.data or "higher"),
        days=form.days.data if indicator and indicator.takes_days else None,
        counted_from=form.counted_from.data if indicator and indicator.additive else None,
        title=form.title.data,
        unit_id=form.unit_id.data or None,
        method_id=form.method_id.data or None,
        metric=form.metric.data,
        target_value=form.target_value.data,
        target_date=form.target_date.data,
        status=form.status.data,
        notes=form.notes.data,
    )


def index():
    s = session()
    filters = GoalFilterForm(request.args)
    filters.set_choices(
        unit_choices(s, include=request.args.get("unit") or None),
        method_choices(s, current_language(), include=request.args.get("method") or None),
    )
    filters.validate()  # an unknown choice or a bad date is ignored, never an error page
    valid = {name: (field.data if not field.errors else None) for name, field in filters._fields.items()}
    criteria = q.GoalFilter(
        status=valid["status"] or "",
        unit_id=valid["unit"] or "",
        method_id=valid["method"] or "",
        due_before=valid["due_before"],
    )
    page = paginate(s, q.goal_list_stmt(criteria), scalars=False)
    filtered = bool(criteria.status or criteria.unit_id or criteria.method_id or criteria.due_before)
    return render_template("goals/list.html", page=page, rows=q.goal_rows(page.items, s), filters=filters, filtered=filtered)


def new():
    def save(form: GoalForm) -> Saved:
        goal = ops.create_goal(session(), _data(form))
        return Saved(_("Goal %(title)s added.", title=goal.title), url_for("goals.detail", id=goal.id))

    return form_page(_goal_form(), "goals/form.html", save, goal=None)


def detail(id: str):
    goal = or_404(q.live_goal(session(), id))
    return _detail(goal, GoalUpdateForm(formdata=None))


def _detail(goal: Goal, update_form: GoalUpdateForm, status: int = 200):
    s = session()
    row = or_404(q.goal_row(s, goal.id))
    return (
        render_template(
            "goals/detail.html",
            row=row,
            updates=q.goal_updates(s, goal.id) if row.indicator is None else [],
            form=update_form,
            **_indicator_context(row),
        ),
        status,
    )


def _indicator_context(row: q.GoalRow) -> dict:
    """An indicator goal's chart, its grid's address, and its current value's words."""
    goal, indicator = row.goal, row.indicator
    if indicator is None:
        as_of = format_date(row.as_of) if row.as_of else ""
        return {"chart": None, "as_of_label": as_of, "direction_labels": DIRECTION_LABELS}
    # reportlab draws the chart: loaded here, not at every start (tests/test_startup.py).
    from app.pdf.goal_chart import goal_line_chart

    lang = current_language()
    line = iq.goal_line(session(), goal, indicator, until=iq.last_month(clock.today()))
    chart = goal_line_chart(
        line.months,
        line.values,
        goal.target_value,
        Texts(lang),
        key="goal-progress",
        name=indicator.name(lang),
        cumulative=line.cumulative,
        lower_is_better=goal.direction == "lower",
    )
    month = row.as_of or iq.last_month(clock.today())
    grid_args = {"id": indicator.id, "month": f"{month.year:04d}-{month.month:02d}"}
    if indicator.per_method and goal.unit_id and not goal.method_id:
        grid_args["unit"] = goal.unit_id
    elif indicator.per_method and goal.method_id:
        grid_args["method"] = goal.method_id
    if indicator.takes_days and goal.days:
        grid_args["days"] = str(goal.days)
    start = iq.counted_from(goal)
    return {
        "chart": chart,
        "grid_args": grid_args,
        "as_of_label": format_month(row.as_of.year, row.as_of.month, lang) if row.as_of else "",
        "counted_from_label": format_month(start.year, start.month, lang),
        "figures_note": _figures_note(row),
        "direction_labels": DIRECTION_LABELS,
    }


def _figures_note(row: q.GoalRow) -> str:
    """How the current value was made from the monthly figures (FOLLOWUP.md: say the rule where the figure is shown)."""
    figures = row.figures
    assert figures is not None and row.indicator is not None
    if figures.why is not None:
        return str(label(NO_VALUE_LABELS, figures.why))
    if row.indicator.additive:
        return ngettext(
            "The sum of %(num)d reported month; a month without a figure is not reported, never zero.",
            "The sum of %(num)d reported months; a month without a figure is not reported, never zero.",
            figures.months,
        )
    if figures.parts > 1 and row.indicator.measure == "percent":
        return _(
            "The latest reported month, pooled over %(parts)s units by their number of clients (%(n)s).",
            parts=figures.parts,
            n=figures.n,
        )
    if figures.parts > 1:
        return _("The latest reported month, added up over %(parts)s units.", parts=figures.parts)
    return _("The latest reported month: months of this indicator never add up.")


def edit(id: str):
    goal = or_404(q.live_goal(session(), id))

    def save(form: GoalForm) -> Saved:
        ops.update_goal(session(), goal, _data(form))
        return Saved(_("Goal %(title)s saved.", title=goal.title), url_for("goals.detail", id=goal.id))

    return form_page(_goal_form(goal), "goals/form.html", save, goal=goal)


def add_update(id: str):
    goal = or_404(q.live_goal(session(), id))
    form = GoalUpdateForm()
    if not form.validate_on_submit():
        return _detail(goal, form, 422)
    ops.add_update(session(), goal, form.date.data, form.value.data, form.note.data)
    flash(_("Update added to %(title)s.", title=goal.title), "success")
    return redirect(url_for("goals.detail", id=goal.id))


def delete(id: str):
    goal = or_404(q.live_goal(session(), id))
    delete_with_undo(session(), goal, _("Goal %(title)s deleted.", title=goal.title), url_for("goals.restore_goal", id=goal.id))
    return redirect(url_for("goals.index"))


def restore_goal(id: str):
    return restore_view(
        session(),
        Goal,
        id,
        lambda goal: _("Goal %(title)s restored.", title=goal.title),
        lambda goal: url_for("goals.detail", id=goal.id),
    )


def delete_update(id: str):
    update = or_404(q.live_update(session(), id))
    goal = or_404(q.live_goal(session(), update.goal_id))
    delete_with_undo(
        session(),
        update,
        _("The update of %(date)s was deleted.", date=format_date(update.date)),
        url_for("goals.restore_update", id=update.id),
    )
    return redirect(url_for("goals.detail", id=goal.id))


def restore_update(id: str):
    return restore_view(
        session(),
        GoalUpdate,
        id,
        lambda update: _("The update was restored."),
        lambda update: url_for("goals.detail", id=update.goal_id),
    )
