"""Calendar files as a calendar program reads them (issue 15), parsed back with icalendar: a
cancelled event frees its time and says so in its title, a change raises SEQUENCE, and an
hour from 03:30 on the autumn clock-change night lasts an hour."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from sqlalchemy import update

from app.models import Event, EventUnit
from tests.events.helpers import add_unit, create, event_form

UTC = dt.UTC


def exported(client, q: str) -> dict[str, icalendar.Event]:
    """The events list's .ics for the search `q`, by title as the file has it."""
    resp = client.post(f"/events/calendar.ics?q={q}", {})
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(resp.get_data())
    return {str(e["SUMMARY"]): e for e in cal.events}


def set_back(app, model, seconds: int, **where) -> None:
    """Pretend the rows were last written `seconds` ago (a test runs faster than SEQUENCE's second)."""
    with app.extensions["koordi.store"].Session() as s:
        column = model.event_id if model is EventUnit else model.id
        s.execute(
            update(model).where(column == where["id"]).values(updated_at=dt.datetime.now(UTC) - dt.timedelta(seconds=seconds))
        )
        s.commit()


@pytest.mark.parametrize(("lang", "word"), [("fi", "PERUTTU"), ("sv", "INSTÄLLT")])
def test_a_cancelled_event_frees_its_time_and_says_so_in_its_title(profiled, lang, word):
    profiled.post("/language", {"lang": lang, "next": "/"})
    create(profiled, title="Öjan työpaja", status="cancelled")
    create(profiled, title="Öjan koulutus", date="2026-03-17")
    found = exported(profiled, "öjan")
    assert sorted(found) == [f"{word}: Öjan työpaja", "Öjan koulutus"]
    cancelled, held = found[f"{word}: Öjan työpaja"], found["Öjan koulutus"]
    assert (cancelled["STATUS"], cancelled["TRANSP"]) == ("CANCELLED", "TRANSPARENT")
    assert (held["STATUS"], held["TRANSP"]) == ("CONFIRMED", "OPAQUE")


def test_sequence_grows_with_every_change(en, app):
    event_id = create(en, title="Sekvenssityöpaja")
    first = exported(en, "sekvenssi")["Sekvenssityöpaja"]
    assert first["SEQUENCE"] > 0 and first.last_modified is not None

    set_back(app, Event, 60, id=event_id)
    before = exported(en, "sekvenssi")["Sekvenssityöpaja"]["SEQUENCE"]
    assert before < first["SEQUENCE"]  # set back a minute: the number follows the time of the change
    assert en.post(f"/events/{event_id}/edit", event_form(title="Sekvenssityöpaja", start_time="10:00")).status_code == 302
    moved = exported(en, "sekvenssi")["Sekvenssityöpaja"]
    assert moved["SEQUENCE"] > before and moved.start.time() == dt.time(10, 0)

    # A unit added is a change too (the description names the units), though the event's own row is as it was.
    set_back(app, Event, 60, id=event_id)
    set_back(app, EventUnit, 60, id=event_id)
    before = exported(en, "sekvenssi")["Sekvenssityöpaja"]["SEQUENCE"]
    unit_id = add_unit(app, "Öjan terveysasema")
    form = event_form(title="Sekvenssityöpaja", start_time="10:00", units=[unit_id])
    assert en.post(f"/events/{event_id}/edit", form).status_code == 302
    after = exported(en, "sekvenssi")["Sekvenssityöpaja"]
    assert after["SEQUENCE"] > before and "Öjan terveysasema" in str(after["DESCRIPTION"])


def file_zone_utc(cal: icalendar.Calendar, local: dt.datetime) -> dt.datetime:
    """A TZID wall time as the file's own VTIMEZONE defines it (RFC 5545 3.3.5: a repeated time
    is its first occurrence; a skipped one takes the offset before the gap), not the tz database."""
    times, infos = cal.timezones[0].get_transitions()
    changes = [(t.replace(tzinfo=UTC), info[0]) for t, info in zip(times, infos, strict=True)]

    def offset_at(moment: dt.datetime) -> dt.timedelta:
        return [offset for at, offset in changes if at <= moment][-1]

    naive = local.replace(tzinfo=None)
    offsets = sorted({offset for _at, offset in changes}, reverse=True)  # EEST first: the earlier moment
    for offset in offsets:
        moment = (naive - offset).replace(tzinfo=UTC)
        if offset_at(moment) == offset:
            return moment
    return (naive - offset_at((naive - offsets[0]).replace(tzinfo=UTC))).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "start", "minutes"),
    [
        ("2026-10-25", "03:30", 60),  # 03:00-04:00 happens twice: ends in the second one
        ("2026-10-25", "02:30", 60),  # ends at the first 03:30
        ("2026-10-25", "03:00", 90),
        ("2026-03-29", "02:30", 60),  # spring: 03:00-04:00 never happens
        ("2026-06-01", "09:00", 45),
    ],
)
def test_an_event_lasts_its_minutes_across_the_clock_change(en, day, start, minutes):
    create(en, title="Kelloaika", date=day, start_time=start, duration_minutes=str(minutes))
    resp = en.post("/events/calendar.ics?q=kelloaika", {})
    cal = icalendar.Calendar.from_ical(resp.get_data())
    (event,) = cal.events
    start_utc, end_utc = event.start.astimezone(UTC), event.end.astimezone(UTC)
    assert end_utc - start_utc == dt.timedelta(minutes=minutes)
    assert event.start.replace(tzinfo=None) == dt.datetime.fromisoformat(f"{day}T{start}")  # the wall time as entered
    # The file's VTIMEZONE says the same as the tz database about both ends.
    assert file_zone_utc(cal, event.start) == start_utc
    dtend = event["DTEND"]
    assert dtend.params.get("TZID") in (None, "Europe/Helsinki")
    if dtend.params.get("TZID"):
        assert file_zone_utc(cal, event.end) == end_utc
