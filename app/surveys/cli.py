"""`koordi survey import`: a survey tool's file of individual answers into a new round, as the
import page does it, from the command line.

    koordi survey import FILE --unit NAME|ID [--unit …] [--method NAME|ID] --instrument CODE
                         --date YYYY-MM-DD [--tool T] [--invited N] [--dry-run] [--data-dir D]

The file is read into memory and counted (app.core.survey_file, with the mapping remembered
for the instrument on the import page); it prints the counts and scores it would save, then
saves the round and its counts in one transaction (or nothing, with --dry-run or any problem).
Nothing of the file is written anywhere. Columns or answers the file leaves unknown are named,
and nothing is saved: map them once on the import page, and the mapping is remembered.
Runs beside an open Koordi (the write waits for the app's, like `koordi export`'s history).
"""

from __future__ import annotations

from pathlib import Path

import click

from app.cli.common import (
    KoordiError,
    _,
    _l,
    cli_language,
    data_dir_option,
    number,
    open_beside,
    option,
    option_date,
    resolve_data_dir,
)
from app.cli.lookup import find_method, find_record
from app.core import scoring
from app.core.instruments import BLANK, SMALL_ROUND, options
from app.core.survey_table import MAX_BYTES
from app.labels.surveys import GROUP_LABELS, KIND_LABELS
from app.models import Unit
from app.models.surveys import TOOLS, to_instrument
from app.pdf.text import Texts
from app.queries import survey_rounds as q
from app.store import Store, StoreError
from app.store.lock import InstanceLock
from app.surveys import importing, ops


@click.group("survey", help=_l("Follow-up surveys from the command line."))
def survey() -> None:
    """Follow-up surveys from the command line."""


def _open(folder: Path) -> tuple[Store, InstanceLock | None]:
    return open_beside(folder, _("No database in %(path)s: start Koordi once and add your units first.", path=str(folder)))


def _print_result(result, instrument, texts: Texts) -> None:
    lang = cli_language()
    if result.kind.value == "xlsx":
        click.echo(_("Read %(file)s: Excel workbook, sheet %(sheet)s.", file=result.file, sheet=result.sheet or "-"))
    else:
        delimiter = {"\t": "TAB"}.get(result.delimiter or "", result.delimiter or "")
        click.echo(
            _(
                "Read %(file)s: CSV, %(encoding)s, cells separated by %(delimiter)s.",
                file=result.file,
                encoding=result.encoding or "",
                delimiter=delimiter,
            )
        )
    click.echo(
        _(
            "Rows of answers: %(rows)s; respondents: %(respondents)s.",
            rows=number(result.rows),
            respondents=number(result.respondents),
        )
    )
    for item in instrument.items:
        counts = result.counts.get(item.code)
        if counts is None:
            continue
        parts = [f"{o.labels.get(lang) or o.code} {counts[o.code]}" for o in options(item) if counts.get(o.code)]
        parts.append(_("not answered %(n)s", n=counts.get(BLANK, 0)))
        click.echo(f"  {item.code}: " + ", ".join(parts))
    if result.missing_items:
        click.echo(_("Not in the file: %(items)s", items=", ".join(result.missing_items)))


def _print_scores(score: scoring.InstrumentScore, texts: Texts) -> None:
    click.echo(_("Scores:"))
    if score.score is not None and score.band is not None:
        click.echo(f"  {texts.label(KIND_LABELS, score.kind.value)}: {number(score.score, 1)} / 100 ({score.band.grade})")
    for g in score.groups:
        mean = number(g.mean, 2) if g.shown and g.mean is not None else "–"
        click.echo(f"  {texts.label(GROUP_LABELS, g.key) if g.key in GROUP_LABELS else g.key}: {mean} (n {number(g.n)})")
    for s in score.items:
        mean = number(s.mean, 2) if s.mean is not None else "–"
        click.echo(f"  {s.code}: {mean} (n {number(s.n)})")


@survey.command(
    "import",
    help=_l(
        "Count a survey tool's FILE of individual answers (CSV or XLSX) into a new survey round.\n\n"
        "Prints the counts and scores it would save. Nothing of the file is kept: only the counts per answer "
        "option per item are saved, in one transaction."
    ),
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option("--unit", "units", multiple=True, required=True, help=_l("The unit (name or id); give it again for each unit."))
@option("--method", default=None, help=_l("The method the survey was about (name or id)."))
@option(
    "--instrument",
    required=True,
    help=_l("The instrument: nomad-20, nomad-fi-16, sus, sus-positive, umux-lite, or a custom instrument's name or id."),
)
@option("--date", "day", required=True, help=_l("The day the survey closed, YYYY-MM-DD."))
@option("--tool", type=click.Choice(TOOLS), default="other", show_default=True, help=_l("The survey tool."))
@option("--invited", type=click.IntRange(0, 100_000), default=None, help=_l("How many were asked to answer."))
@option("--dry-run", is_flag=True, help=_l("Print the counts and scores; save nothing."))
@data_dir_option
def import_command(
    file: Path,
    units: tuple[str, ...],
    method: str | None,
    instrument: str,
    day: str,
    tool: str,
    invited: int | None,
    dry_run: bool,
    data_dir: Path | None,
) -> None:
    """Count a survey tool's FILE of individual answers (CSV or XLSX) into a new survey round.

    Prints the counts and scores it would save. Nothing of the file is kept: only the counts
    per answer option per item are saved, in one transaction.
    """
    date = option_date("--date", day)
    folder = resolve_data_dir(data_dir)
    try:
        with file.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # one byte over: the reader names the size
    except OSError as exc:
        raise KoordiError(_("%(path)s is not a file that can be read.", path=str(file))) from exc
    store, lock = _open(folder)
    assert store.WriteSession is not None  # the store is open
    texts = Texts(cli_language())
    try:
        with store.WriteSession() as s:
            row = q.instrument_by_code(s, instrument)
            if row is None:
                raise KoordiError(_("No instrument matches %(ref)s.", ref=instrument))
            unit_rows = [find_record(s, Unit, ref, _("No unit matches %(ref)s.", ref=ref)) for ref in units]
            method_row = find_method(s, method) if method else None
            result = importing.read(s, row, data, file.name)
            del data  # the individual answers end here
            if result.problems:
                for p in result.problems:
                    click.echo(_("Error: %(message)s", message=importing.describe(p, _)), err=True)
                raise KoordiError(_("Nothing was imported: the file has %(count)s problems.", count=number(len(result.problems))))
            if result.unmapped_columns or result.unmapped_answers:
                for c in result.unmapped_columns:
                    click.echo(_("Column %(letter)s (%(header)s): which item is it?", letter=c.letter, header=c.header), err=True)
                for code, answers in result.unmapped_answers.items():
                    for answer in answers:
                        click.echo(_("%(item)s: which answer option is “%(answer)s”?", item=code, answer=answer), err=True)
                raise KoordiError(
                    _(
                        "Nothing was imported: map these once on Koordi's import page (Follow-up, Import a survey "
                        "file); the mapping is remembered for the instrument."
                    )
                )
            core = to_instrument(row)
            _print_result(result, core, texts)
            try:
                _print_scores(scoring.score_counts(core, result.counts), texts)
            except ValueError:
                pass
            if result.respondents < SMALL_ROUND:
                click.echo(
                    _("Fewer than 5 answered: the round stays on this laptop unless you tick in Koordi that it may be shared.")
                )
            if dry_run:
                click.echo(_("Dry run: nothing was saved."))
                return
            ids = importing.item_ids(s, row)
            rnd = ops.save_imported(
                s,
                importing.counts_by_id(ids, result.counts),
                result.respondents,
                data=ops.RoundData(
                    instrument_id=row.id,
                    date=date,
                    answered=0,
                    unit_ids=[u.id for u in unit_rows],
                    method_id=method_row.id if method_row else None,
                    invited=invited,
                    tool=tool,
                ),
            )
            click.echo(_("Saved the survey round %(id)s: %(n)s respondents.", id=rnd.id, n=number(result.respondents)))
    except StoreError as exc:
        raise KoordiError(exc.describe(_)) from exc
    finally:
        store.dispose()
        if lock is not None:
            lock.release()
