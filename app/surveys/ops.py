"""Writes of the instrument catalogue and of survey rounds, each one transaction.

A round's figures are replaced whole when they are saved again (the grid, a survey file): rows
that sync are never removed, so a row no longer wanted is soft-deleted (the central office
sees the deletion), a changed one updated in place and an unchanged one left alone (it is
not sent again in the next incremental export).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.instruments import BLANK
from app.models import Instrument, InstrumentItem, Setting, SurveyCount, SurveyMean, SurveyRound, SurveyRoundUnit
from app.queries.common import live
from app.store import write

# -- the catalogue ---------------------------------------------------------------------------


@dataclass
class InstrumentData:
    name_fi: str
    name_sv: str = ""
    name_en: str = ""
    description: str = ""
    kind: str | None = None  # None: unchanged (a seeded instrument, or one rounds use)


def _apply_instrument(instrument: Instrument, data: InstrumentData) -> None:
    instrument.name_fi = data.name_fi.strip()
    instrument.name_sv = (data.name_sv or "").strip()
    instrument.name_en = (data.name_en or "").strip()
    instrument.description = (data.description or "").strip()
    if data.kind:
        instrument.kind = data.kind


def create_instrument(s: Session, data: InstrumentData) -> Instrument:
    """A coordinator's own instrument: a random id, no seed key; items are added one by one."""
    with write(s):
        instrument = Instrument(kind=data.kind or "custom", retired=False)
        _apply_instrument(instrument, data)
        s.add(instrument)
    return instrument


def update_instrument(s: Session, instrument: Instrument, data: InstrumentData) -> None:
    with write(s):
        _apply_instrument(instrument, data)


def set_retired(s: Session, instrument: Instrument, retired: bool) -> None:
    """A retired instrument keeps its rounds; new rounds cannot choose it."""
    with write(s):
        instrument.retired = retired


@dataclass
class ItemData:
    code: str
    label_fi: str
    scale: str = "points"
    points: int = 5
    group_key: str = ""
    reversed: bool = False
    not_applicable: bool = False
    label_sv: str = ""
    label_en: str = ""
    wording: str = ""


def _apply_item(item: InstrumentItem, data: ItemData) -> None:
    item.code = data.code.strip()
    item.group_key = (data.group_key or "").strip()
    item.scale = data.scale
    item.points = data.points if data.scale == "points" else {"nomad": 5, "zero_ten": 11}.get(data.scale, data.points)
    item.reversed = bool(data.reversed)
    item.not_applicable = bool(data.not_applicable) and data.scale == "points"
    item.label_fi = data.label_fi.strip()
    item.label_sv = (data.label_sv or "").strip()
    item.label_en = (data.label_en or "").strip()
    item.wording = (data.wording or "").strip()


def add_item(s: Session, instrument: Instrument, data: ItemData) -> InstrumentItem:
    """A new item at the end of the instrument."""
    with write(s):
        last = s.scalar(
            select(func.max(InstrumentItem.position)).where(
                InstrumentItem.instrument_id == instrument.id, live(InstrumentItem.deleted)
            )
        )
        item = InstrumentItem(instrument_id=instrument.id, position=(last or 0) + 1)
        _apply_item(item, data)
        s.add(item)
    return item


def update_item(s: Session, item: InstrumentItem, data: ItemData) -> None:
    with write(s):
        _apply_item(item, data)


def set_wording(s: Session, item: InstrumentItem, wording: str) -> None:
    """The wording the coordinator's own survey used (any item, seeded ones too)."""
    with write(s):
        item.wording = (wording or "").strip()


def move_item(s: Session, item: InstrumentItem, step: int) -> bool:
    """Move the item one place up (-1) or down (+1); False at either end. Positions are
    renumbered 1…n, so items restored by Undo or added on another laptop fall in line."""
    with write(s):
        items = list(
            s.scalars(
                select(InstrumentItem)
                .where(InstrumentItem.instrument_id == item.instrument_id, live(InstrumentItem.deleted))
                .order_by(InstrumentItem.position, InstrumentItem.code)
            )
        )
        at = next(i for i, other in enumerate(items) if other.id == item.id)
        to = at + step
        if not 0 <= to < len(items):
            return False
        items[at], items[to] = items[to], items[at]
        for position, other in enumerate(items, start=1):
            if other.position != position:
                other.position = position
    return True


# -- rounds ----------------------------------------------------------------------------------


@dataclass
class RoundData:
    instrument_id: str
    date: dt.date
    answered: int
    unit_ids: list[str] = field(default_factory=list)
    method_id: str | None = None
    invited: int | None = None
    tool: str = "other"
    means_only: bool = False
    share_small: bool = False
    notes: str = ""


def _apply_round(rnd: SurveyRound, data: RoundData) -> None:
    rnd.instrument_id = data.instrument_id
    rnd.method_id = data.method_id or None
    rnd.date = data.date
    rnd.invited = data.invited
    rnd.answered = data.answered
    rnd.tool = data.tool
    rnd.means_only = bool(data.means_only)
    rnd.share_small = bool(data.share_small)
    rnd.notes = (data.notes or "").strip()


def _set_units(s: Session, rnd: SurveyRound, unit_ids: list[str]) -> None:
    wanted = list(dict.fromkeys(unit_ids))
    rows = {row.unit_id: row for row in s.scalars(select(SurveyRoundUnit).where(SurveyRoundUnit.round_id == rnd.id))}
    for unit_id, row in rows.items():
        if unit_id not in wanted and not row.deleted:
            row.soft_delete()
        elif unit_id in wanted and row.deleted:
            row.undelete()
    for unit_id in wanted:
        if unit_id not in rows:
            s.add(SurveyRoundUnit(round_id=rnd.id, unit_id=unit_id))


def _new_round(s: Session, data: RoundData) -> SurveyRound:
    rnd = SurveyRound()
    _apply_round(rnd, data)
    s.add(rnd)
    s.flush()  # its id, for the units
    _set_units(s, rnd, data.unit_ids)
    return rnd


def create_round(s: Session, data: RoundData) -> SurveyRound:
    with write(s):
        rnd = _new_round(s, data)
    return rnd


def update_round(s: Session, rnd: SurveyRound, data: RoundData) -> None:
    """Saved as edited; when the number answered changes, each asked item's blanks follow it."""
    with write(s):
        answered_before = rnd.answered
        _apply_round(rnd, data)
        _set_units(s, rnd, data.unit_ids)
        if rnd.answered != answered_before and not rnd.means_only:
            _refresh_blanks(s, rnd)


def _live_counts(s: Session, rnd: SurveyRound) -> list[SurveyCount]:
    return list(s.scalars(select(SurveyCount).where(SurveyCount.round_id == rnd.id, live(SurveyCount.deleted))))


def _refresh_blanks(s: Session, rnd: SurveyRound) -> None:
    by_item: dict[str, dict[str, int]] = {}
    for row in _live_counts(s, rnd):
        by_item.setdefault(row.item_id, {})[row.option] = row.count
    counts = {}
    for item_id, options in by_item.items():
        answers = {o: n for o, n in options.items() if o != BLANK}
        counts[item_id] = with_blanks(answers, rnd.answered)
    _replace_counts(s, rnd, counts)


def with_blanks(answers: Mapping[str, int], answered: int) -> dict[str, int]:
    """An asked item's counts with its blanks: the round's respondents who did not answer it."""
    out = {o: n for o, n in answers.items() if n}
    blank = answered - sum(answers.values())
    if blank > 0 or not out:
        out[BLANK] = max(blank, 0)  # an asked item keeps a row even when no one answered it
    return out


def _replace_counts(s: Session, rnd: SurveyRound, counts: Mapping[str, Mapping[str, int]]) -> None:
    """counts: item id -> option code -> count (zeros left out; an item not in it was not asked)."""
    existing = {(row.item_id, row.option): row for row in _live_counts(s, rnd)}
    for key, row in existing.items():
        item_id, option = key
        wanted = counts.get(item_id, {}).get(option)
        if wanted is None or (wanted == 0 and option != BLANK):
            row.soft_delete()
        elif row.count != wanted:
            row.count = wanted
    for item_id, options in counts.items():
        for option, n in options.items():
            if (item_id, option) not in existing and (n or option == BLANK):
                s.add(SurveyCount(round_id=rnd.id, item_id=item_id, option=option, count=n))


def _drop_means(s: Session, rnd: SurveyRound) -> None:
    for row in s.scalars(select(SurveyMean).where(SurveyMean.round_id == rnd.id, live(SurveyMean.deleted))):
        row.soft_delete()


def replace_counts(s: Session, rnd: SurveyRound, counts: Mapping[str, Mapping[str, int]]) -> None:
    """The round's counts, replaced in one transaction (item id -> option code -> count)."""
    with write(s):
        _replace_counts(s, rnd, counts)


def replace_means(s: Session, rnd: SurveyRound, means: Mapping[str, tuple[float, int]]) -> None:
    """A means-only round's item means and n (item id -> (mean, n)), replaced in one transaction."""
    with write(s):
        existing = {
            row.item_id: row
            for row in s.scalars(select(SurveyMean).where(SurveyMean.round_id == rnd.id, live(SurveyMean.deleted)))
        }
        row: SurveyMean | None
        for item_id, row in existing.items():
            if item_id not in means:
                row.soft_delete()
        for item_id, (mean, n) in means.items():
            milli = round(mean * 1000)
            row = existing.get(item_id)
            if row is None:
                s.add(SurveyMean(round_id=rnd.id, item_id=item_id, mean_milli=milli, n=n))
            elif (row.mean_milli, row.n) != (milli, n):
                row.mean_milli, row.n = milli, n


def save_imported(
    s: Session,
    counts: Mapping[str, Mapping[str, int]],
    respondents: int,
    *,
    rnd: SurveyRound | None = None,
    data: RoundData | None = None,
) -> SurveyRound:
    """A survey file's counts, all or nothing: into `rnd` (its answered becomes the file's
    respondents), or into a new round made from `data`, in one transaction."""
    with write(s):
        if rnd is None:
            assert data is not None
            data.answered = respondents
            rnd = _new_round(s, data)
        else:
            rnd.answered = respondents
            rnd.means_only = False
            _drop_means(s, rnd)
        _replace_counts(s, rnd, counts)
    return rnd


# -- the survey file's remembered mapping ------------------------------------------------------

MAPPING_KEY = "survey_mapping:{}"  # a local Setting per instrument, never exported


def read_mapping(s: Session, instrument_id: str) -> dict:
    """{"columns": {header: item code | None}, "answers": {item code: {answer: option | None}}}."""
    row = s.get(Setting, MAPPING_KEY.format(instrument_id))
    try:
        saved = json.loads(row.value) if row is not None else {}
    except ValueError:
        saved = {}
    if not isinstance(saved, dict):
        saved = {}
    columns = saved.get("columns") if isinstance(saved.get("columns"), dict) else {}
    answers = saved["answers"] if isinstance(saved.get("answers"), dict) else {}
    return {"columns": columns, "answers": {k: v for k, v in answers.items() if isinstance(v, dict)}}


def remember_mapping(
    s: Session, instrument_id: str, columns: Mapping[str, str | None], answers: Mapping[str, Mapping[str, str | None]]
) -> None:
    """Add the user's answers to the instrument's remembered mapping (asked once, then known)."""
    with write(s):
        saved = read_mapping(s, instrument_id)
        saved["columns"].update(columns)
        for item, by_answer in answers.items():
            saved["answers"].setdefault(item, {}).update(by_answer)
        key = MAPPING_KEY.format(instrument_id)
        row = s.get(Setting, key)
        value = json.dumps(saved, ensure_ascii=False, sort_keys=True)
        if row is None:
            s.add(Setting(key=key, value=value))
        else:
            row.value = value
