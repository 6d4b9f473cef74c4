"""Read an export zip safely and check everything in it before anything is written.

    read_export(source, lookup=None) -> ReadResult   (never raises)

Everything is checked and every problem collected (up to a limit per file), so the
user sees them all at once: the zip (size, member count, names, encryption, bombs:
sizes are counted while unpacking, never taken from the zip's headers), the manifest,
each file's sha256 and row count, the header, every cell's type, duplicate ids,
references (to rows in the file, or through `lookup` to rows stored elsewhere) and
identity codes in every text cell.

The importer passes a lookup into its database; the central office's merge passes one
into its merged tables. A lookup gets a table name and the ids the file itself does
not hold, and returns those that exist. For the importer a reference found nowhere is a
problem (the laptop's database has foreign keys); the merge reads with dangling_ok=True,
which makes it a warning instead (ReadResult.warnings): the central database keeps rows
whose parent may still arrive in another coordinator's file of the same run or a later one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, methodcaller
from pathlib import Path
from typing import Any, BinaryIO

from app.core import csvfmt, hetu
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.manifest import Coordinator, FileEntry, Manifest, parse_manifest
from app.exchange.problems import Problem, identity_problem, shown_name

__all__ = ["Coordinator", "FileEntry", "Limits", "Manifest", "ReadResult", "ReferenceLookup", "Row", "read_export"]

log = logging.getLogger(__name__)

MB = 1024 * 1024
ReferenceLookup = Callable[[str, set[str]], set[str]]
Source = bytes | str | os.PathLike[str] | BinaryIO


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 256 * MB  # the zip itself (the UI's upload limit is lower still)
    members: int = 32  # a Koordi export has 13
    member_bytes: int = 512 * MB  # one unpacked file
    total_bytes: int = 1024 * MB  # all unpacked files together
    # CSV of UUIDs, dates and words packs 3-10 to 1; a bomb packs 1000 to 1. Above
    # ratio x packed size (and above ratio_floor) unpacking stops.
    ratio: int = 100
    ratio_floor: int = 1 * MB
    problems_per_file: int = 100


LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    # column name -> typed value (str, int, bool, date, time, datetime or None; which one, the
    # column's kind says: a type checker cannot tell them apart by name)
    values: dict[str, Any]


@dataclass
class ReadResult:
    manifest: Manifest | None = None
    tables: dict[str, list[Row]] = field(default_factory=dict)  # table name -> rows, file order
    problems: list[Problem] = field(default_factory=list)
    # With dangling_ok: every reference found nowhere (params "file" and "ref", the id it names).
    warnings: list[Problem] = field(default_factory=list)
    # table name -> the columns the file lacks (Column.since: added to the format later). Their rows
    # hold the column's default; an import or merge never overwrites a stored value with it.
    absent: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems and len(self.tables) == len(fmt.TABLES)


class _Collector:
    """Problems, at most `limit` kept per file; the rest are counted and summed up at the end."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: list[Problem] = []
        self.kept: dict[str | None, int] = {}
        self.dropped: dict[str | None, int] = {}

    def add(self, file: str | None, line: int | None, column: str | None, code: str, /, **params: object) -> None:
        if self.kept.get(file, 0) >= self.limit:
            self.dropped[file] = self.dropped.get(file, 0) + 1
            return
        self.kept[file] = self.kept.get(file, 0) + 1
        self.items.append(Problem(file, line, column, code, params))

    def drop(self, file: str | None, count: int) -> None:
        if count:
            self.dropped[file] = self.dropped.get(file, 0) + count

    def finish(self) -> list[Problem]:
        return self.items + [Problem(f, None, None, P.MORE_PROBLEMS, {"count": n}) for f, n in self.dropped.items()]


def read_export(
    source: Source,
    *,
    lookup: ReferenceLookup | None = None,
    limits: Limits = LIMITS,
    dangling_ok: bool = False,
) -> ReadResult:
    """The manifest, the typed rows of every file, and every problem found. Never raises.

    dangling_ok: a reference found neither in the file nor through `lookup` goes to
    result.warnings (all of them, uncapped) instead of result.problems.
    """
    out = _Collector(limits.problems_per_file)
    result = ReadResult()
    try:
        _read(source, lookup, limits, out, result, result.warnings if dangling_ok else None)
    except Exception:  # the last line of defence; the fuzz tests make sure it is never reached
        log.exception("unexpected error while reading an export file")
        out.add(None, None, None, P.UNREADABLE)
    result.problems = out.finish()
    return result


def _read(
    source: Source,
    lookup: ReferenceLookup | None,
    limits: Limits,
    out: _Collector,
    result: ReadResult,
    dangling: list[Problem] | None,
) -> None:
    data = _load(source, limits, out)
    if data is None:
        return
    members = _unzip(data, limits, out)
    if members is None:
        return
    manifest = parse_manifest(members.get(fmt.MANIFEST), out)
    if manifest is None:
        return
    result.manifest = manifest
    ids: dict[str, set[str] | None] = {}
    wanted = set(fmt.file_names(manifest.schema_version))
    for name in sorted(set(fmt.FILE_NAMES) - set(fmt.file_names(1))):
        if name in wanted and name not in members:
            out.add(name, None, None, P.MISSING_MEMBER)
        elif name not in wanted and name in members:
            out.add(name, None, None, P.UNEXPECTED_MEMBER)
    for spec in fmt.TABLES:
        if spec.since > manifest.schema_version:  # an older file: this table is empty in it
            result.tables[spec.name], ids[spec.name] = [], set()
            continue
        raw = members.pop(spec.file_name, None)  # let each file's bytes go once it is read
        if raw is not None:
            result.tables[spec.name], ids[spec.name], absent = _read_table(spec, raw, manifest, limits, out)
            if absent:
                result.absent[spec.name] = absent
    _check_references(result.tables, ids, lookup, out, dangling)


# -- the zip -------------------------------------------------------------------------------


def _load(source: Source, limits: Limits, out: _Collector) -> bytes | None:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        try:
            if hasattr(source, "read"):
                data = source.read(limits.file_bytes + 1)
            else:
                with Path(source).open("rb") as fh:
                    data = fh.read(limits.file_bytes + 1)
        except OSError:
            out.add(None, None, None, P.NOT_A_FILE)
            return None
    if len(data) > limits.file_bytes:
        out.add(None, None, None, P.TOO_BIG, limit_mb=limits.file_bytes // MB)
        return None
    return data


def _unzip(
    data: bytes, limits: Limits, out: _Collector, keep: Callable[[str], bool] = lambda name: True
) -> dict[str, bytes] | None:
    """The expected members' bytes, or None when the zip cannot be trusted at all. Every member is
    unpacked and checked; only those `keep` names are held (a streamed import keeps the manifest
    alone and reads each table again when its turn comes: app.sync.import_read)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, EOFError, ValueError, OSError...: all mean "not a readable zip"
        out.add(None, None, None, P.NOT_ZIP)
        return None
    with zf:
        infos = zf.infolist()
        expected = {fmt.MANIFEST, *fmt.FILE_NAMES}
        if len(infos) > limits.members:
            out.add(None, None, None, P.TOO_MANY_MEMBERS, count=len(infos), expected=len(expected))
            return None
        members: dict[str, bytes] = {}
        seen: set[str] = set()
        total = 0
        fatal = False
        for info in infos:
            name = info.filename
            if name in seen:
                out.add(shown_name(name), None, None, P.DUPLICATE_MEMBER)
                fatal = True
                continue
            seen.add(name)
            if name not in expected:
                out.add(shown_name(name), None, None, P.UNEXPECTED_MEMBER)
                continue
            if info.flag_bits & 0x1:
                out.add(name, None, None, P.ENCRYPTED)
                fatal = True
                continue
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                out.add(name, None, None, P.UNSUPPORTED_COMPRESSION)
                fatal = True
                continue
            unpacked = _unpacked(zf, info, limits, limits.total_bytes - total, out, keep(name))
            if unpacked is None:
                fatal = True
                continue
            size, content = unpacked
            total += size
            if keep(name):
                members[name] = content
        # Every version has these; the files a newer version added are checked against the manifest.
        required = {fmt.MANIFEST, *fmt.file_names(1)}
        for name in sorted(required - seen, key=lambda n: (n != fmt.MANIFEST, n)):
            out.add(name, None, None, P.MISSING_MEMBER)
        if fmt.MANIFEST not in seen:
            return None
    return None if fatal else members


def _unpack(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, room: int, out: _Collector) -> bytes | None:
    """Unpack one member, counting the bytes as they come: headers can lie about sizes."""
    unpacked = _unpacked(zf, info, limits, room, out, keep=True)
    return None if unpacked is None else unpacked[1]


def _unpacked(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, room: int, out: _Collector, keep: bool
) -> tuple[int, bytes] | None:
    """A member's unpacked size and (if kept) bytes, or None with its problem; without `keep` the
    bytes are counted and let go as they come."""
    by_ratio = max(limits.ratio_floor, limits.ratio * max(info.compress_size, 0))
    cap = min(limits.member_bytes, room, by_ratio)
    buf = bytearray()
    size = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(min(1 * MB, cap + 1 - size)):
                size += len(chunk)
                if keep:
                    buf += chunk
                if size > cap:
                    if cap == by_ratio:
                        out.add(info.filename, None, None, P.BOMB)
                    else:
                        out.add(info.filename, None, None, P.MEMBER_TOO_BIG, limit_mb=cap // MB)
                    return None
    except Exception:  # CRC mismatch, truncated stream, bad deflate data, bad local header
        out.add(info.filename, None, None, P.DAMAGED_MEMBER)
        return None
    return size, bytes(buf)


# -- the manifest --------------------------------------------------------------------------


def _shown_value(text: str) -> str:
    """A short typed cell for a message; an identity code in it is masked, never shown."""
    for finding in reversed(hetu.find_codes(text)):
        text = text[: finding.start] + finding.masked + text[finding.end :]
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:37] + "..."


def _read_table(
    spec: fmt.TableSpec, raw: bytes, manifest: Manifest, limits: Limits, out: _Collector
) -> tuple[list[Row], set[str] | None, tuple[str, ...]]:
    """The good rows, and the ids of every row (good or not: a child of a bad row is not dangling);
    None for the ids when the file could not be read to its end (its ids are unknown); and the
    columns the file lacks that a file may lack (Column.since)."""
    file = spec.file_name
    entry = manifest.files[file]
    if hashlib.sha256(raw).hexdigest() != entry.sha256:
        out.add(file, None, None, P.SHA_MISMATCH)
    # No cell limit at the CSV level: each column's own maximum length names the cell instead.
    reader = csvfmt.CsvReader(raw, max_field=len(raw), max_problems=limits.problems_per_file)
    header = reader.header
    _report_csv(file, header, reader, out)
    absent = _absent(spec, header)
    if not header or not _header_ok(spec, header, out, absent):
        return [], None, ()
    records = list(reader)
    fast = _fast_rows(spec, manifest, absent, records)
    if fast is not None:
        rows, ids = fast
    else:
        parse = _row_parser(spec, manifest, out, absent)
        rows = []
        first_line: dict[str, dict[str, int]] = {c.name: {} for c in spec.columns if c.kind is fmt.Kind.ID or c.unique}
        for line, cells in records:
            values, ok = parse(line, cells)
            if first_of_each(values, first_line, file, line, out) and ok:
                rows.append(Row(line, values))
        ids = set(first_line["id"])
    _report_csv(file, header, reader, out)
    if reader.complete and reader.rows != entry.rows:
        out.add(file, None, None, P.ROW_COUNT, found=reader.rows, expected=entry.rows)
    return rows, ids if reader.complete else None, absent


# -- the fast way through a file with no problem -------------------------------------------------


def _fast_rows(
    spec: fmt.TableSpec, manifest: Manifest, absent: tuple[str, ...], records: list[tuple[int, list[str]]]
) -> tuple[list[Row], set[str]] | None:
    """The rows of a file in which nothing is wrong, checked a column at a time (a C-level pass
    over each column instead of a Python call for every cell: a bench-scale file has millions);
    None as soon as anything may be wrong: the row-by-row reading then finds and words each
    problem, exactly as for any file. The rows are the same either way (tests/sync/test_reader_fast.py)."""
    present = [c for c in spec.columns if c.name not in absent]
    defaults = {c.name: c.default for c in spec.columns if c.name in absent}
    columns: list[list[Any]] = []
    for column, cells in zip(present, zip(*(cells for _line, cells in records))):
        values = _fast_column(column, cells, manifest.excluded(column))
        if values is None:
            return None
        if (column.kind is fmt.Kind.ID or column.unique) and _has_duplicates(values):
            return None
        columns.append(values)
    if not records:
        return [], set()
    at = {c.name: i for i, c in enumerate(present)}
    if spec.erasure in at:
        erased = [i for i, when in enumerate(columns[at[spec.erasure]]) if when is not None]
        personal = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
        if erased and any(name not in at for name in personal):
            return None  # a name column the file lacks: the row-by-row reading blanks it
        for name in personal:  # an erased person's name never lands anywhere
            for i in erased:
                columns[at[name]][i] = ""
    names = [*defaults, *at]
    fixed = [repeat(value) for value in defaults.values()]
    rows = [Row(line, dict(zip(names, values))) for (line, _cells), values in zip(records, zip(*fixed, *columns))]
    return rows, set(columns[at["id"]])


def first_of_each(values: dict[str, Any], first_line: dict[str, dict[Any, int]], file: str, line: int, out: _Collector) -> bool:
    """Notes the line of each id or unique column's value; a value seen on an earlier line is a
    problem at this one (naming the first), and False."""
    ok = True
    for name, seen in first_line.items():
        value = values.get(name)
        if value is None:
            continue
        if value in seen:
            code = P.DUPLICATE_ID if name == "id" else P.DUPLICATE_VALUE
            out.add(file, line, name, code, first=seen[value])
            ok = False
        else:
            seen[value] = line
    return ok


def _fast_column(column: fmt.Column, cells: tuple[str, ...], excluded: bool) -> list[Any] | None:
    """The column's values when every cell is good, else None (see _fast_rows)."""
    nullable = column.nullable
    if column.is_text:
        if excluded and any(cells):
            return None
        if column.max_length is not None and max(map(len, cells)) > column.max_length:
            return None
        if column.required and not all(map(str.strip, filter(None, cells) if nullable else cells)):
            return None
        # A code stands between characters that are not letters or digits: a line break is one, so
        # one search of the joined cells finds whatever a search of each cell would.
        if hetu.contains_code("\n".join(cells)):
            return None
        return [cell or None for cell in cells] if nullable else list(cells)
    if column.kind in (fmt.Kind.ID, fmt.Kind.REF, fmt.Kind.UUID):
        if not all(map(fmt.UUID_RE.fullmatch, filter(None, cells) if nullable else cells)):
            return None
        return [cell or None for cell in cells] if nullable else list(cells)
    # Dates, times, numbers, flags, choices: each distinct text parsed once by the column's own parser.
    parse = fmt.cell_parser(column)
    parsed = {}
    for text in set(cells):
        value, code = parse(text)
        if code is not None:
            return None
        parsed[text] = value
    return list(map(parsed.__getitem__, cells))


def _has_duplicates(values: list[Any]) -> bool:
    present = [v for v in values if v is not None]
    return len(set(present)) != len(present)


def _report_csv(file: str, header: list[str], reader: csvfmt.CsvReader, out: _Collector) -> None:
    """The CSV reader's problems not reported yet (it finds them while it is read)."""
    for p in reader.problems:
        column = header[p.column] if p.column is not None and p.column < len(header) else None
        out.add(file, p.line, column, p.code, **p.params)
    reader.problems.clear()
    out.drop(file, reader.more_problems)
    reader.more_problems = 0


def _absent(spec: fmt.TableSpec, header: list[str]) -> tuple[str, ...]:
    """The columns added to the format later (Column.since) that this file's header lacks."""
    have = set(header)
    return tuple(c.name for c in spec.columns if c.may_be_absent and c.name not in have)


def _header_ok(spec: fmt.TableSpec, header: list[str], out: _Collector, absent: tuple[str, ...] = ()) -> bool:
    expected = [name for name in spec.header if name not in absent]
    if header == expected:
        return True
    file = spec.file_name
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for name in missing:
        out.add(file, 1, name, P.HEADER_MISSING, name=name)
    for name in extra:
        out.add(file, 1, shown_name(name), P.HEADER_UNEXPECTED)
    if not missing and not extra:
        for have, want in zip(header, expected):
            if have != want:
                out.add(file, 1, have, P.HEADER_ORDER, expected=want)
                break
        else:  # the same names, one of them twice: the counts differ
            out.add(file, 1, None, P.HEADER_UNEXPECTED)
    return False


def _row_parser(
    spec: fmt.TableSpec, manifest: Manifest, out: _Collector, absent: tuple[str, ...] = ()
) -> Callable[[int, list[str]], tuple[dict[str, Any], bool]]:
    """parse(line, cells) -> (typed values, ok) for one table; problems go to `out`. The columns
    in `absent` are not in the file: each row gets their default."""
    file = spec.file_name
    present = [c for c in spec.columns if c.name not in absent]
    columns = [(c, c.name, fmt.cell_parser(c), c.is_text, manifest.excluded(c)) for c in present]
    defaults = {c.name: c.default for c in spec.columns if c.name in absent}
    personal = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
    erasure = spec.erasure

    def parse(line: int, cells: list[str]) -> tuple[dict[str, Any], bool]:
        values: dict[str, Any] = dict(defaults)
        ok = True
        for (column, name, parse_cell, is_text, excluded), cell in zip(columns, cells):
            value, code = parse_cell(cell)
            if code is not None:
                out.add(file, line, name, code, **_params(column, code, cell))
                ok = False
                continue
            if is_text and cell:
                if excluded:
                    out.add(file, line, name, P.EXCLUDED_NOT_EMPTY)
                    ok = False
                for finding in hetu.find_codes(cell):
                    code, masked = identity_problem(finding)
                    out.add(file, line, name, code, code=masked)
                    ok = False
            values[name] = value
        if erasure and values.get(erasure) is not None:
            # An erased person's name never lands anywhere, whatever the file says.
            for name in personal:
                values[name] = ""
        return values, ok

    return parse


def _params(column: fmt.Column, code: str, cell: str) -> dict[str, object]:
    if code == fmt.TOO_LONG:
        return {"length": len(cell), "max": column.max_length}
    if column.is_text or code == fmt.REQUIRED:
        return {}
    params: dict[str, object] = {"value": _shown_value(cell)}
    if code == fmt.OUT_OF_RANGE:
        params.update(min=column.minimum, max=column.maximum)
    if code == fmt.NOT_ALLOWED:
        params["allowed"] = ", ".join(column.values)
    return params


# -- references ----------------------------------------------------------------------------

_VALUES = attrgetter("values")


def _check_references(
    tables: dict[str, list[Row]],
    in_file: dict[str, set[str] | None],
    lookup: ReferenceLookup | None,
    out: _Collector,
    dangling: list[Problem] | None,
) -> None:
    """Every reference must find its row in the file or through lookup (else a problem, or with
    `dangling` given, a warning appended there). References into a file that is missing or
    could not be read are not checked: that file's own problem is reported."""
    checks = [
        (spec, column, column.ref, have)  # have: the ids of the referenced file
        for spec in fmt.TABLES
        for column in spec.columns
        if column.kind is fmt.Kind.REF and column.ref is not None and (have := in_file.get(column.ref)) is not None
    ]
    wanted: dict[str, set[str]] = {}
    unmatched = []  # the checks with a reference not in its file: only these are gone through row by row
    for check in checks:
        spec, column, ref, have = check
        targets = set(map(methodcaller("get", column.name), map(_VALUES, tables.get(spec.name, ()))))
        targets.discard(None)
        if missing := targets - have:
            wanted.setdefault(ref, set()).update(missing)
            unmatched.append(check)
    found = {table: (lookup(table, ids) if lookup else set()) for table, ids in wanted.items()}
    for spec, column, ref, have in unmatched:
        elsewhere = found.get(ref, set())
        for row in tables.get(spec.name, ()):
            target = row.values.get(column.name)
            if target is not None and target not in have and target not in elsewhere:
                if dangling is not None:
                    params = {"file": f"{ref}.csv", "ref": target}
                    dangling.append(Problem(spec.file_name, row.line, column.name, P.DANGLING, params))
                else:
                    out.add(spec.file_name, row.line, column.name, P.DANGLING, file=f"{ref}.csv")
