"""A survey tool's file of individual answers, as the import page and `koordi survey import` both
read it: counted in memory by app.core.survey_file with the instrument's remembered mapping,
its problems worded (file, line, column: reason), its counts keyed by the catalogue's item ids.
Nothing here writes a file; the bytes live only as long as the caller holds them."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy.orm import Session

from app.core import survey_file
from app.core.survey_table import Problem, Reason
from app.models import Instrument
from app.models.surveys import to_instrument
from app.queries import survey_rounds as q
from app.surveys import ops

Translate = Callable[..., str]


def read(s: Session, instrument: Instrument, data: bytes, file_name: str) -> survey_file.Result:
    """The file counted for `instrument`, with the mapping remembered for it."""
    saved = ops.read_mapping(s, instrument.id)
    return survey_file.read(data, file_name, to_instrument(instrument), columns=saved["columns"], answers=saved["answers"])


def item_ids(s: Session, instrument: Instrument) -> dict[str, str]:
    """{item code: item id} of the instrument's live items."""
    return {i.code: i.id for i in q.instrument_items(s, instrument.id)}


def counts_by_id(codes_to_ids: Mapping[str, str], counts: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {codes_to_ids[code]: dict(by_option) for code, by_option in counts.items() if code in codes_to_ids}


def location(p: Problem, _: Translate) -> str:
    parts = [p.file] if p.file else []
    if p.line is not None:
        parts.append(_("line %(line)s", line=p.line))
    if p.letter:
        shown = f"{p.letter} ({p.column})" if p.column else p.letter
        parts.append(_("column %(column)s", column=shown))
    return ", ".join(parts)


def reason(p: Problem, _: Translate) -> str:
    v = dict(p.params)
    match p.reason:
        case Reason.TOO_BIG:
            limit = v.get("limit")
            return _(
                "the file is larger than %(limit)s MB: a survey export is far smaller",
                limit=(limit if isinstance(limit, int) else 0) // (1024 * 1024),
            )
        case Reason.TOO_MANY_ROWS:
            return _("the file has more than %(limit)s rows of answers", limit=v.get("limit"))
        case Reason.TOO_MANY_COLUMNS:
            return _("the file has %(columns)s columns, more than %(limit)s", columns=v.get("columns"), limit=v.get("limit"))
        case Reason.EMPTY:
            return _("the file is empty: it has no header row")
        case Reason.NOT_XLSX:
            return _("the file is not a readable Excel workbook (.xlsx): it may be damaged; save it again, or as CSV")
        case Reason.ENCRYPTED:
            return _("the workbook is password-protected: save it without the password")
        case Reason.OLD_XLS:
            return _("this is an old Excel 97–2003 file (.xls): save it as .xlsx or .csv")
        case Reason.MALFORMED:
            return _("the CSV's quotation marks cannot be read: export the file again")
        case Reason.INVALID_BYTES:
            return _(
                "the cell holds bytes that are not text in %(encoding)s: save the file as UTF-8", encoding=v.get("encoding") or ""
            )
        case Reason.CELL_TOO_LONG:
            return _("the cell is %(length)s characters long, more than %(limit)s", length=v.get("length"), limit=v.get("limit"))
        case Reason.EXTRA_CELLS:
            return _(
                "the row has %(cells)s cells but the header %(header_cells)s: an answer holds an unquoted separator, "
                "so its columns are shifted",
                cells=v.get("cells"),
                header_cells=v.get("header_cells"),
            )
        case Reason.DUPLICATE_ITEM:
            return _(
                "this column and column %(other)s are both item %(item)s",
                other=f"{v.get('other_letter')} ({v.get('other_column')})",
                item=v.get("item"),
            )
        case Reason.IDENTITY_CODE:
            return _("the answer contains a personal identity code: Koordi must not hold client data; remove it from the file")
        case Reason.NO_ITEMS:
            return _("no column of the file is an item of this instrument")
        case Reason.NO_RESPONDENTS:
            return _("no row of the file answers any item of this instrument")
        case Reason.MORE_PROBLEMS:
            return _("and %(count)s problems more", count=v.get("count"))
    return str(p.reason)


def describe(p: Problem, _: Translate) -> str:
    """ "vastaukset.csv, line 12, column C (CO1): the cell …" in the user's language."""
    where = location(p, _)
    what = reason(p, _)
    return f"{where}: {what}" if where else what
