"""The PyInstaller bundle, built from this tree and run for real (marker: bundle).

The bundle is built once per session with build/build_bundle.py into a temporary
folder, unless dist/ already holds a build of exactly this tree (its
Koordi.build.json fingerprint matches the sources, spec, lock and Python), which
`python3 build/dev.py bundle` leaves behind. A failed build fails these tests.
"""

from __future__ import annotations

import html
import http.cookiejar
import importlib.util
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT, koordi_env, start_server
from tests.postgres import pg_url, postgres_server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.bundle

EXE = ".exe" if os.name == "nt" else ""
BUILDER = ROOT / "build" / "build_bundle.py"


def load_builder():
    spec = importlib.util.spec_from_file_location("koordi_build_bundle", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    builder = load_builder()
    if builder.is_fresh(ROOT / "dist"):
        return ROOT / "dist" / "Koordi"
    distpath = tmp_path_factory.mktemp("dist")
    workpath = tmp_path_factory.mktemp("pyinstaller-work")
    result = subprocess.run(
        [sys.executable, str(BUILDER), "--distpath", str(distpath), "--workpath", str(workpath)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, f"the bundle build failed:\n{result.stdout[-5000:]}\n{result.stderr[-10000:]}"
    assert builder.is_complete(distpath), "the build left no complete bundle"
    return distpath / "Koordi"


def internal(bundle: Path) -> Path:
    return bundle / "_internal"


def cli(bundle: Path) -> str:
    return str(bundle / ("koordi-cli" + EXE))


def opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def translated_fi_messages(bundle: Path) -> list[str]:
    po = internal(bundle) / "app" / "translations" / "fi" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="fi")
    return [
        m.string
        for m in catalog
        if m.id and isinstance(m.string, str) and m.string and m.string != m.id and "%" not in m.string and len(m.string) > 6
    ]


def test_bundle_holds_both_executables_and_data(bundle: Path):
    for name in ("Koordi", "koordi-cli"):
        assert (bundle / (name + EXE)).is_file(), name
    inside = internal(bundle)
    helsinki = inside / "tzdata" / "zoneinfo" / "Europe" / "Helsinki"
    assert helsinki.is_file() and helsinki.read_bytes()[:4] == b"TZif"
    zoneinfo = inside / "tzdata" / "zoneinfo"
    zones = {p.relative_to(zoneinfo).as_posix() for p in zoneinfo.rglob("*") if p.is_file()}
    assert zones == {"Europe/Helsinki", "UTC"}, "only the zones Koordi names"
    # Babel's data for fi, sv, en, their Finland variants and what they inherit; nothing else.
    locales = {p.stem for p in (inside / "babel" / "locale-data").glob("*.dat")}
    assert locales == {"fi_FI", "sv_FI", "en_FI", "fi", "sv", "en", "en_150", "en_001", "root"}
    assert not (inside / "pytz" / "zoneinfo").exists(), "pytz's zone files: Flask-Babel asks it for UTC only"
    assert not (inside / "reportlab" / "fonts").exists(), "every document embeds DejaVu"
    # reportlab's C accelerators (rl_accel, issue 17): reportlab imports them by name inside an
    # exec string, which PyInstaller cannot follow (installer.spec names them).
    assert list(inside.glob("_rl_accel*")), "reportlab's accelerators are missing"
    # Each file is scanned by the antivirus at every start on Windows: 2 656 before the cut.
    files = sum(1 for p in bundle.rglob("*") if p.is_file())
    assert files < 600, f"{files} files in the bundle"
    # Licences: Koordi's own, and the notices of what it redistributes (build/notices.py).
    assert "Koordi contributors" in (inside / "LICENSE").read_text(encoding="utf-8")
    notices = (inside / "THIRD_PARTY_NOTICES.txt").read_text(encoding="utf-8")
    assert "psycopg 3" in notices and "Licence: LGPL-3.0" in notices and "DejaVu" in notices
    # LGPL: psycopg's modules are files a user can replace, not inside the executables.
    assert (inside / "psycopg" / "__init__.py").is_file()
    assert (inside / "app" / "migrations" / "env.py").is_file()
    assert list((inside / "app" / "migrations" / "versions").glob("*.py")), "no migration sources"
    for lang in ("fi", "sv", "en"):
        assert (inside / "app" / "translations" / lang / "LC_MESSAGES" / "messages.mo").is_file(), lang
    assert (inside / "app" / "templates" / "base.html").is_file()
    assert (inside / "app" / "static" / "css" / "koordi.css").is_file()
    for font in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "LICENSE-DejaVu.txt"):
        assert (inside / "assets" / "fonts" / font).is_file(), font
    # Nothing of the test tooling went in.
    for excluded in ("pytest", "_pytest", "hypothesis", "playwright", "PyInstaller", "tkinter"):
        assert not (inside / excluded).exists(), excluded


def test_frozen_serve_then_check(bundle: Path, tmp_path: Path):
    data = tmp_path / "data"
    server = start_server([cli(bundle), "serve", "--data-dir", str(data)], koordi_env(), timeout=60)
    try:
        with opener().open(server.url, timeout=30) as response:
            status = response.status
            final = response.url
            page = response.read().decode("utf-8")
        assert status == 200
        assert final.startswith(server.base + "/"), final  # the token left the address
        assert "token=" not in final
        assert '<html lang="fi"' in page  # Finnish first
        assert "<title>" in page and "Koordi" in page
        assert 'name="csrf_token"' in page
        assert "/static/css/koordi.css" in page
        # The compiled Finnish catalog is what the frozen app speaks.
        text = html.unescape(page)
        assert any(message in text for message in translated_fi_messages(bundle)), "no Finnish translation on the page"
        with opener().open(server.base + "/static/css/koordi.css?token=" + server.token, timeout=30) as response:
            assert response.status == 200
        # The About page's licences: the notices the bundle carries.
        session = opener()
        session.open(server.url, timeout=30).read()
        with session.open(server.base + "/about/licences", timeout=30) as response:
            licences = html.unescape(response.read().decode("utf-8"))
        assert "Permission is hereby granted" in licences and "Licence: LGPL-3.0" in licences
    finally:
        code = server.stop()
    assert code == 0, f"serve did not stop cleanly: {code}: {server.proc.stderr.read()}"
    assert (data / "koordi.sqlite3").is_file(), "the database is created in --data-dir"
    assert not list(bundle.rglob("*.sqlite3")), "data must never be written next to the executable"

    check = subprocess.run(
        [cli(bundle), "check", "--data-dir", str(data)], env=koordi_env(), capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Integrity" in check.stdout


def test_frozen_report_embeds_the_bundled_fonts(bundle: Path, tmp_path: Path):
    """`koordi-cli report` finds assets/fonts inside the bundle and embeds them. Without the
    system's zone database (PYTHONTZPATH empty), as on Windows: Helsinki comes from tzdata."""
    from pypdf import PdfReader

    data = tmp_path / "data"
    env = koordi_env(PYTHONTZPATH="")
    demo = subprocess.run([cli(bundle), "demo", "--data-dir", str(data)], env=env, capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = tmp_path / "year.pdf"
    report = subprocess.run(
        [cli(bundle), "report", "period", "--out", str(out), "--data-dir", str(data)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == 0, report.stdout + report.stderr
    pdf = PdfReader(out)
    fonts = {str(f.get_object()["/BaseFont"]) for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts


def test_frozen_merge_into_sqlite_and_postgresql(bundle: Path, tmp_path: Path, pg_url):
    """The central office runs the bundled koordi-cli: psycopg and its libpq must be inside."""
    data = tmp_path / "data"
    demo = subprocess.run(
        [cli(bundle), "demo", "--data-dir", str(data)], env=koordi_env(), capture_output=True, text=True, timeout=120
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    export = tmp_path / "export.zip"
    made = subprocess.run(
        [cli(bundle), "export", "--full", "--out", str(export), "--data-dir", str(data)],
        env=koordi_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    for target in (str(tmp_path / "central.sqlite3"), pg_url().replace("postgresql+psycopg://", "postgresql://")):
        merged = subprocess.run(
            [cli(bundle), "merge", str(export), "--into", target], env=koordi_env(), capture_output=True, text=True, timeout=180
        )
        assert merged.returncode == 0, merged.stdout + merged.stderr
        assert merged.stdout.rstrip().endswith(f"Merged 1 of 1 files into {target}.")


@pytest.mark.skipif(sys.platform == "win32", reason="XDG paths: Linux")
def test_frozen_default_data_dir_is_per_user(bundle: Path, tmp_path: Path):
    env = koordi_env(XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"))
    out = subprocess.run([cli(bundle), "check"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert str(tmp_path / "xdg" / "Koordi") in out.stdout
