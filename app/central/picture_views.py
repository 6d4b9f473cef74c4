"""The national picture's pages in the office's Koordi (app.central.app registers `bp`).

Every page reads the same filters from its query string (app.central.picture.scope: span,
level, area / county / coordinator, method, grain) and keeps them in every link; every
figure's table cell links to the rows page with what it counted. A page's figures are kept
until the next merge (app.central.picture.memo): the office looks at the same months again
and again, and the database only changes when files are merged. The exports are POSTs (a
file written in the window, a download in a browser): the long-format CSV, the national
summary CSV and the central PDF, each for the page's span.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _

from app.central.pdf import central_pdf
from app.central.picture import activity, deployments, surveys
from app.central.picture import charts as ch
from app.central.picture import tables as tb
from app.central.picture.indicators import available as indicators_available
from app.central.picture.indicators import indicator_figures
from app.central.picture.labels import GRAIN_LABELS, LEVEL_LABELS, SECTION_LABELS
from app.central.picture.long_csv import file_name, long_csv
from app.central.picture.memo import Memo, generation
from app.central.picture.names import Names, PictureTexts, areas_for_form
from app.central.picture.rows import Ask, caption, figure_rows
from app.central.picture.scope import GRAINS, LEVELS, Scope
from app.central.site import reader
from app.central.summary import Span, central_summary
from app.central.summary_csv import summary_csv
from app.files import deliver
from app.i18n import today
from app.pdf.text import Texts
from app.web.i18n import current_language

bp = Blueprint("picture", __name__, template_folder="templates")

CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
MEMO = "koordi.picture.memo"


def _kept(*key, make):
    """`make()`'s value, computed once per state of the merged database (and day: phases are
    counted on today when the span has not ended)."""
    memo = current_app.extensions.setdefault(MEMO, Memo())
    if "picture_generation" not in g:
        g.picture_generation = generation(reader())
    return memo.get((g.picture_generation, today(), *key), make)


def _context():
    texts = PictureTexts(current_language())
    conn = reader()
    scope = Scope.parse(request.args, today())
    names = _kept("names", texts.lang, make=lambda: Names(conn, texts))
    return conn, texts, scope, names


def _timelines(conn, scope: Scope) -> list[deployments.Timeline]:
    """Deployments' timelines depend on the part of the country and the method only."""
    key = ("timelines", scope.area, scope.county, scope.coordinator, scope.method)
    return _kept(*key, make=lambda: deployments.timelines(conn, scope))


def _linked(scope: Scope, *items):
    """Each figure's links to its rows, made once with the figures (a table of hundreds of cells
    would otherwise build as many URLs at every view)."""
    base = url_for("picture.rows")

    def href(ref, at: Scope = scope) -> str | None:
        return f"{base}?{urlencode(at.args(**ref))}" if ref else None

    for item, at in items:
        if isinstance(item, ch.Linked):
            item.hrefs = tuple(tuple(href(r, at) for r in row) for row in item.refs)
        else:
            linked = tuple(tuple(replace(c, href=href(c.ref, at)) for c in row) for row in item.rows)
            total = tuple(replace(c, href=href(c.ref, at)) for c in item.total) if item.total else None
            item = replace(item, rows=linked, total=total)
        yield item


def _render(template: str, scope: Scope, names: Names, texts: Texts, **values):
    return render_template(
        template,
        scope=scope,
        names=names,
        texts=texts,
        sections=SECTION_LABELS,
        level_names=LEVEL_LABELS,
        grain_names=GRAIN_LABELS,
        levels=LEVELS,
        grains=GRAINS,
        areas=areas_for_form(texts.lang),
        level_heading=tb.level_heading(texts, scope.level),
        **values,
    )


@bp.get("/picture")
def index():
    conn, texts, scope, names = _context()

    def make():
        day = scope.day(today())
        map_level = "county" if scope.level in ("country", "method") else scope.level
        found = deployments.phase_map(_timelines(conn, scope), scope, day, map_level)
        rows = [(k, names.label(map_level, k)) for k in names.sorted(map_level, {r for r, _m in found.cells})]
        methods = [(m, names.method(m)) for m in names.sorted("method", found.methods)]
        figure = ch.map_chart(rows, methods, found.cells, texts, texts.date(day), tb.level_heading(texts, map_level))
        # The map's rows are counties (or the level's rows): its links name the row at that level.
        map_scope = replace(scope, level=map_level)
        figure, table = _linked(scope, (figure, map_scope), (tb.phases_by_row(found, scope, names, texts), scope))
        return {"map_figure": figure, "map_scope": map_scope, "table": table}

    return _render("central/picture/index.html", scope, names, texts, **_kept("index", scope, texts.lang, make=make))


@bp.get("/picture/deployments")
def deployment_page():
    conn, texts, scope, names = _context()

    def make():
        day = scope.day(today())
        lines = _timelines(conn, scope)
        periods = scope.periods()
        trend = ch.phase_trend_chart(periods, deployments.phase_trend(lines, periods, today()), texts)
        times = ch.time_in_phase_chart(deployments.time_in_phase(lines, scope, day), texts, texts.date(day))
        table = tb.phases_by_row(deployments.phase_map(lines, scope, day), scope, names, texts)
        trend, times, table = _linked(scope, (trend, scope), (times, scope), (table, scope))
        return {"figures": [trend, times], "table": table}

    values = _kept("deployments", scope, texts.lang, make=make)
    return _render("central/picture/deployments.html", scope, names, texts, **values)


@bp.get("/picture/events")
def events_page():
    conn, texts, scope, names = _context()

    def make():
        tally = activity.events(conn, scope)
        periods = scope.periods()
        figure = ch.events_chart(periods, [tally.at(p.key) for p in periods], texts)
        figure, table = _linked(scope, (figure, scope), (tb.events_by_row(tally, scope, names, texts), scope))
        return {"figures": [figure], "table": table}

    values = _kept("events", scope, texts.lang, make=make)
    return _render("central/picture/activity.html", scope, names, texts, title=_("Events"), **values)


@bp.get("/picture/guidance")
def guidance_page():
    conn, texts, scope, names = _context()

    def make():
        tally = activity.guidance(conn, scope)
        periods = scope.periods()
        figure = ch.guidance_chart(periods, [tally.at(p.key) for p in periods], texts)
        figure, table = _linked(scope, (figure, scope), (tb.guidance_by_row(tally, scope, names, texts), scope))
        return {"figures": [figure], "table": table}

    values = _kept("guidance", scope, texts.lang, make=make)
    return _render("central/picture/activity.html", scope, names, texts, title=_("Method guidance"), **values)


@bp.get("/picture/surveys")
def surveys_page():
    conn, texts, scope, names = _context()

    def make():
        pools = surveys.surveys(conn, scope, texts.lang)
        periods = scope.periods()
        figures = _linked(scope, *((ch.survey_chart(p, periods, texts), scope) for p in pools))
        tables = _linked(scope, *((tb.surveys_by_row(p, scope, names, texts), scope) for p in pools))
        return {"sections_of": list(zip(figures, tables, strict=True))}

    values = _kept("surveys", scope, texts.lang, make=make)
    return _render("central/picture/surveys.html", scope, names, texts, **values)


@bp.get("/picture/indicators")
def indicators_page():
    conn, texts, scope, names = _context()

    def make():
        if not indicators_available():
            return {"found": None}
        found = indicator_figures(conn, scope, names, texts)
        figures = _linked(scope, *((figure, scope) for figure, _table in found))
        tables = _linked(scope, *((table, scope) for _figure, table in found))
        return {"found": list(zip(figures, tables, strict=True))}

    values = _kept("indicators", scope, texts.lang, make=make)
    return _render("central/picture/indicators.html", scope, names, texts, **values)


@bp.get("/picture/rows")
def rows():
    conn, texts, scope, names = _context()
    ask = Ask.parse(request.args, scope)
    if ask is None:
        abort(404)
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1

    def make():
        lines = _timelines(conn, ask.scope) if ask.figure == "deployments" else None
        return figure_rows(conn, ask, names, texts, today(), page, lines)

    found = _kept("rows", ask, page, texts.lang, make=make)
    row_caption = caption(ask, names, texts, today())
    return _render("central/picture/rows.html", scope, names, texts, ask=ask, found=found, row_caption=row_caption)


@bp.post("/picture/export")
def export():
    conn, texts, scope, names = _context()
    kind = request.form.get("kind", "")
    back = url_for("picture.index", **scope.args())
    if kind == "long":
        return deliver(long_csv(conn, scope, names, texts, today()), file_name(scope), CSV, back=back)
    if kind == "summary":
        summary = central_summary(conn, Span(scope.start, scope.end), today(), texts.lang)
        name = f"koordi-national-summary_{scope.start.isoformat()}_{scope.end.isoformat()}.csv"
        return deliver(summary_csv(summary, texts.lang), name, CSV, back=back)
    if kind == "pdf":
        rendered = central_pdf(conn, Span(scope.start, scope.end), texts.lang, today())
        return deliver(rendered.data, rendered.filename, PDF, back=back)
    abort(400)
