"""`next` never sends the coordinator to another site, and never breaks a page.

Every endpoint that reads `next` is tried with values a browser would turn into another
host (tabs and newlines are dropped from a Location, a backslash reads as a slash),
with schemes, with CR/LF (which cannot go in a header at all) and with their %-escaped
forms.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from app import create_app
from app.core.text import fold
from app.models import Deployment, PhaseChange, Unit
from app.models.methods import seed_id
from tests.conftest import PROFILE, AuthClient, RecordingShell

HOSTILE = [
    "/\t/evil.example",
    "/%09/evil.example",
    "\t//evil.example",
    " //evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/\r\n/evil.example",
    "/about\r\nSet-Cookie: stolen=1",
    "/%0d%0a/evil.example",
    "/\n/evil.example",
    "/\x0b/evil.example",
    "/\x00/evil.example",
    "/\u3000/evil.example",
    "/\u202e/evil.example",
    "http://evil.example/",
    "https:evil.example",
    "HTTP://evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
]
# Ordinary targets the pages themselves send: kept as they are.
SAFE = ["/about", "/units?q=a%20b&page=2", "/deployments/board#d-1"]


def browser_reads(location: str) -> str:
    """A Location as a browser resolves it: tabs and newlines dropped, backslashes as slashes."""
    return re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()


def assert_stays_here(resp, fallback: str, target: str) -> None:
    """A redirect to this site's `fallback` (the page asked for `next=target`), never a 500."""
    assert resp.status_code == 302, (target, resp.status_code)
    location = resp.headers["Location"]
    read = browser_reads(location)
    parts = urlsplit(read)
    assert read.startswith("/") and not read.startswith("//") and not parts.scheme and not parts.netloc, (target, location)
    assert location == fallback, (target, location)


@pytest.fixture
def shell(tmp_path) -> RecordingShell:
    return RecordingShell(tmp_path / "saved" / "koordi.log.txt")


@pytest.fixture
def windowed(data_dir, shell):
    """The app as its window runs it (files are saved, not downloaded), profiled."""
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "SHELL": shell})
    c = AuthClient(app)
    assert c.post("/setup", PROFILE, csrf_from="/setup").status_code == 302
    yield c
    app.extensions["koordi.store"].dispose()


def _deployment(app) -> str:
    with app.extensions["koordi.store"].Session() as s:
        unit = Unit(name="Esimerkkiasema", name_key=fold("Esimerkkiasema"), service_line="health_station", age_group="adults")
        s.add(unit)
        s.flush()
        d = Deployment(unit_id=unit.id, method_id=seed_id("cool-kids"), phase="planned", phase_since=dt.date(2026, 1, 12))
        s.add(d)
        s.flush()
        s.add(PhaseChange(deployment_id=d.id, phase="planned", changed_on=dt.date(2026, 1, 12)))
        s.commit()
        return d.id


def test_language_switch_stays_on_site(profiled):
    for target in HOSTILE:
        assert_stays_here(profiled.post("/language", {"lang": "en", "next": target}), "/", target)


def test_a_gone_download_stays_on_site(profiled):
    for target in HOSTILE:
        assert_stays_here(profiled.get("/files/download/gone", query_string={"next": target}), "/", target)


def test_the_reported_download_address_stays_on_site(profiled):
    # Exactly as reported: %09 in the address itself.
    assert_stays_here(profiled.get("/files/download/x?next=/%09/evil.example"), "/", "/%09/evil.example")


def test_show_in_folder_stays_on_site(windowed, shell):
    windowed.post("/about/log")
    ref = re.search(r'action="/files/([^/]+)/reveal"', windowed.get("/about").get_data(as_text=True)).group(1)
    for target in HOSTILE:
        assert_stays_here(windowed.post(f"/files/{ref}/reveal", {"next": target}), "/", target)
    assert len(shell.revealed) == len(HOSTILE)


def test_a_phase_move_stays_on_site(profiled, app):
    did = _deployment(app)
    page = f"/deployments/{did}/move"
    phases = ["paused", "planned"]
    for i, target in enumerate(HOSTILE):
        if not target:
            continue  # no `next` at all: the move returns to the deployment, tested elsewhere
        # The form shown with it links back (Cancel) only to this site.
        html = profiled.get(page, query_string={"next": target}).get_data(as_text=True)
        form = re.search(rf'<form [^>]*action="{page}">.*?</form>', html, re.S).group(0)
        for link in re.findall(r'(?:href|value)="([^"]*)"', form):
            assert "evil.example" not in link and not link.startswith(("javascript:", "data:")), link
        data = {"phase": phases[i % 2], "changed_on": "2026-02-01", "reason": "other", "next": target}  # a pause asks why
        resp = profiled.post(page, data, csrf_from=page)
        assert_stays_here(resp, "/deployments/board", target)


def test_a_path_on_this_site_is_kept(profiled):
    for target in SAFE:
        assert profiled.post("/language", {"lang": "en", "next": target}).headers["Location"] == target
        assert profiled.get("/files/download/gone", query_string={"next": target}).headers["Location"] == target
