"""The building blocks every document uses: headings, paragraphs, fact lists and tables.

Tables repeat their header row on every page they run onto, right-align numbers,
wrap long text (a unit's long name wraps within its column, never over the next),
and say plainly when there is nothing to list. All text is in the embedded font.

A word is never cut in two ("Vertaismentorointiryhmä|n"): Finnish and Swedish compounds
are long, and a break mid-word without the language's hyphenation reads as a typo. A
column whose longest word does not fit takes the room from columns that have more than
their own longest words need; only when the table has no such room left is the cell set
in a smaller size (down to CELL_MIN_SIZE) instead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from app.pdf.document import BRAND, CONTENT_WIDTH, FONT, FONT_BOLD, FONT_NARROW_BOLD, INK, LANDSCAPE_WIDTH, LINE, MUTED, WASH
from app.pdf.spans import SpanTable
from app.pdf.text import para

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10.5, textColor=MUTED)
TITLE = ParagraphStyle("title", parent=BODY, fontName=FONT_BOLD, fontSize=17, leading=21, textColor=BRAND, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=11, leading=14, textColor=INK, spaceAfter=8)
H2 = ParagraphStyle("h2", parent=BODY, fontName=FONT_BOLD, fontSize=12, leading=15, textColor=BRAND, spaceBefore=10, spaceAfter=4)
H3 = ParagraphStyle("h3", parent=BODY, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
# A heading needs this much room under it on its page (a table's header and first rows).
HEADING_ROOM = 30 * mm
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5, textColor=INK)
CELL_BOLD = ParagraphStyle("cell-bold", parent=CELL, fontName=FONT_BOLD)
CELL_NUM = ParagraphStyle("cell-num", parent=CELL, alignment=TA_RIGHT)
HEAD = ParagraphStyle("head", parent=CELL, fontName=FONT_NARROW_BOLD, fontSize=8, leading=9.5)
HEAD_NUM = ParagraphStyle("head-num", parent=HEAD, alignment=TA_RIGHT)
HEAD_GROUP = ParagraphStyle("head-group", parent=HEAD, alignment=TA_CENTER, textColor=BRAND)
EMPTY = ParagraphStyle("empty", parent=BODY, textColor=MUTED, fontSize=9)
# A header whose longest word is wider than its column is set smaller, down to this size,
# rather than cut mid-word ("Utbildade yrk|espersoner").
HEAD_MIN_SIZE = 6.0
CELL_MIN_SIZE = 6.5  # a body cell's smallest size; below it, a word longer than its column breaks
CELL_PADDING = 3  # left and right, points


def title(text: str, subtitle: str = "") -> list:
    out = [Paragraph(para(text), TITLE)]
    if subtitle:
        out.append(Paragraph(para(subtitle), SUBTITLE))
    return out


class Heading(Paragraph):
    """A heading that never ends a page: with too little room under it, it starts the next one.

    (Not keepWithNext: that groups the heading with the whole next table, and a table
    longer than the room left then starts on a new page, leaving the page half empty.)
    """

    def wrap(self, avail_width, avail_height):
        width, height = super().wrap(avail_width, avail_height)
        if avail_height < height + HEADING_ROOM:
            return width, avail_height + 1  # does not fit here: the frame moves it on
        return width, height

    def split(self, avail_width, avail_height):
        return []


def h2(text: str) -> Paragraph:
    return Heading(para(text), H2)


def h3(text: str) -> Paragraph:
    return Heading(para(text), H3)


def text(value: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(para(value), style)


def small(value: str) -> Paragraph:
    return Paragraph(para(value), SMALL)


def empty(value: str) -> Paragraph:
    return Paragraph(para(value), EMPTY)


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def facts(pairs: Sequence[tuple[str, str]], label_width: float = 45 * mm) -> Table:
    """A two-column list of label: value (a record's details)."""
    rows = [[Paragraph(para(label), CELL_BOLD), Paragraph(para(value or "–"), CELL)] for label, value in pairs]
    table = Table(rows, colWidths=[label_width, CONTENT_WIDTH - label_width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),  # every cell: a table's default is Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _cell(value, plain: bool, bold: bool = False, width: float | None = None):
    """A body cell; given a `width` its longest word does not fit in, a paragraph is set
    smaller (down to CELL_MIN_SIZE) rather than cut mid-word."""
    if isinstance(value, Paragraph):
        return value if width is None else _shrunk(value.text, value.style, width)
    if plain:
        return "" if value is None else str(value)  # a plain string: numbers and dates never wrap
    style = CELL_BOLD if bold else CELL
    text = para("" if value is None else str(value))
    return Paragraph(text, style) if width is None else _shrunk(text, style, width)


def _texty(value, plain: bool) -> bool:
    """A cell set as a paragraph at least a line of CELL's leading high (unless set smaller)."""
    if isinstance(value, Paragraph):
        return value.style.leading >= CELL.leading and bool(value.getPlainText().strip())
    return not plain and value is not None and bool(str(value).strip())


def _fits(value, bold: bool, width: float) -> bool:
    """Text a paragraph would set on one line as it is: no markup, no whitespace it would fold,
    narrower than the column (with a point to spare)."""
    if isinstance(value, Paragraph) or not isinstance(value, str) or not value or " ".join(value.split()) != value:
        return False
    return stringWidth(value, FONT_BOLD if bold else FONT, CELL.fontSize) < width - 2 * CELL_PADDING - 1


def _longest_word(text: str, font: str, size: float) -> float:
    return max((stringWidth(word, font, size) for word in text.split()), default=0.0)


def _shrunk(markup: str, style: ParagraphStyle, width: float) -> Paragraph:
    paragraph = Paragraph(markup, style)
    longest = _longest_word(paragraph.getPlainText(), style.fontName, 1)
    size = style.fontSize
    while longest * size > width - 2 * CELL_PADDING and size > CELL_MIN_SIZE:
        size -= 0.5
    if size == style.fontSize:
        return paragraph
    smaller = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * style.leading / style.fontSize)
    return Paragraph(markup, smaller)


def _need(value, plain: bool, bold: bool) -> float:
    """The narrowest a body cell lets its column be: its longest word (a plain cell's whole
    text, which never wraps) at the cell's size, with the cell's padding."""
    if isinstance(value, Paragraph):
        width = _longest_word(value.getPlainText(), value.style.fontName, value.style.fontSize)
    elif plain:
        width = stringWidth("" if value is None else str(value), FONT_BOLD if bold else FONT, 8.5)
    else:
        style = CELL_BOLD if bold else CELL
        width = _longest_word("" if value is None else str(value), style.fontName, style.fontSize)
    return width + 2 * CELL_PADDING + 0.5


def fit_columns(columns: Sequence[float], needs: Sequence[float]) -> list[float]:
    """Column widths (points) with each column at least its need where the table has room:
    what a short column lacks is taken from the columns with more than they need, in
    proportion to their spare room; the table's width stays the same."""
    short = [max(0.0, need - width) for width, need in zip(columns, needs)]
    spare = [max(0.0, width - need) for width, need in zip(columns, needs)]
    missing, room = sum(short), sum(spare)
    if missing < 0.01 or room < 0.01:
        return list(columns)
    given = min(missing, room)
    return [w + s * given / missing - p * given / room for w, s, p in zip(columns, short, spare)]


def head_cell(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A header cell of a column `width` points wide, in a font small enough that its
    longest word fits on a line (Swedish and Finnish compounds are long; the column is
    sized for the numbers under it). Below HEAD_MIN_SIZE the word is left to break."""
    room = width - 2 * CELL_PADDING
    longest = max((stringWidth(word, style.fontName, 1) for word in text.split()), default=0)
    size = style.fontSize
    while longest * size > room and size > HEAD_MIN_SIZE:
        size -= 0.5
    if size != style.fontSize:
        style = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size * style.leading / style.fontSize)
    return Paragraph(para(text), style)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
    numeric: Collection[int] = (),
    total: Sequence | None = None,
    empty_text: str = "",
    plain: Sequence[int] = (),
    wide: bool = False,
    width: float | None = None,
    groups: Sequence[tuple[str, int]] = (),
):
    """A data table with its header repeated on every page it runs onto.

    `widths` are fractions of the content width (of a landscape page when `wide`, or
    of `width` points, e.g. half a page in `side_by_side`);
    `numeric` the columns to right-align, `plain` other columns that must not wrap
    (dates); `total` an optional bold last row. `groups` puts a row of headings over
    the header, each (label, columns spanned): long compound words ("Handlednings-
    tillfällen") go in the group, short ones ("Timmar") under it. Without rows: `empty_text`.
    """
    if not rows:
        return empty(empty_text)
    numeric = set(numeric)
    unwrapped = numeric | set(plain)
    full = width or (LANDSCAPE_WIDTH if wide else CONTENT_WIDTH)
    # Each body cell's need (its longest word), measured once: the columns are fitted to them.
    body = [(row, False) for row in rows] + ([(total, True)] if total is not None else [])
    measured = [[_need(v, i in unwrapped, bold) for i, v in enumerate(row)] for row, bold in body]
    if total is not None:  # the total's label runs on over the empty cells beside it: it needs no column
        measured[-1] = [need if i in numeric or i not in unwrapped else 0.0 for i, need in enumerate(measured[-1])]
    columns = [w * full for w in widths]
    # A header keeps the room its longest word has at the header's size (or the room it had).
    heads_need = [
        min(columns[i], _longest_word(h, HEAD.fontName, HEAD.fontSize) + 2 * CELL_PADDING) for i, h in enumerate(header)
    ]
    needs = [max([heads_need[i]] + [m[i] for m in measured if i < len(m)]) for i in range(len(header))]
    columns = fit_columns(columns, needs)
    head = [head_cell(h, HEAD_NUM if i in numeric else HEAD, columns[i]) for i, h in enumerate(header)]
    top = []
    if groups:
        column = 0
        for label, span in groups:
            top += [head_cell(label, HEAD_GROUP, sum(columns[column : column + span]))] + [""] * (span - 1)
            column += span
        top = [top]
    data = top + [head]
    # Text that fits on one line goes in as a plain string, drawn where its paragraph would be
    # (same font, size and baseline; LEADING below keeps the row's height): a paragraph is
    # parsed and wrapped again on every page a long table runs onto (issue 17: the year report's
    # 500-unit table). Only where every row has a text cell, so that no row's height changes.
    lines = all(
        any(_texty(v, i in unwrapped) and need[i] <= columns[i] for i, v in enumerate(row))
        for (row, _bold), need in zip(body, measured)
    )
    for (row, bold), need in zip(body, measured):
        # A cell still wider than its column (the table had no room to give) is set smaller.
        data.append(
            [
                v
                if lines and i not in unwrapped and _fits(v, bold, columns[i])
                else _cell(v, i in unwrapped, bold, columns[i] if need[i] > columns[i] else None)
                for i, v in enumerate(row)
            ]
        )
    heads = len(top) + 1
    result = SpanTable(data, colWidths=columns, repeatRows=heads, hAlign="LEFT")
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, heads - 1), "BOTTOM"),
        ("VALIGN", (0, heads), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, heads - 1), WASH),
        ("LINEBELOW", (0, heads - 1), (-1, heads - 1), 0.8, BRAND),
        ("LINEBELOW", (0, heads), (-1, -1), 0.25, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    column = 0
    for label, span in groups:
        if span > 1:
            style.append(("SPAN", (column, 0), (column + span - 1, 0)))
        if label:  # a rule under the group's name shows which columns it covers
            style.append(("LINEBELOW", (column, 0), (column + span - 1, 0), 0.4, LINE))
            style.append(("LEFTPADDING", (column, 0), (column, 0), 8))
        column += span
    for i in numeric:
        style.append(("ALIGN", (i, heads), (i, -1), "RIGHT"))
    if total is not None:
        style += [("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]
    if lines:  # after every FONT (a FONT resets the leading)
        style.append(("LEADING", (0, heads), (-1, -1), CELL.leading))
    result.setStyle(TableStyle(style))
    return result


HALF_GUTTER = 8 * mm
HALF_WIDTH = (CONTENT_WIDTH - HALF_GUTTER) / 2


def side_by_side(left: list, right: list) -> Table:
    """Two short blocks in two columns (build their tables with width=HALF_WIDTH)."""
    outer = Table([[left, "", right]], colWidths=[HALF_WIDTH, HALF_GUTTER, HALF_WIDTH], hAlign="LEFT")
    outer.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return outer
