"""The county's results page at scale: its pooled figures summed in SQL, not round by round.

A county with hundreds of units has thousands of rounds and hundreds of thousands of counts;
reading and scoring each round to pool them would take seconds. Here SQLite sums the counts
per instrument, half-year, item and option (and the means-only rounds' Σ mean·n, Σ n), Python
reads each round's size and item set, and survey_results.score_pool scores each pool exactly
as it scores rounds pooled from their own counts (one rule: tests compare the two). Only the
rounds the page lists are read and scored one by one (through the memo). The whole page's
figures are kept in the memo until the database next changes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from app.core import instruments as core
from app.models import InstrumentItem, Method, SurveyCount, SurveyMean, SurveyRound
from app.queries import survey_results as q
from app.queries.survey_cache import memo


def _round_ids(f: q.Filter):
    return q._round_stmt(f).with_only_columns(SurveyRound.id).order_by(None)


def _half_columns():
    year = func.cast(func.strftime("%Y", SurveyRound.date), type_=SurveyRound.answered.type)
    half = case((func.strftime("%m", SurveyRound.date) <= "06", 1), else_=2)
    return year, half


def county_results(s: Session, f: q.Filter, lang: str, shown: int) -> q.Results:
    """The filter's rounds by instrument (and, for one unit, by method too: a unit's trend is its
    own per method): pooled over all of them and by half-year from SQL sums, with the newest
    `shown` rounds of each read whole (oldest first)."""
    m = memo(s)
    generation = m.generation
    key = ("county", f, lang, shown)
    cached = m.get(key)
    if cached is not None:
        return cached
    found = _county_results(s, f, lang, shown, per_method=bool(f.unit_id))
    m.put(key, found, generation)
    return found


Group = tuple[str, str]  # (instrument id, method id or "")


def _county_results(s: Session, f: q.Filter, lang: str, shown: int, per_method: bool) -> q.Results:
    ids = _round_ids(f)
    metas = list(
        s.execute(
            select(
                SurveyRound.id,
                SurveyRound.instrument_id,
                SurveyRound.method_id,
                SurveyRound.date,
                SurveyRound.answered,
                SurveyRound.means_only,
            )
            .where(SurveyRound.id.in_(ids))
            .order_by(SurveyRound.date, SurveyRound.created_at, SurveyRound.id)
        )
    )
    if not metas:
        return q.Results([], [])

    def group_of(instrument_id: str, method_id: str | None) -> Group:
        return instrument_id, (method_id or "") if per_method else ""

    instruments = q._instruments(s, {row.instrument_id for row in metas})
    items = select(InstrumentItem.id, InstrumentItem.code).where(InstrumentItem.instrument_id.in_(list(instruments)))
    codes: dict[str, str] = {item_id: code for item_id, code in s.execute(items)}
    sets = _item_sets(s, ids, codes)
    pools: dict[tuple[Group, q.Half], q.PoolData] = defaultdict(q.PoolData)
    for row in metas:
        group = group_of(row.instrument_id, row.method_id)
        pools[(group, q.Half.of(row.date))].add_meta(row.answered, row.means_only, sets.get(row.id, frozenset()), row.date)
    year, half = _half_columns()
    method: Any = SurveyRound.method_id if per_method else literal("")
    counts = (
        select(
            SurveyRound.instrument_id, method, year, half, SurveyCount.item_id, SurveyCount.option, func.sum(SurveyCount.count)
        )
        .join(SurveyRound, SurveyRound.id == SurveyCount.round_id)
        .where(SurveyCount.deleted.is_(False), SurveyCount.round_id.in_(ids), SurveyRound.means_only.is_(False))
        .group_by(SurveyRound.instrument_id, method, year, half, SurveyCount.item_id, SurveyCount.option)
    )
    summed: Any = s.execute(counts)  # (instrument, method, year, half, item, option, Σ count)
    for instrument_id, method_id, y, h, item_id, option, total in summed:
        code = codes.get(item_id)
        if code is not None:
            by_option = pools[(group_of(instrument_id, method_id), q.Half(int(y), h))].counts.setdefault(code, {})
            by_option[option] = by_option.get(option, 0) + int(total)
    weighted, n = func.sum(SurveyMean.mean_milli * SurveyMean.n), func.sum(SurveyMean.n)
    means = (
        select(SurveyRound.instrument_id, method, year, half, SurveyMean.item_id, weighted, n)
        .join(SurveyRound, SurveyRound.id == SurveyMean.round_id)
        .where(SurveyMean.deleted.is_(False), SurveyMean.round_id.in_(ids), SurveyRound.means_only.is_(True))
        .group_by(SurveyRound.instrument_id, method, year, half, SurveyMean.item_id)
    )
    weighted_means: Any = s.execute(means)  # (instrument, method, year, half, item, Σ mean‰·n, Σ n)
    for instrument_id, method_id, y, h, item_id, mean_sum, n_sum in weighted_means:
        code = codes.get(item_id)
        if code is not None:
            sums = pools[(group_of(instrument_id, method_id), q.Half(int(y), h))].means.setdefault(code, [0.0, 0])
            sums[0] += mean_sum / 1000
            sums[1] += n_sum
    newest: dict[Group, list[str]] = defaultdict(list)
    for row in reversed(metas):
        group = group_of(row.instrument_id, row.method_id)
        if len(newest[group]) < shown:
            newest[group].append(row.id)
    listed = q.load_rounds(s, q.Filter(), ids=[i for rows in newest.values() for i in rows])
    listed_by: dict[Group, list[q.RoundResult]] = defaultdict(list)
    for r in listed:
        listed_by[group_of(r.round.instrument_id, r.round.method_id)].append(r)
    methods = {mm.id: mm for mm in s.scalars(select(Method).where(Method.id.in_({g[1] for g, _h in pools if g[1]})))}
    out = []
    for group in sorted({g for g, _h in pools}):
        instrument = instruments[group[0]]
        halves = sorted(h for g, h in pools if g == group)
        total = q.PoolData()
        for h in halves:
            total.merge(pools[(group, h)])
        out.append(
            q.InstrumentResults(
                group[0],
                instrument,
                methods.get(group[1]),
                listed_by.get(group, []),
                q.score_pool(instrument, total),
                [(h, q.score_pool(instrument, pools[(group, h)])) for h in halves],
                rounds_total=len(total.answered),
            )
        )
    small = sum(1 for row in metas if row.answered < core.SMALL_ROUND)
    return q.Results(listed, sorted(out, key=q.order_key(lang)), small_total=small)


def _item_sets(s: Session, ids, codes: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each round's asked items (its counts' or its means' items), as codes: one row per round."""
    out: dict[str, set[str]] = defaultdict(set)
    for model in (SurveyCount, SurveyMean):
        # group_concat(DISTINCT …) over the (round_id, deleted, item_id, …) index: no table rows read
        asked = func.group_concat(model.item_id.distinct())
        stmt = select(model.round_id, asked).where(model.deleted.is_(False), model.round_id.in_(ids)).group_by(model.round_id)
        found: Any = s.execute(stmt)
        for round_id, item_ids in found:
            out[round_id].update(codes[i] for i in item_ids.split(",") if i in codes)
    return {round_id: frozenset(found) for round_id, found in out.items()}
