"""The dashboard with known data: Helsinki weeks, units without contact, guidance hours,
deployments by phase, goals due; and the "weeks without contact" setting."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.dashboard import views
from app.models import (
    Deployment,
    Event,
    EventUnit,
    Goal,
    GoalUpdate,
    GuidanceSession,
    SessionTrainee,
    Setting,
    Trainee,
)
from app.queries.dashboard import no_contact_weeks, units_without_contact, week_of
from tests.common import COOL_KIDS, IPC, add, db, get, in_english, squash, statements_of, text, unit_row

WEDNESDAY = dt.date(2026, 11, 25)  # week 48: Monday 23.11. - Sunday 29.11.2026


@pytest.fixture
def en(profiled, monkeypatch):
    in_english(profiled)
    # The clock module's own today, for the whole page. The due rounds' template globals, imported by
    # the first page that shows them (perhaps this one), look clock.today up at each call: had they
    # bound it at import, every later test in this process would have seen Wednesday.
    monkeypatch.setattr(views.clock, "today", lambda now=None: WEDNESDAY)
    return profiled


def section(html: str, heading_id: str) -> str:
    """The text of one dashboard section, from its heading to the next <section> (or the end)."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<section", start)
    return squash(html[start : end if end != -1 else len(html)])


def week_table(html: str, monday: dt.date) -> str:
    start = html.index(f'id="week-{monday.isoformat()}"')
    end = html.find("<h3", start + 1)
    end = html.find("</section>", start) if end == -1 else end
    return squash(html[start:end])


# -- weeks --------------------------------------------------------------------------------


def test_weeks_start_on_monday():
    assert week_of(dt.date(2026, 11, 23)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))  # Monday
    assert week_of(dt.date(2026, 11, 29)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))  # Sunday
    assert week_of(dt.date(2027, 1, 1)) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))  # across a new year


def test_this_and_next_week_list_their_own_events(en, app):
    unit = unit_row("Kajaanin terveysasema")
    on = lambda d, title, **kw: Event(type="workshop", title=title, date=d, **kw)  # noqa: E731
    add(
        app,
        unit,
        on(dt.date(2026, 11, 22), "Edellisen viikon sunnuntai"),
        on(dt.date(2026, 11, 23), "Maanantain työpaja", start_time=dt.time(9, 0)),
        on(dt.date(2026, 11, 29), "Sunnuntain verkosto"),
        on(dt.date(2026, 11, 30), "Ensi maanantain tuki", status="cancelled"),
        on(dt.date(2026, 12, 6), "Ensi sunnuntain sparri"),
        on(dt.date(2026, 12, 7), "Kahden viikon päästä"),
        on(dt.date(2026, 11, 24), "Poistettu työpaja", deleted=True),
    )
    html = text(en.get("/"))
    this_week = week_table(html, dt.date(2026, 11, 23))
    next_week = week_table(html, dt.date(2026, 11, 30))
    assert "23.11.2026–29.11.2026 (week 48)" in this_week and "30.11.2026–6.12.2026 (week 49)" in next_week
    assert "Maanantain työpaja" in this_week and "Sunnuntain verkosto" in this_week
    assert "23.11.2026 9:00 Maanantain työpaja Workshop Planned" in this_week
    assert "Ensi maanantain tuki" in next_week and "Cancelled" in next_week and "Ensi sunnuntain sparri" in next_week
    for absent in ("Kahden viikon päästä", "Poistettu työpaja"):
        assert absent not in html
    # Last week's event is in neither week; still "planned", it waits in "past events still marked planned".
    assert "Edellisen viikon sunnuntai" not in this_week + next_week
    assert "Edellisen viikon sunnuntai" in html.split('id="dash-past-planned"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<a href="/events/[0-9a-f-]{36}">Maanantain työpaja</a>', html)


def test_event_rows_link_to_the_units_they_concern(en, app):
    unit = unit_row("Kajaanin terveysasema")
    event = Event(type="support_meeting", title="Tukitapaaminen", date=WEDNESDAY)
    add(app, unit, event)
    add(app, EventUnit(event_id=event.id, unit_id=unit.id))
    html = text(en.get("/"))
    assert f'<a href="/units/{unit.id}">Kajaanin terveysasema</a>' in html


def test_a_busy_week_shows_the_first_events_and_links_to_the_rest(en, app):
    add(app, *[Event(type="workshop", title=f"Työpaja {i:02d}", date=WEDNESDAY) for i in range(20)])
    html = text(en.get("/"))
    this_week = week_table(html, dt.date(2026, 11, 23))
    assert "Työpaja 14" in this_week and "Työpaja 15" not in this_week
    assert "5 more events this week in the events list" in this_week
    assert "/events?date_from=2026-11-23&amp;date_to=2026-11-29" in html


# -- units without contact ---------------------------------------------------------------


@pytest.fixture
def contacts(app):
    """Units with known last contacts, counted back from WEDNESDAY."""
    ago = lambda days: WEDNESDAY - dt.timedelta(days=days)  # noqa: E731
    units = {
        name: unit_row(name)
        for name in (
            "A tapahtuma 3 vk",
            "B ohjaus 5 vk",
            "C tapahtuma 8 vk",
            "D ei koskaan",
            "E päättynyt",
            "F poistettu",
            "G peruttu",
            "H vain tuleva",
            "I tasan 6 vk",
            "J 6 vk ja päivä",
            "K poistettu osallistuminen",
        )
    }
    units["E päättynyt"].active = False
    units["F poistettu"].deleted = True
    add(app, *units.values())

    def event(unit: str, days: int, **kw):
        e = Event(type="workshop", title=f"Tapahtuma {unit}", date=ago(days), **kw)
        add(app, e)
        add(app, EventUnit(event_id=e.id, unit_id=units[unit].id))

    event("A tapahtuma 3 vk", 21)
    event("C tapahtuma 8 vk", 56)
    event("G peruttu", 7, status="cancelled")
    event("H vain tuleva", -3)
    event("I tasan 6 vk", 42)
    event("J 6 vk ja päivä", 43)
    e = Event(type="workshop", title="Osallistuminen poistettu", date=ago(2))
    add(app, e)
    add(app, EventUnit(event_id=e.id, unit_id=units["K poistettu osallistuminen"].id, deleted=True))
    trainee = Trainee(name="Olli Ohjattava", name_key="olli ohjattava", method_id=IPC, unit_id=units["B ohjaus 5 vk"].id)
    session = GuidanceSession(date=ago(35), method_id=IPC, duration_minutes=60)
    add(app, trainee, session)
    add(app, SessionTrainee(session_id=session.id, trainee_id=trainee.id))
    return units


def listed(html: str) -> list[str]:
    part = html[html.index('id="dash-no-contact"') : html.index('id="dash-guidance"')]
    return re.findall(r'<th scope="row"><a href="/units/[^"]+">([^<]+)</a>', part)


def test_units_without_contact_respect_the_weeks_setting(en, app, contacts):
    html = text(en.get("/"))
    # never contacted first (by name), then the longest without contact
    assert listed(html) == [
        "D ei koskaan",
        "G peruttu",
        "H vain tuleva",
        "K poistettu osallistuminen",
        "C tapahtuma 8 vk",
        "J 6 vk ja päivä",
    ]
    part = section(html, "dash-no-contact")
    assert "No event or method guidance in the last 6 weeks (since 14.10.2026)" in part
    assert "D ei koskaan Never" in part and "C tapahtuma 8 vk 30.9.2026 (8 weeks ago)" in part

    resp = en.post("/settings/dashboard", {"no_contact_weeks": "4"}, csrf_from="/settings/dashboard")
    assert resp.status_code == 302
    assert listed(text(en.get("/"))) == [
        "D ei koskaan",
        "G peruttu",
        "H vain tuleva",
        "K poistettu osallistuminen",
        "C tapahtuma 8 vk",
        "J 6 vk ja päivä",
        "I tasan 6 vk",
        "B ohjaus 5 vk",
    ]
    en.post("/settings/dashboard", {"no_contact_weeks": "10"}, csrf_from="/settings/dashboard")
    assert listed(text(en.get("/"))) == ["D ei koskaan", "G peruttu", "H vain tuleva", "K poistettu osallistuminen"]


def test_no_contact_list_is_capped_with_the_rest_counted(app, contacts):
    with db(app) as s:
        result = units_without_contact(s, WEDNESDAY, 6, limit=2)
    assert result.total == 6 and [r.unit.name for r in result.units] == ["D ei koskaan", "G peruttu"] and result.more == 4


def test_deleted_guidance_is_not_contact(app, contacts):
    with db(app) as s:
        for row in s.query(GuidanceSession).all():
            row.deleted = True
        s.commit()
        names = [r.unit.name for r in units_without_contact(s, WEDNESDAY, 4, limit=50).units]
    assert "B ohjaus 5 vk" in names and names.index("B ohjaus 5 vk") < names.index("C tapahtuma 8 vk")


@pytest.mark.parametrize(("saved", "weeks"), [(None, 6), ("4", 4), ("52", 52), ("0", 6), ("53", 6), ("kuusi", 6)])
def test_weeks_setting_falls_back_to_six(saved, weeks):
    assert no_contact_weeks(saved) == weeks


@pytest.mark.parametrize("bad", ["0", "53", "-1", "kuusi", "", "2.5"])
def test_weeks_setting_refuses_bad_values(en, app, bad):
    resp = en.post("/settings/dashboard", {"no_contact_weeks": bad}, csrf_from="/settings/dashboard")
    assert resp.status_code == 422
    assert 'id="no_contact_weeks-error"' in text(resp)
    assert get(app, Setting, "no_contact_weeks") is None


def test_weeks_setting_shows_the_saved_value(en):
    assert 'value="6"' in text(en.get("/settings/dashboard"))
    en.post("/settings/dashboard", {"no_contact_weeks": "12"}, csrf_from="/settings/dashboard")
    page = text(en.get("/settings/dashboard"))
    assert 'value="12"' in page and 'aria-current="page">Dashboard' in page


# -- guidance hours, deployments, goals ------------------------------------------------------


def test_guidance_hours_this_month_and_year_with_decimal_comma(en, app):
    add(
        app,
        GuidanceSession(date=dt.date(2026, 11, 2), method_id=IPC, duration_minutes=90),
        GuidanceSession(date=dt.date(2026, 11, 30), method_id=IPC, duration_minutes=45),
        GuidanceSession(date=dt.date(2026, 10, 31), method_id=IPC, duration_minutes=60),
        GuidanceSession(date=dt.date(2026, 1, 1), method_id=IPC, duration_minutes=30),
        GuidanceSession(date=dt.date(2025, 12, 31), method_id=IPC, duration_minutes=600),
        GuidanceSession(date=dt.date(2026, 11, 10), method_id=IPC, duration_minutes=600, deleted=True),
    )
    part = section(text(en.get("/")), "dash-guidance")
    assert "Hours this month 2,3 h" in part  # 135 min
    assert "Hours this year 3,8 h" in part  # 225 min


def test_deployments_by_phase(en, app):
    unit, gone = unit_row("Kajaanin terveysasema"), unit_row("Poistettu yksikkö", deleted=True)
    add(app, unit, gone)
    add(
        app,
        Deployment(unit_id=unit.id, method_id=IPC, phase="pilot", phase_since=WEDNESDAY),
        Deployment(unit_id=unit.id, method_id=COOL_KIDS, phase="pilot", phase_since=WEDNESDAY),
        Deployment(unit_id=gone.id, method_id=IPC, phase="pilot", phase_since=WEDNESDAY),
        Deployment(unit_id=unit.id, method_id=IPC, phase="in_use", phase_since=WEDNESDAY, deleted=True),
        Deployment(unit_id=unit.id, method_id=IPC, phase="planned", phase_since=WEDNESDAY),
    )
    html = text(en.get("/"))
    part = section(html, "dash-deployments")
    assert "Planned 1" in part and "Pilot 2" in part and "In use 0" in part
    assert '<a href="/deployments?phase=pilot">' in html


def test_goals_due_within_sixty_days_or_overdue(en, app):
    add(
        app,
        Goal(title="Myöhässä", method_id=IPC, target_value=10, target_date=WEDNESDAY - dt.timedelta(days=1)),
        Goal(title="Kuukauden päästä", method_id=IPC, target_value=10, target_date=WEDNESDAY + dt.timedelta(days=30)),
        Goal(title="Tasan 60 päivää", method_id=IPC, target_value=10, target_date=WEDNESDAY + dt.timedelta(days=60)),
        Goal(title="Kolmen kuukauden päästä", method_id=IPC, target_value=10, target_date=WEDNESDAY + dt.timedelta(days=90)),
        Goal(title="Saavutettu", method_id=IPC, target_value=10, status="achieved", target_date=WEDNESDAY),
        Goal(title="Ilman päivää", method_id=IPC, target_value=10),
        Goal(title="Poistettu", method_id=IPC, target_value=10, target_date=WEDNESDAY, deleted=True),
    )
    goal = Goal(
        title="Edistyvä", method_id=IPC, target_value=8, metric="koulutetut", target_date=WEDNESDAY + dt.timedelta(days=10)
    )
    add(app, goal)
    add(app, GoalUpdate(goal_id=goal.id, date=WEDNESDAY, value=6))
    html = text(en.get("/"))
    part = section(html, "dash-goals")
    titles = re.findall(r'<th scope="row"><a href="/goals/[^"]+">([^<]+)</a>', html[html.index('id="dash-goals"') :])
    assert titles == ["Myöhässä", "Edistyvä", "Kuukauden päästä", "Tasan 60 päivää"]
    assert "Myöhässä 24.11.2026 Overdue" in part
    assert "Edistyvä 5.12.2026" in part and "75 % · 6 / 8 koulutetut" in part
    assert "Kuukauden päästä 25.12.2026 No updates yet" in part


def test_empty_dashboard_keeps_the_greeting(en):
    page = squash(text(en.get("/")))
    assert "Today is 25.11.2026. Testi Koordinaattori" in page
    assert "No units yet. Add the first unit" in page and "No events." in page


def test_many_goals_due_show_the_soonest_and_link_to_the_rest(en, app):
    add(
        app,
        *[
            Goal(title=f"Tavoite {i:02d}", method_id=IPC, target_value=5, target_date=WEDNESDAY + dt.timedelta(days=i))
            for i in range(20)
        ],
    )
    html = text(en.get("/"))
    titles = re.findall(r'<th scope="row"><a href="/goals/[^"]+">([^<]+)</a>', html[html.index('id="dash-goals"') :])
    assert titles == [f"Tavoite {i:02d}" for i in range(15)]
    assert "5 more goals due in the goals list" in html
    assert "/goals?status=open&amp;due_before=2027-01-24" in html


def test_the_dashboard_asks_a_fixed_number_of_statements_however_full_it_is(en, app):
    """No N+1: the same number of statements for 16 events, units and goals as for 30 of each
    (each event with two units, each goal with updates, past events still planned); with 2 of
    each, the lists are not full and nothing is left to count."""

    def fill(first: int, count: int) -> None:
        for i in range(first, first + count):
            units = [unit_row(f"Yksikkö {i:02d} a"), unit_row(f"Yksikkö {i:02d} b")]
            event = Event(type="workshop", title=f"Työpaja {i:02d}", date=WEDNESDAY)
            stale = Event(type="workshop", title=f"Vanha {i:02d}", date=WEDNESDAY - dt.timedelta(days=30 + i))
            goal = Goal(title=f"Tavoite {i:02d}", method_id=IPC, target_value=10, target_date=WEDNESDAY + dt.timedelta(days=i))
            add(app, *units, event, stale, goal)
            add(
                app,
                *[EventUnit(event_id=event.id, unit_id=u.id) for u in units],
                GoalUpdate(goal_id=goal.id, date=WEDNESDAY, value=i),
            )

    fill(0, 2)
    small = statements_of(app, en, "/")
    fill(2, 14)
    full = statements_of(app, en, "/")
    # "and N more" goals counted once the list is full (a week's count is in its rows' statement)
    assert small <= full <= small + 1
    fill(16, 14)
    assert statements_of(app, en, "/") == full
    this_week = week_table(text(en.get("/")), dt.date(2026, 11, 23))
    assert "Työpaja 14 Workshop Planned Yksikkö 14 a , Yksikkö 14 b" in this_week  # its units, by name


def test_a_page_reads_the_coordinator_profile_once_in_its_own_transaction(en, app):
    """The first-run check and the dashboard both ask who the install belongs to: a GET reads it
    once, through the page's session (issue 17: a session, a transaction and a read less)."""
    from sqlalchemy import event

    engine = app.extensions["koordi.store"].engine
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    for path in ("/", "/units"):
        seen.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert "Koordi" in text(en.get(path))
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert sum("FROM coordinator_profile" in s for s in seen) == 1, path
        assert sum(s.startswith("BEGIN") for s in seen) == 1, path
