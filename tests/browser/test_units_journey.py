"""Units and methods in a real browser: add a unit, find it, delete and undo; axe-core in fi and sv.

Run: /tmp/venv/bin/python -m pytest tests/browser/test_units_journey.py -q -p no:cacheprovider
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from app.models.methods import seed_id
from tests.browser.conftest import assert_accessible, login, set_language

pytestmark = pytest.mark.browser

UNIT_NAME = "Äänekosken Perheneuvola"
IPC = seed_id("ipc")


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, selector: str = "form.form button[type=submit]"):
    with page.expect_navigation() as nav:
        page.locator(selector).click()
    return nav.value


def test_add_find_delete_and_undo_a_unit(koordi, page):
    login(page, koordi, "/units/new")
    set_language(page, "fi")

    # Add a unit through the form; the first, empty try is refused at the fields.
    assert submit(page).status == 422
    assert page.locator("#name").get_attribute("aria-invalid") == "true"
    page.fill("#name", UNIT_NAME)
    page.select_option("#service_line", "family_counselling")
    page.check('input[name="age_group"][value="children_youth"]')
    page.fill("#municipality", "Äänekoski")
    page.fill("#professionals", "6")
    page.fill("#supervisor_name", "Sanna Esimies")
    assert submit(page).status == 200
    unit_path = path_of(page)
    assert re.fullmatch(r"/units/[0-9a-f-]{36}", unit_path)
    assert page.get_by_role("heading", level=1).inner_text() == UNIT_NAME

    # Find it by typing its name in lowercase, ä and all.
    page.goto(koordi.url("/units"))
    page.fill("#q", "äänekosken perheneuvola")
    with page.expect_navigation():
        page.locator("form.filters button[type=submit]").click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Sanna Esimies" not in page.content()  # personal data stays off the list
    with page.expect_navigation():
        rows.first.get_by_role("link", name=UNIT_NAME).click()
    assert path_of(page) == unit_path
    assert "Sanna Esimies" in page.locator("main").inner_text()

    # Delete it (after the page saying what goes with it); the list no longer has it; Undo in
    # the message brings it back.
    with page.expect_navigation():
        page.locator(".record-actions .button-danger").click()
    assert path_of(page) == f"{unit_path}/delete"
    with page.expect_navigation():
        page.locator("main form .button-danger").click()
    assert path_of(page) == "/units"
    assert page.locator(f'a[href="{unit_path}"]').count() == 0
    flash = page.get_by_role("status")
    assert UNIT_NAME in flash.inner_text()
    with page.expect_navigation():
        flash.locator("button").click()
    assert path_of(page) == unit_path
    assert page.get_by_role("heading", level=1).inner_text() == UNIT_NAME


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_units_and_methods_pages_pass_axe(koordi, page, lang):
    login(page, koordi, "/units")
    set_language(page, lang)

    # A unit to look at, through the form (the first, empty try gives the form with errors).
    page.goto(koordi.url("/units/new"))
    assert submit(page).status == 422
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, f"{lang} unit form with errors")
    page.fill("#name", f"Axe-yksikkö {lang}")
    page.select_option("#service_line", "health_station")
    page.check('input[name="age_group"][value="both"]')
    page.fill("#supervisor_email", "esimies@example.org")
    submit(page)
    assert_accessible(page, f"{lang} unit page")

    # The lists and a method's page are audited in both languages by the every-page sweep
    # (tests/browser/test_every_page_axe.py); here they only have to show this server's rows.
    page.goto(koordi.url("/units?q=axe"))
    assert page.locator("tbody tr").count() >= 1

    page.goto(koordi.url("/methods?retired=y"))
    assert page.locator("tbody tr").count() >= 17

    page.goto(koordi.url(f"/methods/{IPC}"))
    assert page.get_by_role("heading", level=1).is_visible()
