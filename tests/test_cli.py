"""The command line contract: koordi serve | check | backup | restore, and bad arguments."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from app.store import Store, migrate
from tests.conftest import ROOT, koordi_env, start_server


def koordi(*args: str, data_dir: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=koordi_env(data_dir),
        cwd=ROOT,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_serve_prints_one_line_with_the_tokened_url(live_server):
    assert live_server.url.startswith(f"http://127.0.0.1:{live_server.port}/?token=")
    assert len(live_server.token) >= 32


def test_serve_honours_port_and_data_dir_env(tmp_path: Path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path / "from-env"
    server = start_server([sys.executable, "-m", "app", "serve", "--port", str(port)], koordi_env(folder))
    try:
        assert server.port == port
        assert (folder / "koordi.sqlite3").exists()
    finally:
        assert server.stop() in (0, -15)


def test_second_serve_on_the_same_data_dir_is_refused(live_server, data_dir: Path):
    result = koordi("serve", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "already open" in result.stderr
    assert f"127.0.0.1:{live_server.port}" in result.stderr
    assert live_server.token not in result.stderr  # the message never shows the secret
    assert "Traceback" not in result.stderr


def test_check_reports_integrity_and_schema(data_dir: Path):
    Store.open(data_dir).dispose()
    result = koordi("check", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert "Integrity: ok" in result.stdout
    assert migrate.head() in result.stdout


def test_check_fails_on_a_newer_schema_without_touching_it(data_dir: Path):
    Store.open(data_dir).dispose()
    db = data_dir / "koordi.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num='9999_future'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = koordi("check", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "newer" in result.stderr
    serve = koordi("serve", "--data-dir", str(data_dir))
    assert serve.returncode == 1 and "newer version of Koordi" in serve.stderr
    assert "Traceback" not in serve.stderr
    assert db.read_bytes() == before


def test_check_fails_on_a_damaged_file(data_dir: Path):
    (data_dir / "koordi.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    result = koordi("check", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "Integrity:" in result.stdout


def test_backup_then_restore_from_the_command_line(data_dir: Path):
    store = Store.open(data_dir)
    store.set_setting("marker", "before")
    store.dispose()
    made = koordi("backup", "--data-dir", str(data_dir))
    assert made.returncode == 0, made.stderr
    backup_file = Path(made.stdout.strip())
    assert backup_file.parent == data_dir / "backups" and backup_file.exists()

    store = Store.open(data_dir)
    store.set_setting("marker", "after")
    store.dispose()
    back = koordi("restore", str(backup_file), "--data-dir", str(data_dir))
    assert back.returncode == 0, back.stderr
    store = Store.open(data_dir)
    assert store.setting("marker") == "before"
    store.dispose()


def test_restore_is_refused_while_koordi_runs(live_server, data_dir: Path):
    backup_file = data_dir / "backups" / "whatever.sqlite3"
    result = koordi("restore", str(backup_file), "--data-dir", str(data_dir))
    assert result.returncode == 1 and "already open" in result.stderr


def test_restore_of_a_missing_file_says_so(data_dir: Path):
    result = koordi("restore", str(data_dir / "nope.sqlite3"), "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert "nope.sqlite3" in result.stderr and "Traceback" not in result.stderr


def test_bad_arguments_give_usage_and_nonzero_exit(data_dir: Path):
    for args in (["serve", "--port", "abc"], ["serve", "--port", "70000"], ["frobnicate"], ["restore"], ["serve", "--bogus"]):
        result = koordi(*args, "--data-dir", str(data_dir)) if args[0] != "frobnicate" else koordi(*args)
        assert result.returncode == 2, args
        assert "Usage:" in result.stderr
        assert "Traceback" not in result.stderr


def test_bare_koordi_without_a_display_serves(data_dir: Path):
    server = start_server([sys.executable, "-m", "app", "--data-dir", str(data_dir)], koordi_env())
    try:
        assert server.url.startswith("http://127.0.0.1:")
    finally:
        server.stop()


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("koordi")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=koordi_env())
    assert result.returncode == 0 and "Koordi" in result.stdout


def test_version_speaks_the_clis_language():
    for lang, line in (("fi", "Koordi, versio "), ("sv", "Koordi, version "), ("en", "Koordi, version ")):
        result = subprocess.run(
            [sys.executable, "-m", "app", "--version"], capture_output=True, text=True, env=koordi_env(KOORDI_LANG=lang), cwd=ROOT
        )
        assert result.returncode == 0 and result.stdout.startswith(line), (lang, result.stdout, result.stderr)


def test_help_speaks_the_clis_language():
    """`koordi --help` in Finnish and Swedish: click's own words and every command's text."""
    words = {
        "fi": ["Käyttö: koordi", "Valinnat:", "Komennot:", "Näytä tämä ohje ja lopeta.", "Ota varmuuskopio nyt"],
        "sv": ["Användning: koordi", "Alternativ:", "Kommandon:", "Visa den här hjälpen och avsluta.", "Ta en säkerhetskopia nu"],
    }
    for lang, expected in words.items():
        result = subprocess.run(
            [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, env=koordi_env(KOORDI_LANG=lang), cwd=ROOT
        )
        assert result.returncode == 0, result.stderr
        missing = [w for w in expected if w not in result.stdout]
        assert not missing, (lang, missing, result.stdout)
        assert "Show this message" not in result.stdout and "Usage:" not in result.stdout
    report = subprocess.run(
        [sys.executable, "-m", "app", "report", "unit", "--help"],
        capture_output=True,
        text=True,
        env=koordi_env(KOORDI_LANG="fi"),
        cwd=ROOT,
    )
    assert "Yksikkö nimen (tai sen osan) tai tunnisteen mukaan." in report.stdout, report.stdout
    assert "Asiakirjan kieli" in report.stdout and "Language of the document" not in report.stdout


def test_help_texts_follow_the_language_of_the_moment():
    """Translated when shown, not when the command's module was imported."""
    from click.testing import CliRunner

    from app.cli import cli

    runner = CliRunner()
    assert "Ota varmuuskopio nyt" in runner.invoke(cli, ["backup", "--help"], env={"KOORDI_LANG": "fi"}).output
    assert "Ta en säkerhetskopia nu" in runner.invoke(cli, ["backup", "--help"], env={"KOORDI_LANG": "sv"}).output
    assert "Tietokansio" in runner.invoke(cli, ["backup", "--help"], env={"KOORDI_LANG": "fi"}).output
