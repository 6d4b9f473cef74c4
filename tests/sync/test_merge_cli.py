"""`koordi merge` run as the central office runs it (a subprocess): progress, the summary, the CSV,
refused files, bad targets, exit codes and messages in Finnish, Swedish and English."""

from __future__ import annotations

import re
import subprocess
import sys

from app.central.schema import SCHEMA_VERSION, meta_table, open_target
from app.store import DB_NAME
from tests.conftest import ROOT, koordi_env
from tests.sync.helpers import bad_checksum


def koordi(*args, lang: str = "en", timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        env=koordi_env(KOORDI_LANG=lang),
        cwd=ROOT,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_merge_prints_progress_and_the_summary_and_writes_the_csv(tmp_path, merge_exports):
    files = merge_exports.latest
    target = tmp_path / "keskus.sqlite3"
    out = tmp_path / "yhteenveto.csv"
    result = koordi("merge", *files, "--into", target, "--summary", out, lang="fi")
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == len(files)
    assert re.match(
        r"\[1/7\] A_full_.*: Testi Koordinaattori A \(Länsi-Uusimaa\), [\d\s]+ riviä: [\d\s]+ uutta, 0 muuttunutta", progress[0]
    )
    lines = result.stdout.splitlines()
    assert lines[1].split()[:2] == ["Hyvinvointialue", "Koordinaattorit"]
    assert any(line.startswith("Länsi-Uusimaa ") and line.split()[1] == "2" for line in lines)
    assert any(line.startswith("Yhteensä ") and line.split()[1] == "4" for line in lines)
    assert f"Yhteenveto tallennettu: {out}." in result.stdout
    assert lines[-1] == f"7 tiedostosta 7 yhdistetty tietokantaan {target}."
    assert out.read_bytes().startswith(b"\xef\xbb\xbflevel;county;county_name;")
    again = koordi("merge", *files, "--into", target, lang="sv")
    assert again.returncode == 0, again.stderr
    assert "0 nya, 0 ändrade" in again.stderr and "(sammanslagen redan " in again.stderr
    assert "Välfärdsområde" in again.stdout and again.stdout.rstrip().endswith(f"7 av 7 filer sammanslagna i {target}.")


def test_a_refused_file_is_named_with_its_reasons_and_the_exit_code_is_3(tmp_path, merge_exports):
    good = merge_exports["B"].files["full"]
    data = good.read_bytes()
    broken = tmp_path / "rikki.zip"
    broken.write_bytes(bad_checksum(data))
    target = tmp_path / "keskus.sqlite3"
    result = koordi("merge", broken, good, "--into", target)
    no_traceback(result)
    assert result.returncode == 3
    assert (
        "Error: rikki.zip: units.csv: the file's checksum does not match the manifest: it was changed or damaged after the export"
    ) in result.stderr
    assert "[1/2] rikki.zip: refused, 1 problems; nothing of it was written" in result.stderr
    assert "Error: 1 files were refused and nothing of them was written; see the reasons above." in result.stderr
    assert result.stdout.rstrip().endswith(f"Merged 1 of 2 files into {target}.")


def test_warnings_name_file_line_and_column(tmp_path, merge_exports):
    result = koordi("merge", merge_exports["A"].files["incremental"], "--into", tmp_path / "k.sqlite3", lang="fi")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"Varoitus: A_incremental_.*\.zip: event_methods\.csv, rivi \d+, sarake method_id: viittaa tiedoston "
        r"methods\.csv riviin, jota ei ole yhdessäkään",
        result.stderr,
    )
    assert "eikä tältä koordinaattorilta ole yhdistetty aiempaa tiedostoa" in result.stderr


def test_bad_targets_and_options_are_one_sentence_and_exit_1(tmp_path, merge_exports, template_db):
    file = merge_exports["B"].files["full"]
    coordinator = tmp_path / "oma"
    coordinator.mkdir()
    (coordinator / DB_NAME).write_bytes(template_db.read_bytes())
    newer = tmp_path / "newer.sqlite3"
    engine = open_target(str(newer))
    with engine.begin() as conn:
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="99"))
    engine.dispose()
    cases = [
        (["--into", coordinator / DB_NAME], "is not a Koordi central database (it holds other data)"),
        (
            ["--into", newer],
            f"was made by a newer Koordi (central database version 99; this Koordi knows up to {SCHEMA_VERSION})",
        ),
        (["--into", tmp_path / "no" / "such" / "k.sqlite3"], f"The folder {tmp_path / 'no' / 'such'} does not exist."),
        (
            ["--into", "postgresql://nobody:secret@127.0.0.1:1/keskus"],
            "Cannot open the database postgresql://nobody:***@127.0.0.1:1/keskus",
        ),
        (["--into", "mysql://x@localhost/db"], "Koordi merges into an SQLite file or a PostgreSQL database only."),
        (
            ["--into", tmp_path / "k.sqlite3", "--from", "2026-12-01", "--to", "2026-01-01"],
            "--to (2026-01-01) is before --from (2026-12-01).",
        ),
        (["--into", tmp_path / "k.sqlite3", "--from", "31.2."], "--from: 31.2. is not a date; write it as YYYY-MM-DD."),
    ]
    for args, message in cases:
        result = koordi("merge", file, *args)
        no_traceback(result)
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.startswith("Error: ") and message in result.stderr, (args, result.stderr)
        assert "secret" not in result.stderr
    assert not (tmp_path / "k.sqlite3").exists()  # a bad option stops before the target is made
    sv = koordi("merge", file, "--into", coordinator / DB_NAME, lang="sv")
    assert sv.returncode == 1 and "är inte en central Koordi-databas" in sv.stderr


def test_merge_into_postgresql_from_the_command_line(pg_url, merge_exports, tmp_path):
    url = pg_url().replace("postgresql+psycopg://", "postgresql://")  # the plain URL a person types
    files = [merge_exports["C"].files["full"], merge_exports["D"].files["full"]]
    first = koordi("merge", *files, "--into", url, "--summary", tmp_path / "s.csv")
    assert first.returncode == 0, first.stderr
    assert first.stdout.rstrip().endswith(f"Merged 2 of 2 files into {url}.")
    again = koordi("merge", *reversed(files), "--into", url)
    assert again.returncode == 0 and again.stderr.count(" 0 new, 0 changed") == 2
    report = koordi("report", "central", "--db", url, "--out", tmp_path / "k.pdf")
    assert report.returncode == 0, report.stderr
    assert (tmp_path / "k.pdf").read_bytes().startswith(b"%PDF")


def test_a_big_file_gets_a_progress_bar(tmp_path, merge_exports, monkeypatch, capsys):
    from app.central import merge_cli

    monkeypatch.setattr(merge_cli, "BAR_FROM", 100)
    engine = open_target(str(tmp_path / "k.sqlite3"))
    try:
        from app.central.merge import MergeOptions, merge_files

        merge_files(engine, [merge_exports["B"].files["full"]], MergeOptions(), progress=merge_cli._CliProgress())
    finally:
        engine.dispose()
    err = capsys.readouterr().err
    assert "Kirjoitetaan B_full_" in err or "Writing B_full_" in err or "Skriver B_full_" in err
    assert "[1/1] B_full_" in err


def test_report_central_needs_a_central_database(tmp_path, template_db):
    missing = koordi("report", "central", "--db", tmp_path / "none.sqlite3")
    assert missing.returncode == 1 and f"{tmp_path / 'none.sqlite3'} does not exist." in missing.stderr
    no_db = koordi("report", "central")
    assert no_db.returncode == 1 and "Name the merged database with --db" in no_db.stderr
    no_traceback(missing)
