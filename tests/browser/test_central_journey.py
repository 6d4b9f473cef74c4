"""The central office in a real browser (`koordi central serve` on a merged database of the
scripted year: tests/central/scripted.py): open the reporting grid, filter it to Itä-Suomi, find
who is late, open that coordinator's files; drop a zip onto the merge page and follow its run
(central.js under the CSP); axe-core on every office page of part A in Finnish and Swedish."""

from __future__ import annotations

import sys

import pytest

from tests.browser.conftest import SERVER_ORIGINS, Koordi, assert_accessible, set_language, squash
from tests.central.exports import make_scripted, merge_scripted
from tests.conftest import koordi_env, start_server

pytestmark = pytest.mark.browser

YEAR = "/reporting?from=2026-01&to=2026-12"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("central-journey")
    db = folder / "kansallinen.sqlite3"
    merge_scripted(db, make_scripted(folder / "scripted", keys=("B", "C", "F")))  # and H, added by hand
    command = [sys.executable, "-m", "app", "central", "serve", "--db", str(db), "--data-dir", str(folder / "office")]
    koordi = Koordi(start_server(command, koordi_env()), folder)
    SERVER_ORIGINS.add(koordi.origin)
    yield koordi
    koordi.stop()


def test_find_who_is_late_in_ita_suomi_and_open_their_files(office, page):
    page.goto(office.login_url("/reporting"))
    page.goto(office.url(YEAR))
    assert page.locator("h1").inner_text() == "Raportointi"
    assert page.locator("td.st-late").count() == 1 and page.locator("td.st-missing").count() > 1  # C stopped in July
    assert page.get_by_role("rowheader", name="Cecilia Poissa").count() == 1
    assert_accessible(page, "grid, fi")
    page.select_option("#filter-area", "ita-suomi")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    assert "area=ita-suomi" in page.url
    rows = [squash(t) for t in page.locator("table.reporting-grid tbody th[scope=row]").all_inner_texts()]
    assert rows == ["Fanni Valmis", "Bertta Myöhä", "Hilkka Tulossa"]  # by county, as the country lists them
    late = page.locator("td.st-late")
    assert late.count() == 1
    row = late.locator("xpath=ancestor::tr")
    assert squash(row.locator("th").inner_text()) == "Bertta Myöhä"
    assert "myöhässä" in late.inner_text()
    with page.expect_navigation():
        late.locator("a").click()
    assert page.locator("h1").inner_text() == "Bertta Myöhä"
    assert page.url.endswith("#period-2026-03")
    march = page.locator("#period-2026-03")
    assert "myöhässä" in march.inner_text() and "14.4.2026" in march.inner_text()
    march.locator("a").click()  # an in-page link to the file that covered March
    page.wait_for_function("location.hash.startsWith('#file-')")
    target = page.evaluate("location.hash")
    assert target.startswith("#file-") and page.locator(target).inner_text().startswith("B_20260425_")
    assert_accessible(page, "coordinator, fi")


def test_drop_a_zip_and_follow_its_merge(office, page, tmp_path):
    page.goto(office.login_url("/files"))
    assert page.locator("[data-drop-hint]").is_visible()
    # A file dropped onto the form lands in its file input (a DataTransfer, as a drag from the desktop).
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["not a zip"], "rikki.zip", {type: "application/zip"}));
            const zone = document.querySelector("[data-drop-zone]");
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }"""
    )
    assert page.locator("[data-chosen] li").all_inner_texts() == ["rikki.zip"]
    assert page.evaluate("document.querySelector('input[type=file]').files.length") == 1
    with page.expect_navigation():
        page.locator("form.merge-form button[type=submit]").click()
    progress = page.locator(".merge-progress")
    # Done when the run says so ("Valmis" alone would match "Valmistellaan kansallista kuvaa…" too).
    page.locator(".merge-progress[data-done=true]").wait_for()
    assert squash(progress.inner_text()) == "Valmis: 1 tiedostosta 0 yhdistetty, 1 hylätty."
    assert "tämä ei ole zip-tiedosto" in page.locator(".merge-refused").inner_text()
    assert_accessible(page, "merge run, fi")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_office_pages_are_accessible(office, page, lang):
    """The journeys above audit the grid, a coordinator and a merge in Finnish; here the rest, and
    in Swedish everything once."""
    page.goto(office.login_url("/"))
    set_language(page, lang)
    # YEAR + "&to=2025-01" and a month that is not one: bad filters, named at their fields
    paths = ["/", "/files", "/settings", "/about", "/about/licences", YEAR + "&to=2025-01", "/reporting?from=maaliskuu"]
    if lang == "sv":
        paths.append(YEAR)
    for path in paths:
        page.goto(office.url(path))
        assert_accessible(page, f"{path}, {lang}")
    # A form sent wrong: its messages at the fields.
    page.goto(office.url("/settings/roster/new"))
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, f"roster form with errors, {lang}")
    if lang == "sv":
        page.goto(office.url(YEAR))
        page.locator("table.reporting-grid tbody th[scope=row] a").first.click()
        page.wait_for_load_state()
        assert_accessible(page, "coordinator, sv")
