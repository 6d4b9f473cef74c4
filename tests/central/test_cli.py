"""`koordi central`: the office's window (or serve without a display), the database remembered,
and `koordi central reporting`'s refusals; every message translated."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import cli


@pytest.fixture
def runner():
    return CliRunner()


def test_without_a_database_and_nothing_remembered_it_says_what_to_give(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = runner.invoke(cli, ["central", "--data-dir", str(tmp_path)], env={"KOORDI_LANG": "en"})
    assert result.exit_code == 1
    assert result.output.startswith("Error: Which merged database? Give it once with --db")
    fi = runner.invoke(cli, ["central", "serve", "--data-dir", str(tmp_path)], env={"KOORDI_LANG": "fi"})
    assert "Virhe: Mikä yhdistetty tietokanta?" in fi.output


def test_the_window_opens_on_the_office_app_and_remembers_the_database(runner, tmp_path, monkeypatch, central_db):
    from app import desktop

    opened = {}

    def fake_run(folder, on_loaded=None, *, factory=None, title="Koordi"):
        app = factory({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
        opened.update(folder=folder, title=title, target=app.extensions["koordi.central.target"])
        app.extensions["koordi.on_close"]()
        return 0

    monkeypatch.setattr("app.central.cli.has_display", lambda: True)
    monkeypatch.setattr(desktop, "run", fake_run)
    result = runner.invoke(cli, ["central", "--db", str(central_db), "--data-dir", str(tmp_path)], env={"KOORDI_LANG": "sv"})
    assert result.exit_code == 0, result.output
    assert opened == {"folder": tmp_path / "central", "title": "Koordi centralkontoret", "target": str(central_db)}
    assert json.loads((tmp_path / "central" / "office.json").read_text(encoding="utf-8"))["target"] == str(central_db)
    again = runner.invoke(cli, ["central", "--data-dir", str(tmp_path)])  # the remembered database
    assert again.exit_code == 0 and opened["target"] == str(central_db)


def test_a_bad_database_in_the_window_is_one_message(runner, tmp_path, monkeypatch):
    from app import desktop

    shown = []
    monkeypatch.setattr("app.central.cli.has_display", lambda: True)
    monkeypatch.setattr(desktop, "show_message", shown.append)
    monkeypatch.setattr(desktop, "run", lambda *a, **kw: pytest.fail("no window for a bad database"))
    result = runner.invoke(
        cli, ["central", "--db", str(tmp_path / "no" / "such.sqlite3"), "--data-dir", str(tmp_path)], env={"KOORDI_LANG": "en"}
    )
    assert result.exit_code == 1
    assert shown == [f"Error: The folder {tmp_path / 'no'} does not exist."]


def test_reporting_refuses_bad_months_and_a_missing_database(runner, tmp_path, central_db):
    env = {"KOORDI_LANG": "en"}
    base = ["central", "reporting", "--data-dir", str(tmp_path)]
    missing = runner.invoke(cli, [*base, "--db", str(tmp_path / "none.sqlite3")], env=env)
    assert missing.exit_code == 1 and f"{tmp_path / 'none.sqlite3'} does not exist." in missing.output
    assert not (tmp_path / "none.sqlite3").exists()
    month = runner.invoke(cli, [*base, "--db", str(central_db), "--from", "2026-13"], env=env)
    assert month.exit_code == 1 and "--from: 2026-13 is not a month; write it as YYYY-MM." in month.output
    order = runner.invoke(cli, [*base, "--db", str(central_db), "--from", "2026-05", "--to", "2026-04"], env=env)
    assert order.exit_code == 1 and "--to (2026-04) is before --from (2026-05)." in order.output
    fmt = runner.invoke(cli, [*base, "--db", str(central_db), "--format", "xml"], env=env)
    assert fmt.exit_code == 2
    ok = runner.invoke(cli, [*base, "--db", str(central_db), "--from", "2026-11", "--to", "2026-11"], env=env)
    assert ok.exit_code == 0, ok.output
    assert len(ok.output.splitlines()) == 1 + 4  # the header and the four coordinators' November


def test_help_is_in_finnish_by_default_and_follows_koordi_lang(runner):
    """`koordi central --help` and its commands' help speak the CLI's language, like the rest of
    `koordi`: Finnish when KOORDI_LANG is not set, Swedish or English when it says so."""
    default = {"KOORDI_LANG": None}  # not set: Finnish

    def shown(args: list[str], env: dict) -> str:
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())  # click wraps long help lines

    group = shown(["central", "--help"], default)
    assert "Keskustoimiston Koordi: ketkä ovat raportoineet" in group
    assert "Yhdistetty tietokanta: SQLite-tiedosto" in group  # --db
    assert "Käynnistä keskustoimiston Koordi" in group  # the serve command's line
    serve = shown(["central", "serve", "--help"], default)
    assert "0 valitsee vapaan portin." in serve and "without a window" not in serve
    report = shown(["central", "reporting", "--help"], default)
    assert "Ensimmäinen kuukausi (oletus: kaksitoista jaksoa taaksepäin)." in report
    assert "Yksi rivi koordinaattoria ja jaksoa kohden" in report
    assert "csv: Koordin CSV-muoto." in report
    assert "First month" not in report and "One row per" not in report
    top = shown(["--help"], default)
    assert "central Keskustoimiston Koordi" in top
    sv = shown(["central", "reporting", "--help"], {"KOORDI_LANG": "sv"})
    assert "Första månaden (standard: tolv perioder bakåt)." in sv and "En rad per koordinator och period" in sv
    en = shown(["central", "serve", "--help"], {"KOORDI_LANG": "en"})
    assert "Serve the office's Koordi on 127.0.0.1 without a window" in en
