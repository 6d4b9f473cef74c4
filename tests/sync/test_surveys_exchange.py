"""The survey files of export format 2: small rounds stay on the laptop in the central office's
file, version 1 files still import, and the central office's merge stores the rounds."""

from __future__ import annotations

from sqlalchemy import func, select

from app.central.merge import MergeOptions, merge_files
from app.central.schema import DATA, SCHEMA_VERSION, meta_table, open_target
from app.exchange import format as fmt
from app.exchange import problems as P
from app.models import SurveyCount, SurveyMean, SurveyRound
from app.sync import history
from app.sync.export import prepare_export
from app.sync.importer import apply_import, plan_import, read_for_import
from tests.sync.helpers import add_profile, fill_sample, repack, rows_of

V2_FILES = [name for name in fmt.FILE_NAMES if name not in fmt.file_names(1)]


def sample(store):
    add_profile(store)
    return fill_sample(store)


def test_the_central_offices_file_leaves_a_round_under_five_out_and_a_copy_keeps_it(store):
    ids = sample(store)
    with store.Session() as s:
        central = prepare_export(s, history.CENTRAL, full=True)
        copy = prepare_export(s, history.COPY)
    sent = {row["id"] for row in rows_of(central.data, "survey_rounds.csv")}
    kept = {row["id"] for row in rows_of(copy.data, "survey_rounds.csv")}
    assert ids["round"] in sent and ids["small_round"] not in sent
    assert {ids["round"], ids["small_round"]} <= kept
    # Nothing of the small round travels: not its units, not its means.
    assert all(row["round_id"] != ids["small_round"] for row in rows_of(central.data, "survey_round_units.csv"))
    assert rows_of(central.data, "survey_means.csv") == []
    assert len(rows_of(copy.data, "survey_means.csv")) == 1


def test_a_small_round_the_coordinator_shared_goes_to_the_central_office(store):
    ids = sample(store)
    with store.Session() as s:
        s.get(SurveyRound, ids["small_round"]).share_small = True
        s.commit()
        central = prepare_export(s, history.CENTRAL, full=True)
    assert ids["small_round"] in {row["id"] for row in rows_of(central.data, "survey_rounds.csv")}
    assert len(rows_of(central.data, "survey_means.csv")) == 1


def test_rounds_and_counts_arrive_in_an_empty_install(store, new_store):
    sample(store)
    with store.Session() as s:
        data = prepare_export(s, history.COPY).data
    target = new_store("target")
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, data))
        assert plan.ok, plan.problems
        apply_import(target, plan)
    with target.Session() as s:
        assert s.scalar(select(func.count()).select_from(SurveyRound)) == 2
        assert s.scalar(select(func.sum(SurveyCount.count))) == 10
        assert s.scalar(select(SurveyMean.mean_milli)) == 4333


def as_version_1(data: bytes) -> bytes:
    def older(manifest: dict) -> None:
        manifest["schema_version"] = 1
        for name in V2_FILES:
            manifest["files"].pop(name)

    return repack(data, {name: None for name in V2_FILES}, manifest=older)


def test_a_version_1_file_still_imports(store, new_store):
    sample(store)
    with store.Session() as s:
        data = as_version_1(prepare_export(s, history.COPY).data)
    target = new_store("target")
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, data))
        assert plan.ok, plan.problems
        apply_import(target, plan)
    with target.Session() as s:
        assert s.scalar(select(func.count()).select_from(SurveyRound)) == 0


def test_a_version_2_file_without_its_survey_files_is_refused_naming_them(store):
    sample(store)
    with store.Session() as s:
        data = prepare_export(s, history.COPY).data
        broken = repack(data, {"survey_counts.csv": None})
        plan = plan_import(s, read_for_import(s, broken))
    assert not plan.ok
    assert (P.MISSING_MEMBER, "survey_counts.csv") in {(p.code, p.file) for p in plan.problems}


def test_the_central_office_merges_the_rounds(store, tmp_path):
    ids = sample(store)
    with store.Session() as s:
        path = tmp_path / "central.zip"
        path.write_bytes(prepare_export(s, history.CENTRAL, full=True).data)
    engine = open_target(str(tmp_path / "merged.sqlite3"))
    try:
        report = merge_files(engine, [path], MergeOptions())
        assert report.merged and not report.refused
        with engine.connect() as conn:
            rounds = {row.id for row in conn.execute(select(DATA["survey_rounds"].c.id))}
            counted = conn.scalar(select(func.sum(DATA["survey_counts"].c.count)))
    finally:
        engine.dispose()
    assert rounds == {ids["round"]} and counted == 10


def test_an_older_central_database_gets_the_survey_tables_when_merged_into(tmp_path):
    target = str(tmp_path / "old.sqlite3")
    engine = open_target(target)
    with engine.begin() as conn:
        for name in (
            "survey_skips",
            "survey_means",
            "survey_counts",
            "survey_round_units",
            "survey_rounds",
            "instrument_items",
            "instruments",
        ):
            DATA[name].drop(conn)
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="1"))
    engine.dispose()
    read_only = open_target(target, read_only=True)  # read as it is: the summary reads no survey table
    read_only.dispose()
    engine = open_target(target)
    try:
        with engine.connect() as conn:
            version = conn.scalar(select(meta_table.c.value).where(meta_table.c.key == "schema_version"))
            conn.execute(select(func.count()).select_from(DATA["survey_counts"]))
    finally:
        engine.dispose()
    assert version == str(SCHEMA_VERSION)
