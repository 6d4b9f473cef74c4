"""`koordi report …`: the same PDF documents as the Print / PDF buttons, from the command line.

    koordi report unit --unit NAME|ID [--from D --to D]
    koordi report period [--from D --to D]
    koordi report attestation --trainee NAME|ID
    koordi report signin --event ID [--rows N]
    each with [--out FILE.pdf] [--lang fi|sv|en] [--include-notes] [--data-dir D]
    koordi report central --db MERGED [--from D --to D] [--out FILE.pdf] [--lang fi|sv|en]

Read-only: the database is opened with SQLite's mode=ro and no start-up backup or
upgrade, so a report can be made while Koordi is open. Dates default to this
calendar year. Errors are one translated sentence and exit 1.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from sqlalchemy.orm import Session

from app.cli.common import KoordiError, LazyGroup, _, _l, data_dir_option, option, option_date, resolve_data_dir
from app.cli.common import document_language as language
from app.cli.common import save_document as save
from app.cli.lookup import find_record
from app.core import periods
from app.core.clock import today
from app.models import Trainee, Unit
from app.pdf.document import FontMissing
from app.reports import build
from app.reports.build import signin_pdf
from app.reports.common import SIGNIN_ROWS_MAX
from app.store import DB_NAME, migrate
from app.store.engine import make_engine
from app.store.files import inspect_file


def _options(command):
    command = data_dir_option(command)
    command = option("--include-notes", is_flag=True, help=_l("Print free-text notes too (left out by default)."))(command)
    command = option(
        "--lang", "lang", default=None, metavar="fi|sv|en", help=_l("Language of the document (default: KOORDI_LANG or fi).")
    )(command)
    command = option(
        "--out",
        "out",
        default=None,
        metavar="FILE.pdf",
        help=_l("Where to save the PDF (default: a file named after the document in the current folder)."),
    )(command)
    return command


def _period_options(command):
    command = option("--to", "date_to", default=None, metavar="YYYY-MM-DD", help=_l("Last day (default: 31.12. of this year)."))(
        command
    )
    command = option(
        "--from", "date_from", default=None, metavar="YYYY-MM-DD", help=_l("First day (default: 1.1. of this year).")
    )(command)
    return command


class ReportGroup(LazyGroup):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FontMissing as exc:  # a broken install: say so in one sentence
            raise KoordiError(_("The font file %(path)s is missing; reinstall Koordi.", path=str(exc.path))) from exc


# `report central` is the central office's (app.central), loaded by name only when asked for.
@click.group(
    "report",
    cls=ReportGroup,
    lazy_commands={"central": "app.central.report_cli:central_command"},
    help=_l("Make a PDF: unit summary, period report, guidance attestation, sign-in sheet or central-office summary."),
)
def report() -> None:
    """Make a PDF: unit summary, period report, guidance attestation, sign-in sheet or central-office summary."""


# -- the commands ----------------------------------------------------------------------------------


@report.command("unit", help=_l("The unit summary of one unit for a period."))
@option("--unit", "unit_ref", default=None, metavar="NAME|ID", help=_l("The unit, by name (or part of it) or id."))
@_period_options
@_options
def unit_command(unit_ref, date_from, date_to, out, lang, include_notes, data_dir) -> None:
    """The unit summary of one unit for a period."""
    lang = language(lang)
    period = _period(date_from, date_to)
    if not unit_ref:
        raise KoordiError(_("Name the unit with --unit (its name, part of it, or its id)."))
    with _session(data_dir) as s:
        unit = find_record(s, Unit, unit_ref, _("No unit matches %(ref)s.", ref=unit_ref))
        save(build.unit_pdf(s, unit, period, lang, today(), include_notes), out)


@report.command("period", help=_l("The period report: totals, charts, and tables by type, method and unit."))
@_period_options
@_options
def period_command(date_from, date_to, out, lang, include_notes, data_dir) -> None:
    """The period report: totals, charts, and tables by type, method and unit."""
    lang = language(lang)
    period = _period(date_from, date_to)
    with _session(data_dir) as s:
        save(build.period_pdf(s, period, lang, today(), include_notes), out)


@report.command("attestation", help=_l("A trainee's method guidance attestation."))
@option("--trainee", "trainee_ref", default=None, metavar="NAME|ID", help=_l("The trainee, by name (or part of it) or id."))
@_options
def attestation_command(trainee_ref, out, lang, include_notes, data_dir) -> None:
    """A trainee's method guidance attestation."""
    lang = language(lang)
    if not trainee_ref:
        raise KoordiError(_("Name the trainee with --trainee (their name, part of it, or their id)."))
    with _session(data_dir) as s:
        trainee = find_record(s, Trainee, trainee_ref, _("No trainee matches %(ref)s.", ref=trainee_ref))
        try:
            rendered = build.attestation_pdf(s, trainee.id, lang, today(), include_notes)
        except build.Erased as exc:
            raise KoordiError(_("This trainee's personal data was erased, so no attestation can name them.")) from exc
        save(rendered, out)


@report.command("signin", help=_l("A sign-in sheet for an event, with empty rows to sign."))
@option("--event", "event_id", default=None, metavar="ID", help=_l("The event's id (in the address of its page)."))
@option("--rows", "rows", default=None, metavar="N", help=_l("Rows to sign, 1–200 (default: as many as fit on one page)."))
@_options
def signin_command(event_id, rows, out, lang, include_notes, data_dir) -> None:
    """A sign-in sheet for an event, with empty rows to sign."""
    lang = language(lang)
    if not event_id:
        raise KoordiError(_("Name the event with --event and its id."))
    count = None
    if rows is not None:
        try:
            count = int(rows)
        except ValueError:
            count = 0
        if not 1 <= count <= SIGNIN_ROWS_MAX:
            raise KoordiError(_("--rows must be a whole number from 1 to 200; %(value)s is not.", value=rows))
    with _session(data_dir) as s:
        rendered = signin_pdf(s, event_id.strip(), lang, today(), count, include_notes)
        if rendered is None:
            raise KoordiError(_("No event has the id %(id)s.", id=event_id))
        save(rendered, out)


# -- shared steps --------------------------------------------------------------------------------


def _period(date_from: str | None, date_to: str | None) -> periods.Period:
    year = today().year
    start = option_date("--from", date_from, dt.date(year, 1, 1))
    end = option_date("--to", date_to, dt.date(year, 12, 31))
    try:
        return periods.named(start, end)
    except periods.PeriodError as exc:
        if exc.code == periods.PeriodError.END_BEFORE_START:
            raise KoordiError(
                _("--to (%(end)s) is before --from (%(start)s).", start=start.isoformat(), end=end.isoformat())
            ) from exc
        if exc.code == periods.PeriodError.TOO_LONG:
            raise KoordiError(_("A period can be at most %(months)s months long.", months=periods.MAX_MONTHS)) from exc
        raise KoordiError(_("Dates must be in the years 2000–2100.")) from exc


class _session:
    """A read-only session on the data folder's database, checked first like `koordi check` does."""

    def __init__(self, data_dir: Path | None):
        folder = resolve_data_dir(data_dir)
        db = folder / DB_NAME
        if not db.exists() or db.stat().st_size == 0:
            raise KoordiError(_("No database in %(path)s: nothing to report yet.", path=str(folder)))
        state = inspect_file(db)
        if state.folder is not None:
            # SQLite cannot read a WAL database where it may not make its shared-memory file (a
            # read-only or full disk): say so, not that the data failed its check.
            raise KoordiError(state.folder.describe(_))
        if not state.ok:
            raise KoordiError(
                _("The database in %(path)s fails its integrity check: %(detail)s", path=str(folder), detail=state.detail)
            )
        if state.revision and not migrate.is_known(state.revision):
            raise KoordiError(_("The database is newer than this app. Install the newer Koordi."))
        if state.revision != migrate.head():
            raise KoordiError(
                _(
                    "The database in %(path)s is from an older Koordi. Start Koordi once to upgrade it, then make the report.",
                    path=str(folder),
                )
            )
        self.engine = make_engine(db, read_only=True)

    def __enter__(self):
        self.session = Session(self.engine)
        return self.session

    def __exit__(self, *exc) -> None:
        self.session.close()
        self.engine.dispose()  # Windows: no handle may stay open on the file
