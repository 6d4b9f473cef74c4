"""Events in a real browser: plan a recurring group, mark one session held with attendance;
axe-core on the list, the form with errors, the detail page, the attendance form and the
annual plan, in fi and sv.

Run: /tmp/venv/bin/python -m pytest tests/browser/test_events_journey.py -q -p no:cacheprovider

The assertions read structure (ids, names, URLs, numbers), not wording: the Finnish and
Swedish catalogs are merged separately, and the journey must hold before and after.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.text import fold
from app.models import Event, EventUnit, Unit
from app.store import DB_NAME
from app.store.engine import make_engine
from tests.browser.conftest import audit, format_violations, login, set_language

pytestmark = pytest.mark.browser

YEAR = 2026


def with_db(koordi, work):
    """Run `work(session)` on the running Koordi's database (the units UI has its own journey)."""
    engine = make_engine(koordi.data_dir / DB_NAME)
    try:
        with Session(engine) as s:
            return work(s)
    finally:
        engine.dispose()


def add_unit(koordi, name: str) -> str:
    def work(s):
        unit = Unit(name=name, name_key=fold(name), service_line="health_station", age_group="adults")
        s.add(unit)
        s.commit()
        return unit.id

    return with_db(koordi, work)


def path_of(page) -> str:
    return urlsplit(page.url).path


def submit(page, selector: str = "form.form button[type=submit]"):
    with page.expect_navigation() as nav:
        page.locator(selector).click()
    return nav.value


def test_plan_a_recurring_group_and_mark_a_session_held(koordi, new_context):
    lohja = add_unit(koordi, "Lohjan terveysasema")
    vihti = add_unit(koordi, "Vihdin terveysasema")
    page = new_context().new_page()
    login(page, koordi, "/events")
    set_language(page, "fi")

    # Plan the group: IPC method guidance every three weeks for the year, 9.00, two units.
    page.goto(koordi.url("/events/new"))
    page.select_option("#type", "guidance_group")
    page.fill("#title", "IPC-menetelmäohjausryhmä")
    page.fill("#theme", "IPC")
    page.fill("#date", f"{YEAR}-01-12")
    page.fill("#start_time", "09:00")
    page.fill("#duration_minutes", "90")
    page.check("#remote")
    page.check(f'input[name="units"][value="{lohja}"]')
    page.check(f'input[name="units"][value="{vihti}"]')
    page.fill("#repeat_weeks", "3")
    page.fill("#repeat_until", f"{YEAR}-12-31")
    assert submit(page).status == 200
    m = re.fullmatch(r"/events/([0-9a-f-]{36})", path_of(page))
    assert m, page.url
    series = page.locator("ol.series li")
    assert series.count() == 17
    assert re.search(r"12\.1\.2026 9\.00", series.first.inner_text())
    assert re.search(r"14\.12\.2026 9\.00", series.last.inner_text())  # 9.00 after both DST changes

    # Open the fourth session (16.3.) and mark it held.
    with page.expect_navigation():
        series.nth(3).locator("a").click()
    fourth = path_of(page)
    assert "16.3.2026" in page.locator("dl.facts").inner_text()
    with page.expect_navigation():
        page.locator(f'a[href="{fourth}/attendance"]').click()
    assert page.locator("table.attendance-table tbody tr").count() == 2
    key = {u: "u" + u.replace("-", "") for u in (lohja, vihti)}
    page.fill(f"#{key[lohja]}_professionals", "6")
    page.fill(f"#{key[lohja]}_supervisors", "1")
    page.fill(f"#{key[vihti]}_professionals", "4")
    page.fill(f"#{key[vihti]}_others", "2")
    page.fill("#feedback_avg", "4,3")
    page.fill("#feedback_count", "9")
    assert submit(page).status == 200
    assert path_of(page) == fourth
    assert page.locator(".status-held").count() >= 1
    facts = page.locator("dl.facts").inner_text()
    assert "4,3 / 5" in facts
    rows = page.locator("table.attendance-table tbody tr")
    assert [re.sub(r"\s+", " ", r) for r in rows.all_inner_texts()] == [
        "Lohjan terveysasema 6 1 – 7",
        "Vihdin terveysasema 4 – 2 6",
    ]

    def stored(s):
        event = s.get(Event, fourth.rsplit("/", 1)[1])
        counts = {
            r.unit_id: (r.professionals, r.supervisors, r.others)
            for r in s.scalars(select(EventUnit).where(EventUnit.event_id == event.id))
        }
        return event.status, event.feedback_avg_centi, event.feedback_count, counts

    assert with_db(koordi, stored) == ("held", 430, 9, {lohja: (6, 1, None), vihti: (4, None, 2)})

    # The annual plan counts it: March 1 / 1, the IPC row 1 / 17.
    page.goto(koordi.url(f"/events/plan?year={YEAR}"))
    ipc_row = page.locator("table.plan tbody tr", has=page.locator('th[scope="row"]', has_text="IPC"))
    cells = [c.strip() for c in ipc_row.locator("td").all_inner_texts()]
    assert cells[2] == "1 / 1" and cells[-1] == "1 / 17", cells
    set_language(page, "fi")


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_events_pages_pass_axe(lang, koordi, new_context):
    unit = add_unit(koordi, f"Tammisaaren terveysasema {lang}")
    page = new_context().new_page()
    login(page, koordi, "/events")
    set_language(page, lang)
    failures: list[str] = []

    def check(label: str) -> None:
        violations = audit(page)
        if violations:
            failures.append(format_violations(violations, f"[{lang}] {label}: "))

    # The form with errors at the fields (an identity-code-free but bad entry). The every-page sweep
    # (tests/browser/test_every_page_axe.py) audits in both languages the empty form, an event's
    # attendance and edit forms, the list, the annual plan and a month: here the states it never reaches.
    page.goto(koordi.url("/events/new"))
    page.fill("#title", "")
    page.fill("#date", f"{YEAR}-05-04")
    page.fill("#feedback_avg", "6")
    page.fill("#feedback_count", "-1")
    page.fill("#repeat_weeks", "2")
    page.fill("#repeat_until", f"{YEAR}-01-01")
    assert submit(page).status == 422
    assert page.locator("#error-summary").is_visible()
    for field in ("title", "type", "feedback_avg", "feedback_count", "repeat_until"):
        assert page.locator(f"#{field}-error").count() == 1, field
    check("/events/new with errors")

    # A real series, then every page of the feature.
    page.select_option("#type", "peer_mentoring")
    page.fill("#title", f"Vertaismentorointi {lang}")
    page.fill("#feedback_avg", "")
    page.fill("#feedback_count", "")
    page.fill("#repeat_until", f"{YEAR}-07-01")
    page.check(f'input[name="units"][value="{unit}"]')
    assert submit(page).status == 200
    detail = path_of(page)
    check("event detail (with the flash)")
    page.goto(koordi.url(detail + "/attendance"))
    page.fill("input[inputmode=numeric] >> nth=0", "-2")
    assert submit(page).status == 422
    check("attendance form with errors")
    page.goto(koordi.url("/events?type=peer_mentoring&date_from=2026-06-01&date_to=2026-01-01"))
    check("/events with a filter error")
    # Deleting shows the Undo flash on the list.
    page.goto(koordi.url(detail))
    with page.expect_navigation():
        page.locator('button[name="scope"][value="following"]').click()
    assert path_of(page) == "/events"
    check("/events after a delete, with Undo")

    set_language(page, "fi")
    assert not failures, "axe-core found accessibility violations:\n" + "\n".join(failures)


def test_events_pages_reflow_at_320_px(koordi, new_context):
    """WCAG 1.4.10: nothing but the wide tables (which scroll in their own box) needs sideways scrolling."""
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    login(page, koordi, "/events")
    set_language(page, "fi")
    wide = []
    for path in ("/events", "/events/new", f"/events/plan?year={YEAR}", f"/events/plan/{YEAR}/3"):
        page.goto(koordi.url(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wide.append(f"{path}: {width}px")
    assert not wide, wide
