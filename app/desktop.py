"""The native window: Koordi's local server shown in a pywebview window.

On Windows the window is Microsoft Edge WebView2 (pywebview's WinForms backend);
on Linux, where we develop and test, it is Qt WebEngine. One Koordi per data
folder: a second launch asks the running one to come to the front and exits.

A windowed PyInstaller build has no console, so everything goes to the log file
(app.logs) and what the user must read goes to a message box, never to print().
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

import webview
from webview.guilib import GUIType

from app import i18n, logs
from app.desktop_start import AppStart, show_when_ready, start_page
from app.shell import OsShell
from app.store.errors import AlreadyRunning, StoreError
from app.store.lock import InstanceLock, running_instance

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

TITLE = "Koordi"
# Fits a 1366x768 laptop and a 1920x1080 screen at 150 % scaling, taskbar included.
WINDOW_SIZE = (1180, 680)
MIN_SIZE = (760, 480)
FOCUS_WAIT = 10  # seconds a second launch waits for the first to publish its address

# The Evergreen WebView2 Runtime's registry keys, as Microsoft documents them
# ("Detect if a WebView2 Runtime is already installed"): per machine (64-bit
# Windows, then 32-bit Windows) and per user.
WEBVIEW2_GUID = "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
WEBVIEW2_KEYS = (
    ("HKLM", rf"SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{WEBVIEW2_GUID}"),
    ("HKLM", rf"SOFTWARE\Microsoft\EdgeUpdate\Clients\{WEBVIEW2_GUID}"),
    ("HKCU", rf"Software\Microsoft\EdgeUpdate\Clients\{WEBVIEW2_GUID}"),
)

RegistryReader = Callable[[str, str, str], "str | None"]  # (hive, key, value name) -> value


def _translator():
    # Before the app is up there is no saved language to read: KOORDI_LANG, else Finnish.
    return i18n.translator(os.environ.get("KOORDI_LANG"))


# --- WebView2 ---------------------------------------------------------------


def webview2_version(read_registry: RegistryReader) -> str | None:
    """The installed WebView2 Runtime's version, or None. Pure: the reader is injected."""
    for hive, key in WEBVIEW2_KEYS:
        version = (read_registry(hive, key, "pv") or "").strip()
        # An uninstall leaves the key behind with pv empty or 0.0.0.0.
        if version and version != "0.0.0.0":
            return version
    return None


def read_windows_registry(hive: str, key: str, name: str) -> str | None:
    if sys.platform != "win32":  # as the import below would, and type checkers then skip the rest
        raise ImportError("winreg is Windows only")
    import winreg

    root = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}[hive]
    try:
        with winreg.OpenKey(root, key) as handle:
            value, _type = winreg.QueryValueEx(handle, name)
    except OSError:
        return None
    return str(value) if value is not None else None


def webview2_missing() -> bool:
    # Without the runtime pywebview would fall back to MSHTML (Internet Explorer),
    # which cannot run the app's pages: a browser is the better fallback.
    return sys.platform == "win32" and webview2_version(read_windows_registry) is None


def webview2_missing_text(_) -> str:
    return _(
        "Koordi needs the Microsoft Edge WebView2 Runtime to show its own window, "
        "and this computer does not have it.\n\n"
        "Ask your IT support to install the WebView2 Runtime. You can also install it "
        "yourself without administrator rights: Microsoft's WebView2 \"Evergreen "
        'Bootstrapper" installs it for your user account only.\n\n'
        "Until then Koordi opens in your default web browser. Koordi keeps running in "
        'the background until you press "Close Koordi" at the bottom of its pages, sign '
        "out or restart the computer; opening Koordi again opens a new browser tab."
    )


# --- Messages ---------------------------------------------------------------


def show_message(text: str) -> None:
    """Tell the user something before or instead of the window; always logged too."""
    log.warning("%s", text)
    if sys.platform == "win32":
        import ctypes

        MB_ICONWARNING, MB_SETFOREGROUND, MB_TOPMOST = 0x30, 0x10000, 0x40000
        ctypes.windll.user32.MessageBoxW(None, text, TITLE, MB_ICONWARNING | MB_SETFOREGROUND | MB_TOPMOST)
    else:
        # Linux and macOS are developer platforms, run from a terminal. A windowed
        # build's missing stderr is replaced by devnull in app.logs.configure.
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


# --- The window's helpers ----------------------------------------------------


class DesktopShell(OsShell):
    """OsShell plus the native save dialog of the window (set once it exists)."""

    def __init__(self, window: webview.Window | None = None):
        self.window = window

    def ask_save_path(self, folder: Path, filename: str) -> Path | None:
        if self.window is None:
            return None
        result = self.window.create_file_dialog(
            webview.FileDialog.SAVE, directory=str(_existing_ancestor(folder)), save_filename=filename
        )
        # Backends differ: WinForms gives a str, Qt and GTK a 1-tuple; cancel gives None or "".
        if isinstance(result, (tuple, list)):
            result = result[0] if result else None
        return Path(result) if isinstance(result, str) and result else None


def _existing_ancestor(folder: Path) -> Path:
    # A remembered folder may be gone (USB stick, renamed share); pywebview then
    # opens the dialog in the working directory, i.e. beside the exe. Start nearby instead.
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
    return Path.home()


class WindowFront:
    """Brings the window to the front when a second launch asks (ON_FOCUS_REQUEST)."""

    def __init__(self):
        self.window: webview.Window | None = None
        self.minimized = self.maximized = False

    def attach(self, window: webview.Window) -> None:
        self.window = window
        # pywebview has no state query; remember it, because restore() un-maximises.
        window.events.minimized += self._on_minimized
        window.events.maximized += self._on_maximized
        window.events.restored += self._on_restored

    def _on_minimized(self):
        self.minimized = True

    def _on_maximized(self):
        self.minimized, self.maximized = False, True

    def _on_restored(self):
        self.minimized = self.maximized = False

    def __call__(self) -> None:
        window = self.window
        if window is None:
            return
        log.info("a second launch asked for the window")
        try:
            if self.minimized and self.maximized:
                window.maximize()
            elif self.minimized:
                window.restore()
            window.show()
            # Windows does not let a background process take the foreground;
            # a moment on top raises the window above the others anyway.
            window.on_top = True
            time.sleep(0.2)
            window.on_top = False
        except Exception:  # a failed raise must not break the request or the app
            log.exception("could not bring the window to the front")


def _gui() -> GUIType | None:
    if sys.platform.startswith("linux"):
        # GTK's WebKit is pywebview's Linux default; we ship and test with Qt WebEngine.
        return cast(GUIType, os.environ.get("PYWEBVIEW_GUI") or "qt")  # pywebview checks the name
    return None  # Windows: WinForms + WebView2 (checked above); macOS: Cocoa


# --- Second launch ----------------------------------------------------------


def _focus_running(data_dir: Path) -> tuple[bool, dict]:
    """Ask the running Koordi to raise its window. (True, info) if it did."""
    # No proxies: a corporate proxy setting must never see the token or 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + FOCUS_WAIT
    info: dict = {}
    while True:
        # The first launch may still be starting (a double-click twice): wait for its note.
        info = running_instance(data_dir) or {}
        parts = urlsplit(info.get("url") or "")
        if parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port and info.get("token"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{parts.port}/_instance/focus",
                method="POST",
                data=b"",
                headers={"X-Koordi-Token": info["token"]},
            )
            try:
                with opener.open(request, timeout=3) as response:
                    return 200 <= response.status < 300, info
            except urllib.error.HTTPError as exc:
                # 404: a `koordi serve` (no window); 403: a stale note. Either way, final.
                log.info("the running Koordi refused the focus request: %s", exc.code)
                return False, info
            except OSError:
                pass  # not listening yet, or a note left by a crash: retry until the deadline
        if time.monotonic() >= deadline:
            return False, info
        time.sleep(0.2)


def _second_launch(data_dir: Path, _) -> int:
    focused, info = _focus_running(data_dir)
    if focused:
        log.info("Koordi is already open for %s: brought its window to the front", data_dir)
        return 0
    if info and not info.get("window"):
        show_message(
            _(
                "Koordi is already running for the data folder %(path)s without a window "
                "(koordi serve, at %(url)s). Use the address it printed, or stop it and open Koordi again.",
                path=str(data_dir),
                url=str(info.get("url", "")).split("?")[0],
            )
        )
    else:
        show_message(AlreadyRunning(data_dir, info.get("url")).describe(_))
    return 1


# --- The run ----------------------------------------------------------------


def run(
    data_dir: Path,
    on_loaded: Callable[[webview.Window], None] | None = None,
    *,
    factory: Callable[[dict], Flask] | None = None,
    title: str = TITLE,
) -> int:
    """Open Koordi's window on data_dir; returns the exit code.

    on_loaded (tests): called with the window in pywebview's worker thread once
    the first page has loaded; it may read the page and destroy the window.
    factory: makes the app from the window's config (default: app.create_app); the central
    office's window passes its own (app.central.cli), on its own folder (lock, logs).
    """
    started = time.monotonic()
    logs.configure(data_dir)
    _ = _translator()
    lock = InstanceLock(data_dir)
    try:
        acquired = lock.acquire()
    except StoreError as exc:  # a read-only or full data folder
        show_message(exc.describe(_))
        return 1
    if not acquired:
        # Never a second server on the same database.
        return _second_launch(data_dir, _)
    try:
        return _run_locked(data_dir, lock, on_loaded, started, _, factory, title)
    except Exception as exc:
        log.exception("Koordi failed")
        reason = str(exc) or type(exc).__name__
        if logs.written() is None:  # the log could not be written (a full disk): do not send the user there
            show_message(_("Koordi stopped because of an error: %(reason)s.", reason=reason))
        else:
            show_message(
                _(
                    "Koordi stopped because of an error: %(reason)s. The log file %(log)s has the details.",
                    reason=reason,
                    log=str(logs.log_file(data_dir)),
                )
            )
        return 1
    finally:
        lock.release()


def _run_locked(data_dir: Path, lock: InstanceLock, on_loaded, started: float, _, factory=None, title: str = TITLE) -> int:
    from app import create_app

    make_app = factory or create_app
    if webview2_missing():
        show_message(webview2_missing_text(_))
        return _run_in_browser(data_dir, lock, _, make_app)
    front = WindowFront()
    shell = DesktopShell()
    config = {"DATA_DIR": data_dir, "SHELL": shell, "ON_FOCUS_REQUEST": front}
    # The app is made beside the web engine's start, and the window opens on a start page of its
    # own meanwhile (app.desktop_start).
    start = AppStart(lambda: make_app(config), lock)
    start.begin()
    try:
        window = webview.create_window(
            title,
            html=start_page(i18n.normalise(os.environ.get("KOORDI_LANG")), title),
            width=WINDOW_SIZE[0],
            height=WINDOW_SIZE[1],
            min_size=MIN_SIZE,
        )
        assert window is not None  # None only when an `initialized` handler cancels it; there is none
        shell.window = window
        front.attach(window)
        webview.start(
            show_when_ready,
            (window, start, on_loaded, started),
            gui=_gui(),
            # Private mode: cookies live in memory (the session is per launch anyway)
            # and no page of professionals' data is cached on disk. storage_path
            # still matters: WebView2 needs a user data folder, and it must not be
            # beside the exe (Program Files is read-only); pywebview deletes it at close.
            private_mode=True,
            storage_path=str(data_dir / "webview"),
        )
    finally:
        start.close()  # waits for a start the user did not wait for, then closes what it opened
    if isinstance(start.failure, StoreError):
        show_message(start.failure.describe(_))
        return 1
    if start.failure is not None:
        raise start.failure  # run() logs it and says so
    log.info("window closed")
    return 0


def _run_in_browser(data_dir: Path, lock: InstanceLock, _, make_app) -> int:
    """Without WebView2: Koordi in the default browser, which opens once the server is up."""
    from app.server import LocalServer, shut_down

    launch_url = ""

    def reopen_browser():
        webbrowser.open(launch_url)

    try:
        # In a browser, files are ordinary downloads (app.files.deliver).
        app = make_app({"DATA_DIR": data_dir, "SHELL": None, "ON_FOCUS_REQUEST": reopen_browser})
    except StoreError as exc:
        show_message(exc.describe(_))
        return 1
    server = LocalServer(app)
    launch_url = server.launch_url
    try:
        return _serve_in_browser(server, lock, app.config["ACCESS_TOKEN"])
    finally:
        shut_down(app, server)


def _serve_in_browser(server, lock: InstanceLock, token: str) -> int:
    # No window to close: the pages offer "Close Koordi", which ends serve_forever().
    server.app.config["ON_QUIT_REQUEST"] = server.request_stop
    lock.publish(server.launch_url, token, window=False)
    signal.signal(signal.SIGTERM, _stop)
    webbrowser.open(server.launch_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def _stop(_signum, _frame):
    raise KeyboardInterrupt
