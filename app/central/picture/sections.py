"""The national picture's figures for one page (a section) and scope, before their links.

    values = compute("surveys", conn, scope, names, texts, today, lines)

Without Flask: the pages (app.central.picture_views) and the end of a merge
(app.central.picture.prepare) compute the same values, so figures stored at merge time are
exactly what a page would have computed. The links to the rows behind each figure are added by
the page (they are URLs of the running app): here a cell or a chart's cell only carries its
`ref`. Every value is a Linked chart, a Table, or lists / tuples / dicts of them and of plain
values, which app.central.picture.stored writes as JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from app.central.picture import activity, deployments, surveys
from app.central.picture import charts as ch
from app.central.picture import tables as tb
from app.central.picture.indicators import available as indicators_available
from app.central.picture.indicators import indicator_figures
from app.central.picture.names import Names
from app.central.picture.scope import Scope
from app.pdf.text import Texts

SECTIONS = ("index", "deployments", "events", "guidance", "surveys", "indicators")
# Sections whose figures are counted on a day (today, while the span has not ended): their
# stored figures are for one day. The others depend on the span's months only.
DAY_BOUND = frozenset({"index", "deployments"})

Lines = Callable[[], list[deployments.Timeline]]  # the scope's deployments' timelines, read once
Values = dict[str, Any]


def map_level(scope: Scope) -> str:
    """The map's rows: counties, unless the level is areas or coordinators."""
    return "county" if scope.level in ("country", "method") else scope.level


def _index(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    day = scope.day(today)
    level = map_level(scope)
    found = deployments.phase_map(lines(), scope, day, level)
    rows = [(k, names.label(level, k)) for k in names.sorted(level, {r for r, _m in found.cells})]
    methods = [(m, names.method(m)) for m in names.sorted("method", found.methods)]
    figure = ch.map_chart(rows, methods, found.cells, texts, texts.date(day), tb.level_heading(texts, level))
    return {"map_figure": figure, "map_level": level, "table": tb.phases_by_row(found, scope, names, texts)}


def _deployments(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    day = scope.day(today)
    found = lines()
    periods = scope.periods()
    trend = ch.phase_trend_chart(periods, deployments.phase_trend(found, periods, today), texts)
    times = ch.time_in_phase_chart(deployments.time_in_phase(found, scope, day), texts, texts.date(day))
    table = tb.phases_by_row(deployments.phase_map(found, scope, day), scope, names, texts)
    return {"figures": [trend, times], "table": table}


def _events(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    tally = activity.events(conn, scope)
    periods = scope.periods()
    figure = ch.events_chart(periods, [tally.at(p.key) for p in periods], texts)
    return {"figures": [figure], "table": tb.events_by_row(tally, scope, names, texts)}


def _guidance(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    tally = activity.guidance(conn, scope)
    periods = scope.periods()
    figure = ch.guidance_chart(periods, [tally.at(p.key) for p in periods], texts)
    return {"figures": [figure], "table": tb.guidance_by_row(tally, scope, names, texts)}


def _surveys(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    periods = scope.periods()
    pools = surveys.surveys(conn, scope, texts.lang)
    return {"sections_of": [(ch.survey_chart(p, periods, texts), tb.surveys_by_row(p, scope, names, texts)) for p in pools]}


def _indicators(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    if not indicators_available():
        return {"found": None}
    return {"found": indicator_figures(conn, scope, names, texts)}


MAKERS: dict[str, Callable[[Connection, Scope, Names, Texts, dt.date, Lines], Values]] = {
    "index": _index,
    "deployments": _deployments,
    "events": _events,
    "guidance": _guidance,
    "surveys": _surveys,
    "indicators": _indicators,
}


def compute(section: str, conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date, lines: Lines) -> Values:
    return MAKERS[section](conn, scope, names, texts, today, lines)
