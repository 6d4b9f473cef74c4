"""Issue 15 in a real browser: a twin guidance session asks "Save anyway"; a unit's delete says
what goes with it and Recently deleted restores it; leaving a half-filled form asks first.
axe-core on each new page and state (fi; the every-page sweep covers the pages in fi and sv).

Run: .venv/bin/python -m pytest -n0 tests/browser/test_confirm_journey.py -q
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from app.i18n import HELSINKI
from app.models.methods import seed_id
from tests.browser.conftest import assert_accessible, login, set_language

pytestmark = pytest.mark.browser

IPC = seed_id("ipc")
DAY = dt.datetime.now(HELSINKI).date() - dt.timedelta(days=10)
TYPED = f"{DAY.day}.{DAY.month}.{DAY.year}"


def path_of(page) -> str:
    return urlsplit(page.url).path


def click_and_wait(page, locator) -> int:
    with page.expect_navigation() as nav:
        locator.click()
    return nav.value.status


def test_a_twin_session_asks_and_save_anyway_saves_it(koordi, page):
    login(page, koordi, "/guidance/trainees/new")
    set_language(page, "en")
    page.goto(koordi.url(f"/guidance/trainees/new?method={IPC}"))
    page.fill("#name", "Tuuli Twin")
    assert click_and_wait(page, page.locator("form.form .actions button[type=submit]").first) == 200

    page.goto(koordi.url(f"/guidance/sessions/new?method={IPC}&kind=group"))
    page.fill("#date", TYPED)
    page.locator('input[name="trainees"]').first.check()
    page.fill("#duration_minutes", "60")
    assert click_and_wait(page, page.locator(".actions button[type=submit]")) == 200
    assert "saved=" in page.url

    # The same session again, sent with Enter: a question at the date, not a second session.
    page.fill("#date", TYPED)
    page.locator('input[name="trainees"]').first.check()
    with page.expect_navigation() as nav:
        page.locator("#date").press("Enter")
    assert nav.value.status == 422
    warning = page.locator("#date-warning")
    assert "already saved" in warning.inner_text()
    assert page.locator("#date").get_attribute("aria-describedby").split()[-1] == "date-warning"
    assert page.locator("#error-summary a[href^='/guidance/sessions/']").count() == 1  # the saved one
    expect(page.locator("#error-summary")).to_be_focused()  # koordi.js, at DOMContentLoaded
    assert_accessible(page, "session form asking about its twin")

    assert click_and_wait(page, page.get_by_role("button", name="Save anyway")) == 200
    assert "Saved." in page.locator(".flashes").inner_text()
    page.goto(koordi.url(f"/guidance?start={DAY.isoformat()}&end={DAY.isoformat()}"))
    assert page.locator("tbody tr").count() == 2


def test_delete_says_what_goes_and_recently_deleted_restores(koordi, page):
    login(page, koordi, "/units/new")
    set_language(page, "fi")
    page.fill("#name", "Poistettava yksikkö")
    page.select_option("#service_line", "health_station")
    page.check('input[name="age_group"][value="adults"]')
    assert click_and_wait(page, page.locator("form.form button[type=submit]")) == 200
    unit_path = path_of(page)

    assert click_and_wait(page, page.locator(".record-actions .button-danger")) == 200
    assert path_of(page) == f"{unit_path}/delete"
    main = page.locator("main").inner_text()
    assert "Poistetaanko Poistettava yksikkö?" in main and "Yksikköön ei liity muuta." in main
    assert_accessible(page, "the unit's delete question")
    assert click_and_wait(page, page.locator("main form .button-danger")) == 200
    assert path_of(page) == "/units"

    page.goto(koordi.url("/settings"))
    assert click_and_wait(page, page.get_by_role("link", name="Äskettäin poistetut")) == 200
    row = page.locator("tbody tr", has_text="Poistettava yksikkö")
    assert row.count() == 1 and "Yksikkö" in row.inner_text()
    assert_accessible(page, "recently deleted")
    assert click_and_wait(page, row.get_by_role("button")) == 200
    assert path_of(page) == unit_path
    assert page.get_by_role("heading", level=1).inner_text() == "Poistettava yksikkö"


def test_leaving_a_half_filled_form_asks_first(koordi, page):
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    login(page, koordi, "/units/new")
    set_language(page, "fi")

    # Opened and left untouched: no question.
    page.goto(koordi.url("/units/new"))
    page.locator("#name").click()
    click_and_wait(page, page.locator(".main-nav a").first)
    assert asked == []

    # Typed into, then a link: the browser's "Leave site?" question.
    page.goto(koordi.url("/units/new"))
    page.locator("#name").click()
    page.keyboard.type("Puoliksi täytetty")
    click_and_wait(page, page.locator(".main-nav a").first)
    assert asked == ["beforeunload"]

    # Typed into, then saved (a refusal shows the form again with what was typed): no question
    # on the way; leaving that page does ask, its text is still unsaved.
    page.goto(koordi.url("/units/new"))
    page.locator("#name").click()
    page.keyboard.type("Puoliksi täytetty")
    assert click_and_wait(page, page.locator("form.form button[type=submit]")) == 422
    assert asked == ["beforeunload"]
    page.locator("#municipality").click()
    click_and_wait(page, page.locator(".main-nav a").first)
    assert asked == ["beforeunload", "beforeunload"]
    assert re.fullmatch(r"/|/[a-z]+", path_of(page))
