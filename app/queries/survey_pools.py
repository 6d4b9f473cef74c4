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

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.core import instruments as core
from app.models import InstrumentItem, SurveyCount, SurveyMean, SurveyRound
from app.queries import survey_results as q
from app.queries.survey_cache import memo


def _round_ids(f: q.Filter):
    return q._round_stmt(f).with_only_columns(SurveyRound.id).order_by(None)


def _half_columns():
    year = func.cast(func.strftime("%Y", SurveyRound.date), type_=SurveyRound.answered.type)
    half = case((func.strftime("%m", SurveyRound.date) <= "06", 1), else_=2)
    return year, half


def county_results(s: Session, f: q.Filter, lang: str, shown: int) -> q.Results:
    """The filter's rounds by instrument: pooled over all of them and by half-year from SQL sums,
    with the newest `shown` rounds of each instrument read whole (oldest first)."""
    m = memo(s)
    generation = m.generation
    key = ("county", f, lang, shown)
    cached = m.get(key)
    if cached is not None:
        return cached
    found = _county_results(s, f, lang, shown)
    m.put(key, found, generation)
    return found


def _county_results(s: Session, f: q.Filter, lang: str, shown: int) -> q.Results:
    ids = _round_ids(f)
    metas = list(
        s.execute(
            select(SurveyRound.id, SurveyRound.instrument_id, SurveyRound.date, SurveyRound.answered, SurveyRound.means_only)
            .where(SurveyRound.id.in_(ids))
            .order_by(SurveyRound.date, SurveyRound.created_at, SurveyRound.id)
        )
    )
    if not metas:
        return q.Results([], [])
    instruments = q._instruments(s, {row.instrument_id for row in metas})
    items = select(InstrumentItem.id, InstrumentItem.code).where(InstrumentItem.instrument_id.in_(list(instruments)))
    codes: dict[str, str] = {item_id: code for item_id, code in s.execute(items)}
    sets = _item_sets(s, ids, codes)
    year, half = _half_columns()
    pools: dict[tuple[str, q.Half], q.PoolData] = defaultdict(q.PoolData)
    for round_id, instrument_id, day, answered, means_only in metas:
        pools[(instrument_id, q.Half.of(day))].add_meta(answered, means_only, sets.get(round_id, frozenset()), day)
    counts = (
        select(SurveyRound.instrument_id, year, half, SurveyCount.item_id, SurveyCount.option, func.sum(SurveyCount.count))
        .join(SurveyRound, SurveyRound.id == SurveyCount.round_id)
        .where(SurveyCount.deleted.is_(False), SurveyCount.round_id.in_(ids), SurveyRound.means_only.is_(False))
        .group_by(SurveyRound.instrument_id, year, half, SurveyCount.item_id, SurveyCount.option)
    )
    for instrument_id, y, h, item_id, option, total in s.execute(counts):
        code = codes.get(item_id)
        if code is not None:
            by_option = pools[(instrument_id, q.Half(int(y), h))].counts.setdefault(code, {})
            by_option[option] = by_option.get(option, 0) + int(total)
    means = (
        select(SurveyRound.instrument_id, year, half, SurveyMean.item_id, func.sum(SurveyMean.mean_milli * SurveyMean.n), func.sum(SurveyMean.n))
        .join(SurveyRound, SurveyRound.id == SurveyMean.round_id)
        .where(SurveyMean.deleted.is_(False), SurveyMean.round_id.in_(ids), SurveyRound.means_only.is_(True))
        .group_by(SurveyRound.instrument_id, year, half, SurveyMean.item_id)
    )
    for instrument_id, y, h, item_id, weighted, n in s.execute(means):
        code = codes.get(item_id)
        if code is not None:
            sums = pools[(instrument_id, q.Half(int(y), h))].means.setdefault(code, [0.0, 0])
            sums[0] += weighted / 1000
            sums[1] += n
    newest: dict[str, list[str]] = defaultdict(list)
    for row in reversed(metas):
        if len(newest[row.instrument_id]) < shown:
            newest[row.instrument_id].append(row.id)
    listed = q.load_rounds(s, q.Filter(), ids=[i for rows in newest.values() for i in rows])
    by_instrument = q.by_instrument(listed)
    out = []
    for instrument_id, instrument in instruments.items():
        halves = sorted(h for i, h in pools if i == instrument_id)
        total = q.PoolData()
        for h in halves:
            total.merge(pools[(instrument_id, h)])
        out.append(
            q.InstrumentResults(
                instrument_id,
                instrument,
                None,
                by_instrument.get(instrument_id, []),
                q.score_pool(instrument, total),
                [(h, q.score_pool(instrument, pools[(instrument_id, h)])) for h in halves],
                rounds_total=len(total.answered),
            )
        )
    return q.Results(listed, sorted(out, key=q.order_key(lang)), small_total=sum(1 for row in metas if row.answered < core.SMALL_ROUND))


def _item_sets(s: Session, ids, codes: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each round's asked items (its counts' or its means' items), as codes: one row per round."""
    out: dict[str, set[str]] = defaultdict(set)
    for model in (SurveyCount, SurveyMean):
        # group_concat(DISTINCT …) over the (round_id, deleted, item_id, …) index: no table rows read
        asked = func.group_concat(model.item_id.distinct())
        stmt = select(model.round_id, asked).where(model.deleted.is_(False), model.round_id.in_(ids)).group_by(model.round_id)
        for round_id, item_ids in s.execute(stmt):
            out[round_id].update(codes[i] for i in item_ids.split(",") if i in codes)
    return {round_id: frozenset(found) for round_id, found in out.items()}
