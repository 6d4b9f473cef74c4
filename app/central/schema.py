"""The central office's merged database: its tables, and opening a target safely.

    engine = open_target("merged.sqlite3" | "postgresql://user@host/db", create=True)

The tables are built from app.exchange.format.TABLES, so a column added to the export
format lands here without a second declaration: one table per export table, the same
columns with portable types (SQLite and PostgreSQL), and the row's provenance:

- `coordinator_id` is part of the primary key (coordinator_id, id): the national
  methods have the same ids in every install, and each coordinator's copy of a row
  keeps its own provenance;
- `county`, `export_id`, `exported_at`, `source_file`: the file whose version of the
  row is stored (the one that won by the merge rules), and `merged_at`, when it was
  written;
- `notes_version` / `names_version` (tables with note or personal columns): the
  version of the row the stored notes or names came from, NULL when none was merged
  (left out of the files, or not asked for). A merge compares them instead of the
  row's own version, so the stored notes do not depend on the order files arrive in.

No foreign keys: a reference may arrive in a later file (the merge reports references
found nowhere instead). Timestamps are stored as naive UTC (what SQLite keeps; on
PostgreSQL `timestamp without time zone`), dates and times as such.

`coordinators` has one row per coordinator, from the newest file merged from them;
`merged_files` logs every file merged (by the sha256 of the zip). `koordi_central` says
what the database is and its schema version: a database without it is not opened (it
may be a coordinator's own Koordi database), and a newer version is refused.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    create_engine,
    inspect,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from app.exchange import format as fmt
from app.store.engine import make_engine
from app.store.errors import StoreError
from app.store.files import copy_database

log = logging.getLogger(__name__)

SCHEMA_NAME = "koordi-central"
# 2: the survey tables of export format 2; 3: the office's own tables (office_settings, office_roster)
# and merged_files.complete_through. An older database is upgraded in place when opened for writing.
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 30_000  # a merge may wait for another merge of the same file to finish

metadata = MetaData()

NOTES_VERSION = "notes_version"
NAMES_VERSION = "names_version"


def _type(column: fmt.Column):
    kind = column.kind
    if kind in (fmt.Kind.ID, fmt.Kind.REF, fmt.Kind.UUID):
        return String(36)
    if column.is_text:
        return String(column.max_length)
    if kind is fmt.Kind.ENUM:
        return String(max(len(v) for v in column.values))
    return {
        fmt.Kind.DATE: Date,
        fmt.Kind.TIMESTAMP: DateTime,
        fmt.Kind.TIME: Time,
        fmt.Kind.BOOL: Boolean,
        fmt.Kind.INT: Integer,
    }[kind]()


def has_kind(spec: fmt.TableSpec, kind: fmt.Kind) -> bool:
    return any(c.kind is kind for c in spec.columns)


def _data_table(spec: fmt.TableSpec) -> Table:
    columns: list[Column[Any]] = [
        Column("coordinator_id", String(36), primary_key=True),
        Column("id", String(36), primary_key=True),
    ]
    for c in spec.columns:
        if c.name == "id":
            continue
        columns.append(Column(c.name, _type(c), nullable=c.nullable))
    columns += [
        Column("county", String(40), nullable=False),
        Column("export_id", String(36), nullable=False),
        Column("exported_at", DateTime, nullable=False),
        Column("source_file", String(255), nullable=False),
        Column("merged_at", DateTime, nullable=False),
    ]
    if has_kind(spec, fmt.Kind.NOTE):
        columns.append(Column(NOTES_VERSION, String(120)))
    if has_kind(spec, fmt.Kind.PERSONAL):
        columns.append(Column(NAMES_VERSION, String(120)))
    # From a parent to its children within one coordinator (an event's attendance, a session's
    # trainees): without these the summary's joins scan the child table once per parent row.
    indexes = [Index(f"ix_{spec.name}_{c.name}", "coordinator_id", c.name) for c in spec.columns if c.kind is fmt.Kind.REF]
    # The national picture reads a span of days (events, sessions, survey rounds) or months (figures).
    indexes += [Index(f"ix_{spec.name}_{c.name}_span", c.name) for c in spec.columns if c.name in SPAN_COLUMNS]
    indexes += [Index(name, *names) for name, names in PICTURE_INDEXES.get(spec.name, ())]
    return Table(spec.name, metadata, *columns, *indexes)


SPAN_COLUMNS = ("date", "month")
# A round's counts read from the index alone when the picture pools them (a third of the time at 60 coordinators).
PICTURE_INDEXES = {
    "survey_counts": (("ix_survey_counts_pooled", ("coordinator_id", "round_id", "item_id", "option", "count", "deleted")),),
    # A goal's own figures: its coordinator, indicator and unit.
    "monthly_figures": (("ix_monthly_figures_goal", ("coordinator_id", "indicator_id", "unit_id", "month")),),
}


DATA: dict[str, Table] = {spec.name: _data_table(spec) for spec in fmt.TABLES}

meta_table = Table(
    "koordi_central",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

coordinators = Table(
    "coordinators",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("county", String(40), nullable=False),
    Column("cooperation_area", String(40), nullable=False),
    Column("central_office_email", String(254), nullable=False),
    Column("last_export_id", String(36), nullable=False),
    Column("last_exported_at", DateTime, nullable=False),
    Column("last_file", String(255), nullable=False),
    Column("first_merged_at", DateTime, nullable=False),
    Column("merged_at", DateTime, nullable=False),
)

merged_files = Table(
    "merged_files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("export_id", String(36), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("coordinator_id", String(36), nullable=False, index=True),
    Column("county", String(40), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("since", DateTime),
    Column("exported_at", DateTime, nullable=False),
    Column("notes_included", Boolean, nullable=False),
    Column("names_included", Boolean, nullable=False),
    Column("merged_at", DateTime, nullable=False),
    Column("result", String(20), nullable=False),  # merged | warnings (references found nowhere, a gap)
    Column("rows", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("deleted", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("complete_through", String(7)),  # the manifest's "YYYY-MM", when the coordinator declared one
    # The reporting grid reads the files of its span and each coordinator's first and last before it
    # (app.central.reporting._sent_files), not five years of files; added to an older database too.
    Index("ix_merged_files_exported_at", "exported_at"),
    Index("ix_merged_files_coordinator_exported", "coordinator_id", "exported_at"),
)

# The office's own settings (app.central.office): key -> value (reporting period, deadline).
office_settings = Table(
    "office_settings",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

# The expected roster: a coordinator seen in files (coordinator_id set) with what the office
# says of them, or one added by hand for a county that has not sent yet (coordinator_id NULL
# until the office links the row to the coordinator's files).
office_roster = Table(
    "office_roster",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("coordinator_id", String(36), unique=True),
    Column("name", String(120), nullable=False),
    Column("county", String(40), nullable=False),
    Column("expected_from", Date),  # the first day of the first period they are expected to report
    Column("left_on", Date),  # the day they left: periods ending after it are not expected
    Column("updated_at", DateTime, nullable=False),
)

# The national picture's figures, computed at the end of a merge for the views an office opens
# first (app.central.picture.cache): a derived cache, never data. `generation` is the merged
# database's state they were computed on; a row of another generation is stale. Added to an
# older database when it is opened for writing; a read-only open does without it.
picture_cache = Table(
    "picture_cache",
    metadata,
    Column("key", String(300), primary_key=True),  # section, language, the scope's query string (and day)
    Column("generation", String(120), nullable=False),
    Column("figures", Text, nullable=False),  # JSON (app.central.picture.stored): never pickle
    Column("computed_at", DateTime, nullable=False),
)
DERIVED_TABLES = {"picture_cache"}  # may be missing in a database opened read-only


# -- opening a target ----------------------------------------------------------------------------


class TargetError(Exception):
    """The target cannot be used; `code` says why and `params` fill the caller's sentence."""

    BAD_URL = "bad_url"
    UNSUPPORTED = "unsupported"
    NO_FOLDER = "no_folder"
    NOT_FOUND = "not_found"
    CANNOT_OPEN = "cannot_open"
    NOT_CENTRAL = "not_central"
    TOO_NEW = "too_new"
    NO_BACKUP = "no_backup"

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def is_url(target: str) -> bool:
    return "://" in target


def describe_target_error(exc: TargetError, _) -> str:
    """One sentence for a TargetError in the caller's language (`_`: the CLI's translator or
    flask_babel's gettext): `koordi merge`, `koordi report central` and the reports page."""
    p = exc.params
    messages = {
        TargetError.BAD_URL: lambda: _("%(target)s is not a database URL (e.g. postgresql://user:password@host/database).", **p),
        TargetError.UNSUPPORTED: lambda: _("%(target)s: Koordi merges into an SQLite file or a PostgreSQL database only.", **p),
        TargetError.NO_FOLDER: lambda: _("The folder %(path)s does not exist.", **p),
        TargetError.NOT_FOUND: lambda: _("%(target)s does not exist.", **p),
        TargetError.CANNOT_OPEN: lambda: _("Cannot open the database %(target)s: %(reason)s", **p),
        TargetError.NOT_CENTRAL: lambda: _(
            "%(target)s is not a Koordi central database (it holds other data); give a new file or an empty database.", **p
        ),
        TargetError.NO_BACKUP: lambda: _(
            "%(target)s is from an older Koordi: it is copied beside itself before it is upgraded, "
            "and the copy could not be made. %(reason)s",
            target=p["target"],
            reason=p["error"].describe(_),
        ),
        TargetError.TOO_NEW: lambda: _(
            "%(target)s was made by a newer Koordi (central database version %(version)s; "
            "this Koordi knows up to %(supported)s). Update Koordi.",
            **p,
        ),
    }
    return messages[exc.code]()


def shown(target: str) -> str:
    """The target as it may be printed: a URL without its password."""
    if not is_url(target):
        return target
    try:
        return make_url(target).render_as_string(hide_password=True)
    except ArgumentError:
        return target.split("://", 1)[0] + "://…"


def target_url(target: str) -> URL:
    """A path is an SQLite file; anything with :// is an SQLAlchemy URL. A plain
    postgresql:// URL gets psycopg 3, the driver Koordi ships (SQLAlchemy's default is psycopg2)."""
    if not is_url(target):
        try:
            path = Path(target).expanduser()
            folder = path.parent.is_dir()
        except (OSError, RuntimeError) as exc:  # a name too long for the file system; ~nosuchuser
            raise _unusable_path(target, exc) from exc
        if not folder:
            raise TargetError(TargetError.NO_FOLDER, path=str(path.parent))
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise TargetError(TargetError.BAD_URL, target=shown(target)) from exc
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise TargetError(TargetError.UNSUPPORTED, target=shown(target))
    return url


def _unusable_path(target: str, exc: Exception) -> TargetError:
    return TargetError(TargetError.CANNOT_OPEN, target=target, reason=getattr(exc, "strerror", None) or str(exc))


def _engine(url: URL, read_only: bool) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url, read_only)
        return create_engine(url, hide_parameters=True, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError, ArgumentError) as exc:
        raise TargetError(TargetError.UNSUPPORTED, target=url.render_as_string(hide_password=True)) from exc


def _sqlite_engine(url: URL, read_only: bool) -> Engine:
    # 256 MB of cache: a national database is read whole for the summary.
    return make_engine(
        Path(url.database or ""), BUSY_TIMEOUT_MS, read_only=read_only, writes_only=True, cache_mb=256, busy_error=False
    )


def open_target(target: str, *, create: bool = True, read_only: bool = False) -> Engine:
    """An engine on a Koordi central database, checked (and created when empty and `create`).

    Raises TargetError when the target cannot be reached, is not a Koordi central
    database (a coordinator's own database, or one with other tables), or is newer.
    """
    url = target_url(target)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        try:
            exists, is_file = path.exists(), path.is_file()
        except OSError as exc:
            raise _unusable_path(str(path), exc) from exc
        if not exists and (read_only or not create):
            raise TargetError(TargetError.NOT_FOUND, target=str(path))
        if exists and not is_file:
            raise TargetError(TargetError.CANNOT_OPEN, target=str(path), reason="not a file")
    engine = _engine(url, read_only)
    # An SQLite file is copied beside itself before an upgrade changes its tables (as a coordinator's
    # database is backed up before its migrations); a PostgreSQL database is the server's to back up.
    file = Path(url.database or "") if url.get_backend_name() == "sqlite" else None
    try:
        _check(engine, create and not read_only, shown(target), file)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _check(engine: Engine, create: bool, name: str, file: Path | None = None) -> None:
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            if not create:
                raise TargetError(TargetError.NOT_CENTRAL, target=name)
            with engine.begin() as conn:
                metadata.create_all(conn)
                conn.execute(
                    meta_table.insert(),
                    [
                        {"key": "schema", "value": SCHEMA_NAME},
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    ],
                )
            return
        if meta_table.name not in tables:
            raise TargetError(TargetError.NOT_CENTRAL, target=name)
        with engine.connect() as conn:
            values: dict[str, str] = dict(conn.execute(select(meta_table.c.key, meta_table.c.value)).all())
    except SQLAlchemyError as exc:
        raise TargetError(TargetError.CANNOT_OPEN, target=name, reason=reason_of(exc)) from exc
    if values.get("schema") != SCHEMA_NAME:
        raise TargetError(TargetError.NOT_CENTRAL, target=name)
    version = values.get("schema_version", "")
    if not version.isdigit():
        raise TargetError(TargetError.NOT_CENTRAL, target=name)
    if int(version) > SCHEMA_VERSION:
        raise TargetError(TargetError.TOO_NEW, target=name, version=int(version), supported=SCHEMA_VERSION)
    missing = [t for t in metadata.tables if t not in tables]
    if create:
        # Opened for writing: an older database gets the tables and columns added since, empty
        # (and so does one where the export format grew a table or a column since it was made).
        try:
            _upgrade(engine, int(version), missing, file)
        except SQLAlchemyError as exc:
            raise TargetError(TargetError.CANNOT_OPEN, target=name, reason=reason_of(exc)) from exc
        except StoreError as exc:  # the copy before the upgrade: disk full, folder not writable
            raise TargetError(TargetError.NO_BACKUP, target=name, error=exc) from exc
        return
    # Read-only, an older database is read as it is: the tables of the export format's later versions
    # and the office's may be missing whatever its version says (a version 2 or 3 database may predate
    # the indicator tables, which came with export format 2), and its readers do without them.
    added = {spec.name for spec in fmt.TABLES if spec.since > 1} | OFFICE_TABLES
    missing = [t for t in missing if t not in added]
    missing = [t for t in missing if t not in DERIVED_TABLES]  # a cache: pages compute without it
    if missing:
        raise TargetError(TargetError.NOT_CENTRAL, target=name)


OFFICE_TABLES = {"office_settings", "office_roster"}  # version 3


def _upgrade(engine: Engine, version: int, missing: list[str], file: Path | None = None) -> None:
    """Missing tables created and missing columns added (nullable: old rows have no value), and
    the version raised; nothing when the database is up to date. Generic over `metadata`, so a
    table or column added to app.exchange.format.TABLES needs no step of its own here. An SQLite
    `file` is copied beside itself first when its tables change (not for an index or a cache table)."""
    with engine.connect() as conn:
        present = [t for t in metadata.sorted_tables if t.name not in missing]
        have = {key[1]: {c["name"] for c in cols} for key, cols in inspect(conn).get_multi_columns().items()}
        indexed = {key[1]: {i["name"] for i in found} for key, found in inspect(conn).get_multi_indexes().items()}
    absent = [(t, c) for t in present for c in t.columns if c.name not in have.get(t.name, set())]
    # Indexes added to a table since (the national picture's): created, never a column's data changed.
    unindexed = [i for t in present for i in t.indexes if i.name not in indexed.get(t.name, set())]
    if not missing and not absent and not unindexed and version >= SCHEMA_VERSION:
        return
    if file is not None and ({t for t in missing if t not in DERIVED_TABLES} or absent or version < SCHEMA_VERSION):
        back_up(file, version)
    with engine.begin() as conn:
        metadata.create_all(conn, checkfirst=True)
        for table, column in absent:
            kind = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}')
        for index in unindexed:
            index.create(conn, checkfirst=True)
        if version < SCHEMA_VERSION:
            conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))


def back_up(file: Path, version: int, now: dt.datetime | None = None) -> Path:
    """A copy of the SQLite file beside it, before its upgrade: kansallinen.sqlite3 ->
    kansallinen-v2-before-upgrade-20261206T130000Z.sqlite3 (SQLite's online backup: consistent
    while another process reads; written as a .part file and renamed, removed when it fails)."""
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    copy = file.with_name(f"{file.stem}-v{version}-before-upgrade-{stamp}{file.suffix}")
    copy_database(file, copy)
    log.info("central database %s copied to %s before its upgrade", file, copy.name)
    return copy


def reason_of(exc: SQLAlchemyError) -> str:
    """The driver's own first line (e.g. "connection refused"), without SQL or parameters."""
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0][:300] if text else type(original).__name__
