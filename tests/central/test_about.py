"""The office's About page: its version, folder, log and merged database, and the licences of
Koordi and of the software it carries -- the coordinator's About's licence part, shared."""

from __future__ import annotations

from app.version import __version__
from tests.central.conftest import OfficeClient
from tests.common import text


def test_the_office_about_page_is_linked_from_every_page_and_lists_the_licences(central_app, central_db, tmp_path):
    notices = tmp_path / "THIRD_PARTY_NOTICES.txt"
    notices.write_text("reportlab 4.4.4\nLicence: BSD-3-Clause\n", encoding="utf-8")
    central_app.config["NOTICES_FILE"] = notices
    client = OfficeClient(central_app)
    for path in ("/", "/reporting", "/settings"):
        assert 'href="/about"' in client.get(path).get_data(as_text=True), path  # the footer's link
    about = text(client.get("/about"))
    assert "Tietoja Koordista" in about and __version__ in about
    assert str(central_db) in about  # the merged database it shows
    assert str(central_app.config["DATA_DIR"] / "logs" / "koordi.log") in about
    assert "Koordi on vapaata ohjelmistoa MIT-lisenssillä." in about and 'href="/about/licences"' in about
    page = client.get("/about/licences")
    assert page.status_code == 200
    licences = text(page)
    assert "Permission is hereby granted, free of charge" in licences  # LICENSE, from the repo root
    assert "Licence: BSD-3-Clause" in licences  # the notices file, as the bundle carries it
    assert 'href="/about"' in page.get_data(as_text=True)  # back to About
    central_app.config["NOTICES_FILE"] = tmp_path / "none.txt"  # a wheel or a source checkout
    assert "Tämä Koordi toimii Python-paketeistaan" in text(client.get("/about/licences"))
