"""Koordi's build backend: setuptools, plus what a wheel needs that git does not hold.

pyproject.toml names this module (`build-backend`, `backend-path = ["build"]`) and its
commands (`[tool.setuptools.cmdclass]`), so `python -m build` and `pip wheel .` make a
complete wheel from a fresh clone:

- build_py compiles the message catalogs (app/catalogs.py; *.mo is ignored by git) into
  the wheel and leaves the .po sources out, and copies assets/fonts into app/assets/fonts
  (app/paths.py looks there first; the source tree and the bundle keep them in assets/);
- sdist carries assets/fonts and this file, so a wheel built from the sdist is the same;
- build keeps setuptools' work out of build/, which holds Koordi's own scripts.

An editable install (`build/dev.py`: pip install -e) skips the copies: it runs from the
source tree, where app/paths.py finds both.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

from setuptools.build_meta import *  # noqa: F403 - the PEP 517 hooks, unchanged
from setuptools.command.build import build
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent.parent
FONTS = Path("assets") / "fonts"
WORK = Path("dist") / ".setuptools"  # ignored by git, like the rest of dist/


def _catalogs():
    """app/catalogs.py by its path: importing the `app` package would need all of its dependencies."""
    spec = importlib.util.spec_from_file_location("koordi_catalogs", ROOT / "app" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Build(build):
    def initialize_options(self):
        super().initialize_options()
        self.build_base = str(WORK)


class BuildPy(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "app"
        fonts = package / "assets" / "fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        for font in sorted((ROOT / FONTS).iterdir()):
            if font.is_file():
                shutil.copy2(font, fonts / font.name)
        translations = package / "translations"
        written = _catalogs().compile_catalogs(translations, force=True)
        if not written:
            raise RuntimeError(f"no message catalogs to compile in {translations}")
        for po in translations.glob("*/LC_MESSAGES/*.po*"):
            po.unlink()  # the .mo is what runs; app/paths.py compiles only where a .po is
        for pot in translations.glob("*.pot"):
            pot.unlink()


class SDist(sdist):
    def make_release_tree(self, base_dir, files):
        extra = [str(p.relative_to(ROOT)) for p in sorted((ROOT / FONTS).iterdir()) if p.is_file()]
        extra.append(str(Path(__file__).resolve().relative_to(ROOT)))
        super().make_release_tree(base_dir, [*files, *(f for f in extra if f not in files)])
