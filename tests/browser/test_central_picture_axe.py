"""axe-core on the national picture's pages of the office's Koordi (`koordi central serve`), in
Finnish and Swedish, on the small scripted merged database: every section, with its charts and
linked tables, the filters, and the rows behind a figure reached by clicking one."""

from __future__ import annotations

import sys
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import SERVER_ORIGINS, Koordi, assert_accessible, set_language
from tests.central import picture_data as pd
from tests.conftest import koordi_env, start_server

pytestmark = pytest.mark.browser

SPAN = urlencode(pd.SPAN)
PAGES = [
    f"/picture?{SPAN}",
    f"/picture/deployments?{SPAN}&level=area",
    f"/picture/events?{SPAN}&level=method",
    f"/picture/guidance?{SPAN}&level=coordinator",
    f"/picture/surveys?{SPAN}",
    f"/picture/indicators?{SPAN}",
]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("picture-axe")
    db = folder / "kansallinen.sqlite3"
    pd.build(str(db)).dispose()
    command = [sys.executable, "-m", "app", "central", "serve", "--db", str(db), "--data-dir", str(folder / "office")]
    server = start_server(command, koordi_env())
    koordi = Koordi(server, folder)
    SERVER_ORIGINS.add(koordi.origin)
    yield koordi
    koordi.stop()


def test_the_national_picture_has_no_axe_violations_in_finnish_and_swedish(office, page):
    page.goto(office.login_url(PAGES[0].split("?")[0]))
    for lang in ("fi", "sv"):
        set_language(page, lang)
        for path in PAGES:
            page.goto(office.url(path))
            assert page.locator("svg[role=img]").count() >= (0 if "indicators" in path else 1), path
            assert_accessible(page, f"{lang} {path}")
        # A figure's link: the events of Itä-Suomi held in the span.
        page.goto(office.url(f"/picture/events?{SPAN}&level=area"))
        row = page.locator("#events-by-row tbody tr", has_text={"fi": "Itä-Suomi", "sv": "Östra Finland"}[lang])
        row.locator("td").nth(1).get_by_role("link").click()
        page.wait_for_url("**/picture/rows?**")
        assert page.locator(".picture-rows tbody tr").count() == 1
        assert "Tapahtuma e8" in page.locator(".picture-rows").inner_text()
        assert_accessible(page, f"{lang} rows")
