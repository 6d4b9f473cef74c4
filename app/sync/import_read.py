"""An import file read a batch of rows at a time (issue 17: holding every row of a bench-scale
file as a dict took an import to 617 MB; the goal is 200 MB).

    read = read_streamed(source, lookup=..., on_batch=...)   # every check of read_export
    for batch in batches(read, spec): ...                    # the rows again, for the write

read_streamed makes exactly read_export's checks, with the reader's own code, in the same
order, and reports the same problems; but it keeps only the zip's bytes, the ids that
references need and, per table, how many good rows there were. Each batch of good rows goes
to `on_batch` as typed columns (the importer plans from them) and is then let go. batches()
reads the same bytes again later (the write), so what is written is what was checked.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import Any

from app.core import csvfmt
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.manifest import Manifest, parse_manifest
from app.exchange.problems import Problem
from app.exchange.reader import (
    LIMITS,
    Limits,
    ReadResult,
    ReferenceLookup,
    Source,
    _absent,
    _Collector,
    _fast_column,
    _has_duplicates,
    _header_ok,
    _load,
    _report_csv,
    _row_parser,
    _unpack,
    _unzip,
    first_of_each,
)

log = logging.getLogger(__name__)

BATCH = 5_000  # rows in memory at a time


@dataclass
class Batch:
    """Good rows of one table: their lines and each column's typed values (column name -> list)."""

    lines: list[int]
    columns: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(self.lines)


OnBatch = Callable[[fmt.TableSpec, Batch], None]


@dataclass
class StreamedRead(ReadResult):
    data: bytes = b""  # the zip as it was checked: batches() reads these same bytes again
    counts: dict[str, int] = field(default_factory=dict)  # table -> good rows (of each file read)
    # What the importer planned from the batches as they went by, and in which session (its own).
    planned: Any = None
    planned_in: Any = None

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems and len(self.counts) == len(fmt.TABLES)


def read_streamed(
    source: Source, *, lookup: ReferenceLookup | None = None, on_batch: OnBatch | None = None, limits: Limits = LIMITS
) -> StreamedRead:
    """read_export's checks and problems, a batch of rows at a time. Raises only what lookup or
    on_batch raise (the database's errors, busy among them, are not the file's problems)."""
    out = _Collector(limits.problems_per_file)
    result = StreamedRead()
    try:
        _read(source, _outside(lookup), limits, out, result, _outside(on_batch or (lambda spec, batch: None)))
    except _Outside as exc:
        raise exc.error from None
    except Exception:  # the last line of defence, as in read_export
        log.exception("unexpected error while reading an export file")
        out.add(None, None, None, P.UNREADABLE)
    result.problems = out.finish()
    return result


class _Outside(Exception):
    """An error of the caller's lookup or on_batch, carried past the last line of defence."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _outside(call: Callable | None) -> Any:
    if call is None:
        return None

    def guarded(*args):
        try:
            return call(*args)
        except Exception as exc:
            raise _Outside(exc) from exc

    return guarded


def _read(
    source: Source, lookup: ReferenceLookup | None, limits: Limits, out: _Collector, result: StreamedRead, on_batch: OnBatch
) -> None:
    data = _load(source, limits, out)
    if data is None:
        return
    manifest_raw = _check_zip(data, limits, out)
    if manifest_raw is None:
        return
    manifest = parse_manifest(manifest_raw, out)
    if manifest is None:
        return
    result.manifest = manifest
    result.data = data
    wanted = set(fmt.file_names(manifest.schema_version))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for name in sorted(set(fmt.FILE_NAMES) - set(fmt.file_names(1))):
            if name in wanted and name not in names:
                out.add(name, None, None, P.MISSING_MEMBER)
            elif name not in wanted and name in names:
                out.add(name, None, None, P.UNEXPECTED_MEMBER)
        refs = _References(lookup)
        for spec in fmt.TABLES:
            if spec.since > manifest.schema_version:  # an older file: this table is empty in it
                result.counts[spec.name] = 0
                refs.ids[spec.name] = set()
                continue
            if spec.file_name not in names:
                continue
            ids, absent, count = _check_table(spec, zf, manifest, limits, out, refs, on_batch)
            refs.ids[spec.name] = ids if refs.referenced(spec.name) else (set() if ids is not None else None)
            result.counts[spec.name] = count
            if absent:
                result.absent[spec.name] = absent
        refs.report(out)


def _check_zip(data: bytes, limits: Limits, out: _Collector) -> bytes | None:
    """The manifest's bytes, or None when the zip cannot be trusted at all: reader._unzip's checks,
    every member unpacked and counted, only the manifest kept."""
    members = _unzip(data, limits, out, keep=lambda name: name == fmt.MANIFEST)
    return None if members is None else members[fmt.MANIFEST]


# -- one table -----------------------------------------------------------------------------


def _check_table(
    spec: fmt.TableSpec,
    zf: zipfile.ZipFile,
    manifest: Manifest,
    limits: Limits,
    out: _Collector,
    refs: _References,
    on_batch: OnBatch,
) -> tuple[set[str] | None, tuple[str, ...], int]:
    """reader._read_table a batch at a time: the ids of every row (None when the file could not be
    read to its end), the columns the file lacks, and how many good rows went to on_batch."""
    file = spec.file_name
    entry = manifest.files[file]
    raw = _unpack(zf, zf.getinfo(file), limits, limits.member_bytes, out)
    if raw is None:  # unpacked whole by _check_zip already: cannot happen
        return None, (), 0
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        out.add(file, None, None, P.SHA_MISMATCH)
    reader = _CsvReader(raw, max_field=len(raw), max_problems=limits.problems_per_file)
    del raw  # the reader holds the text: the bytes can go
    header = reader.header
    _report_csv(file, header, reader, out)
    absent = _absent(spec, header)
    if not header or not _header_ok(spec, header, out, absent):
        return None, (), 0
    # Each id and unique value with the line it was first seen on, across the batches.
    first_line: dict[str, dict[Any, int]] = {c.name: {} for c in spec.columns if c.kind is fmt.Kind.ID or c.unique}
    parse = None
    count = 0
    records = iter(reader)
    while chunk := list(islice(records, BATCH)):
        columns = fast_columns(spec, manifest, absent, chunk)
        if columns is not None and all(seen.keys().isdisjoint(columns[name]) for name, seen in first_line.items()):
            lines = [line for line, _cells in chunk]
            for name, seen in first_line.items():
                seen.update(zip(columns[name], lines))
                seen.pop(None, None)  # an empty unique cell is never a duplicate
            batch = Batch(lines, columns)
        else:  # something may be wrong: the reader's row-by-row way finds and words it
            parse = parse or _row_parser(spec, manifest, out, absent)
            rows = []
            for line, cells in chunk:
                values, ok = parse(line, cells)
                if first_of_each(values, first_line, file, line, out) and ok:
                    rows.append((line, values))
            batch = Batch([line for line, _v in rows], {c.name: [v[c.name] for _l, v in rows] for c in spec.columns})
        del chunk
        if batch.lines:
            refs.check(spec, batch)
            on_batch(spec, batch)
            count += len(batch)
    _report_csv(file, header, reader, out)
    if reader.complete and reader.rows != entry.rows:
        out.add(file, None, None, P.ROW_COUNT, found=reader.rows, expected=entry.rows)
    return (set(first_line["id"]) if reader.complete else None), absent, count


class _CsvReader(csvfmt.CsvReader):
    """csvfmt.CsvReader, but the text decoded straight from the bytes: its _decode slices the BOM
    off first, a copy of the whole file (20 MB more at the peak for a bench-scale file)."""

    def _decode(self, data: bytes) -> str | None:
        bom = csvfmt.BOM_BYTES
        if not data or not data.startswith(bom):
            return super()._decode(data)  # the problem, worded by CsvReader
        try:
            text = str(memoryview(data)[len(bom) :], "utf-8")
        except UnicodeDecodeError:
            return super()._decode(data)  # the line of the bad byte, found by CsvReader
        end = text.find("\n")  # not split(): its second part would be another copy of the file
        first_line = text if end < 0 else text[:end]
        if not first_line.strip() or (csvfmt.DELIMITER not in first_line and "," in first_line):
            return super()._decode(data)
        return text


def fast_columns(
    spec: fmt.TableSpec,
    manifest: Manifest,
    absent: tuple[str, ...],
    records: list[tuple[int, list[str]]],
    checked: bool = False,
) -> dict[str, list[Any]] | None:
    """reader._fast_rows for a batch, as columns: every column's typed values when nothing in the
    batch is wrong, else None. (Duplicates across batches: the caller.) checked: the cells were
    checked already (the same bytes, read again): each is only typed, as _fast_column types it."""
    present = [c for c in spec.columns if c.name not in absent]
    n = len(records)
    columns: dict[str, list[Any]] = {c.name: list(repeat(c.default, n)) for c in spec.columns if c.name in absent}
    for column, cells in zip(present, zip(*(cells for _line, cells in records))):
        values = _typed_column(column, cells) if checked else _fast_column(column, cells, manifest.excluded(column))
        if values is None:
            return None
        if not checked and (column.kind is fmt.Kind.ID or column.unique) and _has_duplicates(values):
            return None
        columns[column.name] = values
    if not records:
        return {c.name: [] for c in spec.columns}
    if spec.erasure and spec.erasure not in absent:
        erased = [i for i, when in enumerate(columns[spec.erasure]) if when is not None]
        personal = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
        if erased and any(name in absent for name in personal):
            return None  # a name column the file lacks: the row-by-row reading blanks it
        for name in personal:  # an erased person's name never lands anywhere
            for i in erased:
                columns[name][i] = ""
    return columns


def _typed_column(column: fmt.Column, cells: tuple[str, ...]) -> list[Any] | None:
    """_fast_column's values of cells it found good, without looking for what it checks."""
    if column.is_text or column.kind in (fmt.Kind.ID, fmt.Kind.REF, fmt.Kind.UUID):
        return [cell or None for cell in cells] if column.nullable else list(cells)
    parse = fmt.cell_parser(column)
    parsed = {}
    for text in set(cells):
        value, code = parse(text)
        if code is not None:
            return None
        parsed[text] = value
    return list(map(parsed.__getitem__, cells))


# -- references ----------------------------------------------------------------------------


class _References:
    """reader._check_references as the batches go by: parents come before their children in
    fmt.TABLES, so a reference is looked for in its table's ids as soon as it is read; the ones
    the file lacks are looked up once at the end, and reported in the reader's order."""

    def __init__(self, lookup: ReferenceLookup | None):
        self.lookup = lookup
        self.ids: dict[str, set[str] | None] = {}
        # (table, column) in the reader's order -> (line, target) of each row whose target the file lacks
        self.missing: dict[tuple[str, str], list[tuple[int, str]]] = {}

    @staticmethod
    def referenced(name: str) -> bool:
        return any(c.kind is fmt.Kind.REF and c.ref == name for spec in fmt.TABLES for c in spec.columns)

    def check(self, spec: fmt.TableSpec, batch: Batch) -> None:
        for column in spec.columns:
            if column.kind is not fmt.Kind.REF or column.ref is None:
                continue
            have = self.ids.get(column.ref)
            if have is None:  # its file is missing or could not be read: its own problem is reported
                continue
            missing = [(line, t) for line, t in zip(batch.lines, batch.columns[column.name]) if t is not None and t not in have]
            if missing:
                self.missing.setdefault((spec.name, column.name), []).extend(missing)

    def report(self, out: _Collector) -> None:
        wanted: dict[str, set[str]] = {}
        for (table, name), missing in self.missing.items():
            ref = fmt.TABLE_BY_NAME[table].column(name).ref
            assert ref is not None
            wanted.setdefault(ref, set()).update(target for _line, target in missing)
        found = {table: (self.lookup(table, ids) if self.lookup else set()) for table, ids in wanted.items()}
        order = [(spec.name, c.name) for spec in fmt.TABLES for c in spec.columns if c.kind is fmt.Kind.REF]
        for table, name in order:
            spec = fmt.TABLE_BY_NAME[table]
            ref = spec.column(name).ref
            assert ref is not None
            for line, target in self.missing.get((table, name), ()):
                if target not in found.get(ref, set()):
                    out.add(spec.file_name, line, name, P.DANGLING, file=f"{ref}.csv")


# -- reading the rows again ----------------------------------------------------------------


def batches(read: StreamedRead, spec: fmt.TableSpec, size: int = BATCH) -> Iterator[Batch]:
    """The good rows of a table of a read that was ok, again, a batch at a time, as the check made
    them (the same bytes through the same typing); the file's CSV read straight from the zip."""
    manifest = read.manifest
    assert manifest is not None and read.ok  # only a checked file is read again
    if spec.since > manifest.schema_version:
        return
    absent = read.absent.get(spec.name, ())
    with zipfile.ZipFile(io.BytesIO(read.data)) as zf, zf.open(spec.file_name) as member:
        text = io.TextIOWrapper(member, "utf-8-sig", newline="")
        records = _records(csv.reader(text, dialect=csvfmt.DIALECT))
        while chunk := list(islice(records, size)):
            columns = fast_columns(spec, manifest, absent, chunk, checked=True)
            if columns is None:  # the row-by-row typing (the check found nothing wrong in them)
                parse = _row_parser(spec, manifest, _Collector(0), absent)
                typed = [parse(line, cells)[0] for line, cells in chunk]
                columns = {c.name: [values[c.name] for values in typed] for c in spec.columns}
            yield Batch([line for line, _cells in chunk], columns)


def _records(reader: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """(line, restored cells) of the data rows, as CsvReader numbers and restores them."""
    guard = csvfmt.GUARD
    restore = csvfmt.restore
    start = 1
    for i, cells in enumerate(reader):
        line, start = start, reader.line_num + 1  # type: ignore[attr-defined]
        if i:  # the header
            yield line, [restore(cell) if cell[:1] == guard else cell for cell in cells]


__all__ = ["BATCH", "Batch", "Problem", "StreamedRead", "batches", "fast_columns", "read_streamed"]
