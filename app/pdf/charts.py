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
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import get_month_names
from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor

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
    rows = tuple(
        (month_name(f.month, texts), texts.number(f.planned), texts.number(f.held)) for f in figures
    )
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
        drawing.add(String(chart.x + chart.width / 2, chart.y + chart.height / 2, empty_text,
                           fontName=FONT, fontSize=10, fillColor=MUTED, textAnchor="middle"))  # fmt: skip
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
    title_el.text, title_el.attrib["id"] = title, f"{key}-title"
    desc_el.text, desc_el.attrib["id"] = description, f"{key}-desc"
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.attrib.update({"role": "img", "aria-labelledby": f"{key}-title {key}-desc", "class": "chart-svg", "focusable": "false"})
    return ET.tostring(root, encoding="unicode")
