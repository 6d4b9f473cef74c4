"""A reportlab Table that keeps its spans' bookkeeping to the cells the spans cover.

reportlab's Table maps every cell, (col, row) -> its span range, whenever it is laid out,
and a long table is laid out again for every page it runs onto, each time for all the
rows still to come: the year report's 500-unit table, whose header has grouped
(spanned) cells, spent 8 % of the whole document's making on that map (issue 17).
Here only the spanned cells are stored; every other cell answers as itself
(col, row, col, row), exactly as reportlab's map would. Its rectangles are worked
out only for the rows laid out on the page, which is all reportlab keeps of the rest.
The PDF is the same to the byte (tests/reports/test_spans.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from reportlab.platypus import Table

Range = tuple[int, int, int, int] | None


class SpanRanges(Mapping):
    """reportlab's (col, row) -> (col0, row0, col1, row1) map, or None for a cell another
    cell spans over, with only the spanned cells stored."""

    def __init__(self, ncols: int, nrows: int, spanned: dict[tuple[int, int], Range], rows: int | None = None):
        self.ncols, self.nrows, self.spanned = ncols, nrows, spanned
        self.rows = nrows if rows is None else rows  # items() lists the unspanned cells of these rows only

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
            for y in range(self.rows):
                yield x, y
        for key in self.spanned:  # a spanned cell below self.rows
            if key[1] >= self.rows:
                yield key

    def items(self):  # a plain iterator, faster than ItemsView: reportlab only loops over it
        spanned = self.spanned
        for x in range(self.ncols):
            for y in range(self.rows):
                yield (x, y), spanned[x, y] if (x, y) in spanned else (x, y, x, y)
        for key, value in spanned.items():
            if key[1] >= self.rows:
                yield key, value

    def __len__(self) -> int:
        return self.ncols * self.rows + sum(1 for _x, y in self.spanned if y >= self.rows)

    def upto(self, rows: int) -> SpanRanges:
        """The same map, its items() limited to the unspanned cells of the first `rows` rows."""
        return SpanRanges(self.ncols, self.nrows, self.spanned, min(rows, self.nrows))


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
        # reportlab works out a rectangle for every cell of its map but keeps only those of
        # the rows laid out (and the spanned-over cells' None): give it just those.
        ranges = self._spanRanges
        if not isinstance(ranges, SpanRanges):
            return super()._calcSpanRects()
        self._spanRanges = ranges.upto(len(self._rowpositions) - 1)
        try:
            super()._calcSpanRects()
        finally:
            self._spanRanges = ranges
