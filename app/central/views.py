"""The central office's page in the app: the summary `koordi report central` makes, from a merged
database named by its path or address. Its URL rule is in routes.py, registered by create_app and
imported on the first request (app.web.lazy); the coordinator's feature packages link to it by
endpoint name only."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.central.forms import CentralPdfForm
from app.core import clock
from app.files import deliver
from app.web.i18n import current_language

PDF = "application/pdf"


# -- the central office's summary of a merged database ------------------------------------------


def summary_pdf():
    """The summary `koordi report central` makes, from the reports page: the merged database is
    read-only here, named by its path or address like `koordi merge --into`."""
    form = CentralPdfForm()
    if form.validate_on_submit():
        # Here, not at the top: the merged database's tables (built from the export format) are
        # only needed when a PDF is asked for, not to show the form.
        from app.central.schema import TargetError, describe_target_error, open_target, reason_of, shown
        from app.central.summary import Span

        try:
            engine = open_target(form.database.data, read_only=True)
        except TargetError as exc:
            form.database.errors.append(describe_target_error(exc, _))
        else:
            from app.central.pdf import central_pdf  # reportlab: not at every start (app.reports.views)

            try:
                with engine.connect() as conn:
                    span = Span(form.date_from.data, form.date_to.data)
                    rendered = central_pdf(conn, span, current_language(), clock.today())
            except SQLAlchemyError as exc:
                form.database.errors.append(
                    _("Cannot read the database %(target)s: %(reason)s", target=shown(form.database.data), reason=reason_of(exc))
                )
            else:
                return deliver(rendered.data, rendered.filename, PDF, back=url_for("central.summary_pdf"))
            finally:
                engine.dispose()
    status = 422 if request.method == "POST" else 200
    return render_template("central/central.html", form=form), status
