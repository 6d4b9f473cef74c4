"""The office's app: its home page and navigation, and the local server's protections (the same
as the coordinator's app: app.web.security), over the test client and over a real socket
against `koordi central serve`."""

from __future__ import annotations

import re
import sys

import pytest

from tests.conftest import koordi_env, start_server
from tests.test_security import Browser, form


def test_the_home_page_names_the_database_and_links_every_section(central_client, central_db):
    html = central_client.get("/").get_data(as_text=True)
    assert str(central_db) in html
    assert "<title>Keskustoimisto – Koordi keskustoimisto</title>" in html  # Finnish by default
    nav = re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == ["/picture", "/reporting", "/files", "/settings"]
    assert "<dt>Koordinaattorit</dt><dd>4</dd>" in html and "<dt>Yhdistettyjä tiedostoja</dt><dd>4</dd>" in html


def test_the_language_is_the_offices_own_and_remembered(central_client, central_app):
    r = central_client.post("/language", {"lang": "sv", "next": "/reporting"})
    assert r.status_code == 302 and r.headers["Location"] == "/reporting"
    assert "<h1>Rapportering</h1>" in central_client.get("/reporting").get_data(as_text=True)
    assert '"language": "sv"' in (central_app.config["DATA_DIR"] / "office.json").read_text(encoding="utf-8")


def test_a_stranger_is_refused_and_a_write_needs_the_csrf_token(central_app):
    stranger = central_app.test_client()
    assert stranger.get("/reporting").status_code == 403
    assert stranger.get("/?token=wrong").status_code == 403
    client = central_app.test_client()
    assert client.get("/?token=" + central_app.config["ACCESS_TOKEN"]).status_code == 302
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    r = client.post("/settings", data={"period": "quarter", "deadline_days": "30"})
    assert r.status_code == 400 and "Lomake vanheni" in r.get_data(as_text=True)


def test_an_unexpected_error_is_the_offices_error_page_without_a_trace(central_client, monkeypatch):
    import app.central.reporting_views as views

    def broken(*a, **kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "reporting_grid", broken)
    r = central_client.get("/reporting")
    html = r.get_data(as_text=True)
    assert r.status_code == 500 and "Traceback" not in html and "boom" not in html
    assert 'href="/"' in html and "keskustoimiston etusivulle" in html  # the office's own way back
    missing = central_client.get("/reporting/coordinator/nobody")
    assert missing.status_code == 404 and "keskustoimiston etusivulle" in missing.get_data(as_text=True)


@pytest.fixture(scope="module")
def office_server(tmp_path_factory):
    """`koordi central serve` on a new merged database (created), as the office would run it."""
    folder = tmp_path_factory.mktemp("office-data")
    target = folder / "kansallinen.sqlite3"
    command = [sys.executable, "-m", "app", "central", "serve", "--db", str(target), "--data-dir", str(folder)]
    server = start_server(command, koordi_env())
    yield server
    server.stop()


def test_koordi_central_serve_is_the_same_security_boundary(office_server):
    browser = Browser(office_server)
    resp, _html = browser.request("GET", "/reporting")
    assert resp.status == 403
    resp, _html = browser.request("GET", f"/?token={office_server.token}", host="evil.example:80")
    assert resp.status == 400
    resp = browser.login()
    assert "HttpOnly" in resp.headers["Set-Cookie"] and "SameSite=Strict" in resp.headers["Set-Cookie"]
    resp, html = browser.request("GET", "/")
    assert resp.status == 200 and "<h1>Keskustoimisto</h1>" in html
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["Cache-Control"] == "no-store"
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    body = form(csrf_token=token, period="quarter", deadline_days="30")
    resp, _html = browser.request("POST", "/settings", body, headers={"Origin": "http://evil.example"})
    assert resp.status == 403
    resp, _html = browser.request("POST", "/settings", form(period="quarter", deadline_days="30"))
    assert resp.status == 400
    resp, _html = browser.request("POST", "/settings", body)
    assert resp.status == 302
    resp, html = browser.request("GET", "/settings")
    assert '<input checked id="period-1" name="period" required type="radio" value="quarter">' in html
