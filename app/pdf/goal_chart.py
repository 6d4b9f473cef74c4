"""An indicator goal's progress line with its target, drawn once (app.pdf.charts' way) for the goal
page's inline SVG and any PDF: the monthly values (an indicator that never adds up) or the running
sum from the goal's first counted month (one whose months add up), and a dashed line at the target.
A month not reported is a gap in the line and "–" in the table: never a zero."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String

from app.pdf.charts import HEIGHT, Chart, month_labels, month_name
from app.pdf.document import BRAND, CONTENT_WIDTH, FONT, INK, LINE, MUTED, register_fonts
from app.pdf.text import Texts


def _axis(values: list[float], target: float) -> tuple[float, float]:
    """(max, step) from 0: steps of 1, 2 or 5 x 10^n, at most 6 of them, room for the target."""
    top = max([target, *values, 1]) * 1.1
    for power in range(-1, 8):
        for base in (1, 2, 5):
            step = base * 10**power
            if top / step <= 6:
                return math.ceil(top / step) * step, step
    return top, top


LEFT, RIGHT, BOTTOM, TOP = 40, 6, 28, 14  # the plot area's margins in the drawing


def _y(value: float, top: float) -> float:
    return BOTTOM + value / top * (HEIGHT - BOTTOM - TOP)


def _draw(values: list[float | None], target: float, labels: list[str], texts: Texts, joined: bool = False) -> Drawing:
    """Axes, grid, month labels, the line, a dot per reported month and the dashed target line, as
    plain shapes: a widget chart (reportlab's HorizontalLineChart) draws the same with several times
    the nodes, and the page renders it. The line breaks where a month was not reported; `joined`
    (a running total, which a silent month leaves as it was) goes on from dot to dot instead."""
    width, height = CONTENT_WIDTH, HEIGHT
    drawing = Drawing(width, height)
    # The renderer's starting font: otherwise Helvetica, a base-14 font the PDF would not embed.
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    top, step = _axis([v for v in values if v is not None], target)
    plot_w = width - LEFT - RIGHT
    slot = plot_w / max(len(values), 1)
    x_of = [LEFT + slot * (i + 0.5) for i in range(len(values))]
    tick = 0.0
    while tick <= top + 1e-9:
        y = _y(tick, top)
        drawing.add(Line(LEFT, y, LEFT + plot_w, y, strokeColor=LINE, strokeWidth=0.3))
        label = texts.number(tick, 0 if float(tick).is_integer() else 1)
        drawing.add(String(LEFT - 4, y - 2.5, label, fontName=FONT, fontSize=7.5, fillColor=MUTED, textAnchor="end"))
        tick += step
    drawing.add(Line(LEFT, BOTTOM, LEFT + plot_w, BOTTOM, strokeColor=LINE, strokeWidth=0.6))
    for x, label in zip(x_of, labels):
        if label:
            drawing.add(String(x, BOTTOM - 11, label, fontName=FONT, fontSize=7.5, fillColor=INK, textAnchor="middle"))
    run: list[float] = []
    points = [(x, v) for x, v in zip(x_of, values) if v is not None] if joined else list(zip(x_of, values))
    for x, value in [*points, (0.0, None)]:
        if value is None:
            if len(run) >= 4:
                drawing.add(PolyLine(run, strokeColor=BRAND, strokeWidth=1.5))
            run = []
            continue
        run += [x, _y(value, top)]
        drawing.add(Circle(x, _y(value, top), 2.2, fillColor=BRAND, strokeColor=None))
    y = _y(target, top)
    drawing.add(Line(LEFT, y, LEFT + plot_w, y, strokeColor=MUTED, strokeWidth=0.8, strokeDashArray=[3, 2]))
    return drawing


def goal_line_chart(
    months: list[dt.date],
    values: list[Decimal | None],
    target: int,
    texts: Texts,
    *,
    key: str,
    name: str,
    cumulative: bool,
    lower_is_better: bool,
) -> Chart:
    _ = texts
    shown = [float(v) if v is not None else None for v in values]
    digits = 0 if all(v is None or v == v.to_integral_value() for v in values) else 1
    number = lambda v: "–" if v is None else texts.number(v, digits)  # noqa: E731
    latest = next((v for v in reversed(values) if v is not None), None)
    title = _("Running total of %(indicator)s", indicator=name) if cumulative else _("%(indicator)s by month", indicator=name)
    description = _(
        "Line chart of %(indicator)s from %(first)s to %(last)s against the target %(target)s (%(direction)s). "
        "Latest: %(latest)s. Months not reported are gaps.",
        indicator=name,
        first=month_name(months[0], texts) if months else "–",
        last=month_name(months[-1], texts) if months else "–",
        target=texts.number(target),
        direction=_("lower is better") if lower_is_better else _("higher is better"),
        latest=number(latest),
    )
    register_fonts()
    drawing = _draw(shown, float(target), month_labels(months, texts) or [""], texts, joined=cumulative)
    if not any(v is not None for v in shown):
        drawing.add(
            String(
                LEFT + (CONTENT_WIDTH - LEFT - RIGHT) / 2,
                BOTTOM + (HEIGHT - BOTTOM - TOP) / 2,
                _("Nothing reported yet."),
                fontName=FONT,
                fontSize=10,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
    drawing.add(
        String(
            CONTENT_WIDTH - RIGHT - 2,
            _y(float(target), _axis([v for v in shown if v is not None], float(target))[0]) + 2,
            _("Target %(target)s", target=texts.number(target)),
            fontName=FONT,
            fontSize=7,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
    column = _("Running total") if cumulative else _("Value")
    rows = tuple((month_name(m, texts), number(v)) for m, v in zip(months, values))
    return Chart(key, title, description, (_("Month"), column), rows, drawing)
