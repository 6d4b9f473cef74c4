"""Import an export file: plan (the dry run) and apply (all or nothing, after a backup).

    result = read_export(source, lookup=database_lookup(session))
    plan = plan_import(session, result)     # per file: created / updated / unchanged / deleted
    outcome = apply_import(store, plan)     # backup, then one transaction

Merge rules, the same for a restore, a move to a new laptop and a second import:
- rows match by id; the file's row wins only when its updated_at is newer, and then
  keeps that updated_at exactly (re-importing a file therefore changes nothing);
- a column the manifest says was left out (notes or names not included) never
  overwrites a stored value; a new row gets empty text there;
- an erasure always wins: a trainee erased on either side stays erased, whatever
  the times say, and their name and email are blanked;
- derived columns (name_key) are recomputed here; the search index follows through
  its SQL triggers.

Whose data: an install adopts the file's coordinator (profile and id) when it has no
records yet and the file is a full export, so the central office keeps seeing one
coordinator after a laptop change. A file of another coordinator is refused in an
install that has records: the central office counts rows per coordinator, and rows
that moved between coordinators would be counted twice or under the wrong person.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.core.geography import COUNTY_BY_KEY
from app.core.text import fold
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import Problem
from app.exchange.reader import Coordinator, ReadResult, ReferenceLookup, Row, read_export
from app.models import CoordinatorProfile, Setting, current_profile, not_seeded
from app.store import CHANGED_KEY, Store, backups, search_index, write
from app.sync import history

UTC = dt.UTC
CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit
SCAN_FROM = 2_000  # more ids than this: read the whole table once instead
# Page cache while writing a large file. 64 MB: with the search index rebuilt once at the end
# (BULK_ROWS), a bench-scale import was faster than with 256 MB, and 200 MB lighter.
LOAD_CACHE_KIB = 65_536
# From this many rows written, the search index is rebuilt once at the end instead of row by row
# by its triggers (which took a third of a large import); a rebuild costs about as much as
# indexing every record once, so a small import keeps the triggers.
BULK_ROWS = 5_000


@dataclass
class FileSummary:
    file: str
    rows: int = 0  # rows in the file
    created: int = 0  # new ids (tombstones included)
    updated: int = 0  # stored rows the file changes
    unchanged: int = 0  # stored rows as new as the file's, or newer
    deleted: int = 0  # stored live rows the file deletes (a newer tombstone)


@dataclass
class ImportPlan:
    read: ReadResult
    problems: list[Problem]
    summaries: list[FileSummary]
    adopt: Coordinator | None = None  # the coordinator profile the install takes over
    inserts: dict[str, list[dict]] = field(default_factory=dict)  # table -> rows to insert
    updates: dict[str, list[dict]] = field(default_factory=dict)  # table -> {"id", columns to set...}

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return self.adopt is not None or any(s.created or s.updated or s.deleted for s in self.summaries)

    def changes(self) -> dict[str, dict[str, int]]:
        return {
            s.file: {"created": s.created, "updated": s.updated, "unchanged": s.unchanged, "deleted": s.deleted}
            for s in self.summaries
        }


@dataclass
class ImportOutcome:
    plan: ImportPlan  # as applied (planned again inside the write transaction)
    backup: backups.Backup | None  # None when there was nothing to change


class ImportRefused(Exception):
    """apply_import found problems (the plan's problems say which); nothing was written."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


def database_lookup(s: Session) -> ReferenceLookup:
    """A reader lookup into this database: which of these ids does the table hold (deleted or not)."""

    def lookup(table_name: str, ids: set[str]) -> set[str]:
        table = fmt.TABLE_BY_NAME[table_name].model.__table__
        wanted = sorted(ids)
        found: set[str] = set()
        for i in range(0, len(wanted), CHUNK):
            found.update(s.scalars(select(table.c.id).where(table.c.id.in_(wanted[i : i + CHUNK]))))
        return found

    return lookup


def read_for_import(s: Session, source) -> ReadResult:
    """read_export with references checked against this database too."""
    return read_export(source, lookup=database_lookup(s))


# -- planning ------------------------------------------------------------------------------


def _profile(s: Session) -> CoordinatorProfile | None:
    return current_profile(s)


def has_records(s: Session) -> bool:
    """Any record of the coordinator's own: every exported table counts, except seeded methods."""
    for spec in fmt.TABLES:
        table = spec.model.__table__
        assert isinstance(table, Table)  # what a model's __table__ is (SQLAlchemy types it as any FROM)
        query = select(func.count()).select_from(table)
        query = query.where(not_seeded(table))
        if s.scalar(query.limit(1)):
            return True
    return False


def _ownership(s: Session, read: ReadResult) -> tuple[Coordinator | None, list[Problem]]:
    """The profile to adopt (or None), or the problem that stops a file of someone else."""
    manifest = read.manifest
    assert manifest is not None  # plan_import plans only a file that was read
    who = manifest.coordinator
    full = manifest.kind == "full"
    profile = _profile(s)
    if profile is not None and profile.id == who.id:
        return None, []
    if full and (profile is None or not has_records(s)):
        return who, []
    if profile is None:
        return None, [Problem(None, None, None, P.NEEDS_FULL, {"since": _local(manifest.since)})]
    county = COUNTY_BY_KEY.get(who.county)
    params = {"name": who.name, "county": county.fi if county else who.county, "own": profile.name}
    return None, [Problem(None, None, None, P.OTHER_COORDINATOR, params)]


def _local(value: dt.datetime | None) -> str:
    from app.i18n import format_local_datetime

    return format_local_datetime(value, "fi") if value else ""


def _stored(s: Session, spec: fmt.TableSpec, ids: list[str]) -> dict[str, tuple]:
    """id -> (updated_at, deleted, erased_at or None) of the stored rows among ids."""
    table = spec.model.__table__
    erased = table.c[spec.erasure] if spec.erasure else None
    cols = [table.c.id, table.c.updated_at, table.c.deleted] + ([erased] if erased is not None else [])
    found = {}
    if len(ids) > SCAN_FROM:
        # Many ids (a full export): one pass over the table beats hundreds of IN (...) lookups.
        wanted = set(ids)
        queries = [select(*cols)]
    else:
        wanted = None
        queries = [select(*cols).where(table.c.id.in_(ids[i : i + CHUNK])) for i in range(0, len(ids), CHUNK)]
    for query in queries:
        for row in s.execute(query):
            if wanted is None or row[0] in wanted:
                found[row[0]] = (row[1], row[2], row[3] if erased is not None else None)
    return found


def plan_import(s: Session, read: ReadResult) -> ImportPlan:
    """What importing `read` into this database would do, and every reason it cannot (dry run)."""
    plan = ImportPlan(read=read, problems=list(read.problems), summaries=[])
    if read.manifest is None or not read.ok:
        plan.summaries = [FileSummary(spec.file_name, len(read.tables.get(spec.name, []))) for spec in fmt.TABLES]
        return plan
    plan.adopt, ownership_problems = _ownership(s, read)
    plan.problems += ownership_problems
    for spec in fmt.TABLES:
        _plan_table(s, spec, read, plan)
    return plan


def _plan_table(s: Session, spec: fmt.TableSpec, read: ReadResult, plan: ImportPlan) -> None:
    manifest = read.manifest
    assert manifest is not None  # plan_import plans only a file that was read
    rows = read.tables[spec.name]
    summary = FileSummary(spec.file_name, len(rows))
    plan.summaries.append(summary)
    stored = _stored(s, spec, [row.values["id"] for row in rows])
    # A column left out (notes or names not included) or not in the file at all (an older format:
    # Column.since) never overwrites a stored value; a new row gets its empty text or default.
    absent = set(read.absent.get(spec.name, ()))
    writable = [
        c.name for c in spec.columns if c.name not in ("id", "created_at") and not manifest.excluded(c) and c.name not in absent
    ]
    personal = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
    inserts, updates, written = [], [], []
    for row in rows:
        values = row.values
        old = stored.get(values["id"])
        if old is None:
            inserts.append(values)  # the read result's own dict: derived columns are added while writing
            written.append(row)
            summary.created += 1
            continue
        old_updated, old_deleted, old_erased = old
        if values["updated_at"] > old_updated:
            change = {"id": values["id"], **{name: values[name] for name in writable}}
            if spec.erasure and (old_erased or values[spec.erasure]):
                change[spec.erasure] = old_erased or values[spec.erasure]  # erasure is for good
                change.update({name: "" for name in personal})
            updates.append(_with_derived(spec, change))
            written.append(row)
            if values["deleted"] and not old_deleted:
                summary.deleted += 1
            else:
                summary.updated += 1
        elif spec.erasure and values[spec.erasure] and not old_erased:
            # An older row that carries an erasure: the erasure wins, the rest stays as stored.
            change = {
                "id": values["id"],
                spec.erasure: values[spec.erasure],
                "updated_at": old_updated,
                **{name: "" for name in personal},
            }
            updates.append(_with_derived(spec, change))
            summary.updated += 1
        else:
            summary.unchanged += 1
    plan.inserts[spec.name] = inserts
    plan.updates[spec.name] = updates
    _check_unique(s, spec, written, plan)


def _with_derived(spec: fmt.TableSpec, values: dict) -> dict:
    for derived in spec.derived:
        if derived.source in values:
            values[derived.column] = fold(values[derived.source])
    return values


def _check_unique(s: Session, spec: fmt.TableSpec, rows: list[Row], plan: ImportPlan) -> None:
    """A unique value (methods.key) that a stored row with another id already holds."""
    manifest = plan.read.manifest
    assert manifest is not None  # plan_import plans only a file that was read
    for column in spec.columns:
        if not column.unique or manifest.excluded(column):
            continue
        table = spec.model.__table__
        wanted = {row.values[column.name]: row for row in rows if row.values.get(column.name) is not None}
        keys = sorted(wanted)
        for i in range(0, len(keys), CHUNK):
            query = select(table.c.id, table.c[column.name]).where(table.c[column.name].in_(keys[i : i + CHUNK]))
            for stored_id, value in s.execute(query):
                row = wanted[value]
                if stored_id != row.values["id"]:
                    plan.problems.append(Problem(spec.file_name, row.line, column.name, P.VALUE_TAKEN))


# -- applying ------------------------------------------------------------------------------


def apply_import(store: Store, plan: ImportPlan, *, file_name: str = "", now: dt.datetime | None = None) -> ImportOutcome:
    """Back up, then write the plan in one transaction: everything or nothing.

    The plan is made again inside the write transaction, so what is written matches the
    data as it is at that moment (a preview may be minutes old). Raises ImportRefused
    (nothing written) when the plan has problems; a plan with nothing to change writes
    nothing and takes no backup. Raises DatabaseBusy (nothing written, no backup) when
    another program holds the data's write lock past the busy timeout.
    """
    if not plan.ok:
        raise ImportRefused(plan)
    if not plan.has_changes:
        return ImportOutcome(plan, None)
    now = now or dt.datetime.now(UTC)
    assert store.WriteSession is not None  # the store is open
    with store.WriteSession() as s, write(s):
        # The write lock first: no other write can then slip in between the backup and the
        # import, and waiting in vain for it leaves no backup behind.
        s.connection()
        taken = store.backup("pre-import")
        fresh = plan_import(s, plan.read)
        if not fresh.ok:
            raise ImportRefused(fresh)
        _write(s, fresh)
        if fresh.adopt is not None:
            _adopt(s, fresh.adopt)
        history.add_record(
            s,
            at=now,
            purpose=history.IMPORT,
            manifest=manifest_dict(fresh.read),
            file_name=file_name,
            changes=fresh.changes(),
        )
        # Core statements bypass the ORM's before_flush hook: say here that data changed.
        s.merge(Setting(key=CHANGED_KEY, value=now.isoformat()))
    return ImportOutcome(fresh, taken)


def _write(s: Session, plan: ImportPlan) -> None:
    """The plan's rows through the DB-API's executemany, each value converted by its column's
    own SQLAlchemy type (the same text SQLite gets from the ORM), parents first."""
    conn = s.connection()
    dialect = conn.dialect
    cache: int = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    written = sum(map(len, plan.inserts.values())) + sum(map(len, plan.updates.values()))
    # In this transaction: if the import fails, the triggers it dropped come back with the rollback.
    bulk = search_index.deferred(conn) if written >= BULK_ROWS else contextlib.nullcontext()
    try:
        with bulk:
            _write_tables(conn, dialect, plan)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


def _write_tables(conn, dialect, plan: ImportPlan) -> None:
    for spec in fmt.TABLES:  # parents first: every reference is inserted before it is used
        table = spec.model.__table__
        # In key order: each batch then walks the primary-key and parent indexes in order.
        refs = [c.name for c in spec.columns if c.kind is fmt.Kind.REF and not c.nullable]
        key = refs[0] if refs else "id"
        inserts = sorted(plan.inserts.get(spec.name, []), key=lambda row: row[key])
        names = spec.header + [d.column for d in spec.derived]
        _executemany(conn, dialect, table, names, (_with_derived(spec, dict(row)) for row in inserts), None)
        by_columns: dict[tuple[str, ...], list[dict]] = {}
        for change in sorted(plan.updates.get(spec.name, []), key=lambda row: row["id"]):
            by_columns.setdefault(tuple(sorted(k for k in change if k != "id")), []).append(change)
        for columns, changes in by_columns.items():
            # updated_at is always among the columns set: nothing restamps it.
            _executemany(conn, dialect, table, [*columns, "id"], changes, columns)


def _executemany(conn, dialect, table, names: list[str], rows, update_columns) -> None:
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    if update_columns is None:
        sql = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
    else:
        sql = f'UPDATE "{table.name}" SET {", ".join(f"{n} = ?" for n in update_columns)} WHERE id = ?'
    batch = []
    for row in rows:
        batch.append(tuple(p(row[n]) if p else row[n] for n, p in zip(names, processors)))
        if len(batch) == 5_000:
            conn.exec_driver_sql(sql, batch)
            batch = []
    if batch:
        conn.exec_driver_sql(sql, batch)


def _adopt(s: Session, who: Coordinator) -> None:
    """This install becomes the file's coordinator: same id, so the central office sees one person."""
    for profile in s.scalars(select(CoordinatorProfile).where(CoordinatorProfile.id != who.id)):
        profile.soft_delete()
    profile = s.get(CoordinatorProfile, who.id) or CoordinatorProfile(id=who.id)
    profile.deleted = False
    profile.name = who.name
    profile.role = who.role
    profile.county = who.county
    profile.central_office_email = who.central_office_email
    s.add(profile)


def manifest_dict(read: ReadResult) -> dict:
    """The manifest as the history stores it (the fields add_record reads)."""
    m = read.manifest
    assert m is not None  # a file that was read
    return {
        "kind": m.kind,
        "since": fmt.timestamp(m.since) if m.since else None,
        "notes_included": m.notes_included,
        "names_included": m.names_included,
        "export_id": m.export_id,
        "coordinator": {"id": m.coordinator.id},
        "files": {name: {"rows": entry.rows} for name, entry in m.files.items()},
    }
