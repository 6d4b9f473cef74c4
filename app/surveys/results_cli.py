"""`koordi results`: every survey round's scores, as a table or as CSV for Excel.

    koordi results [--unit NAME|ID] [--method NAME|ID] [--from D] [--to D] [--format table|csv] [--data-dir D]

One line per round, oldest first: its date, units, method, instrument, respondents, and its
scores as the results page shows them (app.queries.survey_results; app.core.scoring). Rounds
under 5 respondents are printed, marked: this is the coordinator's own view. CSV is Koordi's
dialect (app.core.csvfmt: UTF-8 with BOM, ';', decimal commas). Read-only like `koordi report`
(a read-only session, checked first), so it runs while Koordi is open.
"""

from __future__ import annotations

import click

from app import i18n
from app.cli.common import KoordiError, _, _l, cli_language, data_dir_option, option, option_date
from app.cli.lookup import find_method, find_record
from app.core import csvfmt
from app.core import instruments as core
from app.labels.deployments import PHASE_LABELS
from app.labels.survey_results import SCORING_RULE
from app.labels.surveys import GROUP_LABELS
from app.models import Unit
from app.pdf.text import Texts, msgid_of
from app.queries import survey_results as q
from app.reports import survey_results as words
from app.reports.cli import _session as read_only_session


def header(texts: Texts) -> list[str]:
    t = texts.gettext
    return [
        t("Date"),
        t("Units"),
        t("Method"),
        t("Instrument"),
        t("Respondents"),
        t("Invited"),
        t("Under 5"),
        t("Means only"),
        *(texts.label(GROUP_LABELS, k) for k in core.CONSTRUCTS),
        t("Not relevant at this stage"),
        t("Phase on the day"),
        t("Score"),
        t("Percentile band"),
        t("Other scores"),
    ]


def row(r: q.RoundResult, texts: Texts, csv: bool) -> list[str]:
    """One round's cells. In CSV a number has no thousands separator (Excel reads "1234,5" as a number)."""
    yes, no = texts.gettext("yes"), texts.gettext("no")

    def number(value: float | None, digits: int) -> str:
        if value is None:
            return ""
        return i18n.format_number(value, texts.lang, digits).replace("\xa0", "") if csv else texts.number(value, digits)

    score = r.score
    nomad = score is not None and score.kind is core.Kind.NOMAD
    usability = score is not None and score.kind in q.USABILITY_KINDS
    groups = words.constructs(score) if nomad else []
    stage = r.stage_share
    other = ""
    if score is not None and score.kind is core.Kind.CUSTOM:
        other = "; ".join(f"{g.key or '–'} {number(g.mean, 2)}" for g in score.groups if g.mean is not None)
    return [
        r.date.isoformat() if csv else texts.date(r.date),
        ", ".join(u.name for u in r.units),
        r.round.method.name(texts.lang) if r.round.method else "",
        words.instrument_name(texts, r),
        str(r.round.answered),
        "" if r.round.invited is None else str(r.round.invited),
        yes if r.small else no,
        yes if r.round.means_only else no,
        *([number(g.mean if g else None, 2) for _k, g in groups] if nomad else [""] * 4),
        "" if stage is None else number(stage * 100, 1),
        ", ".join(texts.label(PHASE_LABELS, p) for p in r.phase_names() if p) if nomad else "",
        number(score.score, 1) if usability and score is not None and score.score is not None else "",
        score.band.grade if usability and score is not None and score.band is not None else "",
        other,
    ]


def _print_table(head: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(head, *rows, strict=True)]
    for cells in [head, *rows]:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(cells)).rstrip())


@click.command("results", help=_l("Every survey round's scores (NoMAD constructs, usability scores), oldest first."))
@option(
    "--unit", "unit_ref", default=None, metavar="NAME|ID", help=_l("Only this unit's rounds (its name, part of it, or its id).")
)
@option(
    "--method",
    "method_ref",
    default=None,
    metavar="NAME|ID",
    help=_l("Only rounds of this method (its name, part of it, or its id)."),
)
@option("--from", "date_from", default=None, metavar="YYYY-MM-DD", help=_l("Rounds dated on or after this day."))
@option("--to", "date_to", default=None, metavar="YYYY-MM-DD", help=_l("Rounds dated on or before this day."))
@option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", help=_l("A table to read, or CSV for Excel."))
@data_dir_option
def results(unit_ref, method_ref, date_from, date_to, fmt, data_dir) -> None:
    """Every survey round's scores (NoMAD constructs, usability scores), oldest first."""
    start = option_date("--from", date_from)
    end = option_date("--to", date_to)
    if start and end and end < start:
        raise KoordiError(_("--to (%(end)s) is before --from (%(start)s).", start=start.isoformat(), end=end.isoformat()))
    texts = Texts(cli_language())
    with read_only_session(data_dir) as s:
        unit = find_record(s, Unit, unit_ref, _("No unit matches %(ref)s.", ref=unit_ref)) if unit_ref else None
        method = find_method(s, method_ref) if method_ref else None
        rounds = q.load_rounds(
            s, q.Filter(unit_id=unit.id if unit else "", method_id=method.id if method else "", start=start, end=end)
        )
        rows = [row(r, texts, fmt == "csv") for r in rounds]
    head = header(texts)
    if fmt == "csv":
        click.echo(csvfmt.write_csv(head, rows), nl=False)  # bytes: the BOM and CRLFs exactly as written
        return
    if not rows:
        click.echo(_("No survey rounds."))
        return
    _print_table(head, rows)
    small = sum(1 for r in rounds if r.small)
    if small:
        click.echo(
            _(
                "Rounds with fewer than 5 respondents: %(count)s. They are shown here, and left out of documents "
                "unless marked as shareable.",
                count=small,
            )
        )
    click.echo(texts(msgid_of(SCORING_RULE)))
