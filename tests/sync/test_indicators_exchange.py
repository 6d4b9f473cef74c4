"""Indicators in the export format (version 2): the catalogue, monthly figures, goals' indicator
columns and deployment phases' reasons travel; an older file without the added columns still
reads and never overwrites them; the central office's merge stores the figures exactly."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.central.merge import MergeOptions, merge_files
from app.central.schema import DATA, open_target
from app.exchange import format as fmt
from app.goals import ops as goals
from app.models import Goal, Indicator, MonthlyFigure, PhaseChange
from app.store.seeds import indicator_id
from app.sync import history
from app.sync.export import prepare_export
from app.sync.importer import apply_import, plan_import, read_for_import
from tests.common import IPC
from tests.sync.helpers import add_profile, fill_sample, manifest_of, rows_of, with_rows

MEDIAN = indicator_id("median_days_to_start")
TRAINED = indicator_id("professionals_trained")
ADDED_COLUMNS = {
    "goals.csv": ["indicator_id", "direction", "days", "counted_from"],
    "deployment_phases.csv": ["reason", "reason_text"],
}


def sample(store) -> dict[str, str]:
    add_profile(store)
    ids = fill_sample(store)
    with store.Session() as s:
        s.add_all(
            [
                MonthlyFigure(
                    indicator_id=MEDIAN, unit_id=ids["unit"], method_id=IPC, month=dt.date(2026, 3, 1), value_milli=12_345, n=41
                ),
                MonthlyFigure(
                    indicator_id=TRAINED, unit_id=ids["unit"], method_id=IPC, month=dt.date(2026, 4, 1), value_milli=3_000
                ),
            ]
        )
        own = Indicator(
            name_fi="Oma mittari", measure="percent", direction="higher", additive=False, per_method=False, takes_days=True
        )
        s.add(own)
        goal = goals.create_goal(
            s,
            goals.GoalData(
                "Odotus alle 13 päivää", 13, unit_id=ids["unit"], method_id=IPC, indicator_id=MEDIAN, direction="lower"
            ),
        )
        phase = s.scalars(select(PhaseChange).where(PhaseChange.deployment_id == ids["deployment"])).first()
        phase.reason, phase.reason_text = "resources", "Ei resursseja tänä vuonna."
        s.commit()
        ids.update(own=own.id, indicator_goal=goal.id, phase=phase.id)
    return ids


def figures(store) -> list[tuple]:
    with store.Session() as s:
        stmt = select(MonthlyFigure.indicator_id, MonthlyFigure.unit_id, MonthlyFigure.method_id, MonthlyFigure.month)
        stmt = stmt.add_columns(MonthlyFigure.value_milli, MonthlyFigure.n, MonthlyFigure.days).order_by(MonthlyFigure.month)
        return sorted(tuple(row) for row in s.execute(stmt))


def import_into(target, data: bytes):
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, data))
        assert plan.ok, plan.problems
        apply_import(target, plan)


def test_the_catalogue_figures_and_goal_links_arrive_in_an_empty_install(store, new_store):
    ids = sample(store)
    with store.Session() as s:
        data = prepare_export(s, history.COPY).data
    assert {"indicators.csv", "monthly_figures.csv"} <= set(manifest_of(data)["files"])
    seeded = {row["key"] for row in rows_of(data, "indicators.csv") if row["key"]}
    assert seeded == {
        "professionals_trained",
        "treatments_started",
        "median_days_to_start",
        "share_started_within",
        "waiting_list",
    }
    assert {"12345", "3000"} <= {row["value_milli"] for row in rows_of(data, "monthly_figures.csv")}
    target = new_store("target")
    import_into(target, data)
    assert figures(target) == figures(store)
    with target.Session() as s:
        goal = s.get(Goal, ids["indicator_goal"])
        assert (goal.indicator_id, goal.direction) == (MEDIAN, "lower")
        assert s.get(Indicator, ids["own"]).takes_days
        phase = s.get(PhaseChange, ids["phase"])
        assert (phase.reason, phase.reason_text) == ("resources", "Ei resursseja tänä vuonna.")


def without_added_columns(data: bytes) -> bytes:
    """The file as a Koordi before these columns wrote it."""
    for file, names in ADDED_COLUMNS.items():

        def drop(header, rows, names=names):
            keep = [i for i, name in enumerate(header) if name not in names]
            return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]

        data = with_rows(data, file, drop)
    return data


def test_a_file_without_the_added_columns_reads_with_defaults_and_never_overwrites_them(store, new_store):
    ids = sample(store)
    with store.Session() as s:
        older = without_added_columns(prepare_export(s, history.COPY).data)
    # Into an empty install: the rows arrive with the columns' defaults.
    target = new_store("target")
    import_into(target, older)
    with target.Session() as s:
        goal = s.get(Goal, ids["indicator_goal"])
        assert (goal.indicator_id, goal.direction, goal.days) == (None, "higher", None)
        assert s.get(PhaseChange, ids["phase"]).reason == ""
    # Over the install that has them, with newer stamps: every other column updates, these stay.
    with store.Session() as s:
        s.get(Goal, ids["indicator_goal"]).title = "Uusi otsikko"
        s.get(PhaseChange, ids["phase"]).changed_on = dt.date(2026, 2, 2)
        s.commit()
        newer = without_added_columns(prepare_export(s, history.COPY).data)
    with store.Session() as s:
        s.get(Goal, ids["indicator_goal"]).title = "Vanha otsikko"
        s.execute(Goal.__table__.update().values(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        s.execute(PhaseChange.__table__.update().values(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        s.commit()
    import_into(store, newer)
    with store.Session() as s:
        goal = s.get(Goal, ids["indicator_goal"])
        assert (goal.title, goal.indicator_id, goal.direction) == ("Uusi otsikko", MEDIAN, "lower")
        phase = s.get(PhaseChange, ids["phase"])
        assert (phase.changed_on, phase.reason, phase.reason_text) == (
            dt.date(2026, 2, 2),
            "resources",
            "Ei resursseja tänä vuonna.",
        )


def test_a_bad_figure_is_refused_naming_its_cell(store):
    sample(store)
    with store.Session() as s:
        data = prepare_export(s, history.COPY).data

        def negative(header, rows):
            rows[0][header.index("value_milli")] = "-5"
            return header, rows

        plan = plan_import(s, read_for_import(s, with_rows(data, "monthly_figures.csv", negative)))
    assert not plan.ok
    assert ("monthly_figures.csv", "value_milli", fmt.OUT_OF_RANGE) in {(p.file, p.column, p.code) for p in plan.problems}


def test_the_central_office_merges_figures_exactly_and_an_older_file_never_blanks_the_added_columns(store, tmp_path):
    ids = sample(store)
    with store.Session() as s:
        s.execute(Goal.__table__.update().values(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)))
        s.commit()
        (tmp_path / "a.zip").write_bytes(prepare_export(s, history.CENTRAL, full=True).data)
        s.get(Goal, ids["indicator_goal"]).title = "Uusi otsikko"
        s.commit()
        (tmp_path / "b.zip").write_bytes(without_added_columns(prepare_export(s, history.CENTRAL, full=True).data))
    engine = open_target(str(tmp_path / "merged.sqlite3"))
    try:
        report = merge_files(engine, [tmp_path / "a.zip", tmp_path / "b.zip"], MergeOptions())
        assert len(report.merged) == 2 and not report.refused
        with engine.connect() as conn:
            figures_table, goals_table, indicators_table = DATA["monthly_figures"], DATA["goals"], DATA["indicators"]
            merged = sorted(conn.execute(select(figures_table.c.value_milli, figures_table.c.month, figures_table.c.n)))
            goal = conn.execute(select(goals_table).where(goals_table.c.id == ids["indicator_goal"])).one()
            seeded = conn.scalar(select(func.count()).select_from(indicators_table).where(indicators_table.c.key.is_not(None)))
    finally:
        engine.dispose()
    assert {(3000, dt.date(2026, 4, 1), None), (12345, dt.date(2026, 3, 1), 41)} <= set(merged)  # exact thousandths
    assert (goal.title, goal.indicator_id, goal.direction) == ("Uusi otsikko", MEDIAN, "lower")
    assert seeded == 5


def test_a_version_1_file_has_neither_the_indicator_files_nor_the_added_columns_and_imports(store, new_store):
    from tests.sync.test_surveys_exchange import as_version_1

    ids = sample(store)
    with store.Session() as s:
        data = as_version_1(without_added_columns(prepare_export(s, history.COPY).data))
    assert "monthly_figures.csv" not in manifest_of(data)["files"]
    target = new_store("target")
    import_into(target, data)
    with target.Session() as s:
        assert s.scalar(select(func.count()).select_from(MonthlyFigure)) == 0
        goal = s.get(Goal, ids["indicator_goal"])
        assert (goal.title, goal.direction, goal.indicator_id) == ("Odotus alle 13 päivää", "higher", None)
