"""koordi export | import: the same operations as the sync page, from the command line.

    koordi export [--full] [--include-notes] [--include-names] [--copy] [--out FILE.zip] [--data-dir D]
    koordi import FILE.zip [--dry-run] [--data-dir D]

export only reads (and adds one line to the sync history), so it runs while Koordi is
open; import replaces data and is refused while Koordi runs on the data folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from app import i18n
from app.cli.common import (
    KoordiError,
    _,
    _l,
    cannot_write,
    cli_language,
    data_dir_option,
    hold_lock,
    number,
    open_beside,
    option,
    resolve_data_dir,
)
from app.core.clock import today
from app.core.geography import county_name
from app.diskio import write_file
from app.exchange.manifest import valid_month
from app.exchange.problems import describe
from app.store import DB_NAME, Store, StoreError
from app.store.lock import InstanceLock
from app.sync import history
from app.sync.export import ExportRefused, prepare_export, record_export
from app.sync.importer import ImportRefused, apply_import, plan_import, read_for_import


def _open_for_reading(folder: Path) -> tuple[Store, InstanceLock | None]:
    return open_beside(folder, _("No database in %(path)s: nothing to export.", path=str(folder)))


def _target(out: Path | None, default_name: str) -> Path:
    if out is None:
        return Path.cwd() / default_name
    if out.is_dir():
        return out / default_name
    return out


def _write_file(path: Path, data: bytes) -> None:
    """Written beside the target and moved into place: never a half-written zip under the real name."""
    if path.exists():
        raise KoordiError(_("%(path)s already exists; give another name with --out.", path=str(path)))
    try:
        write_file(path, data)  # whole or not at all, and private to the user like the database
    except OSError as exc:
        raise cannot_write(path, exc) from exc


def _refusal(exc: ExportRefused) -> str:
    if exc.reason == ExportRefused.NO_PROFILE:
        return _("Set up your coordinator profile in Koordi first: an export carries your name and county.")
    lines = [
        _(
            "%(file)s, record %(id)s, column %(column)s: contains a personal identity code (%(code)s).",
            file=f.file,
            id=f.row_id,
            column=f.column,
            code=f.masked,
        )
        for f in exc.findings[:20]
    ]
    lines.append(_("Koordi must not hold client data: remove the codes in Koordi, then export again. No file was made."))
    return "\n".join(lines)


def _check_complete_through(month: str | None, copy: bool) -> None:
    if month is None:
        return
    if copy:
        raise KoordiError(_("--complete-through is for the file to the central office, not for --copy."))
    if not valid_month(month):
        raise KoordiError(_("--complete-through: %(value)s is not a month; write it as YYYY-MM.", value=month))
    if month > today().strftime("%Y-%m"):
        raise KoordiError(_("--complete-through: %(value)s has not begun yet.", value=month))


@click.command(
    "export",
    help=_l(
        "Export the data to a zip of CSV files for the central office (or, with --copy, a full copy).\n\n"
        "Without --copy the file is for the central office: it is recorded in the sync history as sent, and "
        "the next export without --full holds only the rows changed since then. Safe while Koordi is open."
    ),
)
@option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help=_l(
        "The zip to write, or a folder for it (default: koordi_<county>_<coordinator>_<YYYYMMDD-HHMM>.zip "
        "in the current folder). An existing file is never overwritten."
    ),
)
@option("--full", is_flag=True, help=_l("All rows, not only those changed since the last export to the central office."))
@option("--include-notes", is_flag=True, help=_l("Include free text: notes, topics, descriptions."))
@option("--include-names", is_flag=True, help=_l("Include people's names and emails (trainees, unit supervisors)."))
@option(
    "--copy",
    "copy",
    is_flag=True,
    help=_l(
        "A copy to move to another computer or to keep: everything (full, notes and names). "
        "Not counted as sent to the central office, so the next incremental export is unaffected."
    ),
)
@option(
    "--complete-through",
    "complete_through",
    default=None,
    metavar="YYYY-MM",
    help=_l("Declare to the central office that everything through this month is entered (e.g. last month)."),
)
@data_dir_option
def export_command(
    out: Path | None,
    full: bool,
    include_notes: bool,
    include_names: bool,
    copy: bool,
    complete_through: str | None,
    data_dir: Path | None,
) -> None:
    """Export the data to a zip of CSV files for the central office (or, with --copy, a full copy).

    Without --copy the file is for the central office: it is recorded in the sync history
    as sent, and the next export without --full holds only the rows changed since then.
    Safe while Koordi is open.
    """
    _check_complete_through(complete_through, copy)
    folder = resolve_data_dir(data_dir)
    store, lock = _open_for_reading(folder)
    assert store.Session is not None and store.WriteSession is not None  # the store is open
    purpose = history.COPY if copy else history.CENTRAL
    try:
        with store.Session() as s:  # a read: never waits for Koordi's own writes
            try:
                result = prepare_export(
                    s,
                    purpose,
                    full=full,
                    include_notes=include_notes,
                    include_names=include_names,
                    complete_through=complete_through,
                )
            except ExportRefused as exc:
                raise KoordiError(_refusal(exc)) from exc
        path = _target(out, result.file_name)
        with store.WriteSession() as s:
            # The history's write lock before the file: if Koordi is busy writing past the
            # busy timeout, the export stops here with no file made.
            s.connection()
            _write_file(path, result.data)
            record_export(s, result, saved_as=path.name)
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc
    finally:
        store.dispose()
        if lock is not None:
            lock.release()
    total = sum(result.rows.values())
    if result.kind == "full":
        kind = _("full")
    else:
        kind = _("changes since %(since)s", since=i18n.format_local_datetime(result.since, cli_language()))
    notes = _("with notes") if result.manifest["notes_included"] else _("without notes")
    names = _("with names") if result.manifest["names_included"] else _("without names")
    click.echo(
        _(
            "Exported %(rows)s rows (%(kind)s, %(notes)s, %(names)s) to %(path)s",
            rows=number(total),
            kind=kind,
            notes=notes,
            names=names,
            path=str(path),
        )
    )
    if purpose == history.CENTRAL:
        click.echo(_("Recorded as sent to the central office: the next export holds the changes made after this one."))
        if complete_through:
            click.echo(_("Declared complete through %(month)s.", month=complete_through))


def _print_summary(plan) -> None:
    headings = [_("File"), _("Rows"), _("Created"), _("Updated"), _("Unchanged"), _("Deleted")]
    table = [headings] + [
        [s.file, number(s.rows), number(s.created), number(s.updated), number(s.unchanged), number(s.deleted)]
        for s in plan.summaries
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(headings))]
    for row in table:
        click.echo("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(_("Error: %(message)s", message=describe(problem, _)), err=True)


@click.command(
    "import",
    help=_l(
        "Import an export FILE.zip (restore, or move to a new computer).\n\n"
        "Everything is checked first; one bad row and nothing is written. A backup is taken before writing. "
        "Rows merge by id and the newer change wins, so importing a file twice changes nothing. Refused while "
        "Koordi is open on the data folder."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--dry-run", is_flag=True, help=_l("Check the file and show what would change; write nothing."))
@data_dir_option
def import_command(file: Path, dry_run: bool, data_dir: Path | None) -> None:
    """Import an export FILE.zip (restore, or move to a new computer).

    Everything is checked first; one bad row and nothing is written. A backup is taken
    before writing. Rows merge by id and the newer change wins, so importing a file
    twice changes nothing. Refused while Koordi is open on the data folder.
    """
    folder = resolve_data_dir(data_dir)
    if not file.is_file():
        raise KoordiError(_("%(path)s is not a file that can be read.", path=str(file)))
    lock = hold_lock(folder)
    scratch = None
    store = None
    try:
        if dry_run and not (folder / DB_NAME).exists():
            # A dry run leaves the data folder as it was: plan against a new, empty database.
            scratch = tempfile.TemporaryDirectory(prefix="koordi-dry-run-")
            store = Store.open(Path(scratch.name))
        else:
            store = Store.open(folder)
        assert store.Session is not None  # the store is open
        with store.Session() as s:
            plan = plan_import(s, read_for_import(s, file))
        _print_summary(plan)
        if not plan.ok:
            _print_problems(plan.problems)
            raise KoordiError(_("Nothing was imported: the file has %(count)s problems.", count=number(len(plan.problems))))
        if dry_run:
            click.echo(_("Dry run: the file is valid; nothing was written."))
            return
        try:
            outcome = apply_import(store, plan, file_name=file.name)
        except ImportRefused as exc:
            _print_problems(exc.plan.problems)
            raise KoordiError(
                _("Nothing was imported: the file has %(count)s problems.", count=number(len(exc.plan.problems)))
            ) from exc
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc
    finally:
        if store is not None:
            store.dispose()
        if scratch is not None:
            scratch.cleanup()
        lock.release()
    if outcome.backup is None:
        click.echo(_("Nothing to change: Koordi already has everything in this file."))
        return
    who = outcome.plan.adopt
    if who is not None:
        click.echo(
            _(
                "This Koordi now belongs to %(name)s (%(county)s), as the file does.",
                name=who.name,
                county=county_name(who.county, cli_language()),
            )
        )
    click.echo(_("Imported. A backup of the data before the import: %(path)s", path=str(outcome.backup.path)))
