"""`koordi merge`: coordinators' export files into the central office's database.

    engine = open_target(target)                       (app.central.schema)
    report = merge_files(engine, paths, MergeOptions(), progress=Progress())

Each file is read and checked completely by app.exchange.reader (the same checks as an
import), then written in one transaction of its own: a file with any problem is
refused whole, nothing of it is written, and the other files go on. Rows merge by
the rules of app.central.merge_rows (newer wins, order-independent, notes and names only
when asked for, erasure wins), so merging the same files again, in any order, changes
nothing.

References are checked once the run's files are all in: a reference found neither in
its file, nor in the database, nor in another file of the run (from the same
coordinator) is reported with its file, line and column; the row is kept, since its
parent may still come in a later file. The same goes for a missing file: an
incremental export whose `since` is later than the previous file received from that
coordinator (and no later full export) is reported as a gap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import SQLAlchemyError

from app.central.merge_rows import Source, TableCounts, naive, plan_table, write_plan
from app.central.schema import DATA, coordinators, merged_files, reason_of
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import Problem
from app.exchange.reader import LIMITS, Manifest, ReadResult, read_export

UTC = dt.UTC
CHUNK = 500
ADVISORY_LOCK = 0x4B6F6F7264  # "Koord": one merge at a time into a PostgreSQL database
MERGED, REFUSED, DUPLICATE = "merged", "refused", "duplicate"


@dataclass(frozen=True)
class MergeOptions:
    include_notes: bool = False
    include_names: bool = False


@dataclass
class FileOutcome:
    name: str  # the file's name, as reports show it
    sha256: str = ""
    status: str = REFUSED  # merged | refused | duplicate (the same file earlier in this run)
    manifest: Manifest | None = None
    problems: list[Problem] = field(default_factory=list)  # why it was refused
    warnings: list[Problem] = field(default_factory=list)  # references found nowhere, a gap
    tables: list[TableCounts] = field(default_factory=list)
    seconds: float = 0.0
    merged_before: dt.datetime | None = None  # the same file was merged in an earlier run, then
    duplicate_of: str = ""
    candidates: list[Problem] = field(default_factory=list, repr=False)  # references not in the file

    def total(self, what: str) -> int:
        return sum(getattr(t, what) for t in self.tables)


@dataclass
class MergeReport:
    files: list[FileOutcome]

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == REFUSED]

    @property
    def merged(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == MERGED]


class Progress:
    """What a long merge tells while it runs (the CLI prints it); the default says nothing."""

    def writing(self, outcome: FileOutcome, rows: int):
        """A callable taking the number of rows just written (a progress bar), or None."""
        return None

    def file_started(self, index: int, count: int, name: str) -> None:
        """Before file `index` (from 1) of `count` is read: the office's window shows it as being merged."""

    def file_done(self, index: int, count: int, outcome: FileOutcome) -> None: ...


def merge_files(
    engine: Engine,
    sources: list[str | os.PathLike],
    options: MergeOptions = MergeOptions(),
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> MergeReport:
    """Merge every file, each in its own transaction; then check references and gaps."""
    progress = progress or Progress()
    merged_at = naive(now or dt.datetime.now(UTC)).replace(microsecond=0)
    outcomes: list[FileOutcome] = []
    first_by_sha: dict[str, FileOutcome] = {}
    for index, source in enumerate(sources, start=1):
        name = Path(source).name
        progress.file_started(index, len(sources), name)
        started = time.perf_counter()
        outcome = _merge_one(engine, Path(source), name, options, merged_at, first_by_sha, progress)
        outcome.seconds = time.perf_counter() - started
        outcomes.append(outcome)
        if outcome.sha256 and outcome.status == MERGED:
            first_by_sha.setdefault(outcome.sha256, outcome)
        progress.file_done(index, len(sources), outcome)
    report = MergeReport(outcomes)
    if report.merged:
        with engine.begin() as conn:
            _lock(conn)
            _report_dangling(conn, report.merged)
            _report_gaps(conn, report.merged)
            _log_results(conn, report.merged, merged_at)
            if any(outcome.total("created") or outcome.total("updated") for outcome in report.merged):
                _refresh_statistics(conn)  # no row written (a run merged again): the statistics still hold
    return report


def _refresh_statistics(conn: Connection) -> None:
    """Fresh planner statistics after a big write: the summary's joins that follow depend on them
    (PostgreSQL's first summary after 60 files took 10 s on stale statistics, 1-2 s after)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("ANALYZE " + ", ".join(f'"{name}"' for name in DATA)))
    else:
        conn.exec_driver_sql("PRAGMA optimize")


# -- one file ------------------------------------------------------------------------------------


def _load(path: Path) -> tuple[bytes | None, Problem | None]:
    try:
        with path.open("rb") as fh:
            data = fh.read(LIMITS.file_bytes + 1)
    except OSError:
        return None, Problem(None, None, None, P.NOT_A_FILE)
    if len(data) > LIMITS.file_bytes:
        return None, Problem(None, None, None, P.TOO_BIG, {"limit_mb": LIMITS.file_bytes // (1024 * 1024)})
    return data, None


def _merge_one(
    engine,
    path: Path,
    name: str,
    options: MergeOptions,
    merged_at: dt.datetime,
    first_by_sha: dict[str, FileOutcome],
    progress: Progress,
) -> FileOutcome:
    outcome = FileOutcome(name)
    data, problem = _load(path)
    if problem is not None:
        outcome.problems = [problem]
        return outcome
    assert data is not None  # _load gives the bytes or a problem
    outcome.sha256 = hashlib.sha256(data).hexdigest()
    first = first_by_sha.get(outcome.sha256)
    if first is not None:  # the same file twice in one run: the second changes nothing
        outcome.status, outcome.duplicate_of, outcome.manifest = DUPLICATE, first.name, first.manifest
        return outcome
    read = read_export(data, dangling_ok=True)
    outcome.manifest = read.manifest
    if not read.ok:
        outcome.problems = list(read.problems)
        return outcome
    assert read.manifest is not None  # read.ok
    outcome.candidates = read.warnings
    source = Source(
        manifest=read.manifest,
        file_name=name[:255],
        merged_at=merged_at,
        keep_notes=read.manifest.notes_included and options.include_notes,
        keep_names=read.manifest.names_included and options.include_names,
        absent=read.absent,
    )
    try:
        with engine.begin() as conn:
            _lock(conn)
            _write_file(conn, read, source, outcome, progress)
    except SQLAlchemyError as exc:
        if getattr(exc, "connection_invalidated", False):
            raise  # the database went away: no point trying the next file
        outcome.tables = []
        outcome.problems = [Problem(None, None, None, P.DATABASE_REFUSED, {"reason": reason_of(exc)})]
        return outcome
    outcome.status = MERGED
    return outcome


def _lock(conn: Connection) -> None:
    """PostgreSQL: one merge at a time (SQLite's BEGIN IMMEDIATE already serialises them)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})


def _write_file(conn: Connection, read: ReadResult, source: Source, outcome: FileOutcome, progress: Progress) -> None:
    previous = conn.execute(select(merged_files.c.merged_at).where(merged_files.c.sha256 == outcome.sha256)).first()
    outcome.merged_before = previous.merged_at if previous else None
    sole = previous is not None and _sole_content(conn, outcome.sha256, source)
    plans = [plan_table(conn, spec, read.tables[spec.name], source, sole) for spec in fmt.TABLES]
    outcome.tables = [plan.counts for plan in plans]
    writes = sum(len(plan.inserts) + len(plan.updates) for plan in plans)
    bar = progress.writing(outcome, writes) if writes else None
    for plan in plans:
        write_plan(conn, plan, bar)
    assert read.manifest is not None  # only a file read whole is written
    _remember_coordinator(conn, read.manifest, source)
    if previous is None:
        _log_file(conn, read.manifest, source, outcome)


def _sole_content(conn: Connection, sha256: str, source: Source) -> bool:
    """This file is the only content ever merged as its export: the log's one file with its export
    id and exported_at, under this name. Every merge of a file it has not seen before logs it, in the
    transaction that writes its rows, so a stored row whose source is this export and name was written
    from this file's rows (merge_rows._all_stored_from_file relies on that)."""
    logged = conn.execute(
        select(merged_files.c.sha256, merged_files.c.file_name).where(
            merged_files.c.coordinator_id == source.coordinator_id,
            merged_files.c.export_id == source.manifest.export_id,
            merged_files.c.exported_at == source.exported_at,
        )
    ).all()
    return [tuple(row) for row in logged] == [(sha256, source.file_name)]


def _remember_coordinator(conn: Connection, manifest: Manifest, source: Source) -> None:
    """The coordinator's profile from their newest file (by exported_at, then export id and name)."""
    who = manifest.coordinator
    profile = {
        "name": who.name,
        "role": who.role,
        "county": who.county,
        "cooperation_area": who.cooperation_area,
        "central_office_email": who.central_office_email,
        "last_export_id": manifest.export_id,
        "last_exported_at": source.exported_at,
        "last_file": source.file_name,
        "merged_at": source.merged_at,
    }
    stored = conn.execute(select(coordinators).where(coordinators.c.id == who.id)).first()
    if stored is None:
        conn.execute(coordinators.insert(), {"id": who.id, "first_merged_at": source.merged_at, **profile})
        return
    if (source.exported_at, manifest.export_id, source.file_name) > (
        stored.last_exported_at,
        stored.last_export_id,
        stored.last_file,
    ):
        conn.execute(coordinators.update().where(coordinators.c.id == who.id).values(profile))


def _log_file(conn: Connection, manifest: Manifest, source: Source, outcome: FileOutcome) -> None:
    conn.execute(
        merged_files.insert(),
        {
            "sha256": outcome.sha256,
            "export_id": manifest.export_id,
            "file_name": source.file_name,
            "coordinator_id": manifest.coordinator.id,
            "county": manifest.coordinator.county,
            "kind": manifest.kind,
            "since": naive(manifest.since),
            "exported_at": source.exported_at,
            "notes_included": manifest.notes_included,
            "names_included": manifest.names_included,
            "merged_at": source.merged_at,
            "result": MERGED,
            "rows": outcome.total("rows"),
            "created": outcome.total("created"),
            "updated": outcome.total("updated"),
            "unchanged": outcome.total("unchanged"),
            "deleted": outcome.total("deleted"),
            "warnings": 0,
            "complete_through": manifest.complete_through,
        },
    )


# -- after the run -------------------------------------------------------------------------------


def _report_dangling(conn: Connection, merged: list[FileOutcome]) -> None:
    """References found in no file of the run and not in the database: each one a warning of its file."""
    wanted: dict[tuple[str, str], set[str]] = {}
    for outcome in merged:
        assert outcome.manifest is not None  # a merged file's
        cid = outcome.manifest.coordinator.id
        for problem in outcome.candidates:
            wanted.setdefault((cid, _ref_table(problem)), set()).add(str(problem.params["ref"]))
    found: dict[tuple[str, str], set[str]] = {}
    for (cid, table_name), ids in wanted.items():
        table = DATA[table_name]
        ordered = sorted(ids)
        hits = found.setdefault((cid, table_name), set())
        for i in range(0, len(ordered), CHUNK):
            query = select(table.c.id).where(table.c.coordinator_id == cid, table.c.id.in_(ordered[i : i + CHUNK]))
            hits.update(conn.scalars(query))
    for outcome in merged:
        assert outcome.manifest is not None  # a merged file's
        cid = outcome.manifest.coordinator.id
        for problem in outcome.candidates:
            if problem.params["ref"] not in found[(cid, _ref_table(problem))]:
                outcome.warnings.append(
                    Problem(problem.file, problem.line, problem.column, P.NOT_MERGED_REFERENCE, {"file": problem.params["file"]})
                )
        outcome.candidates = []


def _ref_table(problem: Problem) -> str:
    return str(problem.params["file"]).removesuffix(".csv")


def _report_gaps(conn: Connection, merged: list[FileOutcome]) -> None:
    """An incremental file whose start is later than the previous file from the same coordinator
    (or with no earlier file at all), and no full export after it: rows may be missing."""
    by_coordinator: dict[str, list[FileOutcome]] = {}
    for outcome in merged:
        assert outcome.manifest is not None  # a merged file's
        by_coordinator.setdefault(outcome.manifest.coordinator.id, []).append(outcome)
    for cid, outcomes in by_coordinator.items():
        log = conn.execute(
            select(merged_files.c.kind, merged_files.c.exported_at, merged_files.c.file_name, merged_files.c.export_id)
            .where(merged_files.c.coordinator_id == cid)
            .order_by(merged_files.c.exported_at, merged_files.c.export_id)
        ).all()
        for outcome in outcomes:
            m = outcome.manifest
            assert m is not None  # a merged file's
            if m.kind != "incremental":
                continue
            exported, since = naive(m.exported_at), naive(m.since)
            if any(row.kind == "full" and row.exported_at > exported for row in log):
                continue  # a later full export holds everything the gap could have lost
            # Whole seconds: a file made within the same second as this one counts as before it.
            earlier = [row for row in log if row.exported_at <= exported and row.export_id != m.export_id]
            if not earlier:
                outcome.warnings.append(Problem(None, None, None, P.NO_EARLIER_FILE, {"start": m.since}))
            elif since > earlier[-1].exported_at:
                previous = earlier[-1]
                outcome.warnings.append(
                    Problem(
                        None,
                        None,
                        None,
                        P.GAP,
                        {
                            "start": m.since,
                            "previous": previous.exported_at.replace(tzinfo=UTC),
                            "previous_file": previous.file_name,
                        },
                    )
                )


def _log_results(conn: Connection, merged: list[FileOutcome], merged_at: dt.datetime) -> None:
    """The log rows written by this run get their warnings' count."""
    for outcome in merged:
        if outcome.merged_before is None and outcome.warnings:
            conn.execute(
                merged_files.update()
                .where(merged_files.c.sha256 == outcome.sha256, merged_files.c.merged_at == merged_at)
                .values(result="warnings", warnings=len(outcome.warnings))
            )
