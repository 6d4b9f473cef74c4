"""Deployments in a real browser: start one for a unit, move it along the board by keyboard;
axe-core on the list, the form with errors, the detail page and the board, in fi and sv.

Run: /tmp/venv/bin/python -m pytest tests/browser/test_deployments_journey.py -q -p no:cacheprovider

The assertions read structure (ids, columns, URLs), not wording: the Finnish and Swedish
catalogs are merged separately, and the journey must hold before and after.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy.orm import Session

from app.core.text import fold
from app.models import Unit
from app.models.methods import seed_id
from app.store import DB_NAME
from app.store.engine import make_engine
from tests.browser.conftest import active_element, assert_accessible, login, set_language

pytestmark = pytest.mark.browser

COOL_KIDS = seed_id("cool-kids")


def add_unit(koordi, name: str) -> str:
    """A unit written straight into the running Koordi's database (the units UI has its own journey)."""
    engine = make_engine(koordi.data_dir / DB_NAME)
    try:
        with Session(engine) as s:
            unit = Unit(name=name, name_key=fold(name), service_line="school_student_health", age_group="children_youth")
            s.add(unit)
            s.commit()
            return unit.id
    finally:
        engine.dispose()


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, selector: str = "form.form button[type=submit]"):
    with page.expect_navigation() as nav:
        page.locator(selector).click()
    return nav.value


def column_of(page, deployment_id: str) -> str:
    """The phase the deployment's cell on the units × methods map shows (its class: the word is
    checked by the page tests)."""
    cell = page.locator(f"#d-{deployment_id}")
    assert cell.count() == 1, f"cell {deployment_id} is not on the map"
    return cell.evaluate("el => el.className.match(/phase-(\\w+)/)[1]")


def tab_to(page, predicate_js: str, what: str, limit: int = 80) -> dict:
    """Press Tab until the focused element satisfies `predicate_js` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate_js})(document.activeElement)"):
            return active_element(page)
    pytest.fail(f"Tab never reached {what}")


def test_start_a_deployment_and_move_it_along_the_map_by_keyboard(koordi, page):
    unit_id = add_unit(koordi, "Tammisaaren koulun oppilashuolto")
    login(page, koordi, "/deployments")
    set_language(page, "fi")

    # Start it the way a unit's page does: /deployments/new?unit=<id> has the unit chosen.
    page.goto(koordi.url(f"/deployments/new?unit={unit_id}"))
    assert page.locator("#unit_id").input_value() == unit_id
    page.select_option("#method_id", COOL_KIDS)
    page.fill("#professionals_trained", "3")
    assert submit(page).status == 200
    m = re.fullmatch(r"/deployments/([0-9a-f-]{36})", path_of(page))
    assert m, page.url
    did = m.group(1)
    assert page.locator("table.history tbody tr").count() == 1

    # The map, by keyboard only: Tab to the cell's menu, Enter opens it, Tab to its one-press move, Enter.
    page.goto(koordi.url("/deployments/board"))
    assert column_of(page, did) == "planned"
    summary = f"el => el.tagName === 'SUMMARY' && !!el.closest('#d-{did}')"
    in_cell_button = f"el => el.tagName === 'BUTTON' && !!el.closest('#d-{did}')"
    for expected in ("training", "pilot", "in_use"):
        tab_to(page, summary, "the cell's menu")
        page.keyboard.press("Enter")
        tab_to(page, in_cell_button, "the move button in the cell's menu", limit=3)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert path_of(page) == "/deployments/board" and urlsplit(page.url).fragment == f"d-{did}"
        assert column_of(page, did) == expected
        assert page.get_by_role("status").count() == 1  # "... moved to ..." with its Undo
        # Back on the map the cell is the starting point: the next Tab stops inside it.
        el = press_tab(page)
        assert page.evaluate(f"!!document.activeElement.closest('#d-{did}')"), f"Tab went to {el['desc']}"
        page.keyboard.press("Shift+Tab")

    # Undo from the message: the cell is back in pilot.
    with page.expect_navigation():
        page.get_by_role("button", name="Kumoa").click()
    assert column_of(page, did) == "pilot"
    with page.expect_navigation():
        page.locator(f"#d-{did} summary").click()
        page.locator(f"#d-{did} button").click()
    assert column_of(page, did) == "in_use"

    # "Other phase…" from the cell's menu: a form whose phase list has the focus; pause it.
    page.locator(f"#d-{did} summary").click()
    tab_to(
        page,
        f"el => el.tagName === 'A' && el.getAttribute('href').includes('/move') && !!el.closest('#d-{did}')",
        "the cell's other-phase link",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == f"/deployments/{did}/move"
    assert active_element(page)["id"] == "phase"
    assert page.locator("#phase").input_value() == "embedded"  # the usual next step is offered first
    page.keyboard.press("ArrowDown")
    assert page.locator("#phase").input_value() == "paused"
    page.select_option("#reason", "staff_turnover")  # pausing asks why
    tab_to(page, "el => el.type === 'submit' && !!el.closest('form.form')", "the move form's submit button", limit=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == "/deployments/board"
    assert column_of(page, did) == "paused"

    # The history keeps every step, in order.
    page.goto(koordi.url(f"/deployments/{did}"))
    assert page.locator("table.history tbody tr").count() == 5
    assert page.locator("table.history tbody tr.current").count() == 1


def press_tab(page) -> dict:
    page.keyboard.press("Tab")
    return active_element(page)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_deployment_pages_pass_axe(koordi, page, lang):
    unit_id = add_unit(koordi, f"Axe-yksikkö {lang}")
    login(page, koordi, "/deployments")
    set_language(page, lang)

    # The form with errors at its fields. The every-page sweep (tests/browser/test_every_page_axe.py)
    # audits in both languages the empty form, the list (filtered too), the board and a refused move.
    page.goto(koordi.url("/deployments/new"))
    page.fill("#professionals_trained", "-1")
    page.fill("#pilot_start", "2026-05-01")
    page.fill("#pilot_end", "2026-04-01")
    assert submit(page).status == 422
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#unit_id").get_attribute("aria-invalid") == "true"
    assert_accessible(page, f"[{lang}] new deployment with errors")

    # Save one, then its detail page (with a flash), the list and the board.
    page.select_option("#unit_id", unit_id)
    page.select_option("#method_id", COOL_KIDS)
    page.fill("#professionals_trained", "2")
    page.fill("#pilot_end", "2026-06-30")
    assert submit(page).status == 200
    assert_accessible(page, f"[{lang}] detail")
    did = path_of(page).rsplit("/", 1)[1]

    page.goto(koordi.url(f"/deployments/{did}/move"))
    page.fill("#changed_on", "2000-01-01")
    assert submit(page).status == 422

    # Deleting shows the Undo message on the list.
    page.goto(koordi.url(f"/deployments/{did}"))
    assert submit(page, "form.inline .button-danger").status == 200
    assert path_of(page) == "/deployments"
    assert_accessible(page, f"[{lang}] list after delete")
    set_language(page, "fi")
