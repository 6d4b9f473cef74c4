"""Build an export zip: manifest.json and one CSV per table (docs/export-format.md).

    prepare_export(session, "central" | "copy", ...) -> ExportResult   the zip, nothing written
    record_export(session, result, saved_as)          one sync_history row, after the file is saved
    build_export(session, full=..., include_notes=..., include_names=...) -> ExportResult

Pure reading: nothing is written except record_export's one sync_history row. The
rows of each file are in id order and the cells are fully determined by the data,
so two exports of the same data have the same CSV bytes (the manifest differs only
in exported_at and export_id).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, literal_column, select
from sqlalchemy.orm import Session

from app.core import csvfmt, hetu
from app.core.geography import COUNTY_BY_KEY
from app.core.instruments import SMALL_ROUND
from app.core.text import slug
from app.exchange import format as fmt
from app.i18n import HELSINKI
from app.models import CoordinatorProfile, SurveyRound, current_profile
from app.sync import history
from app.version import __version__

UTC = dt.UTC


class ExportRefused(Exception):
    """The export cannot be made; `reason` says why (the caller words it)."""

    NO_PROFILE = "no_profile"
    IDENTITY_CODE = "identity_code"

    def __init__(self, reason: str, findings: list[CodeFinding] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.findings = findings or []


@dataclass(frozen=True)
class CodeFinding:
    """An identity code found in a stored text: where it is, and only its masked form."""

    file: str
    row_id: str
    column: str
    masked: str


@dataclass(frozen=True)
class ExportResult:
    data: bytes  # the zip
    manifest: dict  # manifest.json, as written
    rows: dict[str, int]  # file name -> rows
    file_name: str  # the default name: koordi_<county>_<coordinator>_<YYYYMMDD-HHMM>.zip
    exported_at: dt.datetime  # UTC, to the microsecond (the manifest's is to the second)
    kind: str  # full | incremental
    since: dt.datetime | None
    purpose: str | None = None  # central | copy, set by prepare_export


def default_file_name(county: str, coordinator: str, at: dt.datetime) -> str:
    local = at.astimezone(HELSINKI)  # the coordinator's own clock in the name
    return f"koordi_{slug(county, 60, 'county')}_{slug(coordinator, 60, 'coordinator')}_{local:%Y%m%d-%H%M}.zip"


def _profile(s: Session) -> CoordinatorProfile:
    profile = current_profile(s)
    if profile is None:
        raise ExportRefused(ExportRefused.NO_PROFILE)
    return profile


def _coordinator(profile: CoordinatorProfile) -> dict:
    county = COUNTY_BY_KEY.get(profile.county)
    return {
        "id": profile.id,
        "name": profile.name,
        "role": profile.role,
        "county": profile.county,
        "cooperation_area": county.area if county else "",
        "central_office_email": profile.central_office_email,
    }


# Cells straight from the values SQLite stores (the text SQLAlchemy's SQLite types write),
# without building datetime objects: a large export is 3 million cells. Each falls back
# to format.to_cell for a text it does not expect; tests compare the two on every kind.
def _raw_timestamp(raw) -> str:
    if isinstance(raw, str) and len(raw) >= 19 and raw[10] == " " and raw[13] == ":":
        return f"{raw[:10]}T{raw[11:19]}Z"  # "2026-12-01 12:05:03.123456" -> "2026-12-01T12:05:03Z"
    return fmt.timestamp(dt.datetime.fromisoformat(raw).replace(tzinfo=UTC))


def _raw_time(raw) -> str:
    if isinstance(raw, str) and len(raw) >= 8 and raw[2] == ":" and raw[5] == ":":
        return raw[:5] if raw[6:8] == "00" else raw[:8]
    return fmt.to_cell(fmt.Column("t", fmt.Kind.TIME), dt.time.fromisoformat(raw))


def _raw_date(raw) -> str:
    return raw if isinstance(raw, str) and len(raw) == 10 else dt.date.fromisoformat(str(raw)).isoformat()


RAW_CELL: dict[fmt.Kind, Callable[[Any], str]] = {
    fmt.Kind.TIMESTAMP: _raw_timestamp,
    fmt.Kind.TIME: _raw_time,
    fmt.Kind.DATE: _raw_date,
    fmt.Kind.BOOL: lambda raw: "1" if raw else "0",
    fmt.Kind.INT: str,
}


def _small_rounds():
    """The ids of survey rounds under SMALL_ROUND respondents that the coordinator has not let go."""
    rounds = SurveyRound.__table__
    return select(rounds.c.id).where(rounds.c.answered < SMALL_ROUND, rounds.c.share_small.is_(False))


# The survey files' rows that belong to a round, by the column naming it (the round itself: id).
ROUND_COLUMN = {"survey_rounds": "id", "survey_round_units": "round_id", "survey_counts": "round_id", "survey_means": "round_id"}


def selection(spec: fmt.TableSpec, since: dt.datetime | None, small_rounds: bool) -> list:
    """The conditions on a table's rows that an export holds (the sync page counts with the same):
    changed since `since`; without `small_rounds`, none of a small round that was not shared."""
    table = spec.model.__table__
    conditions = []
    if since is not None:
        conditions.append(changed_since(table, since))
    if not small_rounds and spec.name in ROUND_COLUMN:  # privacy: small rounds stay on the laptop
        conditions.append(table.c[ROUND_COLUMN[spec.name]].not_in(_small_rounds()))
    return conditions


BATCH = 2_000  # rows read, turned into cells and written at a time: memory stays flat whatever the size


@dataclass(frozen=True)
class _ColumnPlan:
    name: str
    convert: Callable[[Any], str] | None  # RAW_CELL's; None: text, written as stored
    left_out: bool  # notes or names not asked for: every cell empty
    scan: bool  # text that is written: looked at for identity codes


def _write_table(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    s: Session,
    spec: fmt.TableSpec,
    since: dt.datetime | None,
    include_notes: bool,
    include_names: bool,
    findings: list[CodeFinding],
    small_rounds: bool = True,
) -> tuple[int, str]:
    """One table's CSV written into the zip member `info` as it is read, BATCH rows at a time
    (a large export is never held whole); (rows written, sha256 of the file's bytes)."""
    table = spec.model.__table__
    # literal_column: the stored values as they are, without SQLAlchemy's type conversion.
    query: Select = select(*(literal_column(f'"{c.name}"') for c in spec.columns)).select_from(table).order_by(table.c.id)
    query = query.where(*selection(spec, since, small_rounds))
    plans = []
    for c in spec.columns:
        left_out = (c.kind is fmt.Kind.NOTE and not include_notes) or (c.kind is fmt.Kind.PERSONAL and not include_names)
        plans.append(_ColumnPlan(c.name, RAW_CELL.get(c.kind), left_out, c.is_text and not left_out))
    personal = [i for i, c in enumerate(spec.columns) if c.kind is fmt.Kind.PERSONAL]
    erasure = spec.header.index(spec.erasure) if spec.erasure else None
    digest = hashlib.sha256()
    rows = 0
    with zf.open(info, "w") as member:
        data = csvfmt.header_bytes(spec.header)
        digest.update(data)
        member.write(data)
        for batch in s.execute(query.execution_options(yield_per=BATCH)).partitions():
            data = csvfmt.rows_bytes(_cells(spec.file_name, batch, plans, personal, erasure, findings))
            digest.update(data)
            member.write(data)
            rows += len(batch)
    return rows, digest.hexdigest()


def _cells(file: str, batch, plans: list[_ColumnPlan], personal: list[int], erasure: int | None, findings) -> list:
    """A batch of stored rows as CSV cells, worked out a column at a time (one loop per column
    instead of one call per cell: a large export is millions of cells)."""
    n = len(batch)
    columns: list[list[str]] = []
    for plan, stored in zip(plans, zip(*batch)):
        if plan.left_out:
            columns.append([""] * n)
        elif plan.convert is None:
            columns.append(["" if raw is None else raw for raw in stored])
        elif plan.convert is _raw_timestamp:  # the most common cell: its usual form inline
            columns.append(
                [
                    raw[:10] + "T" + raw[11:19] + "Z"
                    if raw.__class__ is str and len(raw) >= 19 and raw[10] == " " and raw[13] == ":"
                    else ("" if raw is None else _raw_timestamp(raw))
                    for raw in stored
                ]
            )
        else:
            convert = plan.convert
            columns.append(["" if raw is None else convert(raw) for raw in stored])
    if erasure is not None:
        erased = [i for i, when in enumerate(columns[erasure]) if when]
        for p in personal:  # an erased person's names travel empty, whatever is stored
            for i in erased:
                columns[p][i] = ""
    scanned = [i for i, plan in enumerate(plans) if plan.scan]
    # One search over the batch's texts joined by line breaks finds every code a search of each cell
    # would (a code stands between non-alphanumerics; a line break is one); only then cell by cell.
    if scanned and hetu.contains_code("\n".join(cell for i in scanned for cell in columns[i])):
        for r, record in enumerate(batch):
            for i in scanned:
                cell = columns[i][r]
                if cell:
                    findings.extend(CodeFinding(file, record[0], plans[i].name, f.masked) for f in hetu.find_codes(cell))
    for i, column in enumerate(columns):
        if any(map(csvfmt.needs_guard, column)):
            columns[i] = [csvfmt.neutralise(cell) for cell in column]
    return list(zip(*columns))


def export_start(s: Session, *, full: bool, since: dt.datetime | None, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """(kind, since) of an export: full, or incremental from `since` (None: the point
    history.incremental_since() gives; with no such point the export is full), in whole
    UTC seconds. The sync page's count (app.sync.pending) starts from the same point."""
    if not full and since is None:
        since = history.incremental_since(s, now)
    if full or since is None:
        return "full", None
    return "incremental", since.astimezone(UTC).replace(microsecond=0)


def changed_since(table, since: dt.datetime):
    """The rows of `table` changed since `since`. Stored times are compared as text, and some
    are stored without the fraction of a second ("12:05:03" < "12:05:03.000000"): a second
    earlier includes them all."""
    return table.c.updated_at >= since - dt.timedelta(seconds=1)


def build_export(
    s: Session,
    *,
    full: bool,
    include_notes: bool,
    include_names: bool,
    since: dt.datetime | None = None,
    now: dt.datetime | None = None,
    small_rounds: bool = True,
    complete_through: str | None = None,
) -> ExportResult:
    """The export zip of the data in `s` (one read transaction: a consistent snapshot).

    full=False exports the rows changed since `since`, or when it is None since the
    point history.incremental_since() gives; with no such point the export is full.
    Raises ExportRefused when there is no coordinator profile, or when a text about to
    be written holds an identity code (none should: every form refuses them).
    small_rounds=False leaves out survey rounds under SMALL_ROUND respondents (and their
    results) that the coordinator has not ticked to share: the central office's file.
    complete_through ("YYYY-MM"): the coordinator declares everything through that month
    entered; the manifest carries it (the central office's reporting grid shows it).
    """
    now = now or dt.datetime.now(UTC)
    profile = _profile(s)
    kind, since = export_start(s, full=full, since=since, now=now)
    counts: dict[str, int] = {}
    sums: dict[str, str] = {}
    findings: list[CodeFinding] = []
    out = io.BytesIO()
    stamp = now.astimezone(HELSINKI).timetuple()[:6]  # zip times are local wall times
    # Each file is streamed into the zip as it is read; manifest.json, which holds their row
    # counts and checksums, is written last.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for spec in fmt.TABLES:
            counts[spec.file_name], sums[spec.file_name] = _write_table(
                zf, _member(spec.file_name, stamp), s, spec, since, include_notes, include_names, findings, small_rounds
            )
        if findings:
            raise ExportRefused(ExportRefused.IDENTITY_CODE, findings)
        manifest = _manifest(profile, now, kind, since, include_notes, include_names, counts, sums, complete_through)
        zf.writestr(_member(fmt.MANIFEST, stamp), json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
    return ExportResult(
        data=out.getvalue(),
        manifest=manifest,
        rows=counts,
        file_name=default_file_name(profile.county, profile.name, now),
        exported_at=now,
        kind=kind,
        since=since,
    )


def _manifest(
    profile: CoordinatorProfile,
    now: dt.datetime,
    kind: str,
    since: dt.datetime | None,
    include_notes: bool,
    include_names: bool,
    counts: dict[str, int],
    sums: dict[str, str],
    complete_through: str | None,
) -> dict:
    manifest: dict[str, Any] = {
        "format": fmt.FORMAT,
        "schema_version": fmt.SCHEMA_VERSION,
        "app_version": __version__,
        "export_id": str(uuid.uuid4()),
        "exported_at": fmt.timestamp(now),
        "kind": kind,
        "since": fmt.timestamp(since) if since else None,
        "notes_included": include_notes,
        "names_included": include_names,
        "coordinator": _coordinator(profile),
        "files": {name: {"rows": counts[name], "sha256": sums[name]} for name in counts},
    }
    if complete_through:
        manifest["complete_through"] = complete_through
    return manifest


def _member(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.compress_type = zipfile.ZIP_DEFLATED  # zlib's default level (6)
    info.external_attr = 0o644 << 16
    return info


def prepare_export(
    s: Session,
    purpose: str,
    *,
    full: bool = False,
    include_notes: bool = False,
    include_names: bool = False,
    now: dt.datetime | None = None,
    complete_through: str | None = None,
) -> ExportResult:
    """build_export with the rules of a purpose; nothing is recorded yet (see record_export).

    "central": for the central office: minimal unless notes or names are asked for,
    incremental unless `full` or nothing has been sent before.
    "copy": to move to another computer or keep: always everything (full, notes and
    names); recording it never moves where the next incremental starts. A copy declares
    nothing complete (complete_through is the central office's).
    """
    if purpose not in (history.CENTRAL, history.COPY):
        raise ValueError(purpose)
    if purpose == history.COPY:
        full = include_notes = include_names = True
        complete_through = None
    result = build_export(
        s,
        full=full,
        include_notes=include_notes,
        include_names=include_names,
        now=now,
        small_rounds=purpose == history.COPY,
        complete_through=complete_through,
    )
    return dataclasses.replace(result, purpose=purpose)


def record_export(s: Session, result: ExportResult, saved_as: str | None = None) -> None:
    """Record a prepared export in the sync history, once its file is saved (commits).

    Recorded only after saving: a central export recorded but never saved would make
    the next incremental skip its rows.
    """
    if result.purpose not in (history.CENTRAL, history.COPY):
        raise ValueError("record_export needs a result of prepare_export")
    try:
        profile = _profile(s)
        history.add_record(
            s,
            at=result.exported_at,
            purpose=result.purpose,
            manifest=result.manifest,
            file_name=saved_as or result.file_name,
            recipient=profile.central_office_email if result.purpose == history.CENTRAL else "",
        )
        s.commit()
    except BaseException:
        s.rollback()
        raise
