""" "Close Koordi" without a window: over real HTTP against `koordi serve`, the button stops
the server cleanly (the database closed, the lock released); inside the window there is
no such button (the window's own close does it)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import PROFILE, koordi_env, start_server
from tests.test_security import Browser, form


def test_close_koordi_stops_the_server_cleanly(live_server, data_dir: Path):
    browser = Browser(live_server)
    browser.login()
    resp, _ = browser.request("POST", "/setup", form(csrf_token=browser.csrf("/setup"), **PROFILE))
    assert resp.status == 302

    _, page = browser.request("GET", "/units")
    assert 'action="/quit"' in page and "Sulje Koordi" in page  # in the footer of every page

    resp, _ = browser.request("POST", "/quit", form())  # no CSRF token: refused, still running
    assert resp.status in (400, 403) and live_server.proc.poll() is None

    resp, page = browser.request("POST", "/quit", form(csrf_token=browser.csrf("/units")))
    assert resp.status == 200
    assert "<h1>Koordi on suljettu</h1>" in page and "Voit nyt sulkea tämän selaimen välilehden." in page
    assert 'action="/quit"' not in page and 'class="main-nav"' not in page and "lang-switch" not in page

    assert live_server.proc.wait(timeout=15) == 0
    assert not (data_dir / "koordi.sqlite3-wal").exists()  # the store was disposed: WAL checkpointed away
    # The lock is free: Koordi starts again on the same data, with the data still there.
    again = start_server([sys.executable, "-m", "app", "serve", "--data-dir", str(data_dir)], koordi_env())
    try:
        browser = Browser(again)
        browser.login()
        resp, page = browser.request("GET", "/settings")
        assert resp.status == 200 and PROFILE["name"] in page
    finally:
        again.stop()


def test_no_close_button_inside_the_window(profiled):
    # The app as the window creates it: no ON_QUIT_REQUEST.
    page = profiled.get("/units").get_data(as_text=True)
    assert "/quit" not in page
    assert profiled.post("/quit").status_code == 404


def test_close_koordi_works_on_the_recovery_page_too(data_dir: Path):
    """A damaged database opens only the recovery page; closing must still be possible."""
    from app import create_app
    from app.store import Store
    from tests.conftest import AuthClient

    Store.open(data_dir).dispose()
    db = data_dir / "koordi.sqlite3"
    raw = bytearray(db.read_bytes())
    raw[4096 : 4096 + 512] = b"\xa5" * 512
    db.write_bytes(bytes(raw))
    stops = []
    app = create_app({"DATA_DIR": data_dir, "ALLOWED_HOSTS": ["localhost"], "ON_QUIT_REQUEST": lambda: stops.append(1)})
    client = AuthClient(app)
    page = client.get("/recovery").get_data(as_text=True)
    assert "Tietokanta vaatii huomiota" in page and 'action="/quit"' in page
    resp = client.post("/quit", csrf_from="/recovery")
    assert resp.status_code == 200 and "Koordi on suljettu" in resp.get_data(as_text=True)
    resp.close()  # the server calls close() once the page is sent: then the stop is asked for
    assert stops == [1]
