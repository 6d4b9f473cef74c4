"""The national picture's figures as JSON, and back: what app.central.picture.cache keeps in the
merged database.

JSON, never pickle: the figures are read back from a database file that may have come from
elsewhere, and unpickling runs whatever it names. Only the types a section's values are made
of are written (sections.compute: charts.Linked, tables.Table and Cell, lists, tuples, dicts
with text keys, text, numbers, None); anything else raises TypeError instead of being stored
differently from what the page computed. Tuples, dicts and Markup are tagged so they come back
as the same types (a tuple is no list to a dataclass's equality).

A chart is stored as what the page shows of it: its key, title, description, figures table,
the refs of its cells and its SVG. Its reportlab drawing is not kept: the pages only show the
SVG (the PDF draws its own charts), so a chart read back has no drawing.
"""

from __future__ import annotations

import json
from typing import Any, cast

from markupsafe import Markup
from reportlab.graphics.shapes import Drawing

from app.central.picture.charts import Linked
from app.central.picture.tables import Cell, Table
from app.pdf.charts import Chart

TAG = "$"


def dump(values: Any) -> str:
    return json.dumps(_out(values), ensure_ascii=False, separators=(",", ":"))


def load(text: str) -> Any:
    """Raises ValueError (not JSON), KeyError or TypeError (not what dump writes). The tagged
    objects are rebuilt by json's object_hook, innermost first, in one pass of the C decoder:
    the overview's thousands of cells read back in a few milliseconds."""
    return json.loads(text, object_hook=_in)


def _out(v: Any) -> Any:
    kind = type(v)  # exact types: Markup is a str, a subclass of a dataclass would lose its own
    if v is None or kind in (str, int, float, bool):
        return v
    if kind is Markup:
        return {TAG: "markup", "v": str(v)}
    if kind is list:
        return [_out(x) for x in v]
    if kind is tuple:
        return {TAG: "tuple", "v": [_out(x) for x in v]}
    if kind is dict:
        if not all(type(k) is str for k in v) or TAG in v:
            raise TypeError("only text keys, never the tag's, are stored")
        return {TAG: "dict", "v": {k: _out(x) for k, x in v.items()}}
    if kind is Cell:
        return {TAG: "cell", "text": v.text, "ref": _out(v.ref)}  # href: the page's link, made by the page
    if kind is Table:
        return {
            TAG: "table",
            "key": v.key,
            "caption": v.caption,
            "columns": _out(v.columns),
            "rows": _out(v.rows),
            "total": _out(v.total),
            "note": v.note,
        }
    if kind is Linked:
        c = v.chart
        return {
            TAG: "linked",
            "key": c.key,
            "title": c.title,
            "description": c.description,
            "columns": _out(c.columns),
            "rows": _out(c.rows),
            "refs": _out(v.refs),
            "headers": v.headers,
            "svg": str(v.svg()),
        }
    raise TypeError(f"the picture's figures hold a {kind.__name__}, which is not stored")


def _in(v: dict[str, Any]) -> Any:
    tag = v.get(TAG)
    if tag is None:  # the items of a tagged dict (dump refuses a "$" key of its own)
        return v
    if tag == "markup":
        return Markup(v["v"])
    if tag == "tuple":
        return tuple(v["v"])
    if tag == "dict":
        return v["v"]
    if tag == "cell":
        return Cell(v["text"], v["ref"])
    if tag == "table":
        return Table(v["key"], v["caption"], v["columns"], v["rows"], v["total"], v["note"])
    if tag == "linked":
        # No drawing (see above): the SVG is the one the page would have rendered from it.
        chart = Chart(v["key"], v["title"], v["description"], v["columns"], v["rows"], cast(Drawing, None))
        return Linked(chart, v["refs"], v["headers"], _svg=Markup(v["svg"]))
    raise TypeError(f"unknown stored figure {tag!r}")
