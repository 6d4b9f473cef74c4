"""The national picture's charts, each drawn once (a reportlab Drawing: a flowable in the PDF, and
inline SVG on the page through app.pdf.charts.Chart.svg) and carrying its figures as a table.

Phases are told apart by colour AND a symbol (○ ◔ ◑ ◕ ● ‖ ×, in the order a deployment goes
through them), never by colour alone: the map's cells print the symbol beside the count, and
every legend names both. `Linked` adds, for each cell of a chart's table, the arguments of the
rows page that lists the merged rows behind it (None: a cell with nothing to list).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from markupsafe import Markup
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib.colors import HexColor

from app.central.picture.scope import Period
from app.core.instruments import CONSTRUCTS
from app.core.phases import PHASES
from app.labels.deployments import PHASE_LABELS
from app.labels.surveys import GROUP_LABELS
from app.pdf.charts import BRAND, LIGHT, SERIES_STYLES, Chart, plot_lines
from app.pdf.document import CONTENT_WIDTH, FONT, INK, LINE, MUTED, register_fonts
from app.pdf.text import Texts

# Light fills, so the ink on them keeps its contrast; the symbol says the phase without the colour.
PHASE_STYLE = {
    "planned": (HexColor("#e4e7ea"), "○"),
    "training": (HexColor("#fbe3a0"), "◔"),
    "pilot": (HexColor("#f6c08a"), "◑"),
    "in_use": (HexColor("#9fd8cf"), "◕"),
    "embedded": (HexColor("#5fb8a9"), "●"),
    "paused": (HexColor("#d9c8ea"), "‖"),
    "ended": (HexColor("#b9bec3"), "×"),
}
HEIGHT = 190
Ref = dict[str, str] | None  # the rows page's arguments for one table cell


@dataclass
class Linked:
    chart: Chart
    refs: tuple[tuple[Ref, ...], ...]  # per table row, per column
    headers: int = 1  # the leading cells of a table row that name it (the map's: row and method)
    hrefs: tuple[tuple[str | None, ...], ...] = ()  # the refs as links, made once by the page (picture_views)
    _svg: Markup | None = field(default=None, repr=False, compare=False)

    def svg(self) -> Markup:
        """The chart as inline SVG, rendered once (a kept page's charts are not drawn again)."""
        if self._svg is None:
            self._svg = self.chart.svg()
        return self._svg


def phase_name(texts: Texts, phase: str) -> str:
    return f"{PHASE_STYLE[phase][1]} {texts.label(PHASE_LABELS, phase)}"


def construct_label(texts: Texts, key: str) -> str:
    return texts.label(GROUP_LABELS, key)


def dominant(counts: dict[str, int]) -> str | None:
    """The phase most of a cell's deployments are in (the earlier one on a tie)."""
    best = max(PHASES, key=lambda p: (counts.get(p, 0), -PHASES.index(p)))
    return best if counts.get(best, 0) else None


def _drawing(width: float, height: float) -> Drawing:
    register_fonts()
    drawing = Drawing(width, height)
    # The renderer's starting font: otherwise Helvetica, a base-14 font the PDF would not embed.
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    return drawing


def _empty(drawing: Drawing, text: str, x: float, y: float) -> None:
    drawing.add(String(x, y, text, fontName=FONT, fontSize=10, fillColor=MUTED, textAnchor="middle"))


def _legend(drawing: Drawing, pairs: list, x: float, y: float, columns: int) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.boxAnchor, legend.alignment = "nw", "right"
    legend.columnMaximum = max(1, math.ceil(len(pairs) / columns))
    legend.deltax = (drawing.width - x) / columns
    legend.dx, legend.dy = 8, 8
    legend.fontName, legend.fontSize, legend.fillColor = FONT, 7.5, INK
    legend.strokeColor = None
    legend.colorNamePairs = pairs
    drawing.add(legend)


def nice_axis(top: float) -> tuple[float, float]:
    """(max, step) for a value axis from 0: steps of 1, 2 or 5 x 10^n, at most 6 of them."""
    top = max(top, 1)
    for power in range(0, 9):
        for base in (1, 2, 5):
            step = base * 10**power
            if top / step <= 6:
                return math.ceil(top / step) * step, step
    return top, top


def period_labels(periods: Sequence[Period]) -> list[str]:
    step = max(1, math.ceil(len(periods) / 12))
    return [p.label() if i % step == 0 else "" for i, p in enumerate(periods)]


# -- the map: rows x methods, coloured by phase ---------------------------------------------------


def map_chart(
    rows: list[tuple[str, str]],
    methods: list[tuple[str, str]],
    cells: dict[tuple[str, str], dict[str, int]],
    texts: Texts,
    day_text: str,
    row_heading: str,
) -> Linked:
    """rows: (key, label); methods: (id, name); cells[(row key, method id)]: deployments by phase."""
    _ = texts
    title = _("Deployments by method and phase on %(date)s", date=day_text)
    label_width, cell_h, head_h = 120.0, 13.0, 92.0
    cell_w = min(44.0, (CONTENT_WIDTH - label_width) / max(len(methods), 1))
    legend_h = 40.0
    height = head_h + cell_h * max(len(rows), 1) + legend_h
    drawing = _drawing(CONTENT_WIDTH, height)
    top = height - head_h
    for j, (_mid, name) in enumerate(methods):
        x = label_width + j * cell_w + cell_w / 2 + 3
        short = name if len(name) <= 26 else name[:25] + "…"
        group = Group(String(0, 0, short, fontName=FONT, fontSize=7, fillColor=INK))
        group.transform = (0, 1, -1, 0, x, top + 4)  # the method's name read upwards
        drawing.add(group)
    for i, (key, label) in enumerate(rows):
        y = top - (i + 1) * cell_h
        drawing.add(String(label_width - 4, y + 3.5, label[:28], fontName=FONT, fontSize=7, fillColor=INK, textAnchor="end"))
        for j, (mid, _name) in enumerate(methods):
            counts = cells.get((key, mid))
            phase = dominant(counts) if counts else None
            x = label_width + j * cell_w
            fill = PHASE_STYLE[phase][0] if phase else None
            drawing.add(Rect(x + 0.5, y + 0.5, cell_w - 1, cell_h - 1, fillColor=fill, strokeColor=LINE, strokeWidth=0.3))
            if phase and counts:
                text = f"{PHASE_STYLE[phase][1]} {texts.number(sum(counts.values()))}"
                drawing.add(
                    String(x + cell_w / 2, y + 3.5, text, fontName=FONT, fontSize=6.5, fillColor=INK, textAnchor="middle")
                )
    if not rows or not methods:
        _empty(drawing, _("No deployments on that day."), CONTENT_WIDTH / 2, top - cell_h / 2)
    pairs = [(PHASE_STYLE[p][0], phase_name(texts, p)) for p in PHASES]
    _legend(drawing, pairs, 0, legend_h - 6, 4)
    total = sum(sum(c.values()) for c in cells.values())
    description = _(
        "A grid with a row per %(rows)s and a column per method: each cell shows how many deployments there were "
        "on %(date)s, coloured and marked with the symbol of the phase most of them were in. %(total)s deployments in all.",
        rows=row_heading,
        date=day_text,
        total=texts.number(total),
    )
    columns = (row_heading, _("Method"), *(phase_name(texts, p) for p in PHASES), _("Total"))
    table_rows, refs = [], []
    for key, label in rows:
        for mid, name in methods:
            counts = cells.get((key, mid))
            if not counts or not sum(counts.values()):
                continue
            table_rows.append(
                (label, name, *(texts.number(counts.get(p, 0)) for p in PHASES), texts.number(sum(counts.values())))
            )
            base = {"figure": "deployments", "row": key, "method": mid}
            refs.append((None, None, *({**base, "phase": p} if counts.get(p) else None for p in PHASES), base))
    chart = Chart("deployment-map", title, description, columns, tuple(table_rows), drawing)
    return Linked(chart, tuple(refs), headers=2)


# -- deployments over time and time in phase --------------------------------------------------------


def phase_trend_chart(periods: list[Period], counts: list[dict[str, int]], texts: Texts) -> Linked:
    _ = texts
    title = _("Deployments by phase at the end of each period")
    drawing = _drawing(CONTENT_WIDTH, HEIGHT + 24)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 52
    chart.width, chart.height = CONTENT_WIDTH - chart.x - 6, HEIGHT - 30
    chart.data = [[c.get(p, 0) for c in counts] or [0] for p in PHASES]
    chart.categoryAxis.style = "stacked"
    chart.strokeColor = None
    for i, p in enumerate(PHASES):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = PHASE_STYLE[p][0], HexColor("#ffffff")
        chart.bars[i].strokeWidth = 0.3
    top, step = nice_axis(max((sum(c.values()) for c in counts), default=0))
    _axes(chart, texts, top, step, period_labels(periods) or [""])
    drawing.add(chart)
    _legend(drawing, [(PHASE_STYLE[p][0], phase_name(texts, p)) for p in PHASES], 0, 30, 4)
    if not any(sum(c.values()) for c in counts):
        _empty(drawing, _("No deployments on that day."), chart.x + chart.width / 2, chart.y + chart.height / 2)
    last = counts[-1] if counts else {}
    description = _(
        "Stacked bar chart of deployments by phase at the end of each period, from %(first)s to %(last)s; at the end: %(values)s.",
        first=periods[0].label() if periods else "–",
        last=periods[-1].label() if periods else "–",
        values="; ".join(f"{texts.label(PHASE_LABELS, p)} {texts.number(last.get(p, 0))}" for p in PHASES),
    )
    columns = (_("Period"), *(phase_name(texts, p) for p in PHASES), _("Total"))
    rows = tuple(
        (p.label(), *(texts.number(c.get(ph, 0)) for ph in PHASES), texts.number(sum(c.values())))
        for p, c in zip(periods, counts, strict=True)
    )
    refs = tuple(
        (
            None,
            *({"figure": "deployments", "period": p.code, "phase": ph} if c.get(ph) else None for ph in PHASES),
            {"figure": "deployments", "period": p.code} if sum(c.values()) else None,
        )
        for p, c in zip(periods, counts, strict=True)
    )
    return Linked(Chart("phase-trend", title, description, columns, rows, drawing), refs)


def _axes(chart, texts: Texts, top: float, step: float, labels: list[str], digits: int = 0) -> None:
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, MUTED
    axis.labelTextFormat = lambda v: texts.number(v, 0 if float(v).is_integer() else 1)
    axis.strokeColor, axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = LINE, True, LINE, 0.3
    cats = chart.categoryAxis
    cats.categoryNames = labels
    cats.labels.fontName, cats.labels.fontSize, cats.labels.fillColor = FONT, 7.5, INK
    cats.labels.boxAnchor = "n"
    cats.strokeColor, cats.visibleTicks = LINE, False


def time_in_phase_chart(times, texts: Texts, day_text: str) -> Linked:
    """times: app.central.picture.deployments.PhaseTime per phase."""
    _ = texts
    shown = [t for t in times if t.phase != "ended"]
    title = _("Median days in each phase")
    height = 40 + 22 * len(shown)
    drawing = _drawing(CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 120, 20
    chart.width, chart.height = CONTENT_WIDTH - chart.x - 40, height - chart.y - 8
    chart.data = [[t.median_ended or 0 for t in reversed(shown)], [t.median_ongoing or 0 for t in reversed(shown)]]
    chart.bars[0].fillColor, chart.bars[1].fillColor = BRAND, LIGHT
    chart.bars[0].strokeColor = chart.bars[1].strokeColor = None
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.strokeColor = None
    top, step = nice_axis(max((max(t.median_ended or 0, t.median_ongoing or 0) for t in shown), default=0))
    _axes(chart, texts, top, step, [phase_name(texts, t.phase) for t in reversed(shown)])
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -4
    chart.barLabelFormat = lambda v: texts.number(v) if v else ""
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = FONT, 6.5, INK
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    drawing.add(chart)
    ended_name, ongoing_name = _("Stays that ended in the span"), _("Stays going on, so far")
    _legend(drawing, [(BRAND, ended_name), (LIGHT, ongoing_name)], 0, height - 2, 2)
    description = _(
        "Bar chart of the median days deployments stayed in each phase: stays that ended within the span, and "
        "stays still going on on %(date)s. %(values)s",
        date=day_text,
        values="; ".join(f"{texts.label(PHASE_LABELS, t.phase)} {_days(texts, t.median_ended)}" for t in shown),
    )
    columns = (_("Phase"), _("Median days, ended"), _("Stays ended"), _("Median days so far"), _("Stays going on"))
    rows = tuple(
        (
            phase_name(texts, t.phase),
            _days(texts, t.median_ended),
            texts.number(len(t.ended)),
            _days(texts, t.median_ongoing),
            texts.number(len(t.ongoing)),
        )
        for t in shown
    )
    refs = tuple((None, None, None, None, {"figure": "deployments", "phase": t.phase} if t.ongoing else None) for t in shown)
    return Linked(Chart("time-in-phase", title, description, columns, rows, drawing), refs)


def _days(texts: Texts, value: float | None) -> str:
    return "–" if value is None else texts.number(value, 0 if float(value).is_integer() else 1)


# -- events and guidance by period ------------------------------------------------------------------


def bars(series: Sequence[Sequence[float]], legend: list, labels: list[str], texts: Texts, empty_text: str) -> Drawing:
    drawing = _drawing(CONTENT_WIDTH, HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 28
    chart.width, chart.height = CONTENT_WIDTH - chart.x - 6, HEIGHT - chart.y - 30
    chart.data = [list(values) or [0] for values in series]
    chart.groupSpacing = 4 if len(labels) <= 12 else 1.5
    chart.barSpacing = 0.5
    chart.strokeColor = None
    for i, (colour, _name) in enumerate(legend):
        chart.bars[i].fillColor, chart.bars[i].strokeColor = colour, None
    top, step = nice_axis(max((max(v) for v in series if v), default=0))
    _axes(chart, texts, top, step, labels or [""])
    drawing.add(chart)
    key = Legend()
    key.x, key.y, key.boxAnchor, key.alignment = CONTENT_WIDTH - 6, HEIGHT - 6, "ne", "right"
    key.columnMaximum, key.deltax, key.dx, key.dy = 1, 70, 8, 8
    key.fontName, key.fontSize, key.fillColor, key.strokeColor = FONT, 8, INK, None
    key.colorNamePairs, key.variColumn = legend, True
    drawing.add(key)
    if empty_text:
        _empty(drawing, empty_text, chart.x + chart.width / 2, chart.y + chart.height / 2)
    return drawing


def events_chart(periods: list[Period], figures: list[dict[str, int]], texts: Texts) -> Linked:
    _ = texts
    planned = [f["planned"] for f in figures]
    held = [f["held"] for f in figures]
    title = _("Events held and planned by period")
    drawing = bars(
        [planned, held],
        [(LIGHT, _("Planned")), (BRAND, _("Held"))],
        period_labels(periods),
        texts,
        _("No events in this period.") if not any(planned) else "",
    )
    description = _(
        "Bar chart of events by period: %(planned)s planned and %(held)s held in all, %(people)s people at the held events.",
        planned=texts.number(sum(planned)),
        held=texts.number(sum(held)),
        people=texts.number(sum(f["people"] for f in figures)),
    )
    columns = (_("Period"), _("Planned"), _("Held"), _("People"))
    rows = tuple(
        (p.label(), texts.number(f["planned"]), texts.number(f["held"]), texts.number(f["people"]))
        for p, f in zip(periods, figures, strict=True)
    )
    refs = tuple(
        (
            None,
            {"figure": "events", "period": p.code} if f["planned"] else None,
            {"figure": "events", "period": p.code, "status": "held"} if f["held"] else None,
            {"figure": "events", "period": p.code, "status": "held"} if f["people"] else None,
        )
        for p, f in zip(periods, figures, strict=True)
    )
    return Linked(Chart("events-by-period", title, description, columns, rows, drawing), refs)


def hours(minutes: int) -> Decimal:
    return Decimal(minutes) / 60


def guidance_chart(periods: list[Period], figures: list[dict[str, int]], texts: Texts) -> Linked:
    _ = texts
    values = [float(hours(f["minutes"])) for f in figures]
    title = _("Method guidance hours by period")
    drawing = bars(
        [values],
        [(BRAND, _("Hours"))],
        period_labels(periods),
        texts,
        _("No method guidance in this period.") if not any(values) else "",
    )
    description = _(
        "Bar chart of the hours of method guidance by period: %(hours)s hours in %(sessions)s sessions in all.",
        hours=texts.hours(hours(sum(f["minutes"] for f in figures))),
        sessions=texts.number(sum(f["sessions"] for f in figures)),
    )
    columns = (_("Period"), _("Sessions"), _("Hours"), _("People guided"))
    rows = tuple(
        (p.label(), texts.number(f["sessions"]), texts.hours(hours(f["minutes"])), texts.number(f["people"]))
        for p, f in zip(periods, figures, strict=True)
    )
    refs = tuple(
        (None, *([{"figure": "guidance", "period": p.code}] * 3 if f["sessions"] else [None] * 3))
        for p, f in zip(periods, figures, strict=True)
    )
    return Linked(Chart("guidance-by-period", title, description, columns, rows, drawing), refs)


# -- survey results over time --------------------------------------------------------------------------


@dataclass(frozen=True)
class LineSeries:
    name: str
    values: tuple[float | None, ...]
    ns: tuple[int, ...]


def line_chart(
    key: str,
    title: str,
    labels: list[str],
    series: list[LineSeries],
    texts: Texts,
    scale: tuple[float, float, float],
    reference: tuple[float, str] | None = None,
) -> Chart:
    """A line per series across the periods, on the axis scale (min, max, step); each series keeps
    its colour and its marker's shape (SERIES_STYLES), so a line is told apart without colour."""
    _ = texts
    digits = 2 if scale[1] <= 10 else 1
    drawing = _drawing(CONTENT_WIDTH, HEIGHT)
    chart = plot_lines(drawing, series, labels, texts, scale, reference)
    if not any(v is not None for s in series for v in s.values):
        _empty(drawing, _("Nothing to show yet."), chart.x + chart.width / 2, chart.y + chart.height / 2)
    _legend(drawing, [(SERIES_STYLES[i % len(SERIES_STYLES)][0], s.name) for i, s in enumerate(series)], chart.x, HEIGHT - 4, 2)

    def shown(value: float | None) -> str:
        return "–" if value is None else texts.number(value, digits)

    description = _(
        "Line chart of %(series)s by period, from %(first)s to %(last)s. Latest: %(values)s.",
        series=", ".join(s.name for s in series),
        first=labels[0] if labels else "–",
        last=labels[-1] if labels else "–",
        values="; ".join(f"{s.name} {shown(next((v for v in reversed(s.values) if v is not None), None))}" for s in series),
    )
    columns = (_("Period"), *(s.name for s in series))
    rows = tuple(
        (label, *(f"{shown(s.values[i])} (n {texts.number(s.ns[i])})" if s.values[i] is not None else "–" for s in series))
        for i, label in enumerate(labels)
    )
    return Chart(key, title, description, columns, rows, drawing)


def survey_chart(pools, periods: list[Period], texts: Texts) -> Linked:
    """A NoMAD instrument's constructs, or a usability instrument's score, by period: the periods
    with rounds only (NoMAD is asked twice a year), each point pooled from the period's counts."""
    _ = texts
    shown = [p for p in periods if p.key in pools.series and pools.series[p.key].rounds]
    labels = [p.label() for p in shown]
    if pools.is_nomad:
        series = []
        for key in CONSTRUCTS:
            groups = [pools.series[p.key].score.group(key) if pools.series[p.key].score else None for p in shown]
            series.append(
                LineSeries(
                    construct_label(texts, key),
                    tuple(g.mean if g is not None and g.shown else None for g in groups),
                    tuple(g.n if g is not None else 0 for g in groups),
                )
            )
        title = _("%(instrument)s: constructs by period", instrument=pools.name)
        chart = line_chart(f"survey-{pools.instrument_id}", title, labels, series, texts, (1, 5, 1))
    else:
        scores = [pools.series[p.key].score for p in shown]
        values = tuple(s.score if s is not None else None for s in scores)
        ns = tuple(pools.series[p.key].respondents for p in shown)
        title = _("%(instrument)s: score by period", instrument=pools.name)
        reference = (68.0, _("68 = 50th percentile")) if pools.instrument.kind.value != "umux_lite" else None
        series = [LineSeries(_("Score (0–100)"), values, ns)]
        chart = line_chart(f"survey-{pools.instrument_id}", title, labels, series, texts, (0, 100, 20), reference)
    refs = tuple(
        (None, *({"figure": "surveys", "period": p.code, "instrument": pools.instrument_id},) * (len(chart.columns) - 1))
        for p in shown
    )
    return Linked(chart, refs)
