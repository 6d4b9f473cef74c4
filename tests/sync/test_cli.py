"""koordi export | import on real data folders, run as the user runs them (a subprocess)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.exchange import format as fmt
from app.store import Store
from app.store.lock import InstanceLock
from app.sync import history
from tests.conftest import ROOT, koordi_env
from tests.sync.helpers import add_profile, counts, digest, fill_sample, manifest_of, open_store, with_rows


def koordi(*args: str, cwd: Path = ROOT, lang: str = "en", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=koordi_env(KOORDI_LANG=lang),
        cwd=cwd,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def folder(template_db, tmp_path) -> Path:
    """A data folder with a coordinator profile and a sample of every table (closed)."""
    store = open_store(template_db, tmp_path / "data")
    add_profile(store)
    fill_sample(store)
    store.dispose()
    return tmp_path / "data"


def sync_entries(folder: Path):
    store = Store.attach(folder)
    try:
        with store.Session() as s:
            return history.sync_history(s)
    finally:
        store.dispose()


def test_export_with_the_default_name_into_the_current_folder(folder, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = koordi("export", "--data-dir", str(folder), cwd=out)
    assert result.returncode == 0, result.stderr
    [made] = list(out.iterdir())
    assert re.fullmatch(r"koordi_lansi-uusimaa_testi-koordinaattori_\d{8}-\d{4}\.zip", made.name)
    assert f"to {made}" in result.stdout and "(full, without notes, without names)" in result.stdout
    assert "Recorded as sent to the central office" in result.stdout
    doc = manifest_of(made.read_bytes())
    assert doc["kind"] == "full" and not doc["notes_included"] and not doc["names_included"]
    [entry] = sync_entries(folder)
    assert entry.purpose == "central" and entry.file_name == made.name and entry.recipient == "keskus@example.org"


def test_export_out_copy_and_no_overwrite(folder, tmp_path):
    target = tmp_path / "kopio.zip"
    result = koordi("export", "--copy", "--out", str(target), "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    doc = manifest_of(target.read_bytes())
    assert doc["kind"] == "full" and doc["notes_included"] and doc["names_included"]
    assert "Recorded as sent" not in result.stdout
    again = koordi("export", "--out", str(target), "--data-dir", str(folder), lang="fi")
    assert again.returncode == 1 and "on jo olemassa" in again.stderr and "Traceback" not in again.stderr
    assert [e.purpose for e in sync_entries(folder)] == ["copy"]  # the refused export was not recorded
    help_text = koordi("export", "--help").stdout
    assert "--copy" in help_text and "central office" in help_text


def test_export_while_koordi_is_open_on_the_folder(folder, tmp_path):
    lock = InstanceLock(folder)
    assert lock.acquire()
    try:
        result = koordi("export", "--full", "--include-notes", "--out", str(tmp_path), "--data-dir", str(folder))
    finally:
        lock.release()
    assert result.returncode == 0, result.stderr
    [made] = list(tmp_path.glob("koordi_*.zip"))
    assert manifest_of(made.read_bytes())["notes_included"]


def test_export_without_a_profile_or_a_database(template_db, tmp_path):
    store = open_store(template_db, tmp_path / "empty")
    store.dispose()
    result = koordi("export", "--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "x.zip"), lang="fi")
    assert result.returncode == 1 and "Täytä ensin omat tietosi" in result.stderr
    assert not (tmp_path / "x.zip").exists()
    result = koordi("export", "--data-dir", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.zip"))
    assert result.returncode == 1 and "No database in" in result.stderr


def test_import_dry_run_then_real_then_again(folder, tmp_path):
    made = tmp_path / "siirto.zip"
    assert koordi("export", "--copy", "--out", str(made), "--data-dir", str(folder)).returncode == 0
    target = tmp_path / "new-laptop"
    dry = koordi("import", str(made), "--dry-run", "--data-dir", str(target))
    assert dry.returncode == 0, dry.stderr
    assert re.search(r"units\.csv\s+3\s+3\s+0\s+0\s+0", dry.stdout)
    assert "Dry run: the file is valid; nothing was written." in dry.stdout
    assert not (target / "koordi.sqlite3").exists()  # a dry run leaves the folder as it was
    real = koordi("import", str(made), "--data-dir", str(target), lang="fi")
    assert real.returncode == 0, real.stderr
    assert "Tämä Koordi kuuluu nyt" in real.stdout and "Testi Koordinaattori (Länsi-Uusimaa)" in real.stdout
    assert "Varmuuskopio tiedoista ennen tuontia" in real.stdout
    assert re.search(r"Tiedosto\s+Rivejä\s+Uusia\s+Päivitetty\s+Ennallaan\s+Poistettu", real.stdout)
    before = digest(target / "koordi.sqlite3")
    twice = koordi("import", str(made), "--data-dir", str(target))
    assert twice.returncode == 0 and "Nothing to change" in twice.stdout
    assert digest(target / "koordi.sqlite3") == before


def test_import_of_a_bad_file_lists_the_problems_and_writes_nothing(folder, tmp_path):
    made = tmp_path / "central.zip"
    assert koordi("export", "--out", str(made), "--data-dir", str(folder)).returncode == 0

    def spoil(header, rows):
        rows[0][header.index("date")] = "31.2."
        rows[0][header.index("value")] = "4,5"
        return header, rows

    bad = tmp_path / "bad.zip"
    bad.write_bytes(with_rows(made.read_bytes(), "goal_updates.csv", spoil))
    target = tmp_path / "target"
    target.mkdir()
    Store.open(target).dispose()
    before = digest(target / "koordi.sqlite3")
    result = koordi("import", str(bad), "--data-dir", str(target))
    assert result.returncode == 1
    assert "Error: goal_updates.csv, line 2, column date: not a date YYYY-MM-DD (31.2.)" in result.stderr
    assert "Error: goal_updates.csv, line 2, column value: not a whole number (4,5)" in result.stderr
    assert "Nothing was imported: the file has 2 problems." in result.stderr and "Traceback" not in result.stderr
    dry = koordi("import", str(bad), "--dry-run", "--data-dir", str(target), lang="sv")
    assert dry.returncode == 1 and "goal_updates.csv, rad 2, kolumn date: inte ett datum ÅÅÅÅ-MM-DD (31.2.)" in dry.stderr
    assert digest(target / "koordi.sqlite3") == before and not list((target / "backups").glob("*pre-import*"))


def test_import_is_refused_while_koordi_is_open_and_for_a_missing_file(folder, tmp_path):
    made = tmp_path / "x.zip"
    assert koordi("export", "--out", str(made), "--data-dir", str(folder)).returncode == 0
    lock = InstanceLock(folder)
    assert lock.acquire()
    try:
        result = koordi("import", str(made), "--data-dir", str(folder))
    finally:
        lock.release()
    assert result.returncode == 1 and "already open" in result.stderr
    missing = koordi("import", str(tmp_path / "nope.zip"), "--data-dir", str(folder), lang="fi")
    assert missing.returncode == 1 and "ei ole luettavissa oleva tiedosto" in missing.stderr


def test_demo_data_moves_to_an_empty_folder_with_every_row(tmp_path):
    demo = tmp_path / "demo"
    assert koordi("demo", "--data-dir", str(demo)).returncode == 0
    made = tmp_path / "demo.zip"
    exported = koordi("export", "--copy", "--out", str(made), "--data-dir", str(demo))
    assert exported.returncode == 0, exported.stderr
    target = tmp_path / "target"
    imported = koordi("import", str(made), "--data-dir", str(target))
    assert imported.returncode == 0, imported.stderr
    source_store, target_store = Store.attach(demo), Store.attach(target)
    try:
        assert counts(target_store) == counts(source_store)
        assert all(counts(target_store)[spec.name] > 0 for spec in fmt.TABLES)
    finally:
        source_store.dispose()
        target_store.dispose()
