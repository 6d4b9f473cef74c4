"""Helpers of the merge tests: targets (SQLite file or the test PostgreSQL), a row-by-row dump of a
central database, and the files' own CSV rows as cell text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from app.central.merge import MergeOptions, merge_files
from app.central.schema import DATA, metadata, open_target
from app.core import csvfmt
from app.exchange import format as fmt
from tests.sync.helpers import manifest_of, rows_of

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def dump(engine, skip=("merged_files",)) -> dict[str, list[tuple]]:
    """Every row of every central table (in key order), for row-by-row comparisons."""
    out = {}
    with engine.connect() as conn:
        for name, table in metadata.tables.items():
            if name in skip:
                continue
            out[name] = sorted(tuple(row) for row in conn.execute(select(table)))
    return out


def merge(engine, files, *, notes: bool = False, names: bool = False, now: dt.datetime = NOW):
    return merge_files(engine, [Path(f) for f in files], MergeOptions(notes, names), now=now)


def cell(value) -> str:
    """A merged value as the export writes it (timestamps are naive UTC in the central database)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%dT%H:%M:%S}Z"
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def file_rows(path: Path, table: str) -> dict[str, dict[str, str]]:
    """id -> the row's cells as written in the file (the formula guard taken off)."""
    data = Path(path).read_bytes()
    rows = rows_of(data, f"{table}.csv")
    return {row["id"]: {k: csvfmt.restore(v) for k, v in row.items()} for row in rows}


def merged_rows(engine, table: str, coordinator_id: str) -> dict[str, dict]:
    t = DATA[table]
    with engine.connect() as conn:
        return {row.id: dict(row._mapping) for row in conn.execute(select(t).where(t.c.coordinator_id == coordinator_id))}


def coordinator_of(path: Path) -> dict:
    return manifest_of(Path(path).read_bytes())["coordinator"]


def blank_left_out(spec: fmt.TableSpec, row: dict[str, str], notes: bool, names: bool) -> dict[str, str]:
    out = dict(row)
    for column in spec.columns:
        if (column.kind is fmt.Kind.NOTE and not notes) or (column.kind is fmt.Kind.PERSONAL and not names):
            out[column.name] = ""
    return out


def sqlite_target(folder: Path, name: str = "merged.sqlite3"):
    return open_target(str(folder / name))
