"""`koordi survey import FILE …`: prints the counts and scores it would save; --dry-run saves
nothing; a real run saves the round and its counts; problems and unknown columns save nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import create_app
from app.cli import cli
from app.models import Setting, SurveyRound
from app.store import Store
from tests.common import IPC, add, unit_row
from tests.surveys.entry_data import CODE, NOMAD, data_files
from tests.surveys.test_import import csv_bytes, table, xlsx_bytes


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A closed data folder with two units."""
    data = tmp_path / "data"
    data.mkdir()
    app = create_app({"DATA_DIR": data, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    add(app, unit_row("Kivikylän terveysasema"), unit_row("Björkbacka hälsostation"))
    app.extensions["koordi.store"].dispose()
    return data


def koordi(folder: Path, *args: str, monkeypatch=None):
    return CliRunner().invoke(cli, [*args, "--data-dir", str(folder)], env={"KOORDI_LANG": "en"}, catch_exceptions=False)


def rounds(folder: Path) -> list[SurveyRound]:
    store = Store.attach(folder)
    try:
        with store.Session() as s:
            return list(s.query(SurveyRound).all())
    finally:
        store.dispose()


def survey_file(tmp_path: Path, rows, name="vastaukset.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows))
    return path


def args(path: Path, *more: str) -> list[str]:
    return [
        "survey",
        "import",
        str(path),
        "--unit",
        "Kivikylän terveysasema",
        "--instrument",
        "nomad-20",
        "--date",
        "2026-06-15",
        *more,
    ]


def test_a_dry_run_prints_counts_and_scores_and_saves_nothing(folder, tmp_path):
    path = survey_file(tmp_path, [row[1:] for row in table()])
    before = data_files(folder)
    result = koordi(folder, *args(path, "--dry-run"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Read vastaukset.csv: CSV, utf-8-sig, cells separated by ;." in out
    assert "Rows of answers: 10; respondents: 10." in out
    assert (
        "  CO1: Strongly agree 3, Agree 4, Neither agree nor disagree 1, Not relevant to my role 1, "
        "Not relevant at this stage 1, not answered 0" in out
    )
    assert "  Coherence: 4,00 (n 37)" in out and "  CO2: 3,67 (n 9)" in out
    assert "Dry run: nothing was saved." in out
    assert rounds(folder) == []
    new = data_files(folder) - before
    # Koordi's own files only (the lock, a start-up backup of the database); none holds the file's rows
    assert all(f.startswith(("koordi.sqlite3", "koordi.lock", "backups/koordi-")) for f in new), new
    row = ";".join(table()[1][1:3]).encode()
    assert not [f for f in new if row in (folder / f).read_bytes()]


def test_a_real_run_saves_the_round_with_its_units_and_method(folder, tmp_path):
    path = survey_file(tmp_path, [row[1:] for row in table()], "vastaukset.xlsx")
    result = koordi(
        folder,
        *args(path, "--unit", "Björkbacka", "--method", "Interpersonal counselling IPC", "--tool", "zef", "--invited", "12"),
    )
    assert result.exit_code == 0, result.output
    assert "Excel workbook, sheet Vastaukset" in result.output
    (rnd,) = rounds(folder)
    assert (rnd.answered, rnd.invited, rnd.tool, rnd.method_id, str(rnd.date)) == (10, 12, "zef", IPC, "2026-06-15")
    assert f"Saved the survey round {rnd.id}: 10 respondents." in result.output
    store = Store.attach(folder)
    try:
        with store.Session() as s:
            from app.models import SurveyCount, SurveyRoundUnit

            assert len(s.query(SurveyRoundUnit).filter_by(round_id=rnd.id).all()) == 2
            total = sum(c.count for c in s.query(SurveyCount).filter_by(round_id=rnd.id, deleted=False))
            assert total == 40  # 4 items × 10 respondents, blanks included
    finally:
        store.dispose()


def test_unknown_columns_are_named_and_nothing_is_saved_until_mapped(folder, tmp_path):
    path = survey_file(tmp_path, table({"CP1": ["Ehkä"] * 10}))
    result = koordi(folder, *args(path))
    assert result.exit_code == 1
    assert "Column A (Vastaajan ID): which item is it?" in result.output
    assert "CP1: which answer option is “Ehkä”?" in result.output
    assert "map these once on Koordi's import page" in result.output
    assert rounds(folder) == []
    # mapped once on the import page (the remembered Setting): then the command reads it
    store = Store.attach(folder)
    with store.WriteSession() as s:
        s.add(
            Setting(
                key=f"survey_mapping:{NOMAD}",
                value=json.dumps({"columns": {"Vastaajan ID": None}, "answers": {"CP1": {"Ehkä": "n"}}}),
            )
        )
        s.commit()
    store.dispose()
    result = koordi(folder, *args(path))
    assert result.exit_code == 0, result.output
    assert "  CP1: Neither agree nor disagree 10, not answered 0" in result.output
    assert len(rounds(folder)) == 1


def test_a_bad_file_or_option_saves_nothing(folder, tmp_path):
    rows = [row[1:] for row in table()]
    rows[3][1] = CODE
    result = koordi(folder, *args(survey_file(tmp_path, rows)))
    assert result.exit_code == 1
    assert "vastaukset.csv, line 4, column B (CO2): the answer contains a personal identity code" in result.output
    assert CODE not in result.output and "Nothing was imported: the file has 1 problems." in result.output
    good = survey_file(tmp_path, [row[1:] for row in table()], "hyva.csv")
    for extra, message in [
        (["--date", "15.6.2026"], "--date: 15.6.2026 is not a date; write it as YYYY-MM-DD."),
        (["--unit", "Ei ole"], "No unit matches Ei ole."),
        (["--method", "Ei menetelmää"], "No method matches Ei menetelmää."),
        (["--instrument", "nomad-99"], "No instrument matches nomad-99."),
    ]:
        result = koordi(folder, *args(good, *extra))
        assert result.exit_code == 1 and message in result.output, (extra, result.output)
    result = koordi(
        folder, "survey", "import", str(tmp_path / "ei-ole.csv"), "--unit", "x", "--instrument", "sus", "--date", "2026-01-01"
    )
    assert result.exit_code == 1 and "is not a file that can be read" in result.output
    assert rounds(folder) == []
