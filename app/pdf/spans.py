"""A reportlab Table that keeps its spans' bookkeeping to the cells the spans cover.

reportlab's Table maps every cell, (col, row) -> its span range, whenever it is laid out,
and a long table is laid out again for every page it runs onto, each time for all the
rows still to come: the year report's 500-unit table, whose header has grouped
(spanned) cells, spent 8 % of the whole document's making on that map (issue 17).
Here only the spanned cells are stored; every other cell answers as itself
(col, row, col, row), exactly as reportlab's map would. Likewise the cells' rectangles:
only the spanned cells' are worked out and stored, every other cell's rectangle is its
column and row, worked out when the drawing asks for it.
The PDF is the same to the byte (tests/reports/test_spans.py).

It also writes a one-line text cell's drawing itself: reportlab makes a text object per
cell, measures the string and maps it to the font's subsets each time, and the year
report draws 6,400 cells, most of them a handful of numbers over and over. The text's
operators and width are worked out once per document and font, then only the cell's
position changes: the same bytes as canvas.drawString and its kin would write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table

Range = tuple[int, int, int, int] | None


class SpanRanges(Mapping):
    """reportlab's (col, row) -> (col0, row0, col1, row1) map, or None for a cell another
    cell spans over, with only the spanned cells stored."""

    def __init__(self, ncols: int, nrows: int, spanned: dict[tuple[int, int], Range]):
        self.ncols, self.nrows, self.spanned = ncols, nrows, spanned

    def __getitem__(self, key: tuple[int, int]) -> Range:
        if key in self.spanned:
            return self.spanned[key]
        x, y = key
        if 0 <= x < self.ncols and 0 <= y < self.nrows:
            return (x, y, x, y)
        raise KeyError(key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key) -> bool:
        return self.get(key, self) is not self

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for x in range(self.ncols):
            for y in range(self.nrows):
                yield x, y
        for key in self.spanned:  # a span command reaching below the table
            if key[1] >= self.nrows:
                yield key

    def items(self):  # a plain iterator, faster than ItemsView: reportlab only loops over it
        spanned = self.spanned
        for x in range(self.ncols):
            for y in range(self.nrows):
                yield (x, y), spanned[x, y] if (x, y) in spanned else (x, y, x, y)
        for key, value in spanned.items():
            if key[1] >= self.nrows:
                yield key, value

    def __len__(self) -> int:
        return self.ncols * self.nrows + sum(1 for _x, y in self.spanned if y >= self.nrows)


class SpanRects(Mapping):
    """reportlab's (col, row) -> (x, y, width, height) map of a laid-out table, or None for a
    cell another spans over: the spanned cells' stored, every other cell's worked out from
    the column and row positions when it is asked for (the drawing asks for the page's rows)."""

    def __init__(self, ranges: SpanRanges, rects: dict, colpositions: list[float], rowpositions: list[float]):
        self.ranges, self.rects = ranges, rects
        self.colpositions, self.rowpositions = colpositions, rowpositions

    def __getitem__(self, key: tuple[int, int]):
        if key in self.rects:
            return self.rects[key]
        x, y = key
        if key in self.ranges.spanned or not (0 <= x < self.ranges.ncols and 0 <= y < len(self.rowpositions) - 1):
            raise KeyError(key)  # a span reaching past the rows laid out: reportlab has no rectangle either
        left, bottom = self.colpositions[x], self.rowpositions[y + 1]
        return (left, bottom, self.colpositions[x + 1] - left, self.rowpositions[y] - bottom)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for key in self.ranges:
            if key in self:
                yield key

    def __len__(self) -> int:
        return sum(1 for _key in self)

    def __bool__(self) -> bool:
        return True  # laid out (reportlab asks whether its map is there yet)


class SpanTable(Table):
    """A Table that draws exactly as reportlab's does, without its per-cell span map."""

    def _calcSpanRanges(self):
        # As Table._calcSpanRanges, storing only the cells a span covers.
        ncols, nrows = self._ncols, self._nrows
        spanned: dict[tuple[int, int], Range] = {}
        self._colSpanCells = []
        self._rowSpanCells = []
        for _cmd, start, stop in self._spanCmds:
            x0, y0 = start
            x1, y1 = stop
            if x0 < 0:
                x0 += ncols
            if x1 < 0:
                x1 += ncols
            if y0 < 0:
                y0 += nrows
            if y1 < 0:
                y1 += nrows
            if x0 > x1:
                x0, x1 = x1, x0
            if y0 > y1:
                y0, y1 = y1, y0
            if x0 != x1 or y0 != y1:
                cells = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
                if x0 != x1:
                    self._colSpanCells += cells
                if y0 != y1:
                    self._rowSpanCells += cells
                for cell in cells:
                    spanned[cell] = None
                spanned[x0, y0] = (x0, y0, x1, y1)
        self._spanRanges = SpanRanges(ncols, nrows, spanned)

    def _calcSpanRects(self):
        # As Table._calcSpanRects, for the spanned cells only: reportlab works out and stores a
        # rectangle for every cell each time a long table is laid out again (every page it runs
        # onto, for all the rows to come), where a cell no span covers is just its column and row.
        ranges = self._spanRanges
        if not isinstance(ranges, SpanRanges):
            return super()._calcSpanRects()
        hmax = getattr(self, "_hmax", None)
        found = getattr(self, "_spanRects", None)
        if isinstance(found, SpanRects) and (not self._longTableOptimize or hmax == self._hmax_spanRects):
            return
        colpositions, rowpositions = self._colpositions, self._rowpositions
        rects: dict[tuple[int, int], tuple[float, float, float, float] | None] = {}
        vBlocks: dict[float, list] = {}
        hBlocks: dict[float, list] = {}
        rlim = len(rowpositions) - 1
        for coord, value in ranges.spanned.items():
            if value is None:
                rects[coord] = None
                continue
            col0, row0, col1, row1 = value
            if row1 >= rlim:
                continue
            for col in range(col0 + 1, col1 + 1):
                vBlocks.setdefault(colpositions[col], []).append((rowpositions[row1 + 1], rowpositions[row0]))
            for row in range(row0 + 1, row1 + 1):
                hBlocks.setdefault(rowpositions[row], []).append((colpositions[col0], colpositions[col1 + 1]))
            x, y = colpositions[col0], rowpositions[row1 + 1]
            rects[coord] = (x, y, colpositions[col1 + 1] - x, rowpositions[row0] - y)
        for blocks in (hBlocks, vBlocks):
            for value in blocks.values():
                value.sort()
        self._spanRects = SpanRects(ranges, rects, colpositions, rowpositions)
        self._vBlocks = vBlocks
        self._hBlocks = hBlocks
        self._hmax_spanRects = hmax

    def _drawCell(self, cellval, cellstyle, pos, size):
        canv = self.canv
        just = cellstyle.alignment
        # Only what canvas.drawString / drawRightString / drawCentredString would draw in one
        # line, without shaping, direction or links; everything else as reportlab does it.
        if (
            type(cellval) is not str
            or "\n" in cellval
            or just not in _TEXT_SHIFT
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.href
            or cellstyle.destination
            or not canv.bottomup
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        if self._curcellstyle is not cellstyle:  # as Table._drawCell
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        leading, fontsize, valign = cellstyle.leading, cellstyle.fontsize, cellstyle.valign
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif valign == "MIDDLE":
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + leading) / 2.0 - fontsize
        else:
            return super()._drawCell(cellval, cellstyle, pos, size)  # reportlab's own error
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        operators, width = _text(canv, cellval)
        canv._code.append(f"BT 1 0 0 1 {fp_str(x - _TEXT_SHIFT[just] * width, y)} Tm {operators} T* ET")


# How far left of its anchor a string starts, in its widths (DECIMAL is left to reportlab).
_TEXT_SHIFT = {"LEFT": 0.0, "RIGHT": 1.0, "CENTRE": 0.5, "CENTER": 0.5}


def _text(canv, text: str) -> tuple[str, float]:
    """The operators a fresh text object writes for `text` in the canvas's font (with the
    font's subset switches) and the text's width, once per document, font and text: a
    subset, once given to a character, stays its for the whole document."""
    kept = canv.__dict__.setdefault("_koordi_cell_text", {})
    key = (canv._fontname, canv._fontsize, canv._leading, text)
    found = kept.get(key)
    if found is None:
        found = kept[key] = (canv.beginText(0, 0)._formatText(text), stringWidth(text, canv._fontname, canv._fontsize))
    return found
