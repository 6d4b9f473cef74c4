"""The window's start (app.desktop_start) with pywebview replaced by a stand-in: the start page at
once, the app made meanwhile, then Koordi's first page; and every way that start can end badly.
The real window does the same under Xvfb in tests/test_window.py."""

from __future__ import annotations

import sqlite3
import threading
import time
import urllib.request
from types import SimpleNamespace

import pytest
import webview

from app import create_app, desktop
from app.desktop_start import start_page
from app.i18n import translator
from app.store import Store
from app.store.lock import InstanceLock, running_instance

LOG = ("logs", "koordi.log")


class FakeEvent(threading.Event):
    def __iadd__(self, handler):  # WindowFront's handlers: never called by these tests
        return self


class FakeWindow:
    """pywebview's Window as the start uses it. A load is a real HTTP GET of the address, with
    the cookie the launch token sets and its redirect followed, as the web engine's would be."""

    def __init__(self, title: str, html: str) -> None:
        self.title, self.html = title, html
        self.order: list[str] = []  # shared with the FakeWebview that made it
        self.events = SimpleNamespace(
            **{n: FakeEvent() for n in ("loaded", "closed", "shown", "minimized", "maximized", "restored")}
        )
        self.loads: list[tuple[str, str, int, str]] = []  # (address asked, address shown, status, page)
        self._browser = urllib.request.build_opener(urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor())

    def load_url(self, url: str) -> None:
        self.order.append("launch address asked")
        self.events.loaded.clear()
        with self._browser.open(url, timeout=30) as page:
            self.loads.append((url, page.url, page.status, page.read().decode()))
        self.events.loaded.set()

    def destroy(self) -> None:
        self.events.closed.set()


class FakeWebview:
    """create_window and start: start shows the start page, runs the worker as pywebview does, and
    returns once the window is closed (by the app, a test hook, or `close_at_once`: the user)."""

    def __init__(self, close_at_once: bool = False, start_page_after: threading.Event | None = None) -> None:
        self.windows: list[FakeWindow] = []
        self.close_at_once = close_at_once
        self.start_page_after = start_page_after  # the start page's load waits for this (then 0.2 s)
        self.order: list[str] = []
        self.worker_finished = False
        self.shown = threading.Event()

    def create_window(self, title, url=None, html=None, **kw):
        assert url is None, "the window opens on its start page, before the server exists"
        self.windows.append(FakeWindow(title, html))
        self.windows[-1].order = self.order
        return self.windows[-1]

    def start(self, func, args, **kw):
        window = self.windows[0]
        window.events.shown.set()
        if self.start_page_after is None:
            window.events.loaded.set()  # the start page's own load
        else:
            threading.Thread(target=self._load_start_page_late, args=(window,)).start()
        self.shown.set()
        worker = threading.Thread(target=func, args=args)
        worker.start()
        if self.close_at_once:
            window.destroy()
        assert window.events.closed.wait(60), "nothing closed the window"
        worker.join(60)
        self.worker_finished = not worker.is_alive()

    def _load_start_page_late(self, window: FakeWindow) -> None:
        assert self.start_page_after is not None and self.start_page_after.wait(30)
        time.sleep(0.2)
        self.order.append("start page loaded")
        window.events.loaded.set()


@pytest.fixture
def fake(monkeypatch) -> FakeWebview:
    fake = FakeWebview()
    monkeypatch.setattr(webview, "create_window", fake.create_window)
    monkeypatch.setattr(webview, "start", fake.start)
    return fake


def log_text(data_dir) -> str:
    return data_dir.joinpath(*LOG).read_text(encoding="utf-8")


def lock_is_free(data_dir) -> bool:
    lock = InstanceLock(data_dir)
    free = lock.acquire()
    if free:
        lock.release()
    return free and running_instance(data_dir) is None


def test_the_window_opens_on_the_start_page_then_shows_koordi(fake, data_dir, monkeypatch):
    monkeypatch.delenv("KOORDI_LANG", raising=False)  # Finnish, the default
    seen = {}

    def on_loaded(window):
        seen["loads"] = list(window.loads)
        seen["published"] = running_instance(data_dir)
        window.destroy()

    assert desktop.run(data_dir, on_loaded=on_loaded) == 0

    window = fake.windows[0]
    assert "Koordi käynnistyy…" in window.html
    [(asked, shown, status, page)] = seen["loads"]
    assert asked.startswith("http://127.0.0.1:") and "?token=" in asked
    assert status == 200 and shown.endswith("/setup")  # the first start's page, signed in
    assert f"<title>{translator('fi')('Welcome')} – Koordi</title>" in page
    assert seen["published"]["window"] is True and seen["published"]["url"] == asked
    log = log_text(data_dir)
    assert log.index("start page shown") < log.index("window loaded") < log.index("window closed")
    assert fake.worker_finished
    assert lock_is_free(data_dir)


def test_koordis_page_is_asked_for_only_once_the_start_page_has_loaded(data_dir, monkeypatch):
    """A web engine slower than the app: the launch address waits for the start page's own load,
    whose late load event would otherwise pass for Koordi's page."""
    app_made = threading.Event()
    fake = FakeWebview(start_page_after=app_made)
    monkeypatch.setattr(webview, "create_window", fake.create_window)
    monkeypatch.setattr(webview, "start", fake.start)

    def factory(config):
        app = create_app(config)
        app_made.set()
        return app

    assert desktop.run(data_dir, on_loaded=lambda window: window.destroy(), factory=factory) == 0

    assert fake.order == ["start page loaded", "launch address asked"]
    assert fake.windows[0].loads[0][2] == 200
    assert lock_is_free(data_dir)


def test_a_database_it_cannot_open_closes_the_start_page_and_says_why(fake, data_dir, monkeypatch, capsys):
    Store.open(data_dir).dispose()
    conn = sqlite3.connect(data_dir / "koordi.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    monkeypatch.setenv("KOORDI_LANG", "en")

    assert desktop.run(data_dir) == 1

    assert "9999_from_the_future" in capsys.readouterr().err
    window = fake.windows[0]
    assert window.events.closed.is_set() and window.loads == []  # Koordi's pages never opened
    assert fake.worker_finished
    assert lock_is_free(data_dir)


def test_closing_the_start_page_before_koordi_is_up_ends_the_start_cleanly(data_dir, monkeypatch):
    fake = FakeWebview(close_at_once=True)
    monkeypatch.setattr(webview, "create_window", fake.create_window)
    monkeypatch.setattr(webview, "start", fake.start)
    made, disposed = [], []
    real_dispose = Store.dispose
    monkeypatch.setattr(Store, "dispose", lambda self: (disposed.append(self), real_dispose(self)))

    def slow_factory(config):
        # Still opening the database when the user closes the window (made meanwhile).
        assert fake.shown.wait(30) and fake.windows[0].events.closed.wait(30)
        made.append(create_app(config))
        return made[-1]

    assert desktop.run(data_dir, factory=slow_factory) == 0

    assert fake.windows[0].loads == []
    assert fake.worker_finished  # it did not wait for a page that would never load
    [app] = made
    assert disposed == [app.extensions["koordi.store"]]  # closed after the start ended
    assert lock_is_free(data_dir)


def test_an_unexpected_error_of_the_start_is_logged_and_reported(fake, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("KOORDI_LANG", "en")

    def broken(config):
        raise RuntimeError("the templates folder is missing")

    assert desktop.run(data_dir, factory=broken) == 1

    err = capsys.readouterr().err
    assert "Koordi stopped because of an error: the templates folder is missing" in err
    assert "RuntimeError: the templates folder is missing" in log_text(data_dir)  # the traceback, for support
    assert fake.windows[0].events.closed.is_set() and fake.windows[0].loads == []
    assert lock_is_free(data_dir)


@pytest.mark.parametrize(
    ("lang", "text"), [("fi", "Koordi käynnistyy…"), ("sv", "Koordi startar…"), ("en", "Koordi is starting…")]
)
def test_the_start_page_speaks_the_language_and_fetches_nothing(lang, text):
    page = start_page(lang, "Koordi")
    assert f'<html lang="{lang}">' in page and f">{text}</p>" in page
    assert "default-src 'none'" in page  # nothing can be fetched or run, even by mistake
    assert "://" not in page and "src=" not in page and "<script" not in page and "url(" not in page
    assert "<title>a &lt;b&gt;</title>" in start_page(lang, "a <b>")
