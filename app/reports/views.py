"""The reports' pages: the reports page, and the Print / PDF actions of the unit, trainee and
event pages (their forms come from this blueprint's template globals, app.reports.forms, so those
features' views stay as they are). routes.py declares the URL rules; this module is imported on
the first request of one of them.

reportlab (the documents, app.reports.build, and the charts) is imported inside the views
that use it: it would add a third of a second to the first report page (tests/test_startup.py
checks that a start and the dashboard never load it).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core import clock
from app.files import deliver
from app.models import Trainee
from app.pdf.text import Texts
from app.queries.common import get_live
from app.queries.units import live_unit
from app.reports.common import EVENT_TYPE_LABELS, PHASE_LABELS, period_name
from app.reports.forms import NotesForm, PeriodForm, SigninPdfForm, UnitPdfForm
from app.web.db import session
from app.web.i18n import current_language

PDF = "application/pdf"


# -- the reports page ---------------------------------------------------------------------------


def _period_form() -> PeriodForm:
    """The period from the query string; without one, this year (the form's defaults)."""
    form = PeriodForm(request.args, current_language(), clock.today())
    form.validate()
    return form


def index():
    form = _period_form()
    lang = current_language()
    texts = Texts(lang)
    report = charts = None
    if form.result is not None:
        from app.pdf.charts import events_chart, guidance_chart
        from app.queries.period_report import period_report  # here, not at start-up (issue 17)
        from app.reports.period import month_figures

        report = period_report(session(), form.result, clock.today(), lang, full=False)  # what the page shows
        figures = month_figures(report)
        charts = [events_chart(figures, texts), guidance_chart(figures, texts)]
    return render_template(
        "reports/index.html",
        form=form,
        pdf_form=NotesForm(prefix="print"),
        report=report,
        charts=charts,
        period_title=period_name(form.result, texts) if form.result else "",
        period_args={k: v for k, v in request.args.items()},
        texts=texts,
        labels={"event_type": EVENT_TYPE_LABELS, "phase": PHASE_LABELS},
    )


def period_pdf():
    form = _period_form()
    back = url_for("reports.index", **request.args)
    if form.result is None:
        return redirect(back)  # the page shows what is wrong with the period
    options = NotesForm(prefix="print")
    from app.reports import build

    rendered = build.period_pdf(session(), form.result, current_language(), clock.today(), bool(options.include_notes.data))
    return deliver(rendered.data, rendered.filename, PDF, back=back)


# -- Print / PDF on the unit, trainee and event pages --------------------------------------------


def unit_pdf(id: str):
    unit = live_unit(session(), id) or abort(404)
    form = UnitPdfForm(prefix="print")
    back = url_for("units.detail", id=unit.id)
    if not form.validate():
        return render_template("reports/unit_print.html", form=form, unit=unit, back=back), 422
    from app.reports import build

    rendered = build.unit_pdf(session(), unit, form.period, current_language(), clock.today(), form.include_notes.data)
    return deliver(rendered.data, rendered.filename, PDF, back=back)


def attestation_pdf(id: str):
    trainee = get_live(session(), Trainee, id) or abort(404)
    back = url_for("guidance.trainee", id=trainee.id)
    form = NotesForm(prefix="print")
    from app.reports import build

    try:
        rendered = build.attestation_pdf(session(), trainee.id, current_language(), clock.today(), form.include_notes.data)
    except build.Erased:
        flash(_("This trainee's personal data was erased, so no attestation can name them."), "error")
        return redirect(back)
    assert rendered is not None  # the trainee was found live above, in the same transaction
    return deliver(rendered.data, rendered.filename, PDF, back=back)


def signin_pdf(id: str):
    from app.queries.events import live_event

    event = live_event(session(), id) or abort(404)
    form = SigninPdfForm(prefix="print")
    back = url_for("events.detail", id=event.id)
    if not form.validate():
        return render_template("reports/signin_print.html", form=form, event=event, back=back), 422
    from app.reports import build

    rendered = build.signin_pdf(session(), event.id, current_language(), clock.today(), form.rows.data, form.include_notes.data)
    assert rendered is not None  # the event was found live above, in the same transaction
    return deliver(rendered.data, rendered.filename, PDF, back=back)
