"""Reports in a real browser, on `koordi demo` data: pick a month on the reports page, see its
charts, download the period PDF and read it back; axe-core on the reports page (with and
without errors) and on the unit, trainee and event pages that got a Print / PDF box, in fi and sv.

Run: .venv/bin/python -m pytest tests/browser/test_reports_journey.py -q -p no:cacheprovider
"""

from __future__ import annotations

import sqlite3

import pytest

from app.i18n import HELSINKI
from tests.browser.conftest import assert_accessible, launch_demo_koordi, login, set_language
from tests.reports.pdftools import lines, page_labels

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_koordi(tmp_path_factory):
    """A server on a data folder that `koordi demo` filled (its profile included)."""
    koordi = launch_demo_koordi(tmp_path_factory.mktemp("reports-browser") / "data")
    yield koordi
    koordi.stop()


def first_id(koordi, sql: str) -> str:
    conn = sqlite3.connect(f"{(koordi.data_dir / 'koordi.sqlite3').as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_pick_a_month_and_download_its_report(demo_koordi, page, tmp_path):
    import datetime as dt

    today = dt.datetime.now(HELSINKI).date()
    login(page, demo_koordi, "/reports")
    set_language(page, "fi")
    assert page.locator("h1").inner_text() == "Raportit"
    page.check('input[name="kind"][value="month"]')
    page.fill("#year", str(today.year))
    page.select_option("#month", str(today.month))
    with page.expect_navigation():
        page.get_by_role("button", name="Näytä").click()
    assert f"kind=month&year={today.year}&month={today.month}" in page.url
    charts = page.locator("svg[role=img]")
    assert charts.count() == 2 and charts.first.is_visible()
    assert page.locator("#events-per-month-title").text_content() == "Tapahtumat kuukausittain: pidetyt ja suunnitellut"
    page.locator("main summary").first.click()  # the figures behind the chart, as a table
    assert page.locator("figure.chart table").first.is_visible()
    held = page.locator('[data-figure="events-held"]').inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tulosta / PDF").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith(f"kausiraportti_{today.year}-{today.month:02d}-01_{today.year}-{today.month:02d}-")
    data = saved.read_bytes()
    text = lines(data)
    assert text[0] == "Kausiraportti" and page_labels(data)[0] == (1, len(page_labels(data)))
    held_count, planned_count = held.split(" / ")[0], held.split(" / ")[1].split()[0]
    assert f"{held_count} / {planned_count} suunnitellusta" in text[text.index("Pidetyt tapahtumat") + 1]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_reports_and_print_boxes_pass_axe(demo_koordi, page, lang):
    # The reports page as it opens and the unit, trainee and event pages (their Print / PDF box
    # included) are audited on demo data in both languages by the every-page sweep
    # (tests/browser/test_every_page_axe.py): here the states it never reaches, the errors.
    login(page, demo_koordi, "/reports")
    set_language(page, lang)
    page.goto(demo_koordi.url("/reports?kind=custom&date_from=2026-05-01&date_to=2026-04-01"))
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, f"{lang} reports page with errors")
    unit = first_id(demo_koordi, "SELECT id FROM units WHERE deleted = 0 ORDER BY name_key LIMIT 1")
    trainee = first_id(demo_koordi, "SELECT id FROM trainees WHERE deleted = 0 ORDER BY name_key LIMIT 1")
    event = first_id(demo_koordi, "SELECT id FROM events WHERE deleted = 0 ORDER BY date DESC LIMIT 1")
    for path in (f"/units/{unit}", f"/guidance/trainees/{trainee}", f"/events/{event}"):
        page.goto(demo_koordi.url(path))
        assert page.locator("section.print-box").is_visible()
    # A bad sign-in row count comes back as a page with the error at its field.
    page.fill("#print-rows", "500")
    with page.expect_navigation():
        page.locator("section.print-box button[type=submit]").click()
    assert page.locator("#print-rows-error").is_visible()
    assert_accessible(page, f"{lang} sign-in form with errors")
