"""The national picture's pages in the office's Koordi (their URL rules: app.central.office_routes).

Every page reads the same filters from its query string (app.central.picture.scope: span,
level, area / county / coordinator, method, grain) and keeps them in every link; every
figure's table cell links to the rows page with what it counted. A page's figures are kept
until the next merge (app.central.picture.memo): the office looks at the same months again
and again, and the database only changes when files are merged. A page not kept in this
process reads its figures from the merged database when they are stored for its state
(app.central.picture.cache: the default views are stored at the end of every merge), else
computes them (app.central.picture.sections) and stores them, best effort. The exports are POSTs (a
file written in the window, a download in a browser): the long-format CSV, the national
summary CSV and the central PDF, each for the page's span.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from urllib.parse import urlencode

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import gettext as _

from app.central.pdf import central_pdf
from app.central.picture import cache, deployments, sections
from app.central.picture import charts as ch
from app.central.picture import tables as tb
from app.central.picture.labels import GRAIN_LABELS, LEVEL_LABELS, SECTION_LABELS
from app.central.picture.long_csv import file_name, long_csv
from app.central.picture.memo import Memo, generation
from app.central.picture.names import Names, PictureTexts, areas_for_form
from app.central.picture.rows import Ask, caption, figure_rows
from app.central.picture.scope import GRAINS, LEVELS, Scope
from app.central.site import reader, writer
from app.central.summary import Span, central_summary
from app.central.summary_csv import summary_csv
from app.files import deliver
from app.i18n import today
from app.pdf.text import Texts
from app.web.i18n import current_language

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


SCOPE_ARGS = frozenset(("from", "to", "level", "grain", "area", "county", "coordinator", "method"))  # Scope.args()'s


@lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    return urlencode({name: value})


def _query(args: dict[str, str]) -> str:
    """urlencode(args), each name=value encoded once: the map's thousands of links repeat the same
    filters, and quoting them again was most of a first view read from the stored figures."""
    return "&".join(_pair(k, v) for k, v in args.items())


def _linked(scope: Scope, *items):
    """Each figure's links to its rows, made once with the figures (a table of hundreds of cells
    would otherwise build as many URLs at every view)."""
    base = url_for("picture.rows")
    filters: dict[tuple, str] = {}

    def href(ref, at: Scope = scope) -> str | None:
        if not ref:
            return None
        # The same as _query(at.args(**ref)): the scope's filters in their order (with those the ref
        # changes), then the ref's other non-empty arguments; the filters encoded once for all the cells.
        own = tuple((k, v) for k, v in ref.items() if k in SCOPE_ARGS)
        key = (id(at), own)  # the scopes live through the call; hashing a Scope per cell is not free
        if key not in filters:
            filters[key] = _query(at.args(**dict(own)))
        extra = _query({k: v for k, v in ref.items() if v and k not in SCOPE_ARGS})
        return f"{base}?{filters[key]}&{extra}" if extra else f"{base}?{filters[key]}"

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


def _section(section: str, conn, scope: Scope, names: Names, texts: Texts) -> dict:
    """A section's figures with their links: kept in this process, else stored in the merged
    database for its state, else computed (and stored for the next view or launch)."""

    def make():
        gen = cache.generation_text(g.picture_generation)  # set by _kept before it calls make
        key = cache.key(section, scope, texts.lang, today())
        values = cache.read(conn, key, gen)
        if values is None:
            values = sections.compute(section, conn, scope, names, texts, today(), lambda: _timelines(conn, scope))
            cache.store(writer(), gen, [(key, values)])
        return _link_section(scope, values)

    return _kept(section, scope, texts.lang, make=make)


def _link_section(scope: Scope, values: dict) -> dict:
    """The links of a section's values (sections.compute's shapes)."""
    if "map_figure" in values:
        # The map's rows are counties (or the level's rows): its links name the row at that level.
        map_scope = replace(scope, level=values["map_level"])
        figure, table = _linked(scope, (values["map_figure"], map_scope), (values["table"], scope))
        return {"map_figure": figure, "map_scope": map_scope, "table": table}
    if "figures" in values:
        *figures, table = _linked(scope, *((f, scope) for f in values["figures"]), (values["table"], scope))
        return {"figures": figures, "table": table}
    name = "sections_of" if "sections_of" in values else "found"
    if values[name] is None:  # no indicator tables in this database
        return {name: None}
    pairs = values[name]
    figures = _linked(scope, *((figure, scope) for figure, _table in pairs))
    tables = _linked(scope, *((table, scope) for _figure, table in pairs))
    return {name: list(zip(figures, tables, strict=True))}


def _section_page(section: str, template: str, **extra):
    """A section's page: its figures for the scope asked (kept, stored or computed) in its template."""
    conn, texts, scope, names = _context()
    values = _section(section, conn, scope, names, texts)
    return _render(template, scope, names, texts, **extra, **values)


def index():
    return _section_page("index", "central/picture/index.html")


def deployment_page():
    return _section_page("deployments", "central/picture/deployments.html")


def events_page():
    return _section_page("events", "central/picture/activity.html", title=_("Events"))


def guidance_page():
    return _section_page("guidance", "central/picture/activity.html", title=_("Method guidance"))


def surveys_page():
    return _section_page("surveys", "central/picture/surveys.html")


def indicators_page():
    return _section_page("indicators", "central/picture/indicators.html")


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
