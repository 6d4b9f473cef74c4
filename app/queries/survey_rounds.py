"""Reads of the instrument catalogue and of survey rounds with their figures, for the catalogue,
the rounds' pages, their entry and the survey-file import. Plain functions over a Session."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, and_, extract, func, or_, select
from sqlalchemy.orm import Session

from app.core import collation
from app.core.text import fold
from app.models import Instrument, InstrumentItem, Method, SurveyCount, SurveyMean, SurveyRound, SurveyRoundUnit, Unit
from app.queries.common import by_name, get_live, live

# -- the catalogue ---------------------------------------------------------------------------


def instrument_name_column(lang: str):
    """The instrument's name in `lang` as SQL, falling back to Finnish like Instrument.name()."""
    column = {"sv": Instrument.name_sv, "en": Instrument.name_en}.get(lang)
    return Instrument.name_fi if column is None else func.coalesce(func.nullif(column, ""), Instrument.name_fi)


def instrument_list_stmt(lang: str, show_retired: bool = False) -> Select:
    stmt = select(Instrument).where(live(Instrument.deleted))
    if not show_retired:
        stmt = stmt.where(Instrument.retired.is_(False))
    return stmt.order_by(by_name(instrument_name_column(lang)), Instrument.id)


def instrument_choices(s: Session, lang: str, include: str | None = None) -> list[tuple[str, str]]:
    """[(id, name)] of instruments a new round may use (live, not retired), plus `include`."""
    cond = and_(live(Instrument.deleted), Instrument.retired.is_(False))
    if include:
        cond = or_(cond, Instrument.id == include)
    rows = s.scalars(select(Instrument).where(cond))
    return sorted(((i.id, i.name(lang)) for i in rows), key=lambda pair: (collation.key(pair[1]), pair[0]))


def live_instrument(s: Session, instrument_id: str) -> Instrument | None:
    return get_live(s, Instrument, instrument_id)


def instrument_by_code(s: Session, code: str) -> Instrument | None:
    """A live instrument by its seeded key ("nomad-20"), its id, or its name in any language."""
    found = s.scalars(
        select(Instrument).where(live(Instrument.deleted), or_(Instrument.key == code, Instrument.id == code))
    ).first()
    if found is not None:
        return found
    wanted = fold(code)
    for row in s.scalars(select(Instrument).where(live(Instrument.deleted))):
        if wanted in {fold(row.name_fi), fold(row.name_sv), fold(row.name_en)}:
            return row
    return None


def live_item(s: Session, item_id: str) -> InstrumentItem | None:
    """An item whose instrument is live too."""
    item = get_live(s, InstrumentItem, item_id)
    if item is None or live_instrument(s, item.instrument_id) is None:
        return None
    return item


def rounds_per_instrument(s: Session) -> dict[str, int]:
    """{instrument id: live rounds using it}."""
    stmt = select(SurveyRound.instrument_id, func.count()).where(live(SurveyRound.deleted)).group_by(SurveyRound.instrument_id)
    return {row[0]: row[1] for row in s.execute(stmt)}


def instrument_round_count(s: Session, instrument_id: str) -> int:
    stmt = (
        select(func.count()).select_from(SurveyRound).where(SurveyRound.instrument_id == instrument_id, live(SurveyRound.deleted))
    )
    return s.scalar(stmt) or 0


def items_with_answers(s: Session, instrument_id: str) -> set[str]:
    """Ids of the instrument's items that live rounds hold figures for (counts or means)."""
    out: set[str] = set()
    for model in (SurveyCount, SurveyMean):
        stmt = (
            select(model.item_id)
            .join(SurveyRound, SurveyRound.id == model.round_id)
            .join(InstrumentItem, InstrumentItem.id == model.item_id)
            .where(InstrumentItem.instrument_id == instrument_id, live(model.deleted), live(SurveyRound.deleted))
            .distinct()
        )
        out.update(s.scalars(stmt))
    return out


def instrument_items(s: Session, instrument_id: str) -> list[InstrumentItem]:
    stmt = (
        select(InstrumentItem)
        .where(InstrumentItem.instrument_id == instrument_id, live(InstrumentItem.deleted))
        .order_by(InstrumentItem.position, InstrumentItem.code)
    )
    return list(s.scalars(stmt))


# -- rounds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundFilters:
    unit_id: str = ""
    method_id: str = ""
    instrument_id: str = ""
    year: int | None = None


def round_list_stmt(f: RoundFilters) -> Select:
    stmt = select(SurveyRound).where(live(SurveyRound.deleted))
    if f.unit_id:
        in_unit = select(SurveyRoundUnit.round_id).where(SurveyRoundUnit.unit_id == f.unit_id, live(SurveyRoundUnit.deleted))
        stmt = stmt.where(SurveyRound.id.in_(in_unit))
    if f.method_id:
        stmt = stmt.where(SurveyRound.method_id == f.method_id)
    if f.instrument_id:
        stmt = stmt.where(SurveyRound.instrument_id == f.instrument_id)
    if f.year:
        stmt = stmt.where(SurveyRound.date >= dt.date(f.year, 1, 1), SurveyRound.date <= dt.date(f.year, 12, 31))
    return stmt.order_by(SurveyRound.date.desc(), SurveyRound.id)


def round_years(s: Session) -> list[int]:
    """The years live rounds fall in, newest first (the list's year filter)."""
    stmt = select(extract("year", SurveyRound.date)).where(live(SurveyRound.deleted)).distinct()
    return sorted({int(y) for y in s.scalars(stmt) if y is not None}, reverse=True)


def live_round(s: Session, round_id: str) -> SurveyRound | None:
    return get_live(s, SurveyRound, round_id)


def units_of_rounds(s: Session, round_ids: list[str]) -> dict[str, list[Unit]]:
    """{round id: its live units by name}."""
    if not round_ids:
        return {}
    stmt = (
        select(SurveyRoundUnit.round_id, Unit)
        .join(Unit, Unit.id == SurveyRoundUnit.unit_id)
        .where(SurveyRoundUnit.round_id.in_(round_ids), live(SurveyRoundUnit.deleted), live(Unit.deleted))
        .order_by(by_name(Unit.name_key), Unit.id)
    )
    out: dict[str, list[Unit]] = defaultdict(list)
    for round_id, unit in s.execute(stmt):
        out[round_id].append(unit)
    return dict(out)


def round_unit_ids(s: Session, round_id: str) -> list[str]:
    stmt = select(SurveyRoundUnit.unit_id).where(SurveyRoundUnit.round_id == round_id, live(SurveyRoundUnit.deleted))
    return list(s.scalars(stmt))


def round_counts(s: Session, round_id: str) -> dict[str, dict[str, int]]:
    """{item id: {option code: count}} of the round's live counts."""
    stmt = select(SurveyCount.item_id, SurveyCount.option, SurveyCount.count).where(
        SurveyCount.round_id == round_id, live(SurveyCount.deleted)
    )
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for item_id, option, count in s.execute(stmt):
        out[item_id][option] = count
    return dict(out)


def round_means(s: Session, round_id: str) -> dict[str, tuple[float, int]]:
    """{item id: (mean, n)} of a means-only round."""
    stmt = select(SurveyMean.item_id, SurveyMean.mean_milli, SurveyMean.n).where(
        SurveyMean.round_id == round_id, live(SurveyMean.deleted)
    )
    return {item_id: (milli / 1000, n) for item_id, milli, n in s.execute(stmt)}


def method_filter_choices(s: Session, lang: str) -> list[tuple[str, str]]:
    """Every live method (retired ones too: old rounds use them), for the list's filter."""
    rows = s.scalars(select(Method).where(live(Method.deleted)))
    return sorted(((m.id, m.name(lang)) for m in rows), key=lambda pair: (collation.key(pair[1]), pair[0]))


def unit_filter_choices(s: Session) -> list[tuple[str, str]]:
    """Every live unit (ended ones too), for the list's filter."""
    rows = s.execute(select(Unit.id, Unit.name).where(live(Unit.deleted)).order_by(by_name(Unit.name_key), Unit.id))
    return [(row.id, row.name) for row in rows]


def instrument_filter_choices(s: Session, lang: str) -> list[tuple[str, str]]:
    rows = s.scalars(select(Instrument).where(live(Instrument.deleted)))
    return sorted(((i.id, i.name(lang)) for i in rows), key=lambda pair: (collation.key(pair[1]), pair[0]))
