"""The wheel as a packager makes it, and a fresh clone run without build/dev.py.

Both start from a copy of the tree without compiled catalogs (*.mo is ignored by git),
as a clone has it. The wheel (marker: wheel) is built offline with the project's venv
(`pip wheel --no-build-isolation`: its setuptools and Babel are the build requirements),
installed into a new venv that borrows .venv's packages through a .pth file (no index,
no download), and run from an unrelated folder: it must speak Finnish and print a
Finnish PDF with the fonts it carries.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT, koordi_env

SOURCES = ["app", "assets", "build", "pyproject.toml", "README.md", "LICENSE"]
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf", "LICENSE-DejaVu.txt")


def fresh_clone(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.part")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    assert not list(dest.rglob("*.mo"))
    return dest


def finnish(msgid: str, **values) -> str:
    with (ROOT / "app" / "translations" / "fi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        text = read_po(fh, locale="fi")[msgid].string
    assert text and text != msgid, msgid
    return text % values if values else text


def finnish_env(data_dir: Path) -> dict[str, str]:
    env = koordi_env(data_dir)
    env.pop("KOORDI_LANG")  # Finnish is the default
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    clone = fresh_clone(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("wheelhouse")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-w",
            str(out),
            str(clone),
        ],
        cwd=clone,
        env=koordi_env(),
    )
    (built,) = out.glob("koordi-*.whl")
    assert not (clone / "build" / "lib").exists(), "setuptools' work went into build/, which holds our scripts"
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory) -> Path:
    """A new venv with the wheel installed; its dependencies are .venv's, through a .pth file."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--clear", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv, koordi_env())
    (Path(purelib.strip()) / "koordi-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        venv,
        koordi_env(),
    )
    return venv


@pytest.mark.wheel
def test_wheel_carries_compiled_catalogs_and_fonts(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for lang in ("fi", "sv", "en"):
        assert f"app/translations/{lang}/LC_MESSAGES/messages.mo" in names, lang
    assert not [n for n in names if n.endswith((".po", ".pot"))], "sources of the catalogs in the wheel"
    for font in FONTS:
        assert f"app/assets/fonts/{font}" in names, font
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "app/migrations/env.py" in names and "app/templates/base.html" in names


@pytest.mark.wheel
def test_installed_wheel_speaks_finnish_and_prints_a_finnish_pdf(venv: Path, tmp_path: Path):
    from pypdf import PdfReader

    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    elsewhere = tmp_path / "elsewhere"  # not the source tree: `app` must come from the wheel
    elsewhere.mkdir()
    env = finnish_env(tmp_path / "data")
    where = run([str(bindir / "python"), "-c", "import app; print(app.__file__)"], elsewhere, env)
    assert Path(where.strip()).is_relative_to(venv), where

    run([str(bindir / "koordi"), "demo"], elsewhere, env)
    out = tmp_path / "year.pdf"
    said = run([str(bindir / "python"), "-m", "app", "report", "period", "--out", str(out)], elsewhere, env)
    pdf = PdfReader(out)
    assert said.strip() == finnish("Saved %(path)s (pages: %(pages)s).", path=str(out), pages=len(pdf.pages))
    assert pdf.trailer["/Root"]["/Lang"] == "fi-FI"
    assert finnish("page %(page)s / %(pages)s", page=1, pages=len(pdf.pages)) in pdf.pages[0].extract_text()
    fonts = {str(f.get_object()["/BaseFont"]) for page in pdf.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts


def test_fresh_clone_speaks_finnish_without_dev_py(tmp_path: Path):
    """`python -m app` in a clone compiles its catalogs on the first start (beside the .po files)."""
    clone = fresh_clone(tmp_path / "clone")
    data = tmp_path / "data"
    said = run([sys.executable, "-m", "app", "check"], clone, finnish_env(data))
    assert finnish("No database yet in %(path)s: it is created at the first start.", path=str(data)) in said
    for lang in ("fi", "sv", "en"):
        assert (clone / "app" / "translations" / lang / "LC_MESSAGES" / "messages.mo").is_file(), lang


@pytest.mark.skipif(sys.platform == "win32", reason="the cache folder follows XDG_CACHE_HOME: Linux")
def test_read_only_checkout_compiles_its_catalogs_into_the_cache(tmp_path: Path, monkeypatch):
    from babel.support import Translations

    from app import paths

    package = tmp_path / "checkout" / "app"
    shutil.copytree(ROOT / "app" / "translations", package / "translations", ignore=shutil.ignore_patterns("*.mo", "*.part"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    monkeypatch.setattr(paths.os, "access", lambda *args: False)  # as root every folder is writable
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    found = paths.translations_dir()
    assert found == tmp_path / "cache" / "Koordi" / "translations"
    assert not list(package.rglob("*.mo")), "nothing written into the read-only checkout"
    msgid = "page %(page)s / %(pages)s"
    assert Translations.load(str(found), ["fi"]).gettext(msgid) == finnish(msgid)
