"""Import an export file: plan (the dry run) and apply (all or nothing, after a backup).

    result = read_for_import(session, source)  # every check; the rows planned as read, not kept
    plan = plan_import(session, result)     # per file: created / updated / unchanged / deleted
    outcome = apply_import(store, plan)     # backup, then one transaction, the file read again

Memory does not grow with the rows (issue 17): the file's rows pass a batch at a time
(app.sync.import_read), once to be checked and planned, once more, inside the transaction,
to be planned again and written.

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
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.core.geography import COUNTY_BY_KEY
from app.core.text import fold
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.bind import each_once
from app.exchange.problems import Problem
from app.exchange.reader import Coordinator, ReadResult, ReferenceLookup
from app.models import CoordinatorProfile, Setting, current_profile, not_seeded
from app.store import CHANGED_KEY, Store, backups, search_index, write
from app.sync import history
from app.sync.import_read import BATCH, Batch, StreamedRead, batches, read_streamed

UTC = dt.UTC
CHUNK = 500  # ids per IN (...) query, well under SQLite's variable limit
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


def read_for_import(s: Session, source) -> StreamedRead:
    """read_export's checks, with references checked against this database too, a batch of rows
    at a time (import_read): the rows are planned against this session as they go by and let go."""
    planner = _Planner(s)
    read = read_streamed(source, lookup=database_lookup(s), on_batch=planner.add)
    read.planned, read.planned_in = planner, s
    return read


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


def _stored(s, spec: fmt.TableSpec, ids: list[str]) -> dict[str, tuple]:
    """id -> (updated_at, deleted, erased_at or None) of the stored rows among ids (s: a session
    or a connection)."""
    table = spec.model.__table__
    erased = table.c[spec.erasure] if spec.erasure else None
    cols = [table.c.id, table.c.updated_at, table.c.deleted] + ([erased] if erased is not None else [])
    found = {}
    for i in range(0, len(ids), CHUNK):
        for row in s.execute(select(*cols).where(table.c.id.in_(ids[i : i + CHUNK]))):
            found[row[0]] = (row[1], row[2], row[3] if erased is not None else None)
    return found


def plan_import(s: Session, read: ReadResult) -> ImportPlan:
    """What importing `read` into this database would do, and every reason it cannot (dry run)."""
    plan = ImportPlan(read=read, problems=list(read.problems), summaries=[])
    if read.manifest is None or not read.ok:
        plan.summaries = [FileSummary(spec.file_name, _row_count(read, spec)) for spec in fmt.TABLES]
        return plan
    plan.adopt, ownership_problems = _ownership(s, read)
    plan.problems += ownership_problems
    planner = read.planned if isinstance(read, StreamedRead) and read.planned_in is s else None
    if planner is None:  # planned in another session: the rows once more
        planner = _Planner(s)
        for spec in fmt.TABLES:
            for batch in _batches(read, spec):
                planner.add(spec, batch)
    plan.summaries = [planner.summary(spec) for spec in fmt.TABLES]
    plan.problems += planner.problems
    return plan


def _row_count(read: ReadResult, spec: fmt.TableSpec) -> int:
    return read.counts.get(spec.name, 0) if isinstance(read, StreamedRead) else len(read.tables.get(spec.name, []))


def _batches(read: ReadResult, spec: fmt.TableSpec) -> Iterator[Batch]:
    """The rows of a table a batch at a time: read again from a streamed read's file, or sliced
    from a read that holds them (read_export's)."""
    if isinstance(read, StreamedRead):
        yield from batches(read, spec)
        return
    rows = read.tables.get(spec.name, [])
    for i in range(0, len(rows), BATCH):
        part = rows[i : i + BATCH]
        yield Batch([row.line for row in part], {c.name: [row.values[c.name] for row in part] for c in spec.columns})


class _Planner:
    """What a file's rows do to this database, a batch at a time: created / updated / unchanged /
    deleted per table, the problems (a unique value another row holds), and, given a writer, the
    writes themselves. Nothing of a batch is kept after it."""

    def __init__(self, s, writer: _Writer | None = None):
        self.s = s  # a session, or the write's connection
        self.writer = writer
        self.summaries: dict[str, FileSummary] = {}
        self.problems: list[Problem] = []
        self.empty: dict[str, bool] = {}  # table -> had no rows at its first batch (none to look up)

    def summary(self, spec: fmt.TableSpec) -> FileSummary:
        return self.summaries.setdefault(spec.name, FileSummary(spec.file_name))

    def add(self, spec: fmt.TableSpec, batch: Batch) -> None:
        summary = self.summary(spec)
        summary.rows += len(batch)
        table = spec.model.__table__
        if spec.name not in self.empty:
            self.empty[spec.name] = self.s.execute(select(table.c.id).limit(1)).first() is None
        columns = batch.columns
        ids = columns["id"]
        stored = {} if self.empty[spec.name] else _stored(self.s, spec, ids)
        if not stored:  # all new (an import into an empty install)
            summary.created += len(ids)
            inserts, updates, written = range(len(ids)), [], range(len(ids))
        else:
            inserts, updates, written = self._compare(spec, columns, stored, summary)
        self._check_unique(spec, batch, written)
        if self.writer is not None and not self.problems:
            self.writer.write(spec, columns, inserts, updates)

    def _compare(self, spec: fmt.TableSpec, columns: dict[str, list], stored: dict[str, tuple], summary: FileSummary):
        """The rows to insert and to update (the stored row is older), by the merge rules."""
        personal = [c.name for c in spec.columns if c.kind is fmt.Kind.PERSONAL]
        inserts: list[int] = []
        written: list[int] = []
        updates: list[tuple[int, dict]] = []  # (row, the columns to set besides the writable ones)
        erasure = columns[spec.erasure] if spec.erasure else None
        for i, (row_id, updated_at, deleted) in enumerate(zip(columns["id"], columns["updated_at"], columns["deleted"])):
            old = stored.get(row_id)
            if old is None:
                inserts.append(i)
                written.append(i)
                summary.created += 1
                continue
            old_updated, old_deleted, old_erased = old
            erased = erasure[i] if erasure is not None else None
            if updated_at > old_updated:
                extra: dict = {}
                if spec.erasure and (old_erased or erased):
                    extra[spec.erasure] = old_erased or erased  # erasure is for good
                    extra.update({name: "" for name in personal})
                updates.append((i, extra))
                written.append(i)
                if deleted and not old_deleted:
                    summary.deleted += 1
                else:
                    summary.updated += 1
            elif spec.erasure and erased and not old_erased:
                # An older row that carries an erasure: the erasure wins, the rest stays as stored.
                updates.append((i, {"_only": True, spec.erasure: erased, "updated_at": old_updated, **{n: "" for n in personal}}))
                summary.updated += 1
            else:
                summary.unchanged += 1
        return inserts, updates, written

    def _check_unique(self, spec: fmt.TableSpec, batch: Batch, written) -> None:
        """A unique value (methods.key) that a stored row with another id already holds."""
        table = spec.model.__table__
        for column in spec.columns:
            if not column.unique or not written:
                continue
            values, ids = batch.columns[column.name], batch.columns["id"]
            # A unique column (a key) is never a note or a name: no export leaves it out.
            wanted = {values[i]: i for i in written if values[i] is not None}
            keys = sorted(wanted)
            for i in range(0, len(keys), CHUNK):
                query = select(table.c.id, table.c[column.name]).where(table.c[column.name].in_(keys[i : i + CHUNK]))
                for stored_id, value in self.s.execute(query):
                    row = wanted[value]
                    if stored_id != ids[row]:
                        self.problems.append(Problem(spec.file_name, batch.lines[row], column.name, P.VALUE_TAKEN))


# -- applying ------------------------------------------------------------------------------


def apply_import(store: Store, plan: ImportPlan, *, file_name: str = "", now: dt.datetime | None = None) -> ImportOutcome:
    """Back up, then write the plan in one transaction: everything or nothing.

    The plan is made again inside the write transaction, as the rows are written, so what is
    written matches the data as it is at that moment (a preview may be minutes old); a problem
    found then (ImportRefused) rolls everything back. Raises ImportRefused (nothing written)
    when the plan has problems; a plan with nothing to change writes nothing and takes no
    backup. Raises DatabaseBusy (nothing written, no backup) when another program holds the
    data's write lock past the busy timeout.
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
        fresh = ImportPlan(read=plan.read, problems=[], summaries=[])
        fresh.adopt, fresh.problems = _ownership(s, plan.read)
        if not fresh.ok:
            raise ImportRefused(fresh)
        _write(s, fresh, sum(x.created + x.updated + x.deleted for x in plan.summaries))
        if not fresh.ok:  # the transaction rolls back: nothing of the file stays
            raise ImportRefused(fresh)
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


def _write(s: Session, plan: ImportPlan, written: int) -> None:
    """Plan and write the file's rows a batch at a time into plan (summaries, problems)."""
    conn = s.connection()
    dialect = conn.dialect
    cache: int = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
    # In this transaction: if the import fails, the triggers it dropped come back with the rollback.
    bulk = search_index.deferred(conn) if written >= BULK_ROWS else contextlib.nullcontext()
    try:
        with bulk:
            _write_tables(conn, dialect, plan)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(cache)}")


def _write_tables(conn, dialect, plan: ImportPlan) -> None:
    """Each table's batches planned against the data as it is now and written, parents first
    (every reference is inserted before it is used); problems go to plan.problems."""
    manifest = plan.read.manifest
    assert manifest is not None  # a file that was read
    planner = _Planner(conn, _Writer(conn, dialect, plan.read))
    for spec in fmt.TABLES:  # after a problem, the rest is planned (the counts shown with it), not written
        for batch in _batches(plan.read, spec):
            planner.add(spec, batch)
    plan.summaries = [planner.summary(spec) for spec in fmt.TABLES]
    plan.problems += planner.problems


class _Writer:
    """A batch's inserts and updates through the DB-API's executemany, each value converted by its
    column's own SQLAlchemy type (the same text SQLite gets from the ORM)."""

    def __init__(self, conn, dialect, read: ReadResult):
        self.conn, self.dialect, self.read = conn, dialect, read
        self.manifest = read.manifest

    def write(self, spec: fmt.TableSpec, columns: dict[str, list], inserts, updates: list[tuple[int, dict]]) -> None:
        table = spec.model.__table__
        assert isinstance(table, Table)  # what a model's __table__ is (SQLAlchemy types it as any FROM)
        if inserts:
            names = spec.header + [d.column for d in spec.derived]
            every = len(inserts) == len(columns["id"])
            picked = {n: (columns[n] if every else [columns[n][i] for i in inserts]) for n in spec.header}
            for derived in spec.derived:
                picked[derived.column] = [fold(value) for value in picked[derived.source]]
            bound = [self._bound(table, name, picked[name]) for name in names]
            rows = list(zip(*bound))
            # In key order: a batch then walks the primary-key and parent indexes in order.
            refs = [c.name for c in spec.columns if c.kind is fmt.Kind.REF and not c.nullable]
            key = names.index(refs[0] if refs else "id")
            rows.sort(key=lambda row: row[key])
            sql = f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})'
            self.conn.exec_driver_sql(sql, rows)
        if updates:
            self._update(spec, columns, updates)

    def _bound(self, table, name: str, values: list) -> list:
        processor = table.c[name].type.dialect_impl(self.dialect).bind_processor(self.dialect)
        # A conversion (a UTC time to SQLite's text) costs more than a lookup (issue 17).
        return each_once(processor, values) if processor else values

    def _update(self, spec: fmt.TableSpec, columns: dict[str, list], updates: list[tuple[int, dict]]) -> None:
        # A column left out (notes or names not included) or not in the file at all (an older
        # format: Column.since) never overwrites a stored value.
        manifest = self.manifest
        assert manifest is not None
        absent = set(self.read.absent.get(spec.name, ()))
        writable = [
            c.name
            for c in spec.columns
            if c.name not in ("id", "created_at") and not manifest.excluded(c) and c.name not in absent
        ]
        by_columns: dict[tuple[str, ...], list[dict]] = {}
        for i, extra in sorted(updates, key=lambda update: columns["id"][update[0]]):
            if extra.pop("_only", False):  # an erasure alone
                change = {"id": columns["id"][i], **extra}
            else:
                change = {"id": columns["id"][i], **{name: columns[name][i] for name in writable}, **extra}
            change = _with_derived(spec, change)
            by_columns.setdefault(tuple(sorted(k for k in change if k != "id")), []).append(change)
        for names, changes in by_columns.items():
            # updated_at is always among the columns set: nothing restamps it.
            _executemany(self.conn, self.dialect, spec.model.__table__, [*names, "id"], changes, names)


def _with_derived(spec: fmt.TableSpec, values: dict) -> dict:
    for derived in spec.derived:
        if derived.source in values:
            values[derived.column] = fold(values[derived.source])
    return values


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
