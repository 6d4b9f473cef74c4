"""The event list: upcoming first, filters, pages, and speed at benchmark scale."""

from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from sqlalchemy import event, insert

from app.i18n import HELSINKI
from app.models import Event, EventMethod, EventUnit, Unit
from app.models.base import utcnow
from app.models.events import EVENT_STATUSES, EVENT_TYPES
from app.models.methods import seed_id
from tests.events.helpers import COOL_KIDS, IPC, add_unit, create, list_dates, list_titles, text


def today() -> dt.date:
    return dt.datetime.now(HELSINKI).date()


def fi(d: dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def test_upcoming_first_soonest_first_then_past_newest_first(en):
    t = today()
    for days, title in [
        (-30, "kuukausi sitten"),
        (10, "kymmenen päivän päästä"),
        (0, "tänään"),
        (-1, "eilen"),
        (3, "kolmen päivän päästä"),
    ]:
        create(en, title=title, date=(t + dt.timedelta(days=days)).isoformat())
    page = text(en.get("/events"))
    assert list_titles(page) == ["tänään", "kolmen päivän päästä", "kymmenen päivän päästä", "eilen", "kuukausi sitten"]
    assert "upcoming first" in page
    assert page.count('class="past"') == 2


def test_filters(en, app):
    lohja = add_unit(app, "Lohjan terveysasema")
    aane = add_unit(app, "Äänekosken perheneuvola")
    create(en, title="Äänekosken työpaja", type="workshop", units=[aane], methods=[COOL_KIDS], date="2026-02-02")
    create(en, title="Lohjan tukitapaaminen", type="support_meeting", theme="Cool Kids", units=[lohja], date="2026-03-02")
    create(
        en, title="IPC-ryhmä", type="guidance_group", units=[lohja, aane], methods=[IPC], date="2026-04-06", status="cancelled"
    )

    def titles(query: str) -> list[str]:
        page = text(en.get("/events?" + query))
        return sorted(list_titles(page)) if '<table class="event-table">' in page else []

    assert titles("type=workshop") == ["Äänekosken työpaja"]
    assert titles("status=cancelled") == ["IPC-ryhmä"]
    assert titles(f"unit={lohja}") == ["IPC-ryhmä", "Lohjan tukitapaaminen"]
    assert titles(f"method={IPC}") == ["IPC-ryhmä"]
    assert titles("date_from=2026-03-01&date_to=2026-03-31") == ["Lohjan tukitapaaminen"]
    assert titles("date_from=2026-03-02") == ["IPC-ryhmä", "Lohjan tukitapaaminen"]  # inclusive
    assert titles("q=cool") == ["Lohjan tukitapaaminen"]  # the theme is searched too
    assert titles("q=äänekosken") == ["Äänekosken työpaja"]  # ä folds like a
    assert titles("q=ÄÄNEKOSKEN") == ["Äänekosken työpaja"]
    assert titles("q=100%25") == []  # LIKE wildcards are literal
    assert titles("type=workshop&unit=" + lohja) == []
    # A stale or odd query never breaks the page.
    assert titles("type=party&status=&unit=nope&page=x") == []
    assert len(titles("type=nope")) == 3  # an unknown type is ignored, not an error
    assert "No events match these filters." in text(en.get("/events?q=zzz"))
    resp = en.get("/events?date_from=2026-05-01&date_to=2026-01-01")
    assert resp.status_code == 200 and "cannot be before the start of the range" in text(resp)


def test_pages_keep_the_filters(en, app):
    with app.extensions["koordi.store"].Session() as s:
        for i in range(55):
            s.add(Event(type="training", title=f"Koulutus {i:02d}", date=today() + dt.timedelta(days=i)))
        s.add(Event(type="workshop", title="Työpaja", date=today()))
        s.commit()
    first = text(en.get("/events?type=training"))
    assert len(list_titles(first)) == 50 and "56 rows" not in first and "55 rows" in first
    assert 'href="/events?type=training&amp;page=2"' in first
    second = text(en.get("/events?type=training&page=2"))
    assert list_titles(second) == [f"Koulutus {i}" for i in range(50, 55)]
    assert list_dates(second)[0] == fi(today() + dt.timedelta(days=50))


# -- benchmark scale ------------------------------------------------------------------------


@pytest.fixture
def big(app):
    """500 units and 20 000 events over three years, each concerning a unit or two, some a method."""
    rng = random.Random(3)
    now = utcnow()
    methods = [seed_id(k) for k in ("ipc", "cool-kids", "ipt", "nettiterapiat")]
    with app.extensions["koordi.store"].Session() as s:
        units = [
            {
                "id": str(uuid.uuid4()),
                "name": f"Yksikkö {i:03d}",
                "name_key": f"yksikkö {i:03d}",
                "service_line": "other",
                "age_group": "adults",
                "created_at": now,
                "updated_at": now,
                "deleted": False,
                "active": True,
                "municipality": "",
                "supervisor_name": "",
                "supervisor_email": "",
                "notes": "",
            }
            for i in range(500)
        ]
        s.execute(insert(Unit), units)
        events, links, method_links = [], [], []
        start = today() - dt.timedelta(days=540)
        for i in range(20_000):
            eid = str(uuid.uuid4())
            events.append(
                {
                    "id": eid,
                    "type": rng.choice(EVENT_TYPES),
                    "title": f"Tapahtuma {i}",
                    "theme": rng.choice(["IPC", "Cool Kids", ""]),
                    "date": start + dt.timedelta(days=rng.randrange(1095)),
                    "start_time": dt.time(rng.randrange(8, 16)),
                    "duration_minutes": 90,
                    "place": "",
                    "remote": False,
                    "status": rng.choice(EVENT_STATUSES),
                    "notes": "",
                    "created_at": now,
                    "updated_at": now,
                    "deleted": rng.random() < 0.02,
                }
            )
            for unit in rng.sample(units, rng.choice((1, 2))):
                links.append(
                    {
                        "id": str(uuid.uuid4()),
                        "event_id": eid,
                        "unit_id": unit["id"],
                        "professionals": rng.randrange(10),
                        "created_at": now,
                        "updated_at": now,
                        "deleted": False,
                    }
                )
            if rng.random() < 0.5:
                method_links.append(
                    {
                        "id": str(uuid.uuid4()),
                        "event_id": eid,
                        "method_id": rng.choice(methods),
                        "created_at": now,
                        "updated_at": now,
                        "deleted": False,
                    }
                )
        s.execute(insert(Event), events)
        s.execute(insert(EventUnit), links)
        s.execute(insert(EventMethod), method_links)
        s.commit()
    return units


def test_pages_work_at_benchmark_scale_with_a_fixed_number_of_queries(en, app, big):
    """At bench scale every list and plan page answers with a handful of statements, never
    one per row. How long they take is bench/pages.py's to measure: a timed test here would
    measure the machine it runs on (HELPERS: speed goals live in bench/, not in tests)."""
    unit = big[17]["id"]
    year = today().year
    pages = [
        "/events",
        "/events?page=150",
        "/events?status=planned&type=workshop",
        f"/events?unit={unit}",
        f"/events?method={IPC}&date_from={year}-01-01",
        "/events?q=tapahtuma 1999",
        f"/events/plan?year={year}",
        f"/events/plan/{year}/3",
        f"/events/plan/{year}/3?page=2",
    ]
    engine = app.extensions["koordi.store"].engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        for path in pages:
            statements.clear()
            resp = en.get(path)
            assert resp.status_code == 200, path
            assert "Tapahtuma" in text(resp), path  # rows listed (the plan's calendar names its events too)
            print(f"{path}: {len(statements)} statements")
            assert len(statements) <= 12, (path, len(statements))  # 7-9 today; one per row would be 50+
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert "Tapahtuma 1999" in text(en.get("/events?q=tapahtuma 1999"))
