"""Fixtures in flaskr's style: an app on a temporary data dir, its client and CLI runner,
plus a real `koordi serve` process for tests that must cross a real socket."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import create_app
from app.files import OsShell
from app.i18n import compile_catalogs
from app.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parent.parent
compile_catalogs()

PROFILE = {
    "name": "Testi Koordinaattori",
    "role": "therapy",
    "county": "lansi-uusimaa",
    "central_office_email": "keskus@example.org",
}


# The files that take half a minute or more, longest first. The two test workers take whole files
# in turn (--dist loadfile, and --no-loadscope-reorder keeps this order: xdist's own puts the files
# with the most tests first, which left the one-test sweeps to start last while the other worker
# sat idle). A file missing here only starts later; nothing else depends on the order.
SLOW_FIRST = (
    "tests/browser/test_every_page_axe.py",
    "tests/browser/test_every_page_axe_sv.py",
    "tests/test_bundle.py",
    "tests/browser/test_foundation_ui.py",
    "tests/browser/test_surveys_journey.py",
    "tests/browser/test_sync_journey.py",
    "tests/test_faults.py",
    "tests/test_fuzz_http.py",
    "tests/sync/test_merge.py",
    "tests/test_window.py",
    "tests/sync/test_forms_roundtrip.py",
    "tests/sync/test_merge_files.py",
    "tests/sync/test_merge_cli.py",
    "tests/browser/test_guidance_journey.py",
    "tests/browser/test_events_journey.py",
    "tests/browser/test_central_journey.py",
    "tests/test_code.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: n for n, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: the rest keep their order


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """An empty database at the newest schema (its seeds in), made once per test worker. A new
    install migrates through every revision, which cost 0.2 s of each of the suite's ~1,500 apps;
    the `app` fixture starts from a copy instead. Tests of the first start and of the migrations
    themselves make their own (tests/test_store.py, tests/search/test_migration.py)."""
    folder = tmp_path_factory.mktemp("migrated")
    Store.open(folder).dispose()
    return folder / DB_NAME


@pytest.fixture
def app(data_dir: Path, migrated_db: Path):
    if not (data_dir / DB_NAME).exists():
        shutil.copy(migrated_db, data_dir / DB_NAME)
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    yield app
    store = app.extensions.get("koordi.store")
    if store is not None:
        store.dispose()


class AuthClient:
    """Helpers over Flask's test client: log in with the token, read the CSRF token."""

    CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()
        self.http.get("/?token=" + app.config["ACCESS_TOKEN"])

    def get(self, *a, **kw):
        return self.http.get(*a, **kw)

    def csrf(self, path: str = "/about") -> str:
        html = self.get(path).get_data(as_text=True)
        m = self.CSRF.search(html)
        assert m, f"no CSRF token on {path}"
        return m.group(1) or m.group(2)

    def post(self, path: str, data: dict | None = None, csrf_from: str = "/about", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(csrf_from))
        return self.http.post(path, data=data, **kw)


@pytest.fixture
def client(app) -> AuthClient:
    return AuthClient(app)


@pytest.fixture
def profiled(client) -> AuthClient:
    """A client whose install has finished the first-run profile."""
    r = client.post("/setup", PROFILE, csrf_from="/setup")
    assert r.status_code == 302, r.get_data(as_text=True)
    return client


@pytest.fixture
def runner(app):
    from click.testing import CliRunner

    return CliRunner()


def koordi_env(data_dir: Path | None = None, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KOORDI_DATA_DIR")}
    env.update({"PYTHONUNBUFFERED": "1", "KOORDI_LANG": "en", "KOORDI_STRICT_TEMPLATES": "1"})
    if data_dir is not None:
        env["KOORDI_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


class ServerProcess:
    def __init__(self, proc: subprocess.Popen, url: str):
        self.proc = proc
        self.url = url  # with ?token=
        m = re.match(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)$", url)
        assert m, url
        self.port = int(m.group(1))
        self.token = m.group(2)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


def start_server(command: list[str], env: dict[str, str], timeout: float = 30) -> ServerProcess:
    """Start a `koordi serve`-like command and wait for the one line with its URL."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("http://"):
            return ServerProcess(proc, line.strip())
        if not line and proc.poll() is not None:
            raise AssertionError(f"server exited {proc.returncode}: {proc.stderr.read()}")
    proc.kill()
    raise AssertionError("server printed no URL in time")


class RecordingShell(OsShell):
    """The window's shell (app.files) with the operating system's parts recorded; the save
    dialog's answer is scripted (None: the user cancelled)."""

    def __init__(self, answer: Path | None = None):
        self.answer = answer
        self.asked: list[tuple[Path, str]] = []
        self.opened: list[Path] = []
        self.revealed: list[Path] = []

    def ask_save_path(self, folder, filename):
        self.asked.append((folder, filename))
        return self.answer

    def open_path(self, path):
        self.opened.append(path)

    def reveal(self, path):
        self.revealed.append(path)


@pytest.fixture
def live_server(data_dir: Path):
    server = start_server([sys.executable, "-m", "app", "serve", "--data-dir", str(data_dir)], koordi_env())
    yield server
    server.stop()
