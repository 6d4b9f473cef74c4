"""`koordi report …` on `koordi demo` data: the files it writes, its one-sentence errors
(exit 1), and that it only reads (it runs while Koordi holds the data folder)."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.store import DB_NAME
from app.store.lock import InstanceLock
from tests.reports.conftest import ASA, UNIT_NAME
from tests.reports.pdftools import lines, page_labels


@pytest.fixture
def run(marked_dir, monkeypatch, tmp_path):
    """The command from tmp_path, its messages in English (as KOORDI_LANG=en gives them when the
    process starts); without KOORDI_LANG the documents are Finnish."""
    monkeypatch.delenv("KOORDI_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    from app.cli import common

    monkeypatch.setattr(common, "messages_language", lambda: "en")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["report", *args, "--data-dir", str(marked_dir)])

    return invoke


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_period_report_to_the_current_folder(run, tmp_path, today, marked_dir):
    before = digest(marked_dir / DB_NAME)
    result = run("period")
    assert result.exit_code == 0, result.output
    saved = tmp_path / f"kausiraportti_{today.year}-01-01_{today.year}-12-31.pdf"
    assert result.output.strip() == f"Saved {saved} (pages: {len(page_labels(saved.read_bytes()))})."
    assert lines(saved.read_bytes())[:2] == ["Kausiraportti", f"Vuosi {today.year} (1.1.{today.year}–31.12.{today.year})"]
    again = run("period")  # never over a file the user kept
    assert again.exit_code == 0 and (tmp_path / saved.name.replace(".pdf", " (2).pdf")).exists()
    assert digest(marked_dir / DB_NAME) == before  # read-only: not one byte changed
    assert not (marked_dir / "backups").exists() or not any((marked_dir / "backups").iterdir())


def test_swedish_quarter_with_out(run, tmp_path, today):
    out = tmp_path / "q2.pdf"
    result = run("period", "--from", f"{today.year}-04-01", "--to", f"{today.year}-06-30", "--lang", "sv", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert lines(out.read_bytes())[:2] == ["Periodrapport", f"Kvartal 2/{today.year} (1.4.{today.year}–30.6.{today.year})"]


def test_unit_by_name_part_and_by_id(run, tmp_path, marked_dir):
    result = run("unit", "--unit", "merkkilän", "--out", "u.pdf")
    assert result.exit_code == 0, result.output
    assert UNIT_NAME in lines((tmp_path / "u.pdf").read_bytes())[1]
    import sqlite3

    conn = sqlite3.connect(marked_dir / DB_NAME)
    unit_id = conn.execute("SELECT id FROM units WHERE name = ?", (UNIT_NAME,)).fetchone()[0]
    conn.close()
    assert run("unit", "--unit", unit_id, "--out", "v.pdf").exit_code == 0


def test_attestation_and_signin(run, tmp_path, marked_dir):
    result = run("attestation", "--trainee", "öhman", "--include-notes", "--out", "a.pdf")
    assert result.exit_code == 0, result.output
    assert ASA in lines((tmp_path / "a.pdf").read_bytes())
    import sqlite3

    conn = sqlite3.connect(marked_dir / DB_NAME)
    event_id = conn.execute("SELECT id FROM events ORDER BY date DESC LIMIT 1").fetchone()[0]
    conn.close()
    result = run("signin", "--event", event_id, "--rows", "12", "--out", "s.pdf")
    assert result.exit_code == 0, result.output
    assert lines((tmp_path / "s.pdf").read_bytes())[0] == "Osallistujalista"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("unit",), "Error: Name the unit with --unit (its name, part of it, or its id)."),
        (("unit", "--unit", "no such unit anywhere"), "Error: No unit matches no such unit anywhere."),
        (("period", "--from", "2026-13-01"), "Error: --from: 2026-13-01 is not a date; write it as YYYY-MM-DD."),
        (("period", "--from", "2026-05-01", "--to", "2026-04-30"), "Error: --to (2026-04-30) is before --from (2026-05-01)."),
        (("period", "--from", "2019-01-01", "--to", "2026-01-01"), "Error: A period can be at most 60 months long."),
        (("period", "--lang", "de"), "Error: --lang must be fi, sv or en; de is not."),
        (("attestation", "--trainee", "Nobody Atall"), "Error: No trainee matches Nobody Atall."),
        (("signin", "--event", "nope"), "Error: No event has the id nope."),
        (("signin", "--event", "nope", "--rows", "many"), "Error: --rows must be a whole number from 1 to 200; many is not."),
    ],
)
def test_errors_are_one_sentence_and_exit_1(run, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.strip() == message


def test_a_name_matching_several_units_lists_them(run, marked_dir):
    result = run("unit", "--unit", "terveysasema")
    assert result.exit_code == 1
    first = result.output.strip().splitlines()[0]
    assert first.startswith("Error: terveysasema matches several: ") and first.endswith("Give more of the name, or the id.")
    assert first.count("(") >= 2  # names with their ids, to pick from


def test_runs_while_koordi_holds_the_folder(run, marked_dir, tmp_path):
    lock = InstanceLock(marked_dir)
    assert lock.acquire()
    try:
        assert run("period", "--out", "locked.pdf").exit_code == 0
    finally:
        lock.release()


def test_no_database(monkeypatch, tmp_path):
    from app.cli import common

    monkeypatch.setattr(common, "messages_language", lambda: "en")
    result = CliRunner().invoke(cli, ["report", "period", "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "nothing to report yet" in result.output
