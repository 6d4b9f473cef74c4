"""The window's start (issue 17): a start page at once, Koordi's app made beside the web engine's
own start, then Koordi's first page in the same window.

Before, the window was made only once the app was up: the app's imports, its database checks and
the web engine's start (Qt WebEngine here, WebView2 on Windows) ran one after the other, and
nothing was on screen until all of them had. Now the app is made on a thread of its own from the
launch on (AppStart), the window opens on a small page of its own ("Koordi käynnistyy…", no
server needed), and pywebview's worker thread (show_when_ready) loads the launch address once
both are ready. On a 2-core test machine under Xvfb the start page is painted 0.56 s after the
launch, where the window used to show nothing until Koordi's page (0.94 s), and that page now
loads at 0.90 s (bench/README.md, "Eighth round"). Python runs one thread at a time, so the two
starts share the CPU; what overlaps is the web engine's own processes and the waits.

A start that fails (a database this version cannot open, a full disk) closes the start page; the
caller then says why, as before, in a message box.
"""

from __future__ import annotations

import html
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from app import i18n

if TYPE_CHECKING:
    import webview
    from flask import Flask

    from app.server import LocalServer
    from app.store.lock import InstanceLock

log = logging.getLogger(__name__)

LOAD_TIMEOUT = 60  # seconds the first page may take to load once the app is up
CLOSED_POLL_S = 0.05  # how often a wait looks whether the user closed the window meanwhile

# The window's first page, before the server exists: given to pywebview as HTML, so it needs no
# address. Nothing to fetch (the policy forbids it) and nothing to run; the app's colours and fonts.
START_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
html, body {{ height: 100%; margin: 0; }}
body {{ display: flex; align-items: center; justify-content: center; background: #f3f6f7; color: #1b1f23;
  font-family: "Segoe UI", system-ui, -apple-system, "Noto Sans", "DejaVu Sans", sans-serif; }}
p {{ font-size: 1.25rem; }}
</style>
</head>
<body><main><p role="status">{text}</p></main></body>
</html>
"""


def start_page(lang: str, title: str) -> str:
    """The start page in `lang`, for the window titled `title`."""
    text = i18n.translator(lang)("%(app)s is starting…", app=title)
    return START_PAGE.format(lang=lang, title=html.escape(title), text=html.escape(text))


class AppStart:
    """Koordi's app and its local server, made on a thread of their own (see the module's text).

    `make` builds the app; once it and its server are up, the server's address is published for a
    second launch (`lock`). `failure` holds what went wrong instead, for the main thread to report
    after the window has closed. `close()` waits for the start to end, then closes what it opened:
    the window may be closed while the database is still being opened.
    """

    def __init__(self, make: Callable[[], Flask], lock: InstanceLock) -> None:
        self._make = make
        self._lock = lock
        self.app: Flask | None = None
        self.server: LocalServer | None = None
        self.failure: BaseException | None = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="koordi-start")

    def begin(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            from app.server import LocalServer

            self.app = self._make()
            self.server = LocalServer(self.app)
            self.server.start_in_thread()
            self._lock.publish(self.server.launch_url, self.app.config["ACCESS_TOKEN"], window=True)
        except BaseException as exc:  # said by the main thread, once the window is closed
            self.failure = exc
        finally:
            self.done.set()

    def fail(self, exc: BaseException) -> None:
        if self.failure is None:
            self.failure = exc

    def close(self) -> None:
        from app.server import shut_down

        if self._thread.ident is not None:  # begun
            self._thread.join()
        shut_down(self.app, self.server)


def open_until(event, window: webview.Window, timeout: float | None = None) -> bool:
    """Wait for `event` (pywebview's or threading's) while the window stays open: True once it is
    set; False when the window was closed first or `timeout` seconds went by."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while not event.wait(CLOSED_POLL_S):
        if window.events.closed.is_set():
            return False
        if deadline is not None and time.monotonic() >= deadline:
            return False
    return True


def show_when_ready(window: webview.Window, start: AppStart, on_loaded, started: float) -> None:
    """pywebview's worker thread: the start page, then Koordi's first page once the app is up.

    The launch address is loaded only after the start page's own load: a load event of the start
    page arriving late would otherwise pass for the first page's.
    """
    if open_until(window.events.loaded, window, LOAD_TIMEOUT):
        log.info("start page shown %.2f s after start", time.monotonic() - started)
    if window.events.closed.is_set() or not open_until(start.done, window):
        return  # closed by the user meanwhile: the main thread closes what the start opened
    if start.failure is not None or start.server is None:
        window.destroy()  # the main thread says why, once the window is gone
        return
    try:
        window.load_url(start.server.launch_url)
    except Exception as exc:
        if window.events.closed.is_set():
            return
        start.fail(exc)
        window.destroy()
        return
    if not open_until(window.events.loaded, window, LOAD_TIMEOUT):
        if not window.events.closed.is_set():
            log.warning("the window's page did not load in %s s", LOAD_TIMEOUT)
        return
    log.info("window loaded %.2f s after start", time.monotonic() - started)
    if on_loaded is not None:
        try:
            on_loaded(window)
        except Exception:
            log.exception("on_loaded failed")
