"""The central-office summary from the reports page: the same PDF as `koordi report central`,
from a merged database named by its path, with clear messages at the field when it is not one."""

from __future__ import annotations

import pytest

from tests.reports.pdftools import lines


@pytest.fixture
def en(profiled):
    profiled.post("/language", {"lang": "en", "next": "/reports"})
    return profiled


def post(client, **data):
    return client.post("/reports/central", data, csrf_from="/reports/central")


def test_the_reports_page_leads_to_the_central_summary(profiled):
    page = profiled.get("/reports").get_data(as_text=True)
    assert 'href="/reports/central"' in page
    form = profiled.get("/reports/central")
    assert form.status_code == 200 and 'name="database"' in form.get_data(as_text=True)


def test_a_merged_database_gives_the_summary_pdf(profiled, central_db):
    # Pasted as Windows Explorer's "Copy as path" gives it: in quotes.
    resp = post(profiled, database=f'"{central_db}"')
    assert resp.status_code == 200 and resp.mimetype == "application/pdf", resp.get_data(as_text=True)[:500]
    text = lines(resp.data)
    assert text[0] == "Keskustoimiston yhteenveto" and "Hyvinvointialueittain" in text
    assert "Länsi-Uusimaa" in text and "Lappi" in text


def test_a_span_of_dates_goes_into_the_document(profiled, central_db):
    resp = post(profiled, database=str(central_db), date_from="2026-01-01", date_to="2026-06-30")
    assert resp.status_code == 200
    assert any("1.1.2026–30.6.2026" in line for line in lines(resp.data))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"database": ""}, "Give the merged database."),
        ({"database": "/no/such/folder/keskus.sqlite3"}, "does not exist"),
        ({"database": "mysql://someone@somewhere/db"}, "SQLite file or a PostgreSQL database only"),
        ({"date_from": "2026-06-01", "date_to": "2026-01-01"}, "cannot be before the start of the period"),
    ],
)
def test_bad_input_is_named_at_its_field(en, central_db, values, message):
    resp = post(en, **{"database": str(central_db), **values})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)


def test_a_coordinators_own_database_is_not_a_central_one(en, app):
    own = app.config["DATA_DIR"] / "koordi.sqlite3"
    resp = post(en, database=str(own))
    assert resp.status_code == 422
    assert "is not a Koordi central database" in resp.get_data(as_text=True)


def test_the_message_is_in_the_users_language(profiled):
    profiled.post("/language", {"lang": "fi", "next": "/reports/central"})
    resp = post(profiled, database="/no/such/folder/keskus.sqlite3")
    assert resp.status_code == 422 and "Kansiota /no/such/folder ei ole" in resp.get_data(as_text=True)
