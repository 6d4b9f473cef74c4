"""Method guidance in a real browser: a group session logged by keyboard only, the trainee's totals,
the method switch with and without JavaScript, and axe-core on every guidance page in fi and sv.

Run: /tmp/venv/bin/python -m pytest tests/browser/test_guidance_journey.py -q -p no:cacheprovider -s
(-s prints how long the keyboard journeys took.)
"""

from __future__ import annotations

import datetime as dt
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from app.core import hetu
from app.i18n import HELSINKI
from app.models.methods import seed_id
from tests.browser.conftest import (
    active_element,
    audit,
    close_contexts,
    format_violations,
    login,
    open_context,
    press,
    set_language,
    squash,
)

pytestmark = pytest.mark.browser

IPC = seed_id("ipc")
COOL_KIDS = seed_id("cool-kids")
GROUP = ["Aino Aaltonen", "Björn Ek", "Ceija Öhman"]
OTHER = "Dora Cool"
NEW_SESSION = "/guidance/sessions/new"


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, button) -> int:
    with page.expect_navigation() as nav:
        button.click()
    return nav.value.status


def add_trainee(page, koordi, name: str, method: str) -> str:
    page.goto(koordi.url(f"/guidance/trainees/new?method={method}"))
    page.fill("#name", name)
    page.fill("#cohort", "Syksy 2026")
    assert submit(page, page.locator("form.form button[type=submit]").first) == 200
    assert re.fullmatch(r"/guidance/trainees/[0-9a-f-]{36}", path_of(page)), page.url
    return path_of(page).rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def trainees(koordi, browser) -> dict[str, str]:
    """Three IPC trainees of one guidance group and one Cool Kids trainee, added in English."""
    context = open_context(browser, "guidance trainees fixture")
    try:
        page = context.new_page()
        login(page, koordi, "/guidance/trainees")
        set_language(page, "en")
        ids = {OTHER: add_trainee(page, koordi, OTHER, COOL_KIDS)}
        ids.update({name: add_trainee(page, koordi, name, IPC) for name in GROUP})  # IPC added last
        return ids
    finally:
        close_contexts([context])


def checked_names(page) -> list[str]:
    return [
        squash(page.locator(f'label[for="{box.get_attribute("id")}"]').inner_text()).replace(" (Syksy 2026)", "")
        for box in page.locator('input[name="trainees"]:checked').all()
    ]


def test_group_session_by_keyboard_then_the_trainees_totals(koordi, trainees, page):
    login(page, koordi, NEW_SESSION)
    set_language(page, "en")
    page.goto(koordi.url(NEW_SESSION))
    today = dt.datetime.now(HELSINKI).date()

    # ---- the first session of the group: choose who came, type the duration, Enter.
    started = time.monotonic()
    # The form's first field has the focus (koordi.js gives it at DOMContentLoaded, before the load
    # goto() waits for: tests/browser/test_foundation_ui.py); expect() names it if it ever does not.
    expect(page.locator("#date")).to_be_focused(timeout=5000)
    el = active_element(page)
    assert el["id"] == "date", f"the form's first field should have focus, not {el['desc']}"
    assert el["value"] == f"{today.day}.{today.month}.{today.year}"  # d.M.yyyy, whatever the engine
    for _ in range(4):  # Chromium's date input takes a Tab per part (day, month, year)
        el = press(page, "Tab")
        if el["id"] != "date":
            break
    assert el["id"] == "method" and el["value"] == IPC, el["desc"]  # the newest trainee's method
    el = press(page, "Tab")  # guidance.js replaced the "show trainees" button: next is the kind
    assert (el["name"], el["value"]) == ("kind", "group"), el["desc"]
    el = press(page, "Tab")  # the cohort's "Tick the whole group": not wanted today
    assert el["name"] == "tick_cohort", el["desc"]
    # Tick Aino and Björn with Space; leave Ceija out.
    for name in GROUP:
        el = press(page, "Tab")
        assert el["name"] == "trainees", el["desc"]
        if name != GROUP[2]:
            page.keyboard.press("Space")
    for _ in range(3):
        el = press(page, "Tab")
        if el["id"] == "duration_minutes":
            break
    assert el["id"] == "duration_minutes", el["desc"]
    page.keyboard.press("Control+a")
    page.keyboard.type("120")
    with page.expect_navigation() as nav:
        page.keyboard.press("Enter")
    first_journey = time.monotonic() - started
    assert nav.value.status == 200

    # Back on a fresh form, with the flash and the "add another" link.
    assert path_of(page) == NEW_SESSION, page.url
    assert "Saved." in page.locator(".flashes").inner_text()
    assert page.locator(".saved-note a").count() == 1
    assert active_element(page)["id"] == "date"
    # The date is left empty (issue 15): the form held the session just saved, and Enter saved it twice.
    assert page.locator("#date").input_value() == ""
    assert checked_names(page) == GROUP[:2]  # the last group's trainees, pre-ticked
    assert page.locator("#duration_minutes").input_value() == "120"
    assert page.locator('input[name="kind"]:checked').get_attribute("value") == "group"

    # ---- the group's previous session, three weeks ago: the rest is already right, so its date and Enter.
    started = time.monotonic()
    earlier = today - dt.timedelta(days=21)
    page.keyboard.type(f"{earlier.day}.{earlier.month}.{earlier.year}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    regular_journey = time.monotonic() - started
    assert "Saved." in page.locator(".flashes").inner_text()
    print(f"\nkeyboard journey: first group session {first_journey:.2f} s, next regular session {regular_journey:.2f} s")
    assert first_journey < 20 and regular_journey < 20

    # ---- Aino's page: two sessions, 240 minutes, 4 h; Ceija's: none.
    page.goto(koordi.url("/guidance/trainees"))
    with page.expect_navigation():
        page.get_by_role("link", name=GROUP[0]).click()
    assert page.get_by_role("heading", level=1).inner_text() == GROUP[0]
    totals = {k: page.locator(f'[data-total="{k}"]').inner_text() for k in ("sessions", "minutes", "hours")}
    assert totals == {"sessions": "2", "minutes": "240 min", "hours": "4,0 h"}, totals
    assert page.locator("table tbody tr").count() == 2
    page.goto(koordi.url(f"/guidance/trainees/{trainees[GROUP[2]]}"))
    assert page.locator('[data-total="sessions"]').inner_text() == "0"


def test_method_switch_with_and_without_javascript(koordi, trainees, new_context):
    # With JavaScript: choosing another method swaps the list in place; focus stays on the select.
    page = new_context().new_page()
    login(page, koordi, NEW_SESSION)
    set_language(page, "en")
    page.goto(koordi.url(NEW_SESSION))
    # The deferred script hides the no-JS button: wait for it rather than race it.
    expect(page.locator("button.show-trainees")).to_be_hidden()
    url = page.url
    page.locator("#method").focus()
    page.select_option("#method", COOL_KIDS)
    # expect() polls from outside the page: a string predicate would be eval()ed inside it, which the CSP refuses.
    expect(page.locator("input[name=trainees]")).to_have_count(1)
    assert page.url == url and active_element(page)["id"] == "method"
    assert squash(page.locator("#trainees-group label").inner_text()).startswith(OTHER)
    assert "1 active trainee" in page.locator("#trainee-options-status").inner_text()

    # Without JavaScript: the button does it with a GET, keeping what was typed, no token in the URL.
    page = new_context(java_script_enabled=False).new_page()
    login(page, koordi, NEW_SESSION)
    page.goto(koordi.url(NEW_SESSION))
    page.fill("#duration_minutes", "75")
    page.select_option("#method", COOL_KIDS)
    button = page.locator("button.show-trainees")
    assert button.is_visible()
    assert submit(page, button) == 200
    query = parse_qs(urlsplit(page.url).query)
    assert query["method"] == [COOL_KIDS] and "csrf_token" not in query and "show" not in query
    assert page.locator("#duration_minutes").input_value() == "75"
    names = [squash(t) for t in page.locator(".trainee-options label").all_inner_texts()]
    assert names == [OTHER]  # under its cohort's heading
    assert page.locator(".cohort-group legend").all_inner_texts() == ["Syksy 2026 (1)"]
    # Enter still saves (the hidden default button comes first), never the method switch.
    page.locator('input[name="trainees"]').check()
    page.locator("#duration_minutes").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == NEW_SESSION and "saved" in urlsplit(page.url).query


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_guidance_pages_pass_axe(lang, koordi, trainees, new_context):
    failures: list[str] = []
    page = new_context().new_page()
    login(page, koordi, "/guidance")
    set_language(page, lang)

    def check(label: str) -> None:
        violations = audit(page)
        if violations:
            failures.append(format_violations(violations, f"[{lang}] {label}: "))

    # A session to list and open, logged through the form.
    page.goto(koordi.url(f"{NEW_SESSION}?method={IPC}"))
    check(NEW_SESSION)
    page.locator(f'input[name="trainees"][value="{trainees[GROUP[2]]}"]').check()
    # A day of its own per language: the same day, method and group again would ask "Save anyway".
    day = dt.datetime.now(HELSINKI).date() - dt.timedelta(days=1 if lang == "fi" else 2)
    page.fill("#date", f"{day.day}.{day.month}.{day.year}")
    assert submit(page, page.locator(".actions button[type=submit]")) == 200
    check(f"{NEW_SESSION} after saving (flash)")
    saved = page.locator(".saved-note a").get_attribute("href")

    # These pages as they open (lists, filtered lists, a session's and a trainee's pages and forms)
    # are audited in both languages by the every-page sweep (tests/browser/test_every_page_axe.py),
    # on fuller data: here they only have to open for this server's own records.
    anna = trainees[GROUP[0]]
    for path in (
        "/guidance",
        saved,
        f"{saved}/edit",
        "/guidance/totals",
        "/guidance/trainees",
        f"/guidance/trainees?method={IPC}&status=active&q=a",
        f"/guidance/trainees/{anna}",
        f"/guidance/trainees/{anna}/edit",
        f"/guidance/trainees/{anna}/erase",
        "/guidance/trainees/new",
    ):
        response = page.goto(koordi.url(path))
        assert response.status == 200, (path, response.status)

    # Forms with errors: a session with no one ticked and a bad duration; a trainee ending before starting.
    page.goto(koordi.url(NEW_SESSION))
    for box in page.locator('input[name="trainees"]').all():
        box.uncheck()
    page.fill("#duration_minutes", "0")
    page.fill("#topics", f"Asiakas {hetu.generate(dt.date(1952, 10, 13), 308)}")
    assert submit(page, page.locator(".actions button[type=submit]")) == 422
    assert page.locator("#error-summary li").count() == 3
    check(f"{NEW_SESSION} with errors")
    page.goto(koordi.url("/guidance/trainees/new"))
    page.fill("#start_date", "2026-09-01")
    page.fill("#end_date", "2026-08-01")
    assert submit(page, page.locator(".actions button[type=submit]").first) == 422
    check("/guidance/trainees/new with errors")

    # Delete with its Undo flash.
    page.goto(koordi.url(saved))
    assert submit(page, page.locator("button.button-danger")) == 200
    check("/guidance after a delete (undo flash)")
    assert submit(page, page.locator(".flash form button")) == 200
    assert path_of(page) == saved

    set_language(page, "fi")
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)
