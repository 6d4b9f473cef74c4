"""Events as a coordinator uses them: create, read, edit, mark held with attendance, delete and undo."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import hetu
from app.models import Unit
from tests.events.helpers import (
    COOL_KIDS,
    IPC,
    add_unit,
    attendance,
    create,
    event_form,
    events,
    field_error,
    field_errors,
    flashes,
    get_event,
    linked_methods,
    text,
    undo_action,
)


def counts_form(unit_ids_counts: dict[str, tuple], **extra) -> dict:
    data = {}
    for unit_id, (p, s, o) in unit_ids_counts.items():
        key = "u" + unit_id.replace("-", "")
        data.update({f"{key}_professionals": p, f"{key}_supervisors": s, f"{key}_others": o})
    data.update(extra)
    return data


# -- create, read, edit ----------------------------------------------------------------------


def test_create_an_event_and_read_it_back(en, app):
    lohja = add_unit(app, "Lohjan terveysasema")
    vihti = add_unit(app, "Vihdin perheneuvola")
    eid = create(
        en,
        type="support_meeting",
        title="Tukitapaaminen: IPC",
        theme="IPC-käyttöönotto",
        date="2026-04-20",
        start_time="13:15",
        duration_minutes="75",
        place="Lohjan sairaala, kokoushuone 2",
        units=[lohja, vihti],
        methods=[IPC],
        notes="Muista esitteet",
    )
    (event,) = events(app)
    assert (event.type, event.title, event.theme) == ("support_meeting", "Tukitapaaminen: IPC", "IPC-käyttöönotto")
    assert event.date == dt.date(2026, 4, 20) and event.start_time == dt.time(13, 15)
    assert event.duration_minutes == 75 and event.status == "planned" and event.series_id is None
    assert set(attendance(app, eid)) == {lohja, vihti}
    assert linked_methods(app, eid) == {IPC}

    page = text(en.get(f"/events/{eid}"))
    assert "Event saved." in flashes(page)
    assert "<h1>Tukitapaaminen: IPC</h1>" in page
    assert "20.4.2026" in page and "13:15, 75 min" in page  # English shows 13:15; Finnish 13.15
    assert "Lohjan sairaala, kokoushuone 2" in page
    assert "Interpersonal counselling IPC" in page  # the method in the UI language
    assert f'<a href="/units/{lohja}">Lohjan terveysasema</a>' in page and "Vihdin perheneuvola" in page
    assert "Mark held" in page


def test_remote_event_and_all_day_event(en, app):
    eid = create(en, title="Verkostotapaaminen", type="network_meeting", remote="y", start_time="")
    event = get_event(app, eid)
    assert event.remote is True and event.start_time is None
    page = text(en.get(f"/events/{eid}"))
    assert "Remote (Teams)" in page and "all day" in page


def test_edit_changes_fields_units_and_methods(en, app):
    a = add_unit(app, "Karkkilan terveysasema")
    b = add_unit(app, "Siuntion terveysasema")
    eid = create(en, units=[a], methods=[IPC])
    form_page = text(en.get(f"/events/{eid}/edit"))
    assert "<h1>Edit event</h1>" in form_page
    assert re.search(rf'<input id="units-\d+" name="units" type="checkbox" value="{a}" checked>', form_page)
    assert re.search(rf'<input id="units-\d+" name="units" type="checkbox" value="{b}">', form_page)
    assert "part of a recurring series" not in form_page
    assert "Repeat every" not in form_page  # a series is made only when creating

    resp = en.post(
        f"/events/{eid}/edit",
        event_form(title="Työpaja (siirretty)", date="2026-05-04", units=[b], methods=[COOL_KIDS], status="cancelled"),
    )
    assert resp.status_code == 302 and resp.headers["Location"] == f"/events/{eid}"
    event = get_event(app, eid)
    assert (event.title, event.date, event.status) == ("Työpaja (siirretty)", dt.date(2026, 5, 4), "cancelled")
    assert set(attendance(app, eid)) == {b}
    assert linked_methods(app, eid) == {COOL_KIDS}

    # Putting a unit back revives its row (with its attendance) instead of adding a second one.
    en.post(f"/events/{eid}/edit", event_form(units=[a, b]))
    assert set(attendance(app, eid)) == {a, b}


def test_ended_unit_stays_on_an_event_but_is_not_offered_for_new_ones(en, app):
    ended = add_unit(app, "Lakkautettu neuvola")
    eid = create(en, units=[ended])
    with app.extensions["koordi.store"].Session() as s:
        s.get(Unit, ended).active = False
        s.commit()
    assert ended not in text(en.get("/events/new"))
    assert ended in text(en.get(f"/events/{eid}/edit"))
    resp = en.post(f"/events/{eid}/edit", event_form(units=[ended]))
    assert resp.status_code == 302


def test_unknown_event_is_404(en):
    assert en.get("/events/00000000-0000-0000-0000-000000000000").status_code == 404
    assert en.get("/events/nope/edit").status_code == 404
    assert en.post("/events/nope/delete", {}).status_code == 404
    assert en.post("/events/nope/restore", {}).status_code == 404
    assert en.get("/events/nope/delete").status_code == 405  # deleting is a POST only


# -- mark held ------------------------------------------------------------------------------


def test_mark_held_with_attendance_per_unit_and_feedback(en, app):
    lohja = add_unit(app, "Lohjan terveysasema")
    vihti = add_unit(app, "Vihdin perheneuvola")
    eid = create(en, units=[lohja, vihti])
    form_page = text(en.get(f"/events/{eid}/attendance"))
    assert "<h1>Mark held</h1>" in form_page
    # 2 units × 3 roles + the answers: text inputs with the numeric keyboard (a number input would
    # post "" for "kaksitoista", and the count was saved empty without a word).
    assert form_page.count('inputmode="numeric"') == 7
    assert "Professionals, Lohjan terveysasema" in form_page  # every count has its own label

    resp = en.post(
        f"/events/{eid}/attendance",
        counts_form({lohja: ("6", "1", ""), vihti: ("3", "0", "2")}, feedback_avg="4,3", feedback_count="8"),
    )
    assert resp.status_code == 302 and resp.headers["Location"] == f"/events/{eid}"
    event = get_event(app, eid)
    assert event.status == "held"
    assert (event.feedback_avg_centi, event.feedback_count) == (430, 8)
    assert attendance(app, eid) == {lohja: (6, 1, None), vihti: (3, 0, 2)}

    page = text(en.get(f"/events/{eid}"))
    assert "Marked held, with attendance and feedback." in flashes(page)
    assert "4.3 / 5 (8 answers)" in page or "4,3 / 5 (8 answers)" in page
    assert re.search(
        r"Lohjan terveysasema(?:</a>)?</th>\s*<td class=\"num\">6</td><td class=\"num\">1</td><td class=\"num\">–</td>\s*<td class=\"num\">7</td>",
        page,
    )
    assert "Edit attendance and feedback" in page

    # The form opens again with what was saved; a dot works as the decimal mark too.
    again = text(en.get(f"/events/{eid}/attendance"))
    assert "<h1>Attendance and feedback</h1>" in again
    assert 'value="4,3"' in again and 'value="6"' in again
    en.post(
        f"/events/{eid}/attendance",
        counts_form({lohja: ("6", "1", "1"), vihti: ("3", "0", "2")}, feedback_avg="4.25", feedback_count="8"),
    )
    assert get_event(app, eid).feedback_avg_centi == 425
    assert attendance(app, eid)[lohja] == (6, 1, 1)


def test_mark_held_without_units_records_feedback_only(en, app):
    eid = create(en)
    page = text(en.get(f"/events/{eid}/attendance"))
    assert "concerns no units" in page
    resp = en.post(f"/events/{eid}/attendance", {"feedback_avg": "", "feedback_count": ""})
    assert resp.status_code == 302
    assert get_event(app, eid).status == "held"


# -- invalid input: 422 at the field, nothing saved -------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"feedback_avg": "6", "feedback_count": "3"}, "feedback_avg", "from 1 to 5"),
        ({"feedback_avg": "0,5", "feedback_count": "3"}, "feedback_avg", "from 1 to 5"),
        ({"feedback_avg": "4,333", "feedback_count": "3"}, "feedback_avg", "at most two decimals"),
        ({"feedback_avg": "hyvä", "feedback_count": "3"}, "feedback_avg", "from 1 to 5"),
        ({"feedback_avg": "4,3"}, "feedback_count", "number of answers"),
        ({"feedback_count": "-1"}, "feedback_count", "from 0 to"),
        ({"title": ""}, "title", ""),
        ({"title": "   "}, "title", ""),
        ({"title": "x" * 201}, "title", ""),
        ({"type": "party"}, "type", ""),
        ({"status": "maybe"}, "status", ""),
        ({"date": "31.2.2026"}, "date", "no such date as 31.2.2026"),
        ({"date": "3/16/2026"}, "date", "day.month.year"),
        ({"date": ""}, "date", ""),
        ({"start_time": "25:00"}, "start_time", "9.30"),
        ({"start_time": "9.30 PM"}, "start_time", "9.30"),
        ({"duration_minutes": "0"}, "duration_minutes", "from 1 to"),
        ({"duration_minutes": "-30"}, "duration_minutes", "from 1 to"),
        ({"units": ["00000000-0000-0000-0000-000000000000"]}, "units", "unknown"),
        ({"methods": ["not-a-method"]}, "methods", "unknown"),
        ({"repeat_weeks": "3", "repeat_until": "2026-01-01"}, "repeat_until", "cannot end before its first event on 16.3.2026"),
        ({"repeat_weeks": "1", "repeat_until": "2062-03-16"}, "repeat_until", "at most 60"),
        ({"repeat_weeks": "2", "repeat_count": "61"}, "repeat_count", "from 1 to 60"),
        ({"repeat_weeks": "3"}, "repeat_until", "end date of the series"),
        ({"repeat_until": "2026-12-31"}, "repeat_weeks", "how many weeks apart"),
        ({"repeat_weeks": "3", "repeat_until": "2026-12-31", "repeat_count": "5"}, "repeat_count", "not both"),
        ({"repeat_weeks": "0", "repeat_count": "5"}, "repeat_weeks", "from 1 to 52"),
    ],
)
def test_invalid_event_is_refused_at_the_field(en, app, extra, field, message):
    unit = add_unit(app, "Lohjan terveysasema")
    resp = en.post("/events/new", event_form(**{"units": [unit], **extra}))
    assert resp.status_code == 422
    page = text(resp)
    error = field_error(page, field)
    assert error, (field, field_errors(page))
    assert message in error
    assert 'id="error-summary"' in page
    assert events(app, include_deleted=True) == []


@pytest.mark.parametrize("where", ["notes", "title", "theme", "place"])
def test_identity_code_in_free_text_is_refused(en, app, where):
    code = hetu.generate(dt.date(1990, 5, 17), 123)
    resp = en.post("/events/new", event_form(**{where: f"Asiakas {code} soitti"}))
    assert resp.status_code == 422
    error = field_error(text(resp), where)
    assert "personal identity code" in error and code not in error
    assert events(app, include_deleted=True) == []


def test_identity_code_in_notes_on_edit_changes_nothing(en, app):
    eid = create(en, notes="Alkuperäinen")
    code = hetu.generate(dt.date(2001, 1, 2), 456)
    resp = en.post(f"/events/{eid}/edit", event_form(title="Uusi otsikko", notes=f"hetu {code}"))
    assert resp.status_code == 422 and "personal identity code" in field_error(text(resp), "notes")
    event = get_event(app, eid)
    assert (event.title, event.notes) == ("Työpaja", "Alkuperäinen")


@pytest.mark.parametrize(
    ("counts", "extra", "field_suffix", "message"),
    [
        (("-1", "0", "0"), {}, "_professionals", "from 0 to"),
        (("1", "-5", "0"), {}, "_supervisors", "from 0 to"),
        (("1", "0", "lots"), {}, "_others", ""),
        (("1", "0", "0"), {"feedback_avg": "6", "feedback_count": "2"}, None, "from 1 to 5"),
        (("1", "0", "0"), {"feedback_avg": "4", "feedback_count": "0"}, "count", "number of answers"),
        (("1", "0", "0"), {"feedback_count": "5"}, "avg", "average score"),
    ],
)
def test_invalid_attendance_is_refused_at_the_field(en, app, counts, extra, field_suffix, message):
    unit = add_unit(app, "Lohjan terveysasema")
    eid = create(en, units=[unit])
    resp = en.post(f"/events/{eid}/attendance", counts_form({unit: counts}, **extra))
    assert resp.status_code == 422
    page = text(resp)
    if field_suffix is None:
        field_id = "feedback_avg"
    elif field_suffix in ("count", "avg"):
        field_id = f"feedback_{field_suffix}"
    else:
        field_id = "u" + unit.replace("-", "") + field_suffix
    error = field_error(page, field_id)
    assert error, field_errors(page)
    assert message in error
    assert 'aria-invalid="true"' in page
    event = get_event(app, eid)
    assert event.status == "planned" and event.feedback_avg_centi is None
    assert attendance(app, eid) == {unit: (None, None, None)}


# -- delete with undo -------------------------------------------------------------------------


def test_delete_and_undo(en, app):
    eid = create(en, title="Poistettava työpaja")
    resp = en.post(f"/events/{eid}/delete", {"scope": "one"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/events"
    page = text(en.get("/events"))
    assert "Event “Poistettava työpaja” deleted." in flashes(page)
    assert "Poistettava työpaja</a>" not in page and "No events yet." in page
    assert events(app) == [] and get_event(app, eid).deleted
    assert en.get(f"/events/{eid}").status_code == 404

    resp = en.post(undo_action(page), {})
    assert resp.status_code == 302 and resp.headers["Location"] == f"/events/{eid}"
    assert not get_event(app, eid).deleted
    assert "Poistettava työpaja</a>" in text(en.get("/events"))
