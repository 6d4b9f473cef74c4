"""The annual plan (vuosikello), the shared queries behind it, and the .ics export."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from app.events import ops
from app.queries import events as q
from app.store import write
from tests.core.test_ics import parse, unescape
from tests.events.helpers import IPC, add_unit, text

YEAR = 2026


def session(app):
    return app.extensions["koordi.store"].Session()


@pytest.fixture
def plan_data(app):
    """A small year: themes in different spellings, events without a theme, every status."""
    u1 = add_unit(app, "Lohjan terveysasema")
    u2 = add_unit(app, "Vihdin perheneuvola")
    with session(app) as s:

        def make(title, day, theme="", type_="guidance_group", status="planned", units=(), **kw):
            (event,) = ops.create_events(
                s,
                ops.EventData(type=type_, title=title, theme=theme, date=day, status=status, unit_ids=list(units), **kw),
            )
            return event

        a = make("IPC 1", dt.date(YEAR, 1, 12), "IPC", units=[u1, u2], start_time=dt.time(9), notes="salainen muistiinpano")
        make("IPC 2", dt.date(YEAR, 1, 26), "IPC", units=[u1], method_ids=[IPC], place="Lohja, kokoushuone; 2. krs")
        b = make("IPC 3", dt.date(YEAR, 2, 9), " ipc ", units=[u1], remote=True, start_time=dt.time(13, 30))
        make("IPC 4", dt.date(YEAR, 3, 2), "IPC", status="cancelled")
        make("Työpaja", dt.date(YEAR, 1, 20), type_="workshop")
        c = make("Koulutus", dt.date(YEAR, 12, 1), type_="training")
        make("Viime vuonna", dt.date(YEAR - 1, 12, 31), "IPC", status="held")
        gone = make("Poistettu", dt.date(YEAR, 1, 5), "IPC")
        with write(s):
            gone.deleted = True
        ops.record_attendance(s, a, {u1: ops.Counts(5, 1, None), u2: ops.Counts(2, 0, 1)}, 430, 7)
        ops.record_attendance(s, b, {u1: ops.Counts(3, None, None)}, 350, 3)
        ops.record_attendance(s, c, {}, None, None)
        return {"u1": u1, "u2": u2, "a": a.id, "b": b.id}


def test_held_planned_by_month(app, plan_data):
    with session(app) as s:
        months = q.held_planned_by_month(s, YEAR)
    assert sorted(months) == list(range(1, 13))
    assert (months[1].held, months[1].planned) == (1, 3)
    assert (months[2].held, months[2].planned) == (1, 1)
    assert (months[3].held, months[3].planned, months[3].cancelled) == (0, 1, 1)
    assert (months[12].held, months[12].planned) == (1, 1)
    assert sum(m.planned for m in months.values()) == 6  # not last year's, not the deleted one


def test_annual_plan_rows_are_themes_then_types(app, plan_data):
    with session(app) as s:
        plan = q.annual_plan(s, YEAR)
    assert [(r.theme, r.type) for r in plan.rows] == [("IPC", None), (None, "workshop"), (None, "training")]
    ipc = plan.rows[0]
    assert (ipc.months[1].held, ipc.months[1].planned) == (1, 2)
    assert (ipc.months[2].held, ipc.months[2].planned) == (1, 1)  # " ipc " is the same theme
    assert (ipc.total.held, ipc.total.planned, ipc.total.cancelled) == (2, 4, 1)
    assert (plan.total.held, plan.total.planned) == (3, 6)


def cells(page: str, row_label: str) -> list[str]:
    m = re.search(rf"<th scope=\"row\">{re.escape(row_label)}.*?</th>(.*?)</tr>", page, re.S)
    assert m, row_label
    out = []
    for cell in re.findall(r"<td[^>]*>(.*?)</td>", m.group(1), re.S):
        cell = re.sub(r'<span aria-hidden="true">–</span><span class="visually-hidden">none</span>', "–", cell)
        out.append(html.unescape(cell.strip()))
    return out


def test_annual_plan_page(en, plan_data):
    page = text(en.get(f"/events/plan?year={YEAR}"))
    assert f"<h1>Annual plan {YEAR}</h1>" in page
    assert f'<caption id="plan-caption">Events held / planned in {YEAR}, by theme and month</caption>' in page
    assert page.count('<th scope="col"') == 14  # the row header, 12 months, the total
    assert cells(page, "IPC") == ["1 / 2", "1 / 1", "0 / 1"] + ["–"] * 9 + ["2 / 4"]
    assert cells(page, "Workshop") == ["0 / 1"] + ["–"] * 11 + ["0 / 1"]
    assert cells(page, "Total") == ["1 / 3", "1 / 1", "0 / 1"] + ["–"] * 8 + ["1 / 1", "3 / 6"]
    assert "1 event of the year was cancelled." in page
    assert f'href="/events/plan/{YEAR}/1">Jan</a>' in page


def month_card(page: str, month_name: str) -> str:
    m = re.search(
        rf'<li class="cal-month">\s*<h3><a [^>]*>{month_name}</a></h3>(.*?)</li>\s*(?=<li class="cal-month">|</ol>)', page, re.S
    )
    assert m, month_name
    return m.group(1)


def test_annual_plan_is_a_calendar_of_twelve_months(en, plan_data):
    page = text(en.get(f"/events/plan?year={YEAR}"))
    assert page.count('<li class="cal-month">') == 12
    january = month_card(page, "January")
    # In date order, the deleted event and last year's left out; each links to its event.
    assert re.findall(r'<span class="cal-day">(.*?)</span>\s*<a href="/events/[0-9a-f-]{36}">(.*?)</a>', january) == [
        ("12.1.", "IPC 1"),
        ("20.1.", "Työpaja"),
        ("26.1.", "IPC 2"),
    ]
    held = month_card(page, "February")
    assert "IPC 3" in held and "(held)" in held  # what became of it, in words (not colour alone)
    march = month_card(page, "March")
    assert 'class="cal-item cal-cancelled"' in march and "(cancelled)" in march
    assert "Nothing planned." in month_card(page, "April")


def test_a_busy_month_lists_ten_and_counts_the_rest(app, en):
    with session(app) as s:
        for day in range(1, 15):
            ops.create_events(s, ops.EventData(type="workshop", title=f"Paja {day}", theme="", date=dt.date(YEAR, 5, day)))
    may = month_card(text(en.get(f"/events/plan?year={YEAR}")), "May")
    assert may.count('class="cal-item ') == 10
    assert "4 more events" in may and f'href="/events/plan/{YEAR}/5"' in may


def test_annual_plan_defaults_to_this_helsinki_year_and_survives_a_bad_year(en):
    this_year = dt.datetime.now(dt.timezone(dt.timedelta(hours=2))).year
    assert f"<h1>Annual plan {this_year}</h1>" in text(en.get("/events/plan"))
    assert f"<h1>Annual plan {this_year}</h1>" in text(en.get("/events/plan?year=abc"))
    assert "No events in 1999" not in text(en.get("/events/plan?year=1999"))
    assert en.get("/events/plan/2026/13").status_code == 404


def test_month_lists_its_events(en, plan_data):
    page = text(en.get(f"/events/plan/{YEAR}/1"))
    assert f"<h1>January {YEAR}</h1>" in page
    titles = re.findall(r'<a href="/events/[0-9a-f-]{36}">(.*?)</a>', page)
    assert titles == ["IPC 1", "Työpaja", "IPC 2"]  # in date order; the deleted one is not there
    assert "Held 1 of 3 planned; 0 cancelled." in page
    assert 'rel="prev"' in page and 'rel="next"' in page


def test_attendance_totals(app, plan_data):
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    with session(app) as s:
        every = q.attendance_totals(s, start, end)
        one = q.attendance_totals(s, start, end, unit_id=plan_data["u1"])
        feb = q.attendance_totals(s, dt.date(YEAR, 2, 1), dt.date(YEAR, 2, 28))
        feedback = q.feedback_summary(s, start, end)
        between = q.events_between(s, dt.date(YEAR, 1, 12), dt.date(YEAR, 1, 26))
    assert (every.events, every.professionals, every.supervisors, every.others, every.total) == (2, 10, 1, 1, 12)
    assert (one.events, one.professionals, one.supervisors, one.others) == (2, 8, 1, 0)
    assert (feb.events, feb.total) == (1, 3)
    assert (feedback.events, feedback.answers, feedback.average_centi) == (2, 10, round((430 * 7 + 350 * 3) / 10))
    assert [e.title for e in between] == ["IPC 1", "Työpaja", "IPC 2"]  # both ends inclusive


def test_year_as_ics_round_trip(en, app, plan_data):
    resp = en.post(f"/events/plan/{YEAR}.ics", {})
    assert resp.status_code == 200
    assert resp.mimetype == "text/calendar"
    assert f"koordi_vuosikello_{YEAR}.ics" in resp.headers["Content-Disposition"]
    data = resp.get_data()
    assert b"salainen" not in data  # notes never leave the app this way
    cal = parse(data)
    vevents = {unescape(v.value("SUMMARY")): v for v in cal.all("VEVENT")}
    assert sorted(vevents) == ["CANCELLED: IPC 4", "IPC 1", "IPC 2", "IPC 3", "Koulutus", "Työpaja"]
    first = vevents["IPC 1"]
    assert first.value("UID") == f"{plan_data['a']}@koordi"
    assert first.get("DTSTART") == ({"TZID": "Europe/Helsinki"}, "20260112T090000")
    assert first.get("DTEND") == ({"TZID": "Europe/Helsinki"}, "20260112T100000")
    assert re.fullmatch(r"\d{8}T\d{6}Z", first.value("DTSTAMP"))
    description = unescape(first.value("DESCRIPTION"))
    assert "Type: Method guidance group" in description and "Theme: IPC" in description
    assert "Units: Lohjan terveysasema, Vihdin perheneuvola" in description
    assert first.value("STATUS") == "CONFIRMED"
    assert unescape(vevents["IPC 2"].value("LOCATION")) == "Lohja, kokoushuone; 2. krs"
    assert "Methods: Interpersonal counselling IPC" in unescape(vevents["IPC 2"].value("DESCRIPTION"))
    assert vevents["IPC 3"].value("LOCATION") == "Teams"
    assert vevents["CANCELLED: IPC 4"].value("STATUS") == "CANCELLED"
    assert vevents["Työpaja"].get("DTSTART") == ({"VALUE": "DATE"}, "20260120")


def test_filtered_list_as_ics(en, plan_data):
    resp = en.post("/events/calendar.ics?type=training&page=2", {})
    assert resp.status_code == 200 and "koordi_tapahtumat.ics" in resp.headers["Content-Disposition"]
    cal = parse(resp.get_data())
    assert [unescape(v.value("SUMMARY")) for v in cal.all("VEVENT")] == ["Koulutus"]
    resp = en.post("/events/calendar.ics?q=ipc", {})
    assert len(parse(resp.get_data()).all("VEVENT")) == 5  # last year's too: the list is not one year


def test_year_calendar_lists_each_months_first_events_and_counts_them_as_the_plan_does(app, plan_data):
    """The calendar reads each month's first events only: the same events in the same order
    (an event without a time first on its day), and counts that agree with the plan's months."""
    with session(app) as s:
        ops.create_events(s, ops.EventData(type="workshop", title="Aamu", theme="", date=dt.date(YEAR, 1, 12)))
        for day in range(1, 14):
            ops.create_events(s, ops.EventData(type="workshop", title=f"Paja {day:02d}", theme="", date=dt.date(YEAR, 5, day)))
        plan = q.annual_plan(s, YEAR)
        counted = q.year_calendar(s, YEAR, per_month=10)
        given = q.year_calendar(s, YEAR, per_month=10, totals={m: c.planned for m, c in plan.months.items()})
    assert [i.title for i in counted[1].items] == ["Aamu", "IPC 1", "Työpaja", "IPC 2"]  # not the deleted one
    assert [i.title for i in counted[5].items] == [f"Paja {day:02d}" for day in range(1, 11)]
    assert (counted[5].total, counted[5].more, counted[1].total, counted[4].total) == (13, 3, 4, 0)
    assert {m: (c.items, c.total) for m, c in counted.items()} == {m: (c.items, c.total) for m, c in given.items()}


def test_the_plan_is_kept_between_visits_but_shows_a_write_on_the_next(app, en, plan_data, data_dir):
    """The plan's counts and calendar are kept until the data next changes (issue 17): a new
    event (this app's write) and a status changed by another program both show on the next visit."""
    from tests.dashboard.test_kept_figures import another_program

    url = f"/events/plan?year={YEAR}"
    page = text(en.get(url))
    assert cells(page, "Workshop") == ["0 / 1"] + ["–"] * 11 + ["0 / 1"]
    assert "Nothing planned." in month_card(page, "April")
    with session(app) as s:
        ops.create_events(s, ops.EventData(type="workshop", title="Huhtikuun paja", theme="", date=dt.date(YEAR, 4, 7)))
    page = text(en.get(url))
    assert cells(page, "Workshop") == ["0 / 1", "–", "–", "0 / 1"] + ["–"] * 8 + ["0 / 2"]
    assert "Huhtikuun paja" in month_card(page, "April")
    another_program(data_dir, "UPDATE events SET status = 'held' WHERE title = 'Huhtikuun paja'")
    page = text(en.get(url))
    assert cells(page, "Workshop") == ["0 / 1", "–", "–", "1 / 1"] + ["–"] * 8 + ["1 / 2"]
    assert "(held)" in month_card(page, "April")
    assert '<option value="2020">' not in page  # the year chooser is kept too
    with session(app) as s:
        ops.create_events(s, ops.EventData(type="workshop", title="Vanha paja", theme="", date=dt.date(2020, 4, 7)))
    assert '<option value="2020">' in text(en.get(url))
