"""NoMAD constructs and usability scores pooled from the merged rounds' counts, by period and by
the rows of the scope's level.

The coordinator's own rule, reused (app.queries.survey_results.score_pool, app.core.scoring):
the counts of the rounds are summed per item and option and the sum is scored, never an
average of round means, so a big round weighs what its respondents do; rounds with item means
only add Σ mean·n and n. Rounds under SMALL_ROUND respondents are left out of every figure
here, whatever their coordinator ticked (FOLLOWUP.md: the central office's views never show
them). A construct is pooled only where the rounds asked the same items of it: an item that
some rounds of a pool asked and others did not marks its construct (and a usability score)
as not pooled. SQL sums per instrument, period (or row), item and option; no round is read
one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, and_, func, literal_column, select

from app.central.picture.scope import PeriodKey, Scope, period_columns
from app.central.schema import DATA
from app.core import instruments as core
from app.core.geography import COUNTY_BY_KEY
from app.queries.survey_results import PoolData, Pooled, score_pool

SHOWN_KINDS = (core.Kind.NOMAD, core.Kind.SUS, core.Kind.SUS_POSITIVE, core.Kind.UMUX_LITE)


@dataclass
class InstrumentPools:
    instrument_id: str
    instrument: core.Instrument
    name: str
    series: dict[PeriodKey, Pooled] = field(default_factory=dict)
    rows: dict[str, Pooled] = field(default_factory=dict)
    total: Pooled | None = None

    @property
    def is_nomad(self) -> bool:
        return self.instrument.kind is core.Kind.NOMAD


def catalogue(conn: Connection, ids: set[str], lang: str) -> dict[str, tuple[core.Instrument, str, dict[str, str]]]:
    """instrument id -> (the instrument as scoring sees it, its name in `lang`, item id -> code),
    from the most recently changed copy of each among the coordinators (seeded ones share ids)."""
    INS, II = DATA["instruments"], DATA["instrument_items"]
    found: dict[str, Any] = {}
    for row in conn.execute(select(INS).where(INS.c.id.in_(sorted(ids)), INS.c.deleted.is_(False)).order_by(INS.c.updated_at)):
        found[row.id] = row
    items: dict[str, dict[str, Any]] = defaultdict(dict)
    stmt = select(II).where(II.c.instrument_id.in_(sorted(found)), II.c.deleted.is_(False)).order_by(II.c.updated_at)
    for row in conn.execute(stmt):
        items[row.instrument_id][row.id] = row
    out = {}
    for instrument_id, row in found.items():
        if row.kind not in {k.value for k in SHOWN_KINDS}:
            continue
        rows = sorted(items[instrument_id].values(), key=lambda i: (i.position, i.code))
        by_code = {i.code: i for i in rows}  # one item per code: the newest copy
        instrument = core.Instrument(
            key=row.key or row.id,
            kind=core.Kind(row.kind),
            items=tuple(
                core.Item(
                    code=i.code,
                    group=i.group_key,
                    scale=core.Scale(i.scale),
                    points=i.points,
                    reversed=i.reversed,
                    not_applicable=i.not_applicable,
                    labels={"fi": i.label_fi, "sv": i.label_sv, "en": i.label_en},
                )
                for i in by_code.values()
            ),
            names={"fi": row.name_fi, "sv": row.name_sv, "en": row.name_en},
        )
        name = {"sv": row.name_sv, "en": row.name_en}.get(lang) or row.name_fi
        out[instrument_id] = (instrument, name, {i.id: i.code for i in items[instrument_id].values()})
    return out


def _round_filter(scope: Scope) -> list[Any]:
    SR = DATA["survey_rounds"]
    conditions = [
        SR.c.deleted.is_(False),
        SR.c.answered >= core.SMALL_ROUND,
        scope.where(SR),
        scope.in_span(SR.c.date),
    ]
    if scope.method:
        conditions.append(SR.c.method_id == scope.method)
    return conditions


@dataclass(frozen=True)
class Dim:
    """How rounds are put into pools: SQL columns selected and grouped by (besides instrument, item
    and option), and the pool's key from their values."""

    columns: tuple[Any, ...]
    group: tuple[Any, ...]
    key: Callable[[Sequence[Any]], Hashable]


def period_dim(scope: Scope) -> Dim:
    SR = DATA["survey_rounds"]
    columns, group = period_columns(SR.c.date, scope.grain)
    return Dim(tuple(columns), tuple(group), lambda v: (int(v[0]), int(v[1])))


def level_dim(level: str, with_method: bool = False, with_period: Scope | None = None) -> Dim:
    """Rounds by the rows of `level` (area rows from the county column), and by method and
    period when asked: the long-format file's cells."""
    SR = DATA["survey_rounds"]
    column = {"area": SR.c.county, "county": SR.c.county, "coordinator": SR.c.coordinator_id, "method": SR.c.method_id}.get(level)
    columns: list[Any] = [column if column is not None else literal_column("''")]
    group: list[Any] = [column] if column is not None else []
    if with_method:
        columns.append(SR.c.method_id)
        group.append(SR.c.method_id)
    period: Dim | None = period_dim(with_period) if with_period is not None else None
    if period is not None:
        columns += period.columns
        group += period.group

    def key(values: Sequence[Any]) -> Hashable:
        row = _row_key(level, values[0])
        parts: list[Any] = [row]
        if with_method:
            parts.append(values[1] or "")
        if period is not None:
            parts.append(period.key(values[-2:]))
        return tuple(parts) if len(parts) > 1 else row

    return Dim(tuple(columns), tuple(group), key)


def _row_key(level: str, value: Any) -> str:
    if level == "area":
        county = COUNTY_BY_KEY.get(value or "")
        return county.area if county else ""
    return value or ""


Pools = dict[tuple[str, str, Hashable], PoolData]  # (dim, instrument id, key) -> the pool's data


def pool_data(conn: Connection, scope: Scope, lang: str, dims: dict[str, Dim]) -> tuple[dict, Pools]:
    """(the instruments found: catalogue(), every pool's data) for each dim: the counts summed in SQL,
    each round's size and item set (what score_pool compares before pooling a construct)."""
    SR = DATA["survey_rounds"]
    selected = [c for dim in dims.values() for c in dim.columns]
    columns = (SR.c.coordinator_id, SR.c.id, SR.c.instrument_id, SR.c.date, SR.c.answered, SR.c.means_only)
    metas: list[Any] = list(conn.execute(select(*columns, *selected).where(*_round_filter(scope))))
    if not metas:
        return {}, {}
    known = catalogue(conn, {m[2] for m in metas}, lang)
    asked = _item_sets_of_rounds(conn, scope, known)
    pools: Pools = defaultdict(PoolData)
    for coordinator_id, round_id, instrument_id, day, answered, means_only, *values in metas:
        if instrument_id not in known:
            continue
        items = asked.get((coordinator_id, round_id), frozenset())
        at = 0
        for name, dim in dims.items():
            pool = (name, instrument_id, dim.key(values[at : at + len(dim.columns)]))
            at += len(dim.columns)
            pools[pool].add_meta(answered, means_only, items, day)
    for name, dim in dims.items():
        _sum_counts(conn, scope, name, dim, known, pools)
        _sum_means(conn, scope, name, dim, known, pools)
    return known, pools


def _item_sets_of_rounds(conn: Connection, scope: Scope, known: dict) -> dict[tuple[str, str], frozenset[str]]:
    """(coordinator, round) -> the item codes it has counts (or means) for: one pass over the
    index of the counts, rounds in order; equal sets shared."""
    SR, SC, SM = DATA["survey_rounds"], DATA["survey_counts"], DATA["survey_means"]
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for table, means_only in ((SC, False), (SM, True)):
        stmt = (
            select(table.c.coordinator_id, table.c.round_id, SR.c.instrument_id, table.c.item_id)
            .select_from(SR)
            .join(table, and_(table.c.coordinator_id == SR.c.coordinator_id, table.c.round_id == SR.c.id))
            .where(*_round_filter(scope), SR.c.means_only.is_(means_only), table.c.deleted.is_(False))
            .group_by(table.c.coordinator_id, table.c.round_id, SR.c.instrument_id, table.c.item_id)
        )
        rows: Any = conn.execute(stmt)
        for coordinator_id, round_id, instrument_id, item_id in rows:
            code = _code(known, instrument_id, item_id)
            if code is not None:
                found[(coordinator_id, round_id)].add(code)
    shared: dict[frozenset[str], frozenset[str]] = {}
    return {key: shared.setdefault(frozenset(codes), frozenset(codes)) for key, codes in found.items()}


def surveys(conn: Connection, scope: Scope, lang: str) -> list[InstrumentPools]:
    """Each instrument's pools by period (the scope's total) and by row of the level, and over the span."""
    known, pools = pool_data(conn, scope, lang, {"p": period_dim(scope), "r": level_dim(scope.level)})
    out: list[InstrumentPools] = []
    for instrument_id, (instrument, name, _codes) in known.items():
        found = InstrumentPools(instrument_id, instrument, name)
        total = PoolData()
        for (dim, iid, key), data in pools.items():
            if iid != instrument_id:
                continue
            if dim == "p":
                found.series[cast(PeriodKey, key)] = score_pool(instrument, data)
                total.merge(data)
            else:
                found.rows[cast(str, key)] = score_pool(instrument, data)
        found.total = score_pool(instrument, total)
        out.append(found)
    out.sort(key=lambda p: (SHOWN_KINDS.index(p.instrument.kind), p.name))
    return out


def _sum_counts(conn: Connection, scope: Scope, name: str, dim: Dim, known: dict, pools: Pools) -> None:
    SR, SC = DATA["survey_rounds"], DATA["survey_counts"]
    joined = and_(SC.c.coordinator_id == SR.c.coordinator_id, SC.c.round_id == SR.c.id)
    where = [*_round_filter(scope), SR.c.means_only.is_(False), SC.c.deleted.is_(False)]
    sums = (
        select(SR.c.instrument_id, *dim.columns, SC.c.item_id, SC.c.option, func.sum(SC.c.count))
        .select_from(SR)
        .join(SC, joined)
        .where(*where)
        .group_by(SR.c.instrument_id, *dim.group, SC.c.item_id, SC.c.option)
    )
    summed: Any = conn.execute(sums)
    for instrument_id, *keys, item_id, option, total in summed:
        code = _code(known, instrument_id, item_id)
        if code is not None:
            by_option = pools[(name, instrument_id, dim.key(keys))].counts.setdefault(code, {})
            by_option[option] = by_option.get(option, 0) + int(total)


def _sum_means(conn: Connection, scope: Scope, name: str, dim: Dim, known: dict, pools: Pools) -> None:
    SR, SM = DATA["survey_rounds"], DATA["survey_means"]
    sums = (
        select(
            SR.c.instrument_id,
            *dim.columns,
            SM.c.item_id,
            func.sum(SM.c.mean_milli * SM.c.n),
            func.sum(SM.c.n),
        )
        .select_from(SR)
        .join(SM, and_(SM.c.coordinator_id == SR.c.coordinator_id, SM.c.round_id == SR.c.id))
        .where(*_round_filter(scope), SR.c.means_only.is_(True), SM.c.deleted.is_(False))
        .group_by(SR.c.instrument_id, *dim.group, SM.c.item_id)
    )
    averaged: Any = conn.execute(sums)
    for instrument_id, *keys, item_id, weighted, n in averaged:
        code = _code(known, instrument_id, item_id)
        if code is None:
            continue
        pool = (name, instrument_id, dim.key(keys))
        target = pools[pool].means.setdefault(code, [0.0, 0])
        target[0] += float(weighted) / 1000
        target[1] += int(n)


def _code(known: dict, instrument_id: str, item_id: str) -> str | None:
    found = known.get(instrument_id)
    return found[2].get(item_id) if found else None


def latest_day(pools: list[InstrumentPools]) -> dt.date | None:
    days = [p.total.latest for p in pools if p.total is not None and p.total.latest]
    return max(days) if days else None
