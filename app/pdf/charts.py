"""Charts: one definition, drawn into the PDF and shown as inline SVG on the reports page.

Each chart is a reportlab.graphics Drawing (a flowable in a PDF) and carries its own
text alternative: a title, a one-sentence description with the key figures, and the
figures as rows for an accessible table. `Chart.svg()` renders the very same Drawing
with renderSVG and makes it fit a page that runs under a strict Content-Security-
Policy: renderSVG writes `style="..."` attributes, which `style-src 'self'` refuses,
so they become SVG presentation attributes (fill="...", font-size="..."); ids are
made unique per chart; the <svg> gets role="img" and aria-labelledby its <title>
and <desc>.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import get_month_names
from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.i18n import FORMAT_LOCALES
from app.pdf.document import BRAND, CONTENT_WIDTH, FONT, INK, LINE, MUTED, register_fonts
from app.pdf.text import Texts

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
LIGHT = HexColor("#9fd8cf")  # the logo's second colour: planned beside held
WEB_FONTS = '"DejaVu Sans", "Segoe UI", system-ui, sans-serif'
HEIGHT = 190


@dataclass(frozen=True)
class MonthFigures:
    """One month's bar values (what the period report's month rows give)."""

    month: dt.date  # its first day
    planned: int
    held: int
    hours: Decimal


@dataclass(frozen=True)
class Chart:
    key: str  # unique on a page: "events-per-month"
    title: str
    description: str  # the text alternative, with the figures that matter
    columns: tuple[str, ...]  # the figures as a table, for the accessible alternative
    rows: tuple[tuple[str, ...], ...]
    drawing: Drawing

    def svg(self) -> Markup:
        return Markup(to_svg(self.drawing, self.key, self.title, self.description))


# -- the charts -------------------------------------------------------------------------------


def month_labels(months: list[dt.date], texts: Texts) -> list[str]:
    """Month names within one year ("tammi"); "1/2026" across years, thinned to fit."""
    if len({m.year for m in months}) == 1:
        names = get_month_names("abbreviated", "stand-alone", FORMAT_LOCALES[texts.lang])
        return [str(names[m.month]).rstrip(".") for m in months]
    step = max(1, math.ceil(len(months) / 12))
    return [f"{m.month}/{m.year}" if i % step == 0 else "" for i, m in enumerate(months)]


def events_chart(figures: list[MonthFigures], texts: Texts) -> Chart:
    _ = texts
    planned = [f.planned for f in figures]
    held = [f.held for f in figures]
    title = _("Events per month: held and planned")
    description = _(
        "Bar chart of the period's events by month. In all %(planned)s events were planned and %(held)s of them were held; "
        "the busiest month had %(most)s events.",
        planned=texts.number(sum(planned)),
        held=texts.number(sum(held)),
        most=texts.number(max(planned, default=0)),
    )
    drawing = _bar_drawing(
        [planned, held],
        [(LIGHT, _("Planned")), (BRAND, _("Held"))],
        month_labels([f.month for f in figures], texts),
        texts,
        empty_text=_("No events in this period.") if not any(planned) else "",
    )
    rows = tuple((month_name(f.month, texts), texts.number(f.planned), texts.number(f.held)) for f in figures)
    return Chart("events-per-month", title, description, (_("Month"), _("Planned"), _("Held")), rows, drawing)


def guidance_chart(figures: list[MonthFigures], texts: Texts) -> Chart:
    _ = texts
    hours = [float(f.hours) for f in figures]
    title = _("Method guidance hours per month")
    total = sum((f.hours for f in figures), Decimal(0))
    description = _(
        "Bar chart of the hours of method guidance given each month of the period: %(hours)s hours in all.",
        hours=texts.hours(total),
    )
    labels_on_bars = len(figures) <= 12
    drawing = _bar_drawing(
        [hours],
        [(BRAND, _("Hours"))],
        month_labels([f.month for f in figures], texts),
        texts,
        value_labels=labels_on_bars,
        decimals=1,
        empty_text=_("No method guidance in this period.") if not any(hours) else "",
    )
    rows = tuple((month_name(f.month, texts), texts.hours(f.hours)) for f in figures)
    return Chart("guidance-hours-per-month", title, description, (_("Month"), _("Hours")), rows, drawing)


def month_name(month: dt.date, texts: Texts) -> str:
    names = get_month_names("wide", "stand-alone", FORMAT_LOCALES[texts.lang])
    return f"{names[month.month]} {month.year}"


def _nice_axis(top: float) -> tuple[float, float]:
    """(max, step) for a value axis from 0: steps of 1, 2 or 5 x 10^n, at most 6 of them."""
    top = max(top, 1)
    for power in range(0, 8):
        for base in (1, 2, 5):
            step = base * 10**power
            if top / step <= 6:
                return math.ceil(top / step) * step, step
    return top, top


def _bar_drawing(series, legend, labels, texts: Texts, value_labels=False, decimals=0, empty_text="") -> Drawing:
    register_fonts()
    width, height = CONTENT_WIDTH, HEIGHT
    drawing = Drawing(width, height)
    # The renderer's starting font: otherwise Helvetica, a base-14 font the PDF would not embed.
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 28
    chart.width, chart.height = width - chart.x - 6, height - chart.y - 30
    chart.data = [list(values) for values in series]
    chart.groupSpacing = 4 if len(labels) <= 12 else 1.5
    chart.barSpacing = 0.5
    chart.strokeColor = None
    for i, (colour, _name) in enumerate(legend):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    top, step = _nice_axis(max((max(v) for v in series if v), default=0))
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, MUTED
    axis.labelTextFormat = lambda v: texts.number(v, 0 if float(v).is_integer() else 1)
    axis.strokeColor = LINE
    axis.visibleGrid = True
    axis.gridStrokeColor = LINE
    axis.gridStrokeWidth = 0.3
    cats = chart.categoryAxis
    cats.categoryNames = labels
    cats.labels.fontName, cats.labels.fontSize, cats.labels.fillColor = FONT, 7.5, INK
    cats.labels.boxAnchor = "n"
    cats.strokeColor = LINE
    cats.visibleTicks = False
    if value_labels:
        chart.barLabelFormat = lambda v: (texts.hours(Decimal(str(v))) if decimals else texts.number(v)) if v else ""
        chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = FONT, 6.5, INK
        chart.barLabels.nudge = 6
    drawing.add(chart)
    key = Legend()
    key.x, key.y = width - 6, height - 6
    key.boxAnchor = "ne"
    key.alignment = "right"
    key.columnMaximum = 1
    key.deltax = 70
    key.dx, key.dy = 8, 8
    key.fontName, key.fontSize, key.fillColor = FONT, 8, INK
    key.strokeColor = None
    key.colorNamePairs = legend
    key.variColumn = True
    drawing.add(key)
    if empty_text:
        drawing.add(
            String(
                chart.x + chart.width / 2,
                chart.y + chart.height / 2,
                empty_text,
                fontName=FONT,
                fontSize=10,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    return drawing


# -- SVG for the web page -----------------------------------------------------------------------


def to_svg(drawing: Drawing, key: str, title: str, description: str) -> str:
    root = ET.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    ids = {}
    for element in root.iter():
        if "id" in element.attrib:
            ids[element.attrib["id"]] = f"{key}-{element.attrib['id']}"
            element.attrib["id"] = ids[element.attrib["id"]]
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, sep, value = declaration.partition(":")
                if sep:
                    element.attrib[name.strip()] = value.strip()
        for name, value in list(element.attrib.items()):
            if value.startswith("url(#"):
                target = value[5:-1]
                element.attrib[name] = f"url(#{ids.get(target, target)})"
        if "font-family" in element.attrib:
            element.attrib["font-family"] = WEB_FONTS
    title_el = root.find(f"{{{SVG_NS}}}title")
    desc_el = root.find(f"{{{SVG_NS}}}desc")
    assert title_el is not None and desc_el is not None  # renderSVG writes both
    title_el.text, title_el.attrib["id"] = title, f"{key}-title"
    desc_el.text, desc_el.attrib["id"] = description, f"{key}-desc"
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.attrib.update({"role": "img", "aria-labelledby": f"{key}-title {key}-desc", "class": "chart-svg", "focusable": "false"})
    return ET.tostring(root, encoding="unicode")


# -- follow-up survey results (app.queries.survey_results) ------------------------------------------

# Told apart by marker shape as well as colour (Okabe & Ito's palette beside the brand colour).
SERIES_STYLES = (
    (BRAND, "FilledCircle"),
    (HexColor("#b35900"), "FilledSquare"),
    (HexColor("#7a4f9e"), "FilledDiamond"),
    (HexColor("#2f7d32"), "FilledTriangle"),
    (HexColor("#a3324a"), "FilledCross"),
)
SUS_MEDIAN = 68  # the 50th percentile of SUS scores (FOLLOWUP.md; Sauro & Lewis)


@dataclass(frozen=True)
class ProfileBar:
    """One NoMAD construct of a profile: its pooled mean (None: "–"), valid answers, not-relevant share."""

    label: str
    mean: float | None
    n: int
    not_relevant: float | None  # 0..1; None: unknown (means only)


@dataclass(frozen=True)
class TrendSeries:
    name: str
    values: tuple[float | None, ...]  # one per point of the trend; None: not shown there
    ns: tuple[int, ...]  # the valid answers (or respondents) behind each value


def _share(texts: Texts, share: float | None) -> str:
    return "–" if share is None else f"{texts.number(share * 100, 1)} %"


def _mean(texts: Texts, value: float | None, digits: int = 2) -> str:
    return "–" if value is None else texts.number(value, digits)


def _wrapped_labels(labels: list[str], size: float, most: float) -> tuple[list[str], float]:
    """Each label's words in lines no wider than `most` points (a word longer stays whole),
    joined by newlines as reportlab's labels take them; and the widest line, measured."""
    out, widest = [], 0.0
    for label in labels:
        lines: list[str] = []
        for word in label.split():
            joined = f"{lines[-1]} {word}" if lines else word
            if lines and stringWidth(joined, FONT, size) <= most:
                lines[-1] = joined
            else:
                lines.append(word)
        out.append("\n".join(lines))
        widest = max([widest, *(stringWidth(line, FONT, size) for line in lines)])
    return out, widest


def construct_profile_chart(bars: list[ProfileBar], texts: Texts, key: str, subtitle: str = "") -> Chart:
    """The NoMAD construct profile: each construct's pooled mean on the 1–5 scale."""
    _ = texts
    title = _("NoMAD construct profile") + (f": {subtitle}" if subtitle else "")
    shown = [b for b in bars if b.mean is not None]
    description = _(
        "Bar chart of the pooled mean of each NoMAD construct on a scale from 1 (strongly disagree) to 5 "
        "(strongly agree): %(values)s.",
        values="; ".join(f"{b.label} {_mean(texts, b.mean)}" for b in bars),
    )
    register_fonts()
    width, height = CONTENT_WIDTH, 30 + 26 * max(len(bars), 1)
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    chart = HorizontalBarChart()
    # The left margin is the construct names' measured width ("Reflexiv uppföljning (reflexive
    # monitoring)" ran past the left edge of a fixed 150): up to 45 % of the width, wrapped beyond.
    names, widest = _wrapped_labels([b.label for b in bars], 8, width * 0.45 - 8)
    chart.x, chart.y = max(60.0, widest + 8), 22
    chart.width, chart.height = width - chart.x - 40, height - chart.y - 6
    chart.data = [[b.mean for b in reversed(bars)]]
    chart.bars[0].fillColor, chart.bars[0].strokeColor = BRAND, None
    chart.barSpacing, chart.groupSpacing = 0, 8
    chart.strokeColor = None
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 1, 5, 1
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, MUTED
    axis.labelTextFormat = lambda v: texts.number(v)
    axis.strokeColor, axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = LINE, True, LINE, 0.3
    cats = chart.categoryAxis
    cats.categoryNames = list(reversed(names))
    cats.labels.fontName, cats.labels.fontSize, cats.labels.fillColor = FONT, 8, INK
    cats.labels.boxAnchor, cats.labels.dx = "e", -4
    cats.strokeColor, cats.visibleTicks = LINE, False
    chart.barLabelFormat = lambda v: _mean(texts, v)
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = FONT, 7.5, INK
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    drawing.add(chart)
    if not shown:
        drawing.add(
            String(
                chart.x + chart.width / 2,
                chart.y + chart.height / 2,
                _("Too few answers to show a construct."),
                fontName=FONT,
                fontSize=10,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    rows = tuple((b.label, _mean(texts, b.mean), texts.number(b.n), _share(texts, b.not_relevant)) for b in bars)
    columns = (_("Construct"), _("Pooled mean (1–5)"), _("Valid answers"), _("Not relevant"))
    return Chart(key, title, description, columns, rows, drawing)


def trend_chart(
    labels: list[str],
    series: list[TrendSeries],
    texts: Texts,
    key: str,
    title: str,
    scale: tuple[float, float, float],
    reference: tuple[float, str] | None = None,
) -> Chart:
    """A line per series across the trend's points (half-years), on the axis scale = (min, max, step);
    `reference` draws a dashed line at a value with its label (SUS: 68, the median)."""
    _ = texts
    high = scale[1]
    digits = 2 if high <= 10 else 1
    description = _(
        "Line chart of %(series)s by half-year, from %(first)s to %(last)s. %(latest)s",
        series=", ".join(s.name for s in series),
        first=labels[0] if labels else "–",
        last=labels[-1] if labels else "–",
        latest=_(
            "Latest: %(values)s.",
            values="; ".join(
                f"{s.name} {_mean(texts, next((v for v in reversed(s.values) if v is not None), None), digits)}" for s in series
            ),
        ),
    )
    register_fonts()
    width, height = CONTENT_WIDTH, HEIGHT
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    chart = plot_lines(drawing, series, labels, texts, scale, reference)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 4
    legend.boxAnchor, legend.alignment = "nw", "right"
    legend.columnMaximum, legend.dx, legend.dy = math.ceil(len(series) / 2) or 1, 8, 8
    legend.deltax = (width - chart.x) / 2  # two columns of names, however long
    legend.fontName, legend.fontSize, legend.fillColor = FONT, 8, INK
    legend.strokeColor = None
    legend.colorNamePairs = [(SERIES_STYLES[i % len(SERIES_STYLES)][0], s.name) for i, s in enumerate(series)]
    drawing.add(legend)
    if not any(v is not None for s in series for v in s.values):
        drawing.add(
            String(
                chart.x + chart.width / 2,
                chart.y + chart.height / 2,
                _("Nothing to show yet."),
                fontName=FONT,
                fontSize=10,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    columns = (_("Half-year"), *(s.name for s in series))
    rows = tuple(
        (
            label,
            *(
                f"{_mean(texts, s.values[i], digits)} (n {texts.number(s.ns[i])})" if s.values[i] is not None else "–"
                for s in series
            ),
        )
        for i, label in enumerate(labels)
    )
    return Chart(key, title, description, columns, rows, drawing)


def plot_lines(
    drawing: Drawing,
    series: Sequence,
    labels: list[str],
    texts: Texts,
    scale: tuple[float, float, float],
    reference: tuple[float, str] | None = None,
) -> HorizontalLineChart:
    """A line per series (anything with `.values`, None where a point has no value) over the whole
    drawing, leaving room above for a two-column legend; each series keeps its colour and marker
    (SERIES_STYLES) by its place in `series`. Drawn, with the dashed `reference` line, only when a
    series has a value: the caller says "Nothing to show yet." otherwise. The PDF's trends and the
    central office's picture share it."""
    low, high, step = scale
    width, height = drawing.width, drawing.height
    chart = HorizontalLineChart()
    chart.x, chart.y = 34, 28
    chart.width, chart.height = width - chart.x - 6, height - chart.y - 14 - 12 * math.ceil(len(series) / 2)
    # A series with no value anywhere has no line to draw (reportlab refuses an empty one); it keeps
    # its colour, its place in the legend and its column in the table.
    plotted = [(i, s) for i, s in enumerate(series) if any(v is not None for v in s.values)]
    chart.data = [list(s.values) for _i, s in plotted]
    chart.joinedLines = 1
    for line, (i, _series) in enumerate(plotted):
        colour, marker = SERIES_STYLES[i % len(SERIES_STYLES)]
        chart.lines[line].strokeColor, chart.lines[line].strokeWidth = colour, 1.5
        chart.lines[line].symbol = makeMarker(marker, size=5, fillColor=colour, strokeColor=colour)
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = low, high, step
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, MUTED
    axis.labelTextFormat = lambda v: texts.number(v)
    axis.strokeColor, axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = LINE, True, LINE, 0.3
    cats = chart.categoryAxis
    cats.categoryNames = labels or [""]
    cats.labels.fontName, cats.labels.fontSize, cats.labels.fillColor = FONT, 7.5, INK
    cats.labels.boxAnchor = "n"
    cats.strokeColor, cats.visibleTicks = LINE, False
    if plotted:
        drawing.add(chart)
        if reference is not None:
            value, name = reference
            y = chart.y + (value - low) / (high - low) * chart.height
            drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=[3, 2]))
            drawing.add(
                String(chart.x + chart.width - 2, y + 2, name, fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="end")
            )
    return chart
