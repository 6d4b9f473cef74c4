"""Logging guidance sessions: the fast form's defaults, validation, lists, edit, delete with undo."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app.core import hetu
from app.models import GuidanceSession, SessionTrainee
from tests.guidance.helpers import (
    COOL_KIDS,
    IPC,
    add_session,
    add_trainee,
    checked_trainees,
    counts,
    db,
    offered_trainees,
    session_form,
    text,
    today,
)

NEW = "/guidance/sessions/new"


def selected(page: str, name: str) -> str | None:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL).group(1)
    m = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return (m.group(1) or m.group(2)) if m else None


def radio(page: str, name: str) -> str | None:
    m = re.search(rf'<input checked id="{name}-\d" name="{name}"[^>]*value="([^"]+)"', page)
    return m.group(1) if m else None


def value(page: str, name: str) -> str | None:
    m = re.search(rf'<input[^>]*\bname="{name}"[^>]*value="([^"]*)"', page)
    return m.group(1) if m else None


def test_first_form_starts_today_with_the_newest_trainees_method_and_first_field_focused(profiled):
    cool = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    page = text(profiled.get(NEW))
    assert value(page, "date") == f"{today().day}.{today().month}.{today().year}"
    assert re.search(r'<input [^>]*\bautofocus\b[^>]*id="date"', page), "the first field has focus"
    assert selected(page, "method") == COOL_KIDS
    assert radio(page, "kind") == "group" and radio(page, "mode") == "onsite"
    assert value(page, "duration_minutes") == "90"
    # Only the chosen method's active trainees are offered; no group met yet, so none ticked.
    assert offered_trainees(page) == [cool]
    assert checked_trainees(page) == set()


def test_next_form_repeats_the_last_session_and_ticks_the_last_group(profiled):
    anna = add_trainee(profiled, "Anna Aalto")
    bertil = add_trainee(profiled, "Bertil Björk")
    add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    absent = add_trainee(profiled, "Olli Poissa")
    add_session(profiled, [anna, bertil], date="2026-01-10", duration_minutes="120", mode="remote")

    resp = profiled.get(NEW)
    page = text(resp)
    assert value(page, "date") == f"{today().day}.{today().month}.{today().year}"  # always today, not the last session's date
    assert selected(page, "method") == IPC
    assert radio(page, "kind") == "group" and radio(page, "mode") == "remote"
    assert value(page, "duration_minutes") == "120"
    assert checked_trainees(page) == {anna, bertil}
    assert absent in offered_trainees(page)

    # An individual session after it: its kind, mode and duration are the next defaults, and an
    # individual default ticks nobody; asking for a group ticks the IPC group again.
    add_session(profiled, [absent], kind="individual", duration_minutes="45", mode="onsite")
    page = text(profiled.get(NEW))
    assert radio(page, "kind") == "individual" and value(page, "duration_minutes") == "45"
    assert checked_trainees(page) == set()
    page = text(profiled.get(f"{NEW}?kind=group"))
    assert checked_trainees(page) == {anna, bertil}


def test_save_returns_to_a_fresh_form_with_saved_flash_and_link(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    resp = profiled.post(NEW, {**session_form(topics="Alliance", cases_discussed="3"), "trainees": [anna]}, csrf_from=NEW)
    assert resp.status_code == 302 and resp.headers["Location"].startswith(f"{NEW}?saved=")
    page = text(profiled.get(resp.headers["Location"]))
    assert "Saved." in page
    assert "<h1>Log a guidance session</h1>" in page
    assert checked_trainees(page) == {anna}  # ready to add another
    # …but not the same session again: the date is left for the next one (issue 15: Enter saved a twin).
    assert value(page, "date") == ""
    with db(app) as s:
        (record,) = s.scalars(select(GuidanceSession)).all()
        assert (record.topics, record.cases_discussed, record.duration_minutes) == ("Alliance", 3, 90)


def test_method_switch_without_javascript_keeps_what_was_typed(profiled):
    anna = add_trainee(profiled, "Anna Aalto")
    cool = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    add_session(profiled, [anna])
    # The "Show the method's trainees" button sends the whole form by GET, token included.
    query = {**session_form(method=COOL_KIDS, duration_minutes="75", topics="Exposure"), "trainees": [anna]}
    query.update(csrf_token="abc", show="1")
    resp = profiled.get(NEW, query_string=query)
    assert resp.status_code == 302 and "csrf_token" not in resp.headers["Location"]
    page = text(profiled.get(resp.headers["Location"]))
    assert selected(page, "method") == COOL_KIDS
    assert offered_trainees(page) == [cool]
    assert value(page, "duration_minutes") == "75" and "Exposure</textarea>" in page
    # The plain link form, ?method=<id>, works too.
    assert offered_trainees(text(profiled.get(f"{NEW}?method={COOL_KIDS}"))) == [cool]


def test_trainee_options_fragment_for_the_script(profiled):
    anna = add_trainee(profiled, "Anna Aalto")
    cool = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    add_session(profiled, [cool], method=COOL_KIDS)
    page = text(profiled.get(f"/guidance/sessions/trainee-options?method={COOL_KIDS}&kind=group"))
    assert "<html" not in page and offered_trainees(page) == [cool] and checked_trainees(page) == {cool}
    page = text(profiled.get(f"/guidance/sessions/trainee-options?method={IPC}&kind=group"))
    assert offered_trainees(page) == [anna] and checked_trainees(page) == set()


CODE = hetu.generate(dt.date(1990, 2, 3), 123)


@pytest.mark.parametrize(
    "fields, field_id, message",
    [
        ({"duration_minutes": "0"}, "duration_minutes", "1–600"),
        ({"duration_minutes": "601"}, "duration_minutes", "1–600"),
        ({"duration_minutes": ""}, "duration_minutes", ""),
        ({"duration_minutes": "1,5"}, "duration_minutes", ""),
        ({"cases_discussed": "-1"}, "cases_discussed", "0–999"),
        ({"date": "2026-02-30"}, "date", ""),
        ({"method": "00000000-0000-0000-0000-000000000000"}, "method", "Choose"),
        ({"kind": "crowd"}, "kind", ""),
        ({"mode": "telepathy"}, "mode", ""),
        ({"topics": f"Asiakas {CODE}"}, "topics", "personal identity code"),
        ({"notes": f"muistiinpano {CODE}"}, "notes", "personal identity code"),
        ({"topics": "x" * 2001}, "topics", ""),
    ],
)
def test_invalid_session_is_refused_at_the_field_and_nothing_saved(profiled, app, fields, field_id, message):
    anna = add_trainee(profiled, "Anna Aalto")
    before = counts(app)
    resp = profiled.post(NEW, {**session_form(**fields), "trainees": [anna]}, csrf_from=NEW)
    assert resp.status_code == 422
    page = text(resp)
    error = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page, re.DOTALL)
    assert error, f"no error at {field_id}"
    assert message in error.group(1)
    assert 'href="#' in page and "Check these fields" in page
    assert counts(app) == before


def test_group_needs_someone_and_trainees_must_be_live_of_the_method(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    cool = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    gone = add_trainee(profiled, "Deleted Dan")
    erased = add_trainee(profiled, "Erased Erkki")
    profiled.post(f"/guidance/trainees/{gone}/delete", csrf_from=f"/guidance/trainees/{gone}")
    profiled.post(f"/guidance/trainees/{erased}/erase", csrf_from=f"/guidance/trainees/{erased}/erase")
    before = counts(app)
    cases = [
        ([], "Tick at least one"),
        ([anna, "no-such-id"], "no longer exists"),
        ([gone], "no longer exists"),
        ([erased], "erased"),
        ([anna, cool], "Cecilia Cool"),
    ]
    for trainees, message in cases:
        resp = profiled.post(NEW, {**session_form(), "trainees": trainees}, csrf_from=NEW)
        assert resp.status_code == 422, trainees
        error = re.search(r'<p class="error" id="trainees-error">(.*?)</p>', text(resp), re.DOTALL)
        assert error and message in error.group(1), (trainees, error and error.group(1))
    assert counts(app) == before
    # An individual session may be logged without ticking anyone.
    resp = profiled.post(NEW, {**session_form(kind="individual")}, csrf_from=NEW)
    assert resp.status_code == 302


def test_edit_changes_attendance_with_tombstones(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    bertil = add_trainee(profiled, "Bertil Björk")
    sid = add_session(profiled, [anna, bertil])
    edit = f"/guidance/sessions/{sid}/edit"
    page = text(profiled.get(edit))
    assert checked_trainees(page) == {anna, bertil} and 'data-session="' + sid in page
    resp = profiled.post(edit, {**session_form(duration_minutes="100"), "trainees": [bertil]}, csrf_from=edit)
    assert resp.status_code == 302 and resp.headers["Location"] == f"/guidance/sessions/{sid}"
    with db(app) as s:
        rows = {r.trainee_id: r.deleted for r in s.scalars(select(SessionTrainee))}
        assert rows == {anna: True, bertil: False}  # Anna's row stays as a tombstone for the export
        assert s.get(GuidanceSession, sid).duration_minutes == 100
    # Ticking Anna again revives her row instead of adding a second one.
    profiled.post(edit, {**session_form(), "trainees": [anna, bertil]}, csrf_from=edit)
    with db(app) as s:
        assert len(s.scalars(select(SessionTrainee)).all()) == 2
    page = text(profiled.get(f"/guidance/sessions/{sid}"))
    assert "Anna Aalto" in page and "Bertil Björk" in page and "100 min" not in page


def test_edit_keeps_someone_erased_since_the_session(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    sid = add_session(profiled, [anna])
    profiled.post(f"/guidance/trainees/{anna}/erase", csrf_from=f"/guidance/trainees/{anna}/erase")
    edit = f"/guidance/sessions/{sid}/edit"
    page = text(profiled.get(edit))
    assert checked_trainees(page) == {anna} and "(erased)" in page
    resp = profiled.post(edit, {**session_form(notes="ok"), "trainees": [anna]}, csrf_from=edit)
    assert resp.status_code == 302
    with db(app) as s:  # the erased trainee's attendance survived the edit, and the edit was saved
        rows = {r.trainee_id: r.deleted for r in s.scalars(select(SessionTrainee).where(SessionTrainee.session_id == sid))}
        assert rows == {anna: False}
        assert s.get(GuidanceSession, sid).notes == "ok"


def test_session_list_filters_paginates_and_hides_deleted(profiled):
    anna = add_trainee(profiled, "Anna Aalto")
    cool = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    add_session(profiled, [anna], date="2026-01-15", duration_minutes="90")
    add_session(profiled, [anna], date="2026-02-15", duration_minutes="60", kind="individual")
    gone = add_session(profiled, [cool], date="2026-02-20", method=COOL_KIDS, duration_minutes="30")
    page = text(profiled.get("/guidance"))
    assert "3 sessions, 3,0 h in all" in page
    assert "15.1.2026" in page and "20.2.2026" in page
    page = text(profiled.get("/guidance?start=2026-02-01&end=2026-02-28&kind=individual"))
    assert "15.2.2026" in page and "15.1.2026" not in page and "20.2.2026" not in page
    page = text(profiled.get(f"/guidance?method={COOL_KIDS}"))
    assert "20.2.2026" in page and "15.2.2026" not in page
    profiled.post(f"/guidance/sessions/{gone}/delete", csrf_from=f"/guidance/sessions/{gone}")
    page = text(profiled.get("/guidance"))
    assert "Guidance session of 20.2.2026 deleted." in page
    assert f'action="/guidance/sessions/{gone}/restore"' in page  # the flash's Undo
    assert f'href="/guidance/sessions/{gone}"' not in page
    assert profiled.get(f"/guidance/sessions/{gone}").status_code == 404
    # Bad filters are ignored, never an error page.
    assert profiled.get("/guidance?start=yesterday&kind=zzz&page=x").status_code == 200


def test_session_list_pages(profiled, app):
    from app.guidance.ops import SessionData, save_session

    with db(app) as s:
        for i in range(55):
            save_session(s, SessionData(dt.date(2026, 1, 1) + dt.timedelta(days=i), IPC, "individual", "onsite", 30))
    page = text(profiled.get("/guidance"))
    assert "Page 1 of 2" in page
    assert page.count('href="/guidance/sessions/') - page.count("/guidance/sessions/new") == 50
    page2 = text(profiled.get("/guidance?page=2"))
    assert page2.count('<th scope="row">') == 5
