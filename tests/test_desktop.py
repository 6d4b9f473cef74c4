"""app.desktop without a window: WebView2 detection, the save dialog, messages,
the second-launch handshake and the browser fallback."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import webview

from app import create_app, desktop
from app.i18n import translator
from app.server import LocalServer
from app.store.lock import InstanceLock, running_instance
from tests.conftest import ROOT, koordi_env

WOW, MACHINE, USER = desktop.WEBVIEW2_KEYS


def reader(values: dict):
    calls = []

    def read(hive, key, name):
        calls.append((hive, key, name))
        return values.get((hive, key))

    read.calls = calls
    return read


# --- WebView2 detection ------------------------------------------------------


@pytest.mark.parametrize("location", [WOW, MACHINE, USER])
def test_webview2_found_in_each_documented_location(location):
    read = reader({location: "131.0.2903.70"})
    assert desktop.webview2_version(read) == "131.0.2903.70"
    assert all(name == "pv" for _, _, name in read.calls)


def test_webview2_keys_are_the_documented_ones():
    guid = "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
    assert WOW == ("HKLM", rf"SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{guid}")
    assert MACHINE == ("HKLM", rf"SOFTWARE\Microsoft\EdgeUpdate\Clients\{guid}")
    assert USER == ("HKCU", rf"Software\Microsoft\EdgeUpdate\Clients\{guid}")


@pytest.mark.parametrize("value", [None, "", "  ", "0.0.0.0"])
def test_webview2_absent_when_pv_is_missing_empty_or_zero(value):
    assert desktop.webview2_version(reader({WOW: value, MACHINE: value, USER: value})) is None


def test_a_leftover_zero_key_does_not_hide_a_per_user_install():
    read = reader({WOW: "0.0.0.0", MACHINE: "", USER: "130.0.1.2"})
    assert desktop.webview2_version(read) == "130.0.1.2"


def test_webview2_is_never_missing_off_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert desktop.webview2_missing() is False


# --- Messages -----------------------------------------------------------------


def test_messages_default_to_finnish(monkeypatch):
    monkeypatch.delenv("KOORDI_LANG", raising=False)
    fi = translator("fi")
    text = desktop.webview2_missing_text(desktop._translator())
    assert text == desktop.webview2_missing_text(fi)
    assert "WebView2" in text  # the product name survives every translation


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_webview2_message_exists_in_every_language(lang):
    text = desktop.webview2_missing_text(translator(lang))
    assert "WebView2" in text and len(text) > 200


def test_windows_message_is_a_message_box(monkeypatch):
    import ctypes

    shown = []

    class User32:
        @staticmethod
        def MessageBoxW(hwnd, text, title, flags):
            shown.append((hwnd, text, title, flags))
            return 1

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", type("windll", (), {"user32": User32}), raising=False)
    desktop.show_message("Hei")
    assert shown == [(None, "Hei", "Koordi", 0x30 | 0x10000 | 0x40000)]


# --- The save dialog -----------------------------------------------------------


class FakeWindow:
    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def create_file_dialog(self, dialog_type, directory="", save_filename=""):
        self.calls.append((dialog_type, directory, save_filename))
        return self.answer


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("/home/u/Raportti.pdf", Path("/home/u/Raportti.pdf")),  # WinForms
        (("/home/u/Raportti.pdf",), Path("/home/u/Raportti.pdf")),  # Qt, GTK
        (["/home/u/Raportti.pdf"], Path("/home/u/Raportti.pdf")),
        (None, None),  # cancelled
        ("", None),
        ((), None),
        (("",), None),
    ],
)
def test_ask_save_path_handles_every_backend_answer(tmp_path, answer, expected):
    window = FakeWindow(answer)
    assert desktop.DesktopShell(window).ask_save_path(tmp_path, "Raportti.pdf") == expected
    assert window.calls == [(webview.FileDialog.SAVE, str(tmp_path), "Raportti.pdf")]


def test_ask_save_path_starts_in_the_nearest_existing_folder(tmp_path):
    window = FakeWindow(None)
    desktop.DesktopShell(window).ask_save_path(tmp_path / "gone" / "deeper", "a.pdf")
    assert window.calls[0][1] == str(tmp_path)


def test_no_window_no_dialog(tmp_path):
    assert desktop.DesktopShell().ask_save_path(tmp_path, "a.pdf") is None


# --- Bringing the window forward -------------------------------------------------


class FakeEvent(list):
    def __iadd__(self, handler):
        self.append(handler)
        return self

    def fire(self):
        for handler in self:
            handler()


class FrontWindow:
    def __init__(self):
        self.events = type("Events", (), {})()
        for name in ("minimized", "maximized", "restored"):
            setattr(self.events, name, FakeEvent())
        self.calls = []

    def __getattr__(self, name):  # restore, maximize, show
        return lambda: self.calls.append(name)

    def __setattr__(self, name, value):
        if name == "on_top":
            self.calls.append(f"on_top={value}")
        else:
            super().__setattr__(name, value)


@pytest.mark.parametrize(
    "events, expected",
    [
        ([], ["show", "on_top=True", "on_top=False"]),  # restore() would un-maximise: not called
        (["minimized"], ["restore", "show", "on_top=True", "on_top=False"]),
        (["maximized", "minimized"], ["maximize", "show", "on_top=True", "on_top=False"]),
        (["maximized", "restored", "minimized"], ["restore", "show", "on_top=True", "on_top=False"]),
    ],
)
def test_focus_request_restores_the_window_as_it_was(events, expected):
    front = desktop.WindowFront()
    window = FrontWindow()
    front.attach(window)
    for name in events:
        getattr(window.events, name).fire()
    front()
    assert window.calls == expected


def test_focus_request_before_the_window_exists_is_harmless():
    desktop.WindowFront()()


# --- The second-launch handshake ------------------------------------------------


@pytest.fixture
def served_app(data_dir):
    """The window's server without the window: a real socket, ON_FOCUS_REQUEST recorded."""
    focused = threading.Event()
    app = create_app({"DATA_DIR": data_dir, "ON_FOCUS_REQUEST": focused.set})
    server = LocalServer(app)
    server.start_in_thread()
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    lock.publish(server.launch_url, app.config["ACCESS_TOKEN"], window=True)
    yield focused
    server.close()
    app.extensions["koordi.store"].dispose()
    lock.release()


def test_second_launch_focuses_the_running_window(served_app, data_dir):
    assert desktop.run(data_dir) == 0
    assert served_app.is_set()


def test_a_wrong_token_is_refused_and_reported(served_app, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("KOORDI_LANG", "en")
    info = running_instance(data_dir)
    InstanceLock(data_dir).publish(info["url"], "not-the-token", window=True)
    assert desktop.run(data_dir) == 1
    assert not served_app.is_set()
    assert "already open" in capsys.readouterr().err


def test_the_token_is_only_ever_sent_to_127_0_0_1(data_dir, monkeypatch):
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    lock.publish("http://example.org:8080/?token=secret", "secret", window=True)
    monkeypatch.setattr(desktop, "FOCUS_WAIT", 0.3)
    sent = []
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", lambda *a, **kw: sent.append(a))
    try:
        assert desktop._focus_running(data_dir)[0] is False
    finally:
        lock.release()
    assert sent == []


def test_second_launch_beside_koordi_serve_fails_with_a_message(live_server, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("KOORDI_LANG", "en")
    assert desktop.run(data_dir) == 1
    err = capsys.readouterr().err
    assert "without a window" in err and str(data_dir) in err
    assert live_server.token not in err


# --- The browser fallback (the window's start: tests/test_desktop_start.py) ------


def test_without_webview2_koordi_serves_the_default_browser_until_closed_there(data_dir, tmp_path):
    opened = tmp_path / "opened.txt"
    env = koordi_env()
    env.pop("KOORDI_LANG")  # Finnish, the default
    cmd = [sys.executable, "-m", "tests.window_app", str(data_dir)]
    proc = subprocess.Popen(cmd + ["browser", str(opened)], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not opened.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.exists(), proc.stderr.read() if proc.poll() is not None else "no browser opened"
        url = opened.read_text().strip()
        assert url.startswith("http://127.0.0.1:") and "token=" in url
        # Like a browser: keeps the session cookie the token sets, and ignores any proxy.
        browser = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor())
        with browser.open(url, timeout=10) as page:
            assert page.status == 200 and page.url.endswith("/setup")
        assert running_instance(data_dir)["window"] is False

        # Opening Koordi again opens another tab of the running one.
        second = subprocess.run(cmd + ["plain"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        assert opened.read_text().splitlines() == [url, url]

        # No window to close: the pages' "Close Koordi" stops it.
        base = url.split("/?")[0]
        with browser.open(base + "/setup", timeout=10) as page:
            html = page.read().decode()
        assert 'action="/quit"' in html
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        with browser.open(base + "/quit", data=urllib.parse.urlencode({"csrf_token": token}).encode(), timeout=10) as page:
            assert page.status == 200 and "Koordi on suljettu" in page.read().decode()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert desktop.webview2_missing_text(translator("fi")) in err
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    lock.release()
