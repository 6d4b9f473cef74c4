"""manifest.json of an export: what the file is, who made it, and a checksum of every CSV.

    parse_manifest(raw, out) -> Manifest | None     (problems go to out.add; never raises)

The fields are documented in docs/export-format.md. A newer schema_version is refused
before anything else is read: its files may mean something this Koordi does not know.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from app.core import hetu
from app.core.clock import HELSINKI
from app.core.geography import AREA_BY_KEY, COUNTY_BY_KEY, ROLES
from app.exchange import format as fmt
from app.exchange import problems as P
from app.exchange.problems import identity_problem, shown_name

MANIFEST_BYTES = 1024 * 1024  # a manifest is about 2 KB


@dataclass(frozen=True)
class Coordinator:
    id: str
    name: str
    role: str
    county: str
    cooperation_area: str
    central_office_email: str


@dataclass(frozen=True)
class FileEntry:
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    format: str
    schema_version: int
    app_version: str
    export_id: str
    exported_at: dt.datetime  # UTC
    kind: str  # full | incremental
    since: dt.datetime | None  # an incremental export's start (UTC)
    notes_included: bool
    names_included: bool
    coordinator: Coordinator
    files: dict[str, FileEntry]
    # "YYYY-MM": the coordinator declared everything through that month entered (optional;
    # files without it, and files of older Koordis, read as None).
    complete_through: str | None = None

    def excluded(self, column: fmt.Column) -> bool:
        """True when the export left this column's text out (notes or names not included)."""
        return (column.kind is fmt.Kind.NOTE and not self.notes_included) or (
            column.kind is fmt.Kind.PERSONAL and not self.names_included
        )


def parse_manifest(raw: bytes | None, out: P.Collect) -> Manifest | None:
    """The manifest, or None (and the reasons through out.add) when it cannot be trusted."""
    name = fmt.MANIFEST
    if raw is None:
        return None
    if len(raw) > MANIFEST_BYTES:
        out.add(name, None, None, P.MEMBER_TOO_BIG, limit_mb=1)
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        out.add(name, None, None, P.MANIFEST_NOT_JSON)
        return None
    if not isinstance(doc, dict) or doc.get("format") != fmt.FORMAT:
        out.add(name, None, None, P.NOT_KOORDI)
        return None
    version = doc.get("schema_version")
    if not _is_int(version):
        out.add(name, None, None, P.MANIFEST_FIELD, field="schema_version")
        return None
    if version > fmt.SCHEMA_VERSION:
        out.add(name, None, None, P.SCHEMA_TOO_NEW, version=version, supported=fmt.SCHEMA_VERSION)
        return None
    if version < 1:
        out.add(name, None, None, P.SCHEMA_UNKNOWN, version=version)
        return None

    bad: list[str] = []

    # A JSON value, of whatever type `check` accepts (None when it does not).
    def get(key: str, check: Callable[[object], bool], doc: object = doc, prefix: str = "") -> Any:
        value = doc.get(key) if isinstance(doc, dict) else None
        if not check(value):
            bad.append(prefix + key)
            return None
        return value

    def text(limit: int, required: bool = True) -> Callable[[object], bool]:
        return lambda v: isinstance(v, str) and len(v) <= limit and (bool(v.strip()) or not required)

    app_version = get("app_version", text(40))
    export_id = get("export_id", lambda v: isinstance(v, str) and fmt.UUID_RE.fullmatch(v) is not None)
    exported_at = get("exported_at", lambda v: isinstance(v, str) and fmt.parse_timestamp(v) is not None)
    kind = get("kind", lambda v: v in fmt.KINDS)
    since = get("since", lambda v: v is None or (isinstance(v, str) and fmt.parse_timestamp(v) is not None))
    notes = get("notes_included", lambda v: isinstance(v, bool))
    names = get("names_included", lambda v: isinstance(v, bool))
    who = doc.get("coordinator")
    c = "coordinator."
    cid = get("id", lambda v: isinstance(v, str) and fmt.UUID_RE.fullmatch(v) is not None, who, c)
    cname = get("name", text(120), who, c)
    role = get("role", lambda v: v in ROLES, who, c)
    county = get("county", lambda v: isinstance(v, str) and v in COUNTY_BY_KEY, who, c)
    area = get("cooperation_area", lambda v: isinstance(v, str) and v in AREA_BY_KEY, who, c)
    email = get("central_office_email", text(254, required=False), who, c)
    complete_through = get("complete_through", lambda v: v is None or valid_month(v))
    made = fmt.parse_timestamp(exported_at) if exported_at else None
    if complete_through and made is not None and complete_through > f"{made.astimezone(HELSINKI):%Y-%m}":
        bad.append("complete_through")  # a month not begun when the file was made (on Helsinki's wall)
    if county and area and COUNTY_BY_KEY[county].area != area:
        bad.append(c + "cooperation_area")
    if kind == "incremental" and since is None and "since" not in bad:
        bad.append("since")
    if kind == "full" and since is not None:
        bad.append("since")
    for f in bad:
        out.add(name, None, None, P.MANIFEST_FIELD, field=f)
    for finding in hetu.find_codes(cname or ""):
        code, masked = identity_problem(finding)
        out.add(name, None, None, code, code=masked)
        bad.append("coordinator.name")
    files = _manifest_files(doc.get("files"), version, out)
    if bad or files is None:
        return None
    exported = fmt.parse_timestamp(exported_at)
    assert exported is not None  # get() checked that it parses
    return Manifest(
        format=fmt.FORMAT,
        schema_version=version,
        app_version=app_version,
        export_id=export_id,
        exported_at=exported,
        kind=kind,
        since=fmt.parse_timestamp(since) if since else None,
        notes_included=notes,
        names_included=names,
        coordinator=Coordinator(cid, cname, role, county, area, email),
        files=files,
        complete_through=complete_through,
    )


def valid_month(value: object) -> bool:
    """A "YYYY-MM" month (complete_through), e.g. "2026-03"."""
    if not (isinstance(value, str) and len(value) == 7 and value[4] == "-"):
        return False
    year, month = value[:4], value[5:]
    return year.isdigit() and month.isdigit() and 2000 <= int(year) <= 2999 and 1 <= int(month) <= 12


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _manifest_files(files: object, version: int, out: P.Collect) -> dict[str, FileEntry] | None:
    if not isinstance(files, dict):
        out.add(fmt.MANIFEST, None, None, P.MANIFEST_FIELD, field="files")
        return None
    entries: dict[str, FileEntry] = {}
    ok = True
    expected = fmt.file_names(version)
    for file_name in sorted(set(files) | set(expected)):
        entry = files.get(file_name)
        good = (
            file_name in expected
            and isinstance(entry, dict)
            and _is_int(entry.get("rows"))
            and entry["rows"] >= 0
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
            and all(ch in "0123456789abcdef" for ch in entry["sha256"])
        )
        if not good:
            out.add(fmt.MANIFEST, None, None, P.MANIFEST_FIELD, field=f"files.{shown_name(str(file_name))}")
            ok = False
            continue
        assert isinstance(entry, dict)  # `good` checked it
        entries[file_name] = FileEntry(entry["rows"], entry["sha256"])
    return entries if ok else None


# -- one table -----------------------------------------------------------------------------
