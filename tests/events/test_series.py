"""Recurring series: a group that meets every 3 weeks for a year, made in one go."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from tests.events.helpers import (
    IPC,
    add_unit,
    attendance,
    create,
    event_form,
    events,
    field_error,
    flashes,
    get_event,
    linked_methods,
    text,
    undo_action,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def make_series(en, app, **extra) -> list:
    unit = add_unit(app, "Lohjan terveysasema")
    data = dict(
        type="guidance_group",
        title="IPC-menetelmäohjausryhmä",
        theme="IPC",
        date="2026-01-12",
        start_time="09:00",
        duration_minutes="90",
        units=[unit],
        methods=[IPC],
        repeat_weeks="3",
        repeat_until="2026-12-31",
    )
    data.update(extra)
    create(en, **data)
    return events(app)


def test_every_three_weeks_for_a_year_makes_the_right_dates_at_9(en, app):
    series = make_series(en, app)
    assert [e.date for e in series] == [dt.date(2026, 1, 12) + dt.timedelta(weeks=3 * i) for i in range(17)]
    assert series[-1].date == dt.date(2026, 12, 14)
    assert len({e.series_id for e in series}) == 1 and series[0].series_id
    # Wall time stays 9.00 across both DST changes (29.3. and 25.10.2026) ...
    assert {e.start_time for e in series} == {dt.time(9, 0)}
    # ... which is 7.00 UTC in winter and 6.00 UTC in summer.
    utc = {e.date: dt.datetime.combine(e.date, e.start_time, tzinfo=HELSINKI).astimezone(dt.UTC).hour for e in series}
    assert utc[dt.date(2026, 3, 16)] == 7 and utc[dt.date(2026, 4, 6)] == 6 and utc[dt.date(2026, 11, 2)] == 7
    # Every event gets the units and methods.
    assert all(linked_methods(app, e.id) == {IPC} for e in series)
    assert all(len(attendance(app, e.id)) == 1 for e in series)


def test_series_by_count(en, app):
    series = make_series(en, app, repeat_until="", repeat_count="5", repeat_weeks="2")
    assert [e.date.isoformat() for e in series] == ["2026-01-12", "2026-01-26", "2026-02-09", "2026-02-23", "2026-03-09"]


def test_flash_and_detail_list_the_series_dates(en, app):
    unit = add_unit(app, "Vihdin perheneuvola")
    resp = en.post("/events/new", event_form(units=[unit], date="2026-09-07", repeat_weeks="3", repeat_count="4"))
    first = resp.headers["Location"]
    page = text(en.get(first))
    assert "Saved a series of 4 events, 7.9.2026–9.11.2026." in flashes(page)
    assert "Dates of the series" in page
    series_list = page.split('<ol class="series">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r"(\d+\.\d+\.2026) \d+:\d+", series_list) == ["7.9.2026", "28.9.2026", "19.10.2026", "9.11.2026"]
    assert "(this event)" in series_list and 'aria-current="page"' in series_list
    assert series_list.count("<a href=") == 3  # the others are links


def test_edit_applies_to_one_event_only_and_says_so(en, app):
    series = make_series(en, app)
    target = series[3]
    page = text(en.get(f"/events/{target.id}/edit"))
    assert "Changes here apply to this event only" in page
    resp = en.post(
        f"/events/{target.id}/edit",
        event_form(type="guidance_group", title="Siirretty ryhmä", date="2026-02-25", start_time="12:00", theme="IPC"),
    )
    assert resp.status_code == 302
    after = {e.id: e for e in events(app)}
    assert (after[target.id].title, after[target.id].start_time) == ("Siirretty ryhmä", dt.time(12, 0))
    assert after[target.id].series_id == series[0].series_id  # still one of the series
    others = [e for e in after.values() if e.id != target.id]
    assert {e.title for e in others} == {"IPC-menetelmäohjausryhmä"} and {e.start_time for e in others} == {dt.time(9, 0)}


def test_delete_this_and_following_with_undo_for_all(en, app):
    series = make_series(en, app)
    # An earlier, separate deletion of a later date must not come back with the batch's Undo.
    lone = series[-1]
    en.post(f"/events/{lone.id}/delete", {"scope": "one"})
    pivot = series[10]
    detail = text(en.get(f"/events/{pivot.id}"))
    assert "Delete this event" in detail
    assert "Delete this and the following events of the series (6 in all)" in detail

    resp = en.post(f"/events/{pivot.id}/delete", {"scope": "following"})
    assert resp.status_code == 302
    page = text(en.get("/events"))
    assert "Deleted 6 events of the series." in flashes(page)
    assert [e.date for e in events(app)] == [e.date for e in series[:10]]

    resp = en.post(undo_action(page), {})
    assert resp.status_code == 302 and resp.headers["Location"] == f"/events/{pivot.id}"
    assert "Restored 6 events." in flashes(text(en.get(resp.headers["Location"])))
    assert [e.date for e in events(app)] == [e.date for e in series[:-1]]
    assert get_event(app, lone.id).deleted


def test_delete_only_this_event_of_a_series(en, app):
    series = make_series(en, app)
    en.post(f"/events/{series[5].id}/delete", {"scope": "one"})
    assert len(events(app)) == 16 and get_event(app, series[5].id).deleted
    page = text(en.get(f"/events/{series[4].id}"))
    series_list = page.split('<ol class="series">')[1].split("</ol>")[0]
    assert series_list.count("<li>") == 16
    assert series[5].date == dt.date(2026, 4, 27) and "27.4.2026" not in series_list


def test_too_long_series_is_refused_with_a_clear_message(en, app):
    resp = en.post("/events/new", event_form(repeat_weeks="1", repeat_until="2027-12-31"))
    assert resp.status_code == 422
    error = field_error(text(resp), "repeat_until")
    assert "That would make 94 events; a series can have at most 60." in error
    assert events(app, include_deleted=True) == []
