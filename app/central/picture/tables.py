"""The national picture's tables by row of the level (areas, counties, coordinators or methods):
each cell formatted in the reader's language and carrying the rows page's arguments for the
rows behind it. The pages and the PDF show the same cells."""

from __future__ import annotations

from dataclasses import dataclass

from app.central.picture.activity import Tally
from app.central.picture.charts import Ref, construct_label, hours, phase_name
from app.central.picture.deployments import PhaseMap
from app.central.picture.labels import LEVEL_LABELS
from app.central.picture.names import Names
from app.central.picture.scope import Scope
from app.central.picture.surveys import InstrumentPools
from app.core.instruments import CONSTRUCTS
from app.core.phases import PHASES
from app.pdf.text import Texts
from app.queries.survey_results import Pooled


@dataclass(frozen=True)
class Cell:
    text: str
    ref: Ref = None
    href: str | None = None  # the ref as a link, made once by the page (picture_views)


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]  # the first cell of each is the row's header
    total: tuple[Cell, ...] | None = None
    note: str = ""


def level_heading(texts: Texts, level: str) -> str:
    return texts.label(LEVEL_LABELS, level)


def _link(value: int, ref: dict[str, str]) -> Ref:
    return ref if value else None


def phases_by_row(found: PhaseMap, scope: Scope, names: Names, texts: Texts) -> Table:
    _ = texts
    n = texts.number
    rows = []
    for key in names.sorted(scope.level, found.rows):
        counts = found.rows[key]
        base = {"figure": "deployments", "row": key}
        rows.append(
            (
                Cell(names.label(scope.level, key)),
                *(Cell(n(counts.get(p, 0)), _link(counts.get(p, 0), {**base, "phase": p})) for p in PHASES),
                Cell(n(sum(counts.values())), _link(sum(counts.values()), base)),
            )
        )
    total = (
        Cell(_("Total")),
        *(Cell(n(found.total.get(p, 0)), _link(found.total.get(p, 0), {"figure": "deployments", "phase": p})) for p in PHASES),
        Cell(n(sum(found.total.values())), _link(sum(found.total.values()), {"figure": "deployments"})),
    )
    return Table(
        "phases-by-row",
        _("Deployments by phase on %(date)s", date=texts.date(found.day)),
        (level_heading(texts, scope.level), *(phase_name(texts, p) for p in PHASES), _("Total")),
        tuple(rows),
        total,
    )


def events_by_row(tally: Tally, scope: Scope, names: Names, texts: Texts) -> Table:
    _ = texts
    n = texts.number

    def cells(f: dict[str, int], base: dict[str, str]) -> tuple[Cell, ...]:
        held = {**base, "status": "held"}
        return (
            Cell(n(f["planned"]), _link(f["planned"], base)),
            Cell(n(f["held"]), _link(f["held"], held)),
            Cell(n(f["people"]), _link(f["people"], held)),
        )

    rows = tuple(
        (Cell(names.label(scope.level, key)), *cells(tally.row_total(key), {"figure": "events", "row": key}))
        for key in names.sorted(scope.level, tally.row_totals)
    )
    note = _("An event may name several methods: the method rows do not add up to the total.") if scope.level == "method" else ""
    return Table(
        "events-by-row",
        _("Events by %(level)s", level=level_heading(texts, scope.level).lower()),
        (level_heading(texts, scope.level), _("Planned"), _("Held"), _("People")),
        rows,
        (Cell(_("Total")), *cells(tally.grand(), {"figure": "events"})),
        note,
    )


def guidance_by_row(tally: Tally, scope: Scope, names: Names, texts: Texts) -> Table:
    _ = texts
    n = texts.number

    def cells(f: dict[str, int], ref: dict[str, str]) -> tuple[Cell, ...]:
        link = _link(f["sessions"], ref)
        return (Cell(n(f["sessions"]), link), Cell(texts.hours(hours(f["minutes"])), link), Cell(n(f["people"]), link))

    rows = tuple(
        (Cell(names.label(scope.level, key)), *cells(tally.row_total(key), {"figure": "guidance", "row": key}))
        for key in names.sorted(scope.level, tally.row_totals)
    )
    return Table(
        "guidance-by-row",
        _("Method guidance by %(level)s", level=level_heading(texts, scope.level).lower()),
        (level_heading(texts, scope.level), _("Sessions"), _("Hours"), _("People guided")),
        rows,
        (Cell(_("Total")), *cells(tally.grand(), {"figure": "guidance"})),
        _("A person guided in several periods or under several methods counts once in a total."),
    )


def pooled_text(texts: Texts, value: float | None, n: int, digits: int = 2) -> str:
    return "–" if value is None else f"{texts.number(value, digits)} (n {texts.number(n)})"


def _survey_cells(p: InstrumentPools, pooled: Pooled | None, texts: Texts, ref: dict[str, str]) -> tuple[Cell, ...]:
    score = pooled.score if pooled else None
    link = ref if pooled and pooled.rounds else None
    if p.is_nomad:
        values = []
        for key in CONSTRUCTS:
            group = score.group(key) if score else None
            values.append(Cell(pooled_text(texts, group.mean if group else None, group.n if group else 0), link))
    else:
        values = [Cell(pooled_text(texts, score.score if score else None, pooled.respondents if pooled else 0, 1), link)]
    return (
        *values,
        Cell(texts.number(pooled.respondents if pooled else 0), link),
        Cell(texts.number(pooled.rounds if pooled else 0), link),
    )


def surveys_by_row(p: InstrumentPools, scope: Scope, names: Names, texts: Texts) -> Table:
    _ = texts
    base = {"figure": "surveys", "instrument": p.instrument_id}
    rows = tuple(
        (Cell(names.label(scope.level, key)), *_survey_cells(p, p.rows[key], texts, {**base, "row": key}))
        for key in names.sorted(scope.level, p.rows)
    )
    figures = [construct_label(texts, c) for c in CONSTRUCTS] if p.is_nomad else [_("Score (0–100)")]
    return Table(
        f"survey-{p.instrument_id}",
        _("%(instrument)s by %(level)s", instrument=p.name, level=level_heading(texts, scope.level).lower()),
        (level_heading(texts, scope.level), *figures, _("Respondents"), _("Rounds")),
        rows,
        (Cell(_("Total")), *_survey_cells(p, p.total, texts, base)),
    )
