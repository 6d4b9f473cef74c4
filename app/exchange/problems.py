"""What can be wrong with an export file, as data (Problem) and as a translated sentence.

The reader and the importer only produce Problems (a code and its parameters, where
it is); the CLI and the UI word them in the user's language with describe(). No
parameter ever holds a cell of free text or an identity code: values shown are short
typed cells (a date, a number), and an identity code only in its masked form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from app.core import csvfmt
from app.core.hetu import Finding
from app.exchange import format as fmt


@dataclass(frozen=True)
class Problem:
    file: str | None  # "units.csv", "manifest.json"; None for the zip itself or the whole import
    line: int | None  # 1-based line of the file where the record starts
    column: str | None  # the column's name
    code: str
    params: Mapping[str, object] = field(default_factory=dict, compare=False)


class Collect(Protocol):
    """Where a check puts the problems it finds (the reader's collector)."""

    def add(self, file: str | None, line: int | None, column: str | None, code: str, /, **params: object) -> None: ...


# A translator, `_(message, **values) -> str`: Flask-Babel's gettext in a request,
# app.i18n.translator(lang) outside one (which also carries the language as `_.lang`).
Translate = Callable[..., str]


# The codes of what can be wrong with a file, matched by member (`case Code.NOT_ZIP:`); cell and
# CSV codes live in format.py (fmt.Cell) and csvfmt.py. The module-level names are the same members.
class Code(StrEnum):
    # Codes of the zip and the manifest (cell and CSV codes live in format.py and csvfmt.py).
    NOT_A_FILE = "not_a_file"
    TOO_BIG = "too_big"
    NOT_ZIP = "not_zip"
    TOO_MANY_MEMBERS = "too_many_members"
    ENCRYPTED = "encrypted"
    UNSUPPORTED_COMPRESSION = "unsupported_compression"
    MEMBER_TOO_BIG = "member_too_big"
    BOMB = "bomb"
    DAMAGED_MEMBER = "damaged_member"
    DUPLICATE_MEMBER = "duplicate_member"
    UNEXPECTED_MEMBER = "unexpected_member"
    MISSING_MEMBER = "missing_member"
    MANIFEST_NOT_JSON = "manifest_not_json"
    NOT_KOORDI = "not_koordi"
    SCHEMA_TOO_NEW = "schema_too_new"
    SCHEMA_UNKNOWN = "schema_unknown"
    MANIFEST_FIELD = "manifest_field"
    SHA_MISMATCH = "sha_mismatch"
    ROW_COUNT = "row_count"
    HEADER_MISSING = "header_missing"
    HEADER_UNEXPECTED = "header_unexpected"
    HEADER_ORDER = "header_order"
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_VALUE = "duplicate_value"
    DANGLING = "dangling"
    IDENTITY_CODE = "identity_code"
    IDENTITY_CODE_CHECKSUM = "identity_code_checksum"
    EXCLUDED_NOT_EMPTY = "excluded_not_empty"
    MORE_PROBLEMS = "more_problems"
    UNREADABLE = "unreadable"
    # Codes of the importer's plan.
    OTHER_COORDINATOR = "other_coordinator"
    NEEDS_FULL = "needs_full"
    VALUE_TAKEN = "value_taken"
    # Codes of the central office's merge (app/central/merge.py): one refusal, and warnings.
    DATABASE_REFUSED = "database_refused"
    NOT_MERGED_REFERENCE = "not_merged_reference"
    NO_EARLIER_FILE = "no_earlier_file"
    GAP = "gap"


NOT_A_FILE = Code.NOT_A_FILE
TOO_BIG = Code.TOO_BIG
NOT_ZIP = Code.NOT_ZIP
TOO_MANY_MEMBERS = Code.TOO_MANY_MEMBERS
ENCRYPTED = Code.ENCRYPTED
UNSUPPORTED_COMPRESSION = Code.UNSUPPORTED_COMPRESSION
MEMBER_TOO_BIG = Code.MEMBER_TOO_BIG
BOMB = Code.BOMB
DAMAGED_MEMBER = Code.DAMAGED_MEMBER
DUPLICATE_MEMBER = Code.DUPLICATE_MEMBER
UNEXPECTED_MEMBER = Code.UNEXPECTED_MEMBER
MISSING_MEMBER = Code.MISSING_MEMBER
MANIFEST_NOT_JSON = Code.MANIFEST_NOT_JSON
NOT_KOORDI = Code.NOT_KOORDI
SCHEMA_TOO_NEW = Code.SCHEMA_TOO_NEW
SCHEMA_UNKNOWN = Code.SCHEMA_UNKNOWN
MANIFEST_FIELD = Code.MANIFEST_FIELD
SHA_MISMATCH = Code.SHA_MISMATCH
ROW_COUNT = Code.ROW_COUNT
HEADER_MISSING = Code.HEADER_MISSING
HEADER_UNEXPECTED = Code.HEADER_UNEXPECTED
HEADER_ORDER = Code.HEADER_ORDER
DUPLICATE_ID = Code.DUPLICATE_ID
DUPLICATE_VALUE = Code.DUPLICATE_VALUE
DANGLING = Code.DANGLING
IDENTITY_CODE = Code.IDENTITY_CODE
IDENTITY_CODE_CHECKSUM = Code.IDENTITY_CODE_CHECKSUM
EXCLUDED_NOT_EMPTY = Code.EXCLUDED_NOT_EMPTY
MORE_PROBLEMS = Code.MORE_PROBLEMS
UNREADABLE = Code.UNREADABLE
OTHER_COORDINATOR = Code.OTHER_COORDINATOR
NEEDS_FULL = Code.NEEDS_FULL
VALUE_TAKEN = Code.VALUE_TAKEN
DATABASE_REFUSED = Code.DATABASE_REFUSED
NOT_MERGED_REFERENCE = Code.NOT_MERGED_REFERENCE
NO_EARLIER_FILE = Code.NO_EARLIER_FILE
GAP = Code.GAP


def _when(value: object, _: Translate) -> str:
    from app.i18n import format_local_datetime

    assert value is None or isinstance(value, dt.datetime)  # the merge puts a manifest's times here
    return format_local_datetime(value, getattr(_, "lang", "fi"))


def identity_problem(finding: Finding) -> tuple[str, str]:
    """The problem code of an identity code found in a text, and the only form of it ever shown."""
    return (IDENTITY_CODE if finding.kind == "valid" else IDENTITY_CODE_CHECKSUM), finding.masked


def shown_name(name: str) -> str:
    """A name from a file (a zip member, a header cell) as it may appear in a message: printable, short."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return clean if len(clean) <= 80 else clean[:77] + "..."


def location(problem: Problem, _: Translate) -> str:
    parts = []
    if problem.file:
        parts.append(problem.file)
    if problem.line is not None:
        parts.append(_("line %(line)s", line=problem.line))
    if problem.column:
        parts.append(_("column %(column)s", column=problem.column))
    return ", ".join(parts)


def describe(problem: Problem, _: Translate) -> str:
    """ "units.csv, line 5, column date: not a date YYYY-MM-DD (31.2.)" in the user's language."""
    where = location(problem, _)
    what = reason(problem, _)
    return f"{where}: {what}" if where else what


def reason(problem: Problem, _: Translate) -> str:
    p = dict(problem.params)
    value = p.get("value")
    shown = f" ({value})" if value not in (None, "") else ""
    match problem.code:
        # the zip
        case Code.NOT_A_FILE:
            return _("the file cannot be read")
        case Code.TOO_BIG:
            return _("the file is larger than %(limit)s MB; a Koordi export is far smaller", limit=p["limit_mb"])
        case Code.NOT_ZIP:
            return _("this is not a zip file, or the file is truncated or damaged")
        case Code.TOO_MANY_MEMBERS:
            return _(
                "the zip holds %(count)s files; a Koordi export holds %(expected)s", count=p["count"], expected=p["expected"]
            )
        case Code.ENCRYPTED:
            return _("the file is password-protected; Koordi exports never are")
        case Code.UNSUPPORTED_COMPRESSION:
            return _("the file is compressed in a way Koordi does not use")
        case Code.MEMBER_TOO_BIG:
            return _("the file unpacks to more than %(limit)s MB, more than any Koordi export", limit=p["limit_mb"])
        case Code.BOMB:
            return _("the file unpacks to far more than its packed size: it is not a Koordi export (a zip bomb)")
        case Code.DAMAGED_MEMBER:
            return _("the file inside the zip is damaged or truncated")
        case Code.DUPLICATE_MEMBER:
            return _("the zip holds this file twice")
        case Code.UNEXPECTED_MEMBER:
            return _("a file that does not belong in a Koordi export")
        case Code.MISSING_MEMBER:
            return _("this file is missing from the zip")
        # the manifest
        case Code.MANIFEST_NOT_JSON:
            return _("manifest.json is not valid JSON in UTF-8")
        case Code.NOT_KOORDI:
            return _("this is not a Koordi export file")
        case Code.SCHEMA_TOO_NEW:
            return _(
                "this file was made by a newer Koordi (format version %(version)s; this Koordi reads up to %(supported)s). "
                "Update Koordi, then import the file again.",
                version=p["version"],
                supported=p["supported"],
            )
        case Code.SCHEMA_UNKNOWN:
            return _("the format version %(version)s is not one Koordi knows", version=p["version"])
        case Code.MANIFEST_FIELD:
            return _("the manifest's field %(field)s is missing or not valid", field=p["field"])
        # one CSV file
        case Code.SHA_MISMATCH:
            return _("the file's checksum does not match the manifest: it was changed or damaged after the export")
        case Code.ROW_COUNT:
            return _("the file has %(found)s rows; the manifest says %(expected)s", found=p["found"], expected=p["expected"])
        case Code.HEADER_MISSING:
            return _("the header has no column %(column)s", column=p["name"])
        case Code.HEADER_UNEXPECTED:
            return _("the header has a column that does not belong in this file")
        case Code.HEADER_ORDER:
            return _("the columns are not in the expected order (expected %(expected)s here)", expected=p["expected"])
        case csvfmt.NO_BOM:
            return _("the file is not UTF-8 with a byte order mark (BOM)")
        case csvfmt.NOT_UTF8:
            return _("the text is not UTF-8")
        case csvfmt.EMPTY:
            return _("the file is empty; even an empty table has its header row")
        case csvfmt.COMMA_DELIMITER:
            return _("the cells are separated by commas; a Koordi file separates them with semicolons (;)")
        case csvfmt.COLUMN_COUNT:
            return _("the row has %(found)s cells; the header has %(expected)s", found=p["found"], expected=p["expected"])
        case csvfmt.FIELD_TOO_LARGE:
            return _(
                "the cell holds %(length)s characters, more than the %(limit)s a cell can hold",
                length=p["length"],
                limit=p["limit"],
            )
        case csvfmt.MALFORMED:
            return _("the row is not valid CSV (a quotation mark is out of place); the rest of the file was not read")
        # one cell
        case fmt.NOT_UUID:
            return _("not an id (a UUID such as 0b6f…-…)") + shown
        case fmt.NOT_DATE:
            return _("not a date YYYY-MM-DD") + shown
        case fmt.NOT_TIMESTAMP:
            return _("not a UTC time YYYY-MM-DDTHH:MM:SSZ") + shown
        case fmt.NOT_TIME:
            return _("not a time of day HH:MM") + shown
        case fmt.NOT_BOOL:
            return _("not 0 or 1") + shown
        case fmt.NOT_INT:
            return _("not a whole number") + shown
        case fmt.OUT_OF_RANGE:
            return _("the number must be from %(min)s to %(max)s", min=p["min"], max=p["max"]) + shown
        case fmt.NOT_ALLOWED:
            return _("not one of the allowed values (%(allowed)s)", allowed=p["allowed"]) + shown
        case fmt.TOO_LONG:
            return _("the text has %(length)s characters; at most %(max)s are allowed", length=p["length"], max=p["max"])
        case fmt.REQUIRED:
            return _("the cell is empty, but a value is required")
        case Code.DUPLICATE_ID:
            return _("the id is already on line %(first)s", first=p["first"])
        case Code.DUPLICATE_VALUE:
            return _("the value is already on line %(first)s", first=p["first"])
        case Code.DANGLING:
            return _("refers to a row of %(file)s that is neither in the file nor in Koordi", file=p["file"])
        case Code.IDENTITY_CODE:
            return _(
                "contains a Finnish personal identity code (%(code)s). Koordi must not hold client data: "
                "remove it and export the file again.",
                code=p["code"],
            )
        case Code.IDENTITY_CODE_CHECKSUM:
            return _(
                "contains what looks like a personal identity code with a wrong check character (%(code)s): "
                "it may still be someone's mistyped code. Remove it and export the file again.",
                code=p["code"],
            )
        case Code.EXCLUDED_NOT_EMPTY:
            return _("the manifest says this column was left out, but it holds text")
        case Code.MORE_PROBLEMS:
            return _("and %(count)s more problems in this file", count=p["count"])
        case Code.UNREADABLE:
            return _("the file could not be read")
        # the import as a whole
        case Code.OTHER_COORDINATOR:
            return _(
                "this file is from %(name)s (%(county)s), but this Koordi belongs to %(own)s. Importing another "
                "coordinator's records would make the central office count them as yours, so Koordi does not "
                "import them. A stand-in coordinator records their own work in their own Koordi.",
                name=p["name"],
                county=p["county"],
                own=p["own"],
            )
        case Code.NEEDS_FULL:
            return _(
                "this file holds only the changes since %(since)s; start a new Koordi from a complete export "
                '("Move to another computer") instead',
                since=p["since"],
            )
        case Code.VALUE_TAKEN:
            return _("another row in Koordi already has this value")
        # the central office's merge
        case Code.DATABASE_REFUSED:
            return _("the database refused the file's rows (%(reason)s); nothing of the file was written", reason=p["reason"])
        case Code.NOT_MERGED_REFERENCE:
            return _(
                "refers to a row of %(file)s that is in no file merged from this coordinator; the row is kept", file=p["file"]
            )
        case Code.NO_EARLIER_FILE:
            return _(
                "this file holds only the changes since %(since)s, and no earlier file from this coordinator "
                "has been merged: ask them for a full export",
                since=_when(p["start"], _),
            )
        case Code.GAP:
            return _(
                "this file holds the changes since %(since)s, but the previous file merged from this coordinator "
                "(%(file)s) was made at %(previous)s: the changes in between are missing. Ask for the missing "
                "file or a full export.",
                since=_when(p["start"], _),
                file=p["previous_file"],
                previous=_when(p["previous"], _),
            )
    return problem.code  # pragma: no cover - every code the package produces is worded above
