"""`koordi merge`: the central office merges coordinators' export files into one database.

    koordi merge FILE.zip... --into TARGET [--summary OUT.csv] [--include-notes] [--include-names]
                 [--from YYYY-MM-DD] [--to YYYY-MM-DD]

TARGET is an SQLite file (created when missing) or an SQLAlchemy URL
(postgresql://user:password@host/database). Progress goes to stderr, one line a
file, with a bar while a big file is written; then each refused file's problems and
every warning (file, line N, column C: reason); the national summary goes to stdout. After the
files, the national picture's first views are computed and stored in TARGET
(app.central.picture.prepare), so the office's window opens them without computing.

Exit codes: 0 every file merged (warnings may have been printed); 1 nothing was done
(the target or an option is wrong; one sentence says why); 2 the command line itself
is wrong (click's usage error); 3 some files were refused and written nothing, the
others merged.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from app import i18n
from app.central.merge import DUPLICATE, MERGED, MergeOptions, Progress, merge_files
from app.central.picture.prepare import prepare
from app.central.schema import TargetError, describe_target_error, open_target, reason_of, shown
from app.central.summary import Span, central_summary
from app.central.summary_csv import summary_csv
from app.cli.common import KoordiError, _, _l, cli_language, number, option, option_date
from app.core.clock import today
from app.core.geography import county_name
from app.exchange.problems import describe
from app.files import write_file
from app.pdf.text import Texts

EXIT_REFUSED = 3
SHOWN_PER_FILE = 20  # problems and warnings printed per file; the rest are counted
BAR_FROM = 20_000  # rows to write before a file gets a progress bar


def span_of(date_from: str | None, date_to: str | None):
    start, end = option_date("--from", date_from), option_date("--to", date_to)
    if start and end and end < start:
        raise KoordiError(_("--to (%(end)s) is before --from (%(start)s).", start=start.isoformat(), end=end.isoformat()))
    return Span(start, end)


def target_error(exc) -> KoordiError:
    """One sentence for a TargetError (shared with `koordi report central`)."""
    return KoordiError(describe_target_error(exc, _))


class _CliProgress(Progress):
    """Per-file lines on stderr (the summary on stdout stays clean for a pipe), and a bar for big files."""

    def writing(self, outcome, rows: int):
        if rows < BAR_FROM:
            return None
        bar = click.progressbar(length=rows, label=_("Writing %(name)s", name=outcome.name), file=sys.stderr)
        bar.__enter__()
        written = [0]

        def advance(n: int) -> None:
            bar.update(n)
            written[0] += n
            if written[0] >= rows:
                bar.__exit__(None, None, None)

        return advance

    def file_done(self, index: int, count: int, outcome) -> None:
        head = f"[{index}/{count}] {outcome.name}"
        seconds = i18n.format_number(outcome.seconds, cli_language(), 1)
        if outcome.status == DUPLICATE:
            line = _("%(file)s: the same file as %(first)s; skipped.", file=head, first=outcome.duplicate_of)
        elif outcome.status == MERGED:
            who = outcome.manifest.coordinator
            line = _(
                "%(file)s: %(name)s (%(county)s), %(rows)s rows: %(created)s new, %(updated)s changed, "
                "%(unchanged)s unchanged (%(seconds)s s)",
                file=head,
                name=who.name,
                county=county_name(who.county, cli_language()),
                rows=number(outcome.total("rows")),
                created=number(outcome.total("created")),
                updated=number(outcome.total("updated")),
                unchanged=number(outcome.total("unchanged")),
                seconds=seconds,
            )
            if outcome.merged_before is not None:
                line += " " + _(
                    "(merged before on %(date)s)",
                    date=i18n.format_local_datetime(outcome.merged_before.replace(tzinfo=dt.UTC), cli_language()),
                )
        else:
            line = _(
                "%(file)s: refused, %(count)s problems; nothing of it was written (%(seconds)s s)",
                file=head,
                count=number(len(outcome.problems)),
                seconds=seconds,
            )
        click.echo(line, err=True)


def _prepare_picture(target: str, engine) -> None:
    """The national picture's first views in the CLI's language, read through a read-only engine
    (on SQLite the merge's engine takes the write lock at every BEGIN). Best effort: the merge stands."""
    click.echo(_("Preparing the national picture…"), err=True)
    try:
        read_engine = open_target(target, read_only=True)
    except TargetError:
        return
    try:
        prepare(read_engine, engine, today(), cli_language())
    finally:
        read_engine.dispose()


def _print_findings(outcome, findings, label: str) -> None:
    for problem in findings[:SHOWN_PER_FILE]:
        click.echo(label % {"file": outcome.name, "message": describe(problem, _)}, err=True)
    if len(findings) > SHOWN_PER_FILE:
        click.echo(
            label % {"file": outcome.name, "message": _("and %(count)s more", count=number(len(findings) - SHOWN_PER_FILE))},
            err=True,
        )


def print_summary(summary) -> None:
    """The national summary as a plain-text table: per county, then per method."""
    lang = cli_language()

    hours = Texts(lang).hours
    heads = [
        _("Coordinators"),
        _("Units"),
        _("Deployments"),
        _("In use"),
        _("Events held"),
        _("Planned"),
        _("People"),
        _("Sessions"),
        _("Hours"),
        _("People guided"),
        _("In training"),
    ]

    def figures(r, coordinators) -> list[str]:
        return [
            coordinators,
            number(r.units),
            number(r.deployments),
            number(r.deployments_in_use),
            number(r.events_held),
            number(r.events_planned),
            number(r.attendance),
            number(r.guidance_sessions),
            hours(r.hours),
            number(r.trainees_guided),
            number(r.trainees_active),
        ]

    counties = [
        [county_name(r.county, lang), *figures(r, number(summary.coordinators.get(r.county, 0)))] for r in summary.counties
    ]
    counties.append([_("Total"), *figures(summary.total, number(sum(summary.coordinators.values())))])
    _table([_("County"), *heads], counties)
    click.echo()
    methods = [[r.method, *figures(r, "")[1:]] for r in summary.methods]
    _table([_("Method"), *heads[1:]], methods)
    click.echo(_("An event may name several methods and a unit use several: a county's total counts each once."))


def _table(header: list[str], rows: list[list[str]]) -> None:
    table = [header] + rows
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        click.echo("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)).rstrip())


@click.command(
    "merge",
    help=_l(
        "Merge coordinators' export FILES into the central database and print the national summary.\n\n"
        "Each file is checked completely and merged in a transaction of its own: a file with any problem is "
        "refused and written nothing, and the others are merged. Merging the same files again, in any order, "
        "changes nothing. Notes and names stay out unless asked for. Exit 0: all merged; 1: nothing done; 3: "
        "some files refused."
    ),
)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@option(
    "--into",
    "target",
    required=True,
    metavar="TARGET",
    help=_l(
        "The central database: an SQLite file (created when missing) or a URL such as postgresql://user:password@host/database."
    ),
)
@option(
    "--summary",
    "summary_out",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="OUT.csv",
    help=_l("Also write the national summary as CSV (Excel on a Finnish laptop opens it)."),
)
@option("--include-notes", is_flag=True, help=_l("Keep free text (notes, topics, descriptions) in the merged database."))
@option("--include-names", is_flag=True, help=_l("Keep people's names and emails in the merged database."))
@option("--from", "date_from", default=None, metavar="YYYY-MM-DD", help=_l("The summary's first day (default: everything)."))
@option("--to", "date_to", default=None, metavar="YYYY-MM-DD", help=_l("The summary's last day (default: everything)."))
def merge_command(
    files: tuple[Path, ...],
    target: str,
    summary_out: Path | None,
    include_notes: bool,
    include_names: bool,
    date_from: str | None,
    date_to: str | None,
) -> None:
    """Merge coordinators' export FILES into the central database and print the national summary.

    Each file is checked completely and merged in a transaction of its own: a file with
    any problem is refused and written nothing, and the others are merged. Merging the
    same files again, in any order, changes nothing. Notes and names stay out unless
    asked for. Exit 0: all merged; 1: nothing done; 3: some files refused.
    """
    span = span_of(date_from, date_to)
    if summary_out is not None and not summary_out.parent.is_dir():
        raise KoordiError(_("The folder %(path)s does not exist.", path=str(summary_out.parent)))
    try:
        engine = open_target(target)
    except TargetError as exc:
        raise target_error(exc) from exc
    try:
        report = merge_files(engine, list(files), MergeOptions(include_notes, include_names), progress=_CliProgress())
        for outcome in report.files:
            _print_findings(outcome, outcome.problems, _("Error: %(file)s: %(message)s"))
            _print_findings(outcome, outcome.warnings, _("Warning: %(file)s: %(message)s"))
        _prepare_picture(target, engine)
        with engine.connect() as conn:
            summary = central_summary(conn, span, today(), cli_language())
    except SQLAlchemyError as exc:
        raise KoordiError(
            _("The database %(target)s stopped answering: %(reason)s", target=shown(target), reason=reason_of(exc))
        ) from exc
    finally:
        engine.dispose()
    click.echo()
    print_summary(summary)
    if summary_out is not None:
        try:
            write_file(summary_out, summary_csv(summary, cli_language()))
        except OSError as exc:
            raise KoordiError(
                _("Cannot write %(path)s: %(reason)s", path=str(summary_out), reason=exc.strerror or str(exc))
            ) from exc
        click.echo(_("Summary saved as %(path)s.", path=str(summary_out)))
    refused = len(report.refused)
    merged = len(report.files) - refused  # a file given twice counts as merged once it was
    click.echo(
        _(
            "Merged %(merged)s of %(count)s files into %(target)s.",
            merged=number(merged),
            count=number(len(report.files)),
            target=shown(target),
        )
    )
    if refused:
        click.echo(
            _(
                "Error: %(count)s files were refused and nothing of them was written; see the reasons above.",
                count=number(refused),
            ),
            err=True,
        )
        sys.exit(EXIT_REFUSED)
