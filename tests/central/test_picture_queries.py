"""The national picture's read models on a small merged database written row by row
(tests/central/picture_data.py): every figure against the number worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect

from app.central.pdf import central_pdf
from app.central.picture import activity, deployments, indicators, surveys
from app.central.picture.names import Names
from app.central.picture.rows import Ask, figure_rows
from app.central.picture.scope import Scope
from app.central.schema import DATA, open_target
from app.central.summary import Span
from app.exchange import format as fmt
from app.pdf.text import Texts
from app.store.seeds import item_id
from tests.central import picture_data as pd
from tests.reports.pdftools import lines

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    engine = pd.build(str(tmp_path_factory.mktemp("picture") / "kansallinen.sqlite3"))
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def scope(**kw) -> Scope:
    return Scope.parse({**pd.SPAN, **kw}, TODAY)


def phases(counts: dict) -> dict:
    return {p: n for p, n in counts.items() if n}


def test_deployments_by_phase_on_the_spans_last_day_roll_up_from_counties_to_the_country(conn):
    by_county = deployments.phase_map(deployments.timelines(conn, scope(level="county")), scope(level="county"), pd.DAY)
    assert {k: phases(v) for k, v in by_county.rows.items()} == {
        "helsinki": {"training": 1, "pilot": 1},
        "hus": {"in_use": 1},
        "pohjois-savo": {"ended": 1},  # the deleted deployment of the same unit is not counted
    }
    s = scope(level="area")
    by_area = deployments.phase_map(deployments.timelines(conn, s), s, pd.DAY)
    assert {k: phases(v) for k, v in by_area.rows.items()} == {
        "etela-suomi": {"training": 1, "pilot": 1, "in_use": 1},
        "ita-suomi": {"ended": 1},
    }
    country = deployments.phase_map(deployments.timelines(conn, scope(level="country")), scope(level="country"), pd.DAY)
    summed = {p: sum(r.get(p, 0) for r in by_area.rows.values()) for p in country.total}
    assert phases(country.rows[""]) == phases(summed) == {"training": 1, "pilot": 1, "in_use": 1, "ended": 1}
    # The map: county x method.
    assert phases(country.cells[("helsinki", pd.M2)]) == {"training": 1}


def test_phases_at_each_months_end_follow_the_history(conn):
    s = scope()
    trend = deployments.phase_trend(deployments.timelines(conn, s), s.periods(), TODAY)
    assert [phases(c) for c in trend] == [
        {"training": 1, "in_use": 1},  # dA2 not planned yet, dC1 not yet
        {"planned": 1, "training": 1, "in_use": 1},
        {"planned": 1, "pilot": 1, "in_use": 1},
        {"planned": 2, "pilot": 1, "in_use": 1},
        {"planned": 1, "training": 1, "pilot": 1, "in_use": 1},
        {"training": 1, "pilot": 1, "in_use": 1, "ended": 1},
    ]


def test_time_in_phase_counts_the_stays_that_ended_in_the_span_and_those_going_on(conn):
    s = scope()
    times = {t.phase: t for t in deployments.time_in_phase(deployments.timelines(conn, s), s, pd.DAY)}
    assert sorted(times["planned"].ended) == [70, 101, 103] and times["planned"].median_ended == 101
    assert times["training"].ended == (50,) and times["training"].ongoing == (46,)
    assert times["in_use"].ended == () and times["in_use"].ongoing == (394,)  # dB1's earlier stays ended before the span
    assert times["ended"].ongoing == ()


def test_events_held_and_planned_by_area_add_up_to_the_country(conn):
    tally = activity.events(conn, scope(level="area"))
    assert tally.row_totals == {
        "etela-suomi": {"planned": 5, "held": 3, "people": 25},
        "ita-suomi": {"planned": 1, "held": 1, "people": 2},
    }
    assert tally.total == {"planned": 6, "held": 4, "people": 27}  # e4 after the span, e5 deleted
    assert tally.at((2026, 1)) == {"planned": 2, "held": 1, "people": 6}
    assert tally.at((2026, 6)) == {"planned": 0, "held": 0, "people": 0}
    quarters = activity.events(conn, scope(grain="quarter"))
    assert quarters.at((2026, 1)) == {"planned": 4, "held": 2, "people": 13}
    assert quarters.at((2026, 2)) == {"planned": 2, "held": 2, "people": 14}


def test_events_per_method_count_an_event_under_each_method_it_names(conn):
    tally = activity.events(conn, scope(level="method"))
    assert tally.row_totals == {
        pd.M1: {"planned": 4, "held": 3, "people": 15},
        pd.M2: {"planned": 1, "held": 1, "people": 7},
    }
    assert tally.total == {"planned": 6, "held": 4, "people": 27}  # not the sum of the method rows
    assert activity.events(conn, scope(method=pd.M1)).total == {"planned": 4, "held": 3, "people": 15}


def test_people_guided_are_distinct_per_period_and_over_the_span(conn):
    tally = activity.guidance(conn, scope(level="area"))
    assert tally.total == {"sessions": 5, "minutes": 345, "people": 4}  # g5 deleted
    assert tally.row_totals["etela-suomi"] == {"sessions": 4, "minutes": 225, "people": 4}
    assert [tally.at((2026, m))["people"] for m in range(1, 7)] == [2, 1, 1, 1, 0, 0]  # 5 by month, 4 people
    by_quarter = activity.guidance(conn, scope(grain="quarter"))
    assert by_quarter.at((2026, 1))["people"] == 3 and by_quarter.at((2026, 2))["people"] == 1
    by_method = activity.guidance(conn, scope(level="method"))
    assert by_method.row_totals == {
        pd.M1: {"sessions": 4, "minutes": 300, "people": 3},
        pd.M2: {"sessions": 1, "minutes": 45, "people": 1},
    }


def pooled(found, key):
    return {p.instrument.key: p for p in found}[key]


def test_nomad_is_pooled_from_counts_and_small_rounds_are_left_out(conn):
    nomad = pooled(surveys.surveys(conn, scope(level="area"), "fi"), "nomad-20")
    coherence = nomad.total.score.group("coherence")
    # (148 + 92) / (37 + 24) valid answers: not the mean of the rounds' 4.00 and 3.83, and without
    # the 4-person round whose answers were all "strongly disagree".
    assert coherence.n == 61 and coherence.mean == pytest.approx(240 / 61)
    assert nomad.total.rounds == 2 and nomad.total.respondents == 16
    assert nomad.series[(2026, 3)].score.group("coherence").mean == pytest.approx(4.0)
    assert (2026, 4) not in nomad.series  # only the small round in April
    assert nomad.rows["etela-suomi"].score.group("coherence").mean == pytest.approx(4.0)
    assert nomad.rows["ita-suomi"].score.group("coherence").mean == pytest.approx(92 / 24)
    assert nomad.total.score.group("collective_action").mean is None  # no item of it asked


def test_sus_is_pooled_by_respondents_not_averaged_by_round(conn):
    sus = pooled(surveys.surveys(conn, scope(), "fi"), "sus")
    assert sus.series[(2026, 2)].score.score == pytest.approx(80)
    assert sus.series[(2026, 5)].score.score == pytest.approx(50)
    assert sus.total.score.score == pytest.approx(60)  # (5 x 80 + 10 x 50) / 15, not 65
    assert sus.total.respondents == 15


def test_a_construct_is_not_pooled_over_rounds_that_asked_different_items(tmp_path):
    engine = pd.build(str(tmp_path / "kansallinen.sqlite3"))
    key = "r6"  # June: C asks Coherence without CO4
    rows = {"survey_rounds": [pd.row("survey_rounds", pd.C, id=pd.ids(key), instrument_id=pd.NOMAD, method_id=pd.M1,
                                     date=dt.date(2026, 6, 10), answered=5, tool="manual")],
            "survey_counts": [pd.row("survey_counts", pd.C, id=pd.ids(f"{key}:{code}"), round_id=pd.ids(key),
                                     item_id=item_id("nomad-20", code), option="a", count=5) for code in ("CO1", "CO2", "CO3")]}  # fmt: skip
    with engine.begin() as c:
        for table, found in rows.items():
            c.execute(DATA[table].insert(), found)
        nomad = pooled(surveys.surveys(c, scope(level="area"), "fi"), "nomad-20")
    engine.dispose()
    assert nomad.series[(2026, 6)].score.group("coherence").mean == pytest.approx(4.0)  # one round: its own items
    assert nomad.total.score.group("coherence").mean is None  # CO4 asked by some rounds only
    assert nomad.rows["etela-suomi"].score.group("coherence").mean == pytest.approx(4.0)  # untouched there
    assert nomad.rows["ita-suomi"].score.group("coherence").mean is None


def test_the_rows_behind_a_figure_are_the_rows_it_counts(conn):
    names = Names(conn, Texts("fi"))
    s = scope(level="area")
    held = Ask.parse({"figure": "events", "row": "etela-suomi", "status": "held"}, s)
    found = figure_rows(conn, held, names, Texts("fi"), TODAY)
    assert found.total == 3
    assert [r[3] for r in found.rows] == ["Tapahtuma e1", "Tapahtuma e2", "Tapahtuma e7"]
    assert found.rows[1][1] == "Anna Testinen" and found.rows[1][2] == "Helsingin kaupunki"
    assert found.rows[1][6] == "Yksikkö uA1, Yksikkö uA2" and found.rows[1][7] == "Menetelmä Kaksi, Menetelmä Yksi"
    month = Ask.parse({"figure": "guidance", "period": "2026-01"}, s)
    assert figure_rows(conn, month, names, Texts("fi"), TODAY).total == 1
    pilots = Ask.parse({"figure": "deployments", "phase": "pilot"}, s)
    rows = figure_rows(conn, pilots, names, Texts("fi"), TODAY).rows
    assert rows == [("Anna Testinen", "Helsingin kaupunki", "Yksikkö uA1", "Menetelmä Yksi", "Pilotti", "1.3.2026")]
    rounds = Ask.parse({"figure": "surveys", "instrument": pd.NOMAD}, s)
    assert figure_rows(conn, rounds, names, Texts("fi"), TODAY).total == 2  # the small round is not listed


def test_a_bad_filter_falls_back_to_its_default():
    s = Scope.parse(
        {"from": "2026-13", "to": "x", "level": "planet", "grain": "week", "county": "narnia", "method": "'; --"}, TODAY
    )
    assert (s.level, s.grain, s.county, s.method) == ("county", "month", "", "")
    assert (s.start, s.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    county = Scope.parse({"county": "lappi", "area": "etela-suomi"}, TODAY)
    assert county.area == "pohjois-suomi"  # a county lies in one area


def test_indicators_add_up_counts_never_medians_and_judge_goals_in_their_direction(conn):
    found = {line.spec.key: line for line in indicators.lines(conn, scope(level="county"), "fi")}
    trained, days = found["professionals_trained"], found["median_days_to_start"]
    # 3 + 4 (February saved again: the later figure counts) + 5 + 1; August is after the span.
    assert trained.total.value == 13 and trained.series[(2026, 2)].value == 4
    assert {k: v.value for k, v in trained.rows.items()} == {"helsinki": 7, "hus": 5, "pohjois-savo": 1}
    assert days.total.value is None and days.total.why.value == "medians"  # two units' medians in March
    assert {k: v.value for k, v in days.rows.items()} == {"helsinki": 20, "hus": 10}  # one unit each: its own
    # Trained: 7 >= 5 achieved (Helsinki), 1 < 10 not (Pohjois-Savo); days: 20 > 13 not, 10 <= 13 achieved.
    assert (trained.goals["helsinki"].achieved, trained.goals["pohjois-savo"].behind) == (1, 1)
    assert (days.goals["helsinki"].behind, days.goals["hus"].achieved) == (1, 1)
    assert (days.goals_total.total, days.goals_total.achieved) == (2, 1)


def test_an_older_merged_database_gets_the_pictures_indexes_when_opened(tmp_path):
    target = str(tmp_path / "vanha.sqlite3")
    open_target(target).dispose()
    engine = open_target(target)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_events_date_span")
        conn.exec_driver_sql("DROP INDEX ix_survey_counts_pooled")
    engine.dispose()
    open_target(target).dispose()  # opened for writing: upgraded in place
    engine = open_target(target, read_only=True)
    found = {i["name"] for t in ("events", "survey_counts") for i in inspect(engine).get_indexes(t)}
    engine.dispose()
    assert {"ix_events_date_span", "ix_survey_counts_pooled"} <= found


def test_the_pdf_of_an_older_merged_database_read_as_it_is_leaves_out_what_it_lacks(tmp_path):
    target = str(tmp_path / "vanha.sqlite3")
    pd.build(target).dispose()
    engine = open_target(target)
    with engine.begin() as c:  # as a version-1 database: no office tables, no survey or indicator files
        for table in ("office_roster", "office_settings", *(t.name for t in fmt.TABLES if t.since > 1)):
            c.exec_driver_sql(f'DROP TABLE "{table}"')
        c.exec_driver_sql("UPDATE koordi_central SET value = '1' WHERE key = 'schema_version'")
    engine.dispose()
    engine = open_target(target, read_only=True)
    with engine.connect() as c:
        text = lines(central_pdf(c, Span(dt.date(2026, 1, 1), dt.date(2026, 6, 30)), "fi", TODAY).data)
    engine.dispose()
    assert "Kehitys 1.1.2026–30.6.2026, kuukausittain" in text and "Pidetyt ja suunnitellut tapahtumat jaksoittain" in text
    assert "Raportointi 1.1.2026–30.6.2026" not in text and "Koulutetut ammattilaiset" not in text
    assert "4,00 (n 37)" not in text
