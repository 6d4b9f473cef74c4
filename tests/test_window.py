"""A real pywebview window (Qt WebEngine) under Xvfb: the desktop start-up end to end.

Missing Xvfb or Qt libraries FAIL with what to install; they never skip, because a
skipped window test would let a broken window ship.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.i18n import translator
from app.store.lock import InstanceLock, running_instance
from tests.conftest import ROOT, koordi_env

pytestmark = pytest.mark.window

APT_LIST = ROOT / "build" / "apt-packages.txt"
INSTALL_HINT = f"apt-get install $(grep -v '^#' {APT_LIST.relative_to(ROOT)})"
LOG_NAME = Path("logs") / "koordi.log"


def _qt_dir() -> Path:
    try:
        import PyQt6
    except ImportError as exc:
        pytest.fail(f"PyQt6 is missing: pip install 'pywebview[qt]' PyQt6-WebEngine ({exc})")
    return Path(PyQt6.__file__).parent / "Qt6"


def _missing_libraries() -> list[str]:
    qt = _qt_dir()
    missing = set()
    for binary in (qt / "plugins/platforms/libqxcb.so", qt / "lib/libQt6WebEngineCore.so.6", qt / "libexec/QtWebEngineProcess"):
        out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
        missing |= {line.split()[0] for line in out.splitlines() if "not found" in line}
    return sorted(missing)


@pytest.fixture(scope="module")
def display():
    """A private Xvfb; yields its display number."""
    xvfb = shutil.which("Xvfb") or ("/usr/bin/Xvfb" if Path("/usr/bin/Xvfb").exists() else None)
    if xvfb is None:
        pytest.fail(f"Xvfb is missing: apt-get install xvfb xauth (or {INSTALL_HINT})")
    missing = _missing_libraries()
    if missing:
        pytest.fail(f"Qt WebEngine cannot load {', '.join(missing)}: {INSTALL_HINT}")
    err = "every display number :90-:199 is taken"
    for n in range(90, 200):
        if Path(f"/tmp/.X11-unix/X{n}").exists() or Path(f"/tmp/.X{n}-lock").exists():
            continue
        proc = subprocess.Popen(
            [xvfb, f":{n}", "-nolisten", "tcp", "-screen", "0", "1600x1000x24"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None and not Path(f"/tmp/.X11-unix/X{n}").exists():
            time.sleep(0.05)
        if proc.poll() is None and Path(f"/tmp/.X11-unix/X{n}").exists():
            yield n
            proc.terminate()
            proc.wait(10)
            return
        proc.kill()  # lost a race for the number, or Xvfb cannot start: try the next one
        err = proc.communicate()[1].decode(errors="replace")
    pytest.fail(f"Xvfb did not start: {err[-2000:]}")


def window_env(display: int, **extra) -> dict[str, str]:
    env = koordi_env(
        DISPLAY=f":{display}",
        QT_QPA_PLATFORM="xcb",
        # Root in a container: Chromium's sandbox cannot start; there is no GPU either.
        QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu",
        QTWEBENGINE_DISABLE_SANDBOX="1",
    )
    env.pop("KOORDI_LANG", None)  # the app's own default: Finnish
    env.pop("PYWEBVIEW_GUI", None)  # desktop.run picks Qt on Linux
    env.update(extra)
    return env


def window_app(data_dir: Path, mode: str, out: Path | None, env: dict[str, str]) -> subprocess.Popen:
    args = [sys.executable, "-m", "tests.window_app", str(data_dir), mode] + ([str(out)] if out else [])
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, timeout: float = 90) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"the window process did not exit in {timeout} s; stderr:\n{err[-4000:]}")
    return proc.returncode, err


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(
                f"the window never loaded (exit {proc.returncode}); if Qt could not start, "
                f"install: {INSTALL_HINT}\nstderr:\n{err[-4000:]}"
            )
        time.sleep(0.05)
    return json.loads(path.read_text(encoding="utf-8"))


def expected_title() -> str:
    return f"{translator('fi')('Welcome')} – Koordi"


def test_first_start_shows_the_finnish_setup_page(display, data_dir, tmp_path):
    out = tmp_path / "loaded.json"
    started = time.time()
    proc = window_app(data_dir, "title", out, window_env(display))
    info = wait_for(out, proc)
    code, err = finish(proc)

    assert code == 0, err[-4000:]
    assert info["url"].split("?")[0].endswith("/setup"), info
    assert "token=" not in info["url"]  # the token left the address at once
    assert info["title"] == expected_title(), info  # not a 400/403 page
    assert info["title"].endswith("– Koordi")
    print(f"process start to page loaded: {info['loaded_at'] - started:.2f} s")
    log = (data_dir / LOG_NAME).read_text(encoding="utf-8")
    assert log.index("start page shown") < log.index("window loaded")  # app.desktop_start
    assert (data_dir / "koordi.sqlite3").exists()
    lock = InstanceLock(data_dir)
    assert lock.acquire(), "the lock must be free once the window has closed"
    lock.release()
    assert running_instance(data_dir) is None


def test_second_launch_brings_the_first_window_forward(display, data_dir, tmp_path):
    out = tmp_path / "loaded.json"
    first = window_app(data_dir, "hold", out, window_env(display))
    try:
        wait_for(out, first)
        published = running_instance(data_dir)
        assert published and published["window"] is True

        second = window_app(data_dir, "plain", None, window_env(display))
        code, err = finish(second, timeout=60)
        assert code == 0, err[-4000:]

        log = (data_dir / LOG_NAME).read_text(encoding="utf-8")
        assert "a second launch asked for the window" in log  # ON_FOCUS_REQUEST ran in the first
        assert "could not bring the window to the front" not in log
        assert log.count("serving on ") == 1, "the second launch must not start a server"
        assert running_instance(data_dir)["pid"] == published["pid"]
    finally:
        Path(str(out) + ".stop").touch()
    code, err = finish(first)
    assert code == 0, err[-4000:]


def test_second_launch_beside_koordi_serve_explains_and_fails(display, data_dir, live_server):
    proc = window_app(data_dir, "plain", None, window_env(display, KOORDI_LANG="en"))
    code, err = finish(proc, timeout=60)

    assert code == 1
    assert "already running" in err and "without a window" in err, err
    assert str(data_dir) in err
    assert live_server.token not in err  # the address, never the token
    assert live_server.proc.poll() is None  # the serving Koordi is untouched


def test_the_main_pages_work_in_the_window(display, data_dir, tmp_path):
    """tests/window_app.py's walk: forms (session cookie and CSRF inside the window), lists,
    the annual plan saved as a calendar file through app.files, guidance entry, search."""
    from tests.core.test_ics import parse
    from tests.window_app import EVENT, UNIT

    out = tmp_path / "walk.json"
    # The window opens a saved file with the system's opener: record the call instead.
    opened = tmp_path / "opened.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "xdg-open").write_text(f'#!/bin/sh\necho "$@" >> "{opened}"\n', encoding="utf-8")
    (bin_dir / "xdg-open").chmod(0o755)
    env = window_env(display, PATH=f"{bin_dir}:{os.environ['PATH']}")
    proc = window_app(data_dir, "walk", out, env)
    steps = wait_for(out, proc, timeout=180)
    code, err = finish(proc)
    assert code == 0, err[-4000:]

    fi = translator("fi")
    pages = {s["step"]: s for s in steps}
    assert list(pages) == [
        "first page",
        "setup",
        "new unit form",
        "unit saved",
        "units",
        "unit search",
        "new event form",
        "event saved",
        "events",
        "files setting",
        "files saved",
        "annual plan",
        "annual plan saved as a file",
        "guidance entry",
        "search",
        "dashboard",
    ], steps[-1]
    for step in pages.values():  # never an error page, never the token in the address bar
        assert step["title"].endswith("– Koordi") and "token=" not in step["path"], step
        assert not step["title"].startswith(fi("Error: %(title)s", title="")), step
        assert step["quit"] is False, step  # the window closes Koordi itself: no "Close Koordi" there

    assert pages["first page"]["path"] == "/setup"
    assert pages["setup"]["path"] == "/" and pages["setup"]["title"] == f"{fi('Dashboard')} – Koordi"
    assert pages["unit saved"]["path"].startswith("/units/") and pages["unit saved"]["h1"] == UNIT
    assert fi("Unit %(name)s added.", name=UNIT) in pages["unit saved"]["main"]
    assert UNIT in pages["units"]["main"] and UNIT in pages["unit search"]["main"]
    assert pages["event saved"]["h1"] == EVENT and fi("Event saved.") in pages["event saved"]["main"]
    assert EVENT in pages["events"]["main"] and UNIT in pages["events"]["main"]
    assert fi("Settings saved.") in pages["files saved"]["main"]
    year = time.localtime().tm_year
    assert pages["annual plan"]["title"] == f"{fi('Annual plan %(year)s', year=year)} – Koordi"
    assert pages["guidance entry"]["title"] == f"{fi('Log a guidance session')} – Koordi"
    assert UNIT in pages["search"]["main"] and EVENT in pages["search"]["main"]
    assert EVENT in pages["dashboard"]["main"]

    # The calendar file: saved in the chosen folder without a dialog, opened, announced.
    saved = list((tmp_path / "files").glob("*.ics"))
    assert [p.name for p in saved] == [f"koordi_vuosikello_{year}.ics"]
    assert fi("Saved as %(path)s", path=str(saved[0])) in pages["annual plan saved as a file"]["main"]
    assert pages["annual plan saved as a file"]["path"] == f"/events/plan?year={year}"
    assert opened.read_text(encoding="utf-8").split() == [str(saved[0])]
    calendar = parse(saved[0].read_bytes())
    assert [e.value("SUMMARY") for e in calendar.all("VEVENT")] == [EVENT]


def test_the_central_office_opens_in_its_window_and_closes_cleanly(display, tmp_path):
    """`koordi central --db TARGET` with a display: the office's own window, in Finnish, on the
    merged database; closed as a user closes it (the window manager's WM_DELETE_WINDOW), it
    exits 0, logs the close, frees its lock and remembers the database."""
    import urllib.request

    from tests import x11
    from tests.central import picture_data

    db = tmp_path / "kansallinen.sqlite3"
    picture_data.build(str(db)).dispose()
    data_dir = tmp_path / "data"
    office = data_dir / "central"  # the office's own folder: its lock, logs and office.json
    log = office / LOG_NAME
    command = [sys.executable, "-m", "app", "central", "--db", str(db), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(command, cwd=ROOT, env=window_env(display), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not (log.exists() and "window loaded" in log.read_text(encoding="utf-8")):  # app.desktop's line
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate()
            pytest.fail(f"the office's window never loaded (exit {proc.returncode}); {INSTALL_HINT}\nstderr:\n{err[-4000:]}")
        time.sleep(0.05)
    closed = False
    try:
        published = running_instance(office)
        assert published and published["window"] is True
        # The server behind the window is the office's, on the merged database, in Finnish.
        base = published["url"].split("?")[0].rstrip("/")
        request = urllib.request.Request(base + "/", headers={"X-Koordi-Token": published["token"]})
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=30) as response:
            home = response.read().decode("utf-8")
        title = translator("fi")("Koordi central office")
        assert f"– {title}</title>" in home and str(db) in home
        seen = x11.close_window(display, title)  # the window's own title, in Finnish
        assert title in seen, seen
        closed = True
    finally:
        if not closed:  # the failure above is the story: no 90 s wait for a window nobody closes
            proc.kill()
            proc.communicate()
    code, err = finish(proc)
    assert code == 0, err[-4000:]
    assert "window closed" in log.read_text(encoding="utf-8")
    lock = InstanceLock(office)
    assert lock.acquire(), "the lock must be free once the window has closed"
    lock.release()
    assert json.loads((office / "office.json").read_text(encoding="utf-8"))["target"] == str(db)
