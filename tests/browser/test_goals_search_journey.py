"""Goals, search and the dashboard in a real browser: add a goal and an update and see the
progress, search for it and open the result; axe-core on every page in fi and sv.

Run: /tmp/venv/bin/python -m pytest tests/browser/test_goals_search_journey.py -q -p no:cacheprovider
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy.orm import Session

from app.core.text import fold
from app.i18n import HELSINKI
from app.models import Deployment, Event, EventUnit, Goal, GoalUpdate, Unit
from app.models.methods import seed_id
from app.store.engine import make_engine
from tests.browser.conftest import assert_accessible, login, set_language

pytestmark = pytest.mark.browser

IPC = seed_id("ipc")
GOAL_TITLE = "Äänekosken IPC-ohjaajat koulutettu"


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, selector: str = "form.form button[type=submit]"):
    with page.expect_navigation() as nav:
        page.locator(selector).first.click()
    return nav.value


def today() -> dt.date:
    return dt.datetime.now(HELSINKI).date()


def seed_dashboard(data_dir) -> None:
    """Rows for every dashboard section, written to the running server's database (WAL allows it)."""
    engine = make_engine(data_dir / "koordi.sqlite3")
    with Session(engine) as s:
        met = Unit(
            name="Kajaanin perheneuvola",
            name_key=fold("Kajaanin perheneuvola"),
            service_line="family_counselling",
            age_group="both",
        )
        quiet = Unit(
            name="Öljymäen terveysasema",
            name_key=fold("Öljymäen terveysasema"),
            service_line="health_station",
            age_group="adults",
        )
        s.add_all([met, quiet])
        s.flush()
        event = Event(type="workshop", title="IPC-työpaja", date=today(), start_time=dt.time(9, 0))
        s.add(event)
        s.flush()
        goal = Goal(
            title="Kymmenen koulutettua",
            method_id=IPC,
            target_value=10,
            metric="koulutetut",
            target_date=today() + dt.timedelta(days=20),
        )
        s.add_all(
            [
                EventUnit(event_id=event.id, unit_id=met.id),
                goal,
                Deployment(unit_id=met.id, method_id=IPC, phase="pilot", phase_since=today()),
            ]
        )
        s.flush()
        s.add(GoalUpdate(goal_id=goal.id, date=today(), value=3))
        s.commit()
    engine.dispose()


def test_add_a_goal_with_an_update_then_find_it(koordi, page):
    login(page, koordi, "/goals/new")
    set_language(page, "fi")

    # The empty form is refused at its fields.
    assert submit(page).status == 422
    assert page.locator("#title").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary").is_visible()
    page.fill("#title", GOAL_TITLE)
    page.select_option("#method_id", IPC)
    page.fill("#metric", "koulutetut ohjaajat")
    page.fill("#target_value", "8")
    page.fill("#target_date", (today() + dt.timedelta(days=200)).isoformat())
    assert submit(page).status == 200
    goal_path = path_of(page)
    assert re.fullmatch(r"/goals/[0-9a-f-]{36}", goal_path)
    assert page.get_by_role("heading", level=1).inner_text() == GOAL_TITLE

    # An update: today is filled in; the progress shows as a bar and in words.
    assert page.locator("#date").input_value() == f"{today().day}.{today().month}.{today().year}"  # d.M.yyyy
    page.fill("#value", "6")
    page.fill("#note", "Kevään koulutus")
    assert submit(page, "form[action$='/updates'] button[type=submit]").status == 200
    assert path_of(page) == goal_path
    bar = page.locator("main progress").first
    assert bar.get_attribute("value") == "75" and bar.get_attribute("max") == "100"
    assert "75 % · 6 / 8 koulutetut ohjaajat" in page.locator("main").inner_text().replace("\xa0", " ")
    assert "Kevään koulutus" in page.locator("main table").inner_text()

    # Search in lowercase, ä and all, with the start of a word; open the result.
    page.goto(koordi.url("/search"))
    # Type at once: the box has the focus (autofocus runs at the page's next rendering step, so wait
    # for it; it fails if the focus never comes).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'", timeout=5000)
    page.keyboard.type("äänekosken ipc-ohj")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'q'", timeout=5000)  # again on the results
    results = page.locator(".search-results a")
    assert results.count() == 1
    assert results.first.locator("mark").count() >= 2  # the matched words are marked
    with page.expect_navigation():
        results.first.click()
    assert path_of(page) == goal_path
    assert page.get_by_role("heading", level=1).inner_text() == GOAL_TITLE


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_dashboard_goals_and_search_pass_axe(koordi, page, lang):
    seed_dashboard(koordi.data_dir)
    login(page, koordi, "/")
    set_language(page, lang)
    assert page.locator("#dash-events ~ table tbody tr").count() >= 1
    assert page.locator("main progress").count() >= 1
    # The every-page sweep (tests/browser/test_every_page_axe.py) audits in both languages the
    # dashboard, the goal form and a goal's update form refused, the goals list, search with and
    # without results and the dashboard setting refused; here the pages just after a save.

    page.goto(koordi.url("/goals/new"))
    assert submit(page).status == 422
    page.fill("#title", f"Axe-tavoite {lang}")
    page.select_option("#method_id", IPC)
    page.fill("#target_value", "5")
    assert submit(page).status == 200
    assert_accessible(page, f"{lang} goal page")

    page.fill("#value", "-1")
    assert submit(page, "form[action$='/updates'] button[type=submit]").status == 422

    page.fill("#value", "2")
    submit(page, "form[action$='/updates'] button[type=submit]")
    assert_accessible(page, f"{lang} goal page with an update")

    page.goto(koordi.url("/goals"))
    assert page.locator("tbody tr").count() >= 1

    page.goto(koordi.url("/search?q=axe"))
    assert page.locator(".search-results li").count() >= 1

    page.goto(koordi.url("/settings/dashboard"))
    page.fill("#no_contact_weeks", "99")
    assert submit(page).status == 422
