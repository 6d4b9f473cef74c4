"""The national picture in the central office's PDF (app.central.pdf): the trends over the span,
each chart drawn as on the page and followed by its figures as a table, and who has reported
(the reporting grid of app.central.reporting, with its rates by county, area and country).

The span of the PDF is days (app.central.summary.Span); the trends take its months, by month
up to two years, by quarter up to ten, then by year. An open span (everything merged) shows
the twelve months up to its end.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.platypus import KeepTogether
from sqlalchemy import Connection, inspect

from app.central.picture import activity, deployments, indicators, surveys
from app.central.picture import charts as ch
from app.central.picture.labels import LEVEL_LABELS
from app.central.picture.names import Names, PictureTexts
from app.central.picture.scope import Scope
from app.central.picture.tables import Table
from app.central.summary import Span
from app.core.geography import AREA_BY_KEY, area_name
from app.core.periods import month_end
from app.pdf import blocks as b
from app.pdf.document import register_fonts
from app.pdf.text import Texts


def trend_scope(span: Span, today: dt.date) -> Scope:
    end = span.end or today
    if span.start is None:
        return Scope.default(end)
    start = span.start.replace(day=1)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    grain = "month" if months <= 24 else "quarter" if months <= 120 else "year"
    return Scope(start, month_end(end.replace(day=1)), level="country", grain=grain)


def _chart_block(linked: ch.Linked, texts: Texts) -> list:
    chart = linked.chart
    heads = linked.headers
    widths = [1 / len(chart.columns)] * len(chart.columns)
    if len(chart.columns) > 4:  # the names wider than the figures
        rest = (1 - 0.2 * heads) / (len(chart.columns) - heads)
        widths = [0.2] * heads + [rest] * (len(chart.columns) - heads)
    return [
        KeepTogether([b.h3(chart.title), chart.drawing]),
        b.small(chart.description),
        b.table(list(chart.columns), [list(r) for r in chart.rows], widths, numeric=range(heads, len(chart.columns)), wide=True),
    ]


def _table_block(table: Table) -> Any:
    """A tables.Table of the page (its cells without their links), with its note."""
    rows = [[c.text for c in row] for row in table.rows]
    widths = [0.3] + [0.7 / (len(table.columns) - 1)] * (len(table.columns) - 1)
    total = [c.text for c in table.total] if table.total else None
    block = b.table(list(table.columns), rows, widths, numeric=range(1, len(table.columns)), total=total, wide=True)
    return KeepTogether([b.h3(table.caption), block, b.small(table.note)]) if table.note else block


def trend_story(conn: Connection, span: Span, texts: Texts, today: dt.date, tables: set[str] | None = None) -> list:
    """`tables`: the database's tables (None: all of this Koordi's)."""
    _ = texts
    scope = trend_scope(span, today)
    periods = scope.periods()
    grain = {"month": _("by month"), "quarter": _("by quarter"), "year": _("by year")}[scope.grain]
    story: list = [
        b.h2(
            _("Trends %(from)s–%(to)s, %(grain)s", **{"from": texts.date(scope.start), "to": texts.date(scope.end)}, grain=grain)
        )
    ]
    lines = deployments.timelines(conn, scope)
    day = scope.day(today)
    found = deployments.phase_map(lines, scope, day, "county")
    names = Names(conn, texts)
    rows = [(k, names.label("county", k)) for k in names.sorted("county", {r for r, _m in found.cells})]
    methods = [(m, names.method(m)) for m in names.sorted("method", found.methods)]
    heading = texts.label(LEVEL_LABELS, "county")
    story += _chart_block(ch.map_chart(rows, methods, found.cells, texts, texts.date(day), heading), texts)
    story += _chart_block(ch.phase_trend_chart(periods, deployments.phase_trend(lines, periods, today), texts), texts)
    times = deployments.time_in_phase(lines, scope, day)
    story += _chart_block(ch.time_in_phase_chart(times, texts, texts.date(day)), texts)
    events = activity.events(conn, scope)
    story += _chart_block(ch.events_chart(periods, [events.at(p.key) for p in periods], texts), texts)
    guidance = activity.guidance(conn, scope)
    story += _chart_block(ch.guidance_chart(periods, [guidance.at(p.key) for p in periods], texts), texts)
    if indicators.available() and (tables is None or "monthly_figures" in tables):
        for i, line in enumerate(indicators.lines(conn, scope, texts.lang)):
            story += _chart_block(indicators.line_chart(line, scope, texts, f"indicator-{i}"), texts)
            table = indicators.line_table(line, scope, names, texts, f"indicator-table-{i}")
            story.append(_table_block(table))
    pools = surveys.surveys(conn, scope, texts.lang) if tables is None or "survey_counts" in tables else []
    for pool in pools:
        story += _chart_block(ch.survey_chart(pool, periods, texts), texts)
    story.append(
        b.small(
            _(
                "Survey results are pooled from the rounds' answer counts (never an average of round means); rounds with "
                "fewer than 5 respondents are left out."
            )
        )
    )
    return story


def picture_story(conn: Connection, span: Span, texts: Texts, today: dt.date) -> list:
    """What the central PDF adds after its summary tables."""
    register_fonts()  # before the first Paragraph: its style names the font
    texts = PictureTexts(texts.lang)
    # An older merged database read as it is (`koordi report central` opens it read-only): a part
    # whose tables it does not have yet is left out.
    found = inspect(conn)
    tables = set(found.get_table_names())
    grid_tables = {"office_settings", "office_roster", "merged_files"} <= tables
    if grid_tables and "complete_through" in {c["name"] for c in found.get_columns("merged_files")}:
        story = grid_story(conn, span, texts, today)
    else:
        story = []
    return [*story, *trend_story(conn, span, texts, today, tables)]


# -- who has reported ------------------------------------------------------------------------------

GRID_COLUMNS = 12  # periods per table: a longer span continues in the next table


def grid_story(conn: Connection, span: Span, texts: Texts, today: dt.date) -> list:
    """The reporting grid (app.central.reporting, app.central.completeness) for the span's periods:
    every coordinator × period as a symbol (never a colour alone), then the rates by county, area
    and country."""
    from app.central import completeness as C
    from app.central.reporting import Filters, reporting_grid
    from app.central.reporting_views import DECLARED, STATUS  # the grid page's symbols and words

    _ = texts
    scope = trend_scope(span, today)
    grid = reporting_grid(conn, today, Filters(first=scope.start, last=scope.end))
    words = {status: word for status, (_symbol, word, _text) in STATUS.items()}
    story: list = [b.h2(_("Reporting %(from)s–%(to)s", **{"from": texts.date(scope.start), "to": texts.date(scope.end)}))]
    legend = "; ".join(f"{symbol} {texts.label(words, status)}" for status, (symbol, _w, _t) in STATUS.items())
    story.append(b.small(f"{legend}; {DECLARED[0]} {texts.label({'declared': DECLARED[1]}, 'declared')}"))
    if not grid.rows:
        return [*story, b.empty(_("No coordinators in the merged files yet."))]
    for first in range(0, len(grid.periods), GRID_COLUMNS):
        periods = grid.periods[first : first + GRID_COLUMNS]
        rows = []
        for row in grid.rows:
            cells = row.cells[first : first + GRID_COLUMNS]
            marks = [STATUS[c.status][0] + (DECLARED[0] if c.declared else "") for c in cells]
            rows.append([row.person.name, texts.county(row.person.county) or row.person.county, *marks])
        share = 0.62 / max(len(periods), 1)
        story.append(
            b.table(
                [_("Coordinator"), _("County"), *(p.short for p in periods)],
                rows,
                [0.22, 0.16] + [share] * len(periods),
                plain=range(2, 2 + len(periods)),
                wide=True,
            )
        )

    def rate_row(name: str, r: C.Rates) -> list[str]:
        return [
            name,
            texts.number(r.due),
            *(texts.number(r.counts[s]) for s in (C.ON_TIME, C.LATE, C.GAP, C.MISSING)),
            _percent(texts, r.rate),
            _percent(texts, r.on_time_rate),
        ]

    by_area, by_county = grid.by_area(), grid.by_county()
    rates = [
        rate_row(f"{texts.label(LEVEL_LABELS, 'area')}: {area_name(k, texts.lang) if k in AREA_BY_KEY else k}", r)
        for k, r in by_area.items()
    ]
    rates += [rate_row(texts.county(k) or k, r) for k, r in by_county.items()]
    symbols = [f"{STATUS[s][0]} {texts.label(words, s)}" for s in (C.ON_TIME, C.LATE, C.GAP, C.MISSING)]
    story.append(b.h3(_("Reporting rates")))
    story.append(
        b.table(
            [_("Area or county"), _("Periods due"), *symbols, _("Reported"), _("On time")],
            rates,
            [0.3, 0.08, 0.09, 0.09, 0.09, 0.09, 0.13, 0.13],
            numeric=range(1, 8),
            total=rate_row(texts.label(LEVEL_LABELS, "country"), grid.total),
            wide=True,
        )
    )
    story.append(
        b.small(
            _(
                "Reported = (on time + late) / due; on time = on time / due. A period not yet due is not counted; "
                "a gap is not a whole report."
            )
        )
    )
    return story


def _percent(texts: Texts, share: float | None) -> str:
    return "–" if share is None else f"{texts.number(share * 100, 1)} %"
