"""`build/dev.py lockcheck` (run by .ci/run): the runtime lock resolves for Windows.

uv resolves for Windows from Linux (--python-platform) against the package index: it is
installed into .venv by `dev.py lockcheck`, which .ci/run runs before the suite.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True).returncode != 0,
    reason="uv is not in .venv: `python3 build/dev.py lockcheck` installs it",
)


def load_dev():
    spec = importlib.util.spec_from_file_location("koordi_dev", ROOT / "build" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_runtime_lock_resolves_for_windows():
    dev = load_dev()
    assert dev.windows_lock_problems(Path(sys.executable)) == []


def test_a_lock_without_a_windows_only_package_fails(tmp_path: Path):
    dev = load_dev()
    lock = (ROOT / "build" / "requirements.lock").read_text(encoding="utf-8")
    # pythonnet (the WebView2 window's bridge) is pinned for win32 only: drop its stanza.
    without = re.sub(r"^pythonnet==.*\n(?:    .*\n)*", "", lock, flags=re.M)
    assert without != lock
    doctored = tmp_path / "requirements.lock"
    doctored.write_text(without, encoding="utf-8")
    problems = dev.windows_lock_problems(Path(sys.executable), lock=doctored)
    assert any(p.startswith("Windows needs pythonnet==") for p in problems), problems
