"""The reporting grid's cells as HTML, made in Python: a year's grid has 720 of them, and the
template's loop over them (escaping each status, word and link again per cell) took more of
the page's time than computing the statuses.

    cells = row_cells(STATUS, DECLARED, grid.periods)   # the words translated once
    cells(row, link)                                    # in the template: {{ row_cells(row, link) }}

Each cell: <td class="st st-STATUS">, its symbol (hidden from screen readers) and word, the
declaration's mark, and (unless not expected) a link to the coordinator's files at the period.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from markupsafe import Markup, escape

from app.central import completeness as C


def row_cells(status: Mapping[str, tuple], declared: tuple, periods: Sequence[C.Period]) -> Callable[[C.Row, str], Markup]:
    """`status`: status -> (symbol, word, …) and `declared`: (symbol, word), words lazy or not."""
    opening = {s: f'<td class="st st-{escape(s)}">' for s in status}
    body = {s: f'<span aria-hidden="true">{escape(v[0])}</span> {escape(str(v[1]))}' for s, v in status.items()}
    mark = (
        f' <span aria-hidden="true" class="declared">{escape(declared[0])}</span>'
        f'<span class="visually-hidden">, {escape(str(declared[1]))}</span>'
    )
    anchors = [f"#period-{escape(p.key)}" for p in periods]

    def cells(row: C.Row, link: str) -> Markup:
        href = escape(link)
        out = []
        for i, c in enumerate(row.cells):
            text = body[c.status] + mark if c.declared else body[c.status]
            if c.status != C.NOT_EXPECTED:
                text = f'<a href="{href}{anchors[i]}">{text}</a>'
            out.append(f"{opening[c.status]}{text}</td>")
        return Markup("\n".join(out))

    return cells
