"""The reports page and the Print / PDF actions over HTTP: period choice with field-named
messages, charts as accessible SVG, PDFs handed over as downloads (or saved in the window),
CSRF on every POST, and the forms on the unit, trainee and event pages."""

from __future__ import annotations

import re
import shutil

import pytest

from app import create_app
from app.files import OsShell
from app.store import DB_NAME
from tests.common import text
from tests.conftest import AuthClient
from tests.reports.conftest import ASA, EVENT_TITLE, MARKER, UNIT_NAME, Sql
from tests.reports.pdftools import lines, reader


def errors(resp) -> list[str]:
    return re.findall(r'<p class="error" id="[^"]+">([^<]+)</p>', text(resp))


@pytest.fixture(scope="module")
def data(marked_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("views") / "data"
    folder.mkdir()
    shutil.copy2(marked_dir / DB_NAME, folder / DB_NAME)
    return folder


@pytest.fixture(scope="module")
def app(data):
    app = create_app({"DATA_DIR": data, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    yield app
    app.extensions["koordi.store"].dispose()


@pytest.fixture(scope="module")
def client(app):
    return AuthClient(app)


@pytest.fixture(scope="module")
def ids(data):
    sql = Sql(data)
    return {
        "unit": sql.value("SELECT id FROM units WHERE name = ?", UNIT_NAME),
        "trainee": sql.value("SELECT id FROM trainees WHERE name = ?", ASA),
        "event": sql.value("SELECT id FROM events WHERE title = ?", EVENT_TITLE),
    }


def test_reports_page_shows_this_year_with_charts(client, today):
    resp = client.get("/reports")
    html = text(resp)
    assert resp.status_code == 200 and f"Vuosi {today.year}" in html
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 2 and all('role="img"' in s and "aria-labelledby" in s for s in svgs)
    assert "style=" not in html  # inline styles would break under the CSP
    assert html.split('<main id="main"', 1)[1].count("<details>") == 2  # each chart's figures as a table
    assert re.search(r'<form method="post" action="/reports/period.pdf"', html)


def test_period_choice_is_validated_with_field_named_messages(client):
    resp = client.get("/reports?kind=custom&date_from=2026-05-01&date_to=2026-04-01")
    assert errors(resp) == ["Päättyen: päivä ei voi olla ennen kauden alkua."]
    assert "<svg" not in text(resp) and "Tarkista nämä kentät" in text(resp)
    resp = client.get("/reports?kind=custom&date_from=&date_to=")
    assert errors(resp) == ["Alkaen: anna päivä vapaalle aikavälille.", "Päättyen: anna päivä vapaalle aikavälille."]
    resp = client.get("/reports?kind=year&year=1999")
    assert errors(resp) == ["Anna vuosi väliltä 2000–2100."]
    resp = client.get("/reports?kind=custom&date_from=2019-01-01&date_to=2026-01-01")
    assert errors(resp) == ["Päättyen: kausi voi olla enintään 60 kuukautta pitkä."]


def test_month_and_quarter(client, today):
    html = text(client.get(f"/reports?kind=quarter&year={today.year}&quarter=2"))
    assert f"2. vuosineljännes {today.year}" in html and f"1.4.{today.year}–30.6.{today.year}" in html
    html = text(client.get(f"/reports?kind=month&year={today.year}&month=3"))
    assert f"Maaliskuu {today.year}" in html


def test_period_pdf_is_a_download(client, today):
    query = f"kind=month&year={today.year}&month={today.month}"
    resp = client.post(f"/reports/period.pdf?{query}", {}, csrf_from=f"/reports?{query}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert f"kausiraportti_{today.year}-{today.month:02d}-01_" in resp.headers["Content-Disposition"]
    assert lines(resp.data)[0] == "Kausiraportti" and reader(resp.data).metadata.title == "Kausiraportti"
    # A bad period goes back to the page that says what is wrong; no CSRF token, no file.
    resp = client.post("/reports/period.pdf?kind=year&year=1800", {}, csrf_from="/reports")
    assert resp.status_code == 302 and "/reports?kind=year&year=1800" in resp.headers["Location"]
    assert client.http.post(f"/reports/period.pdf?{query}", data={}).status_code == 400


def test_unit_summary_from_the_unit_page(client, ids, today):
    page = text(client.get(f"/units/{ids['unit']}"))
    assert f'action="/units/{ids["unit"]}/summary.pdf"' in page and 'id="print-date_from"' in page
    form = {"print-date_from": f"{today.year}-01-01", "print-date_to": f"{today.year}-12-31"}
    resp = client.post(f"/units/{ids['unit']}/summary.pdf", form, csrf_from=f"/units/{ids['unit']}")
    assert resp.status_code == 200 and lines(resp.data)[0] == "Yksikköyhteenveto"
    assert MARKER not in "\n".join(lines(resp.data))
    resp = client.post(
        f"/units/{ids['unit']}/summary.pdf", {**form, "print-include_notes": "y"}, csrf_from=f"/units/{ids['unit']}"
    )
    assert MARKER in "\n".join(lines(resp.data))
    bad = {"print-date_from": f"{today.year}-05-01", "print-date_to": f"{today.year}-01-31"}
    resp = client.post(f"/units/{ids['unit']}/summary.pdf", bad, csrf_from=f"/units/{ids['unit']}")
    assert resp.status_code == 422 and errors(resp) == ["Päättyen: päivä ei voi olla ennen kauden alkua."]
    assert client.post("/units/no-such-unit/summary.pdf", form, csrf_from="/reports").status_code == 404


def test_attestation_from_the_trainee_page(client, ids, app):
    page = text(client.get(f"/guidance/trainees/{ids['trainee']}"))
    assert f'action="/guidance/trainees/{ids["trainee"]}/attestation.pdf"' in page
    resp = client.post(
        f"/guidance/trainees/{ids['trainee']}/attestation.pdf", {}, csrf_from=f"/guidance/trainees/{ids['trainee']}"
    )
    assert resp.status_code == 200 and ASA in lines(resp.data)


def test_no_attestation_for_an_erased_trainee(client, app):
    from app.guidance import ops
    from app.models.methods import seed_id

    with app.extensions["koordi.store"].Session() as s:
        person = ops.save_trainee(s, ops.TraineeData(name="Erkki Poistettava", method_id=seed_id("ipc")))
        ops.erase_trainee(s, person)
        person_id = person.id
    page = text(client.get(f"/guidance/trainees/{person_id}"))
    assert "attestation.pdf" not in page and "henkilötiedot on poistettu" in page
    resp = client.post(f"/guidance/trainees/{person_id}/attestation.pdf", {}, csrf_from="/reports")
    assert resp.status_code == 302
    assert "henkilötiedot on poistettu" in text(client.get(resp.headers["Location"]))


def test_signin_sheet_from_the_event_page(client, ids):
    page = text(client.get(f"/events/{ids['event']}"))
    assert f'action="/events/{ids["event"]}/signin.pdf"' in page and 'id="print-rows"' in page
    resp = client.post(f"/events/{ids['event']}/signin.pdf", {"print-rows": "30"}, csrf_from=f"/events/{ids['event']}")
    assert resp.status_code == 200 and lines(resp.data)[:2] == ["Osallistujalista", EVENT_TITLE]
    for rows in ("0", "500", "kolme"):
        resp = client.post(f"/events/{ids['event']}/signin.pdf", {"print-rows": rows}, csrf_from=f"/events/{ids['event']}")
        assert resp.status_code == 422 and errors(resp), rows


class SavingShell(OsShell):
    def __init__(self):
        self.opened = []

    def ask_save_path(self, folder, filename):
        return folder / filename

    def open_path(self, path):
        self.opened.append(path)


def test_in_the_window_the_pdf_is_saved_and_opened(data, tmp_path, today):
    app = create_app({"DATA_DIR": data, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "SHELL": SavingShell()})
    try:
        from app.settings import ops

        with app.extensions["koordi.store"].Session() as s:
            ops.save_settings(s, {ops.SAVE_FOLDER_KEY: str(tmp_path), ops.SAVE_MODE_KEY: "folder"})
        client = AuthClient(app)
        query = f"kind=year&year={today.year}"
        resp = client.post(f"/reports/period.pdf?{query}", {}, csrf_from="/reports")
        assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/reports?{query}")
        saved = tmp_path / f"kausiraportti_{today.year}-01-01_{today.year}-12-31.pdf"
        assert app.config["SHELL"].opened == [saved] and lines(saved.read_bytes())[0] == "Kausiraportti"
    finally:
        app.extensions["koordi.store"].dispose()
