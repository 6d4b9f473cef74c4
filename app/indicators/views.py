"""Indicators: the catalogue (list, add, edit, retire) and the monthly figures grid."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock
from app.indicators import grid as g
from app.indicators import ops
from app.indicators.forms import GridFilterForm, GridSaveForm, IndicatorFilterForm, IndicatorForm
from app.models import Indicator
from app.queries import indicators as q
from app.web.db import or_404, session
from app.web.form_page import Saved, form_page
from app.web.i18n import current_language


def _data(form: IndicatorForm) -> ops.IndicatorData:
    return ops.IndicatorData(
        name_fi=form.name_fi.data,
        name_sv=form.name_sv.data,
        name_en=form.name_en.data,
        description=form.description.data,
        measure=form.measure.data,
        direction=form.direction.data,
        additive=form.additive.data,
        per_method=form.per_method.data,
        takes_days=form.takes_days.data,
    )


def index():
    filters = IndicatorFilterForm(request.args)
    show_retired = bool(filters.retired.data)
    s = session()
    rows = q.indicators(s, show_retired)
    return render_template(
        "indicators/list.html",
        rows=rows,
        figures=q.parts_reporting(s, [i.id for i in rows]),
        filters=filters,
        filtered=show_retired,
        default_month=q.last_month(clock.today()),
    )


def new():
    def save(form: IndicatorForm) -> Saved:
        indicator = ops.create_indicator(session(), _data(form))
        return Saved(_("Indicator %(name)s added.", name=indicator.name(current_language())), url_for("indicators.index"))

    return form_page(IndicatorForm(), "indicators/form.html", save, indicator=None, shape_fixed=False)


def edit(id: str):
    s = session()
    indicator = or_404(q.live_indicator(s, id))
    has_figures = q.figure_count(s, indicator.id) > 0

    def save(form: IndicatorForm) -> Saved:
        ops.update_indicator(session(), indicator, _data(form), has_figures)
        return Saved(_("Indicator %(name)s saved.", name=indicator.name(current_language())), url_for("indicators.index"))

    form = IndicatorForm(obj=indicator)
    return form_page(
        form,
        "indicators/form.html",
        save,
        indicator=indicator,
        shape_fixed=indicator.key is not None or has_figures,
        has_figures=has_figures,
    )


def retire(id: str):
    indicator = or_404(q.live_indicator(session(), id))
    ops.set_retired(session(), indicator, True)
    flash(
        _(
            "Indicator %(name)s retired: its figures and goals stay, new goals cannot choose it.",
            name=indicator.name(current_language()),
        ),
        "success",
    )
    return redirect(url_for("indicators.index"))


def unretire(id: str):
    indicator = or_404(q.live_indicator(session(), id))
    ops.set_retired(session(), indicator, False)
    flash(_("Indicator %(name)s can be chosen again.", name=indicator.name(current_language())), "success")
    return redirect(url_for("indicators.index"))


# -- the monthly figures grid ------------------------------------------------------------------


def figures(id: str):
    s = session()
    indicator: Indicator = or_404(q.live_indicator(s, id))
    lang = current_language()
    filters = GridFilterForm(request.args)
    grid = g.build(s, indicator, filters, clock.today(), lang)
    form = GridSaveForm()
    context = {"indicator": indicator, "grid": grid, "filters": filters, "form": form}
    if request.method == "GET":
        return render_template("indicators/grid.html", **context, values=g.stored_values(grid, lang), errors=g.Errors())
    if not form.validate_on_submit():  # the CSRF token
        return render_template("indicators/grid.html", **context, values=g.stored_values(grid, lang), errors=g.Errors()), 400
    read = g.read_posted(grid, request.form, lang)
    if read.errors:
        return render_template("indicators/grid.html", **context, values=read.values, errors=read.errors), 422
    saved = ops.save_cells(s, indicator, grid.days, read.cells, g.stored_by_part(grid))
    flash(
        _(
            "Figures saved: %(created)s new, %(changed)s changed, %(removed)s emptied (not reported).",
            created=saved.created,
            changed=saved.changed,
            removed=saved.removed,
        ),
        "success",
    )
    args: dict[str, Any] = {**request.args.to_dict(), "id": indicator.id}
    return redirect(url_for("indicators.figures", **args))
