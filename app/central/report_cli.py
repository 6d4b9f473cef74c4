"""`koordi report central --db MERGED`: the central-office summary PDF of a merged database.

A subcommand of `koordi report` (app.reports.cli loads it by name); read-only on the database.
"""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from app.central.merge_cli import span_of, target_error
from app.central.pdf import central_pdf
from app.central.schema import TargetError, open_target, reason_of, shown
from app.cli.common import KoordiError, _, _l, option
from app.cli.common import document_language as language
from app.cli.common import save_document as save
from app.core.clock import today


@click.command("central", help=_l("The central-office summary of a merged database: per county and per method."))
@option(
    "--db",
    "db",
    default=None,
    metavar="MERGED",
    help=_l("The central database `koordi merge` made: an SQLite file or a URL (postgresql://…)."),
)
@option("--from", "date_from", default=None, metavar="YYYY-MM-DD", help=_l("First day (default: everything merged)."))
@option("--to", "date_to", default=None, metavar="YYYY-MM-DD", help=_l("Last day (default: everything merged)."))
@option("--lang", "lang", default=None, metavar="fi|sv|en", help=_l("Language of the document (default: KOORDI_LANG or fi)."))
@option(
    "--out",
    "out",
    default=None,
    metavar="FILE.pdf",
    help=_l("Where to save the PDF (default: a file named after the document in the current folder)."),
)
def central_command(db, date_from, date_to, lang, out) -> None:
    """The central-office summary of a merged database: per county and per method."""
    lang = language(lang)
    if not db:
        raise KoordiError(_("Name the merged database with --db (the file or URL given to koordi merge --into)."))
    span = span_of(date_from, date_to)  # default: everything merged, as koordi merge's summary
    try:
        engine = open_target(db, read_only=True)
    except TargetError as exc:
        raise target_error(exc) from exc
    try:
        with engine.connect() as conn:
            rendered = central_pdf(conn, span, lang, today())
    except SQLAlchemyError as exc:
        raise KoordiError(_("Cannot read the database %(target)s: %(reason)s", target=shown(db), reason=reason_of(exc))) from exc
    finally:
        engine.dispose()
    save(rendered, out)
