"""The sync history (table sync_history, local): what was exported or imported, when, for whom.

It also decides where the next incremental export to the central office starts:

- from the newest export sent to the central office (purpose "central"), less an
  overlap of OVERLAP: a row saved in a transaction that was still open while that
  export read the data carries a time just before it, and would otherwise be missed;
- a copy (purpose "copy") never moves that point;
- no central export yet, an import that changed data since the last one (imported
  rows keep the times of their file, which may be older), or a clock that now shows
  an earlier time than that export: the next export is full.

Sending a row twice is harmless (imports and the central merge are idempotent);
missing one is not, so every doubt gives a full export.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.sync import PURPOSES, SyncRecord

OVERLAP = dt.timedelta(minutes=10)
CENTRAL, COPY, IMPORT = PURPOSES


class HistoryEntry(NamedTuple):
    """A send, copy or import as the sync history records it."""

    at: dt.datetime  # UTC
    purpose: str  # central | copy | import
    kind: str  # full | incremental
    since: dt.datetime | None
    notes_included: bool
    names_included: bool
    recipient: str  # the central office's address (central exports only)
    file_name: str
    export_id: str
    coordinator_id: str
    rows: dict[str, int]  # file name -> rows in the file
    changes: dict[str, dict[str, int]] | None  # imports: file -> created/updated/unchanged/deleted

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def change_totals(self) -> Counter:
        """An import's created / updated / unchanged / deleted over all its files."""
        totals: Counter = Counter()
        for counts in (self.changes or {}).values():
            totals.update(counts)
        return totals


def _entry(r: SyncRecord) -> HistoryEntry:
    return HistoryEntry(
        at=r.at,
        purpose=r.purpose,
        kind=r.kind,
        since=r.since,
        notes_included=r.notes_included,
        names_included=r.names_included,
        recipient=r.recipient,
        file_name=r.file_name,
        export_id=r.export_id,
        coordinator_id=r.coordinator_id,
        rows=json.loads(r.rows or "{}"),
        changes=json.loads(r.changes) if r.changes else None,
    )


def sync_history(s: Session, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` entries, newest first."""
    rows = s.scalars(select(SyncRecord).order_by(SyncRecord.at.desc(), SyncRecord.id.desc()).limit(limit))
    return [_entry(r) for r in rows]


def last_central(s: Session) -> HistoryEntry | None:
    """The newest export sent to the central office, if any."""
    row = s.scalars(
        select(SyncRecord).where(SyncRecord.purpose == CENTRAL).order_by(SyncRecord.at.desc(), SyncRecord.id.desc())
    ).first()
    return _entry(row) if row else None


def incremental_since(s: Session, now: dt.datetime) -> dt.datetime | None:
    """Where the next incremental central export starts; None means it must be full."""
    last = last_central(s)
    if last is None or now < last.at:
        return None
    imports = s.scalars(select(SyncRecord).where(SyncRecord.purpose == IMPORT, SyncRecord.at >= last.at))
    for record in imports:
        changes = json.loads(record.changes or "{}")
        if any(c.get("created") or c.get("updated") or c.get("deleted") for c in changes.values()):
            return None
    return last.at - OVERLAP


def add_record(
    s: Session,
    *,
    at: dt.datetime,
    purpose: str,
    manifest: dict,
    file_name: str,
    recipient: str = "",
    changes: dict[str, dict[str, int]] | None = None,
) -> SyncRecord:
    """Add one entry (the caller commits). `manifest` is the file's manifest.json as a dict."""
    # Imported here: the history is read by every start (the dashboard, the sync page's hooks), the
    # file format's module (its tables and patterns) only by a send or an import (issue 17).
    from app.exchange.format import parse_timestamp

    if purpose not in PURPOSES:
        raise ValueError(purpose)
    record = SyncRecord(
        at=at,
        purpose=purpose,
        kind=manifest["kind"],
        since=parse_timestamp(manifest["since"]) if manifest.get("since") else None,
        notes_included=manifest["notes_included"],
        names_included=manifest["names_included"],
        recipient=recipient,
        file_name=file_name[:255],
        export_id=manifest["export_id"],
        coordinator_id=manifest["coordinator"]["id"],
        rows=json.dumps({name: entry["rows"] for name, entry in manifest["files"].items()}, sort_keys=True),
        changes=json.dumps(changes, sort_keys=True) if changes is not None else None,
    )
    s.add(record)
    return record
