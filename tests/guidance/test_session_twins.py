"""A second session of the same day, method and trainees asks "Save anyway" first (issue 15:
the form reopened filled after a save and Enter saved an identical session silently)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import GuidanceSession
from tests.guidance.helpers import COOL_KIDS, add_session, add_trainee, counts, db, session_form, text

NEW = "/guidance/sessions/new"


def confirm_value(page: str) -> str | None:
    m = re.search(r'<button type="submit" name="confirm" value="([^"]*)"', page)
    return m.group(1) if m else None


def test_a_twin_session_asks_first_links_the_saved_one_and_saves_when_confirmed(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    bertil = add_trainee(profiled, "Bertil Björk")
    first = add_session(profiled, [anna, bertil], date="2026-03-05")
    before = counts(app)

    twin = {**session_form(date="5.3.2026", topics="Toinen kirjaus"), "trainees": [bertil, anna]}
    resp = profiled.post(NEW, twin, csrf_from=NEW)
    page = text(resp)
    assert resp.status_code == 422
    assert "already saved" in re.search(r'<p class="warning" id="date-warning">(.*?)</p>', page).group(1)
    assert f'href="/guidance/sessions/{first}"' in page
    assert "Check before saving" in page and "Save anyway" in page
    assert counts(app) == before
    # The plain Save (what Enter presses) asks again; only "Save anyway" saves.
    assert profiled.post(NEW, twin, csrf_from=NEW).status_code == 422 and counts(app) == before
    resp = profiled.post(NEW, {**twin, "confirm": confirm_value(page)}, csrf_from=NEW)
    assert resp.status_code == 302
    with db(app) as s:
        assert len(s.scalars(select(GuidanceSession).where(GuidanceSession.deleted.is_(False))).all()) == 2


def test_another_day_method_or_group_is_no_twin_nor_is_the_session_being_edited(profiled, app):
    anna = add_trainee(profiled, "Anna Aalto")
    bertil = add_trainee(profiled, "Bertil Björk")
    cecilia = add_trainee(profiled, "Cecilia Cool", method=COOL_KIDS)
    sid = add_session(profiled, [anna, bertil], date="2026-03-05")
    add_session(profiled, [anna, bertil], date="2026-03-06")  # another day
    add_session(profiled, [anna], date="2026-03-05")  # another group
    add_session(profiled, [cecilia], date="2026-03-05", method=COOL_KIDS)  # another method
    edit = f"/guidance/sessions/{sid}/edit"
    resp = profiled.post(edit, {**session_form(date="2026-03-05", topics="Lisätty"), "trainees": [anna, bertil]}, csrf_from=edit)
    assert resp.status_code == 302  # itself is not its twin
    # A deleted session is no twin either.
    profiled.post(f"/guidance/sessions/{sid}/delete", csrf_from=f"/guidance/sessions/{sid}")
    add_session(profiled, [anna, bertil], date="2026-03-05")


def test_enter_right_after_a_save_saves_nothing(profiled, app):
    """The fresh form after a save holds no date: sending it as it is asks for one."""
    anna = add_trainee(profiled, "Anna Aalto")
    resp = profiled.post(NEW, {**session_form(), "trainees": [anna]}, csrf_from=NEW)
    fresh = text(profiled.get(resp.headers["Location"]))
    before = counts(app)
    posted = {k: v for k, v in re.findall(r'<input[^>]*?name="(\w+)"[^>]*?value="([^"]*)"', fresh) if k != "trainees"}
    posted.update(kind="group", mode="onsite", trainees=re.findall(r'name="trainees" value="([^"]+)"[^>]*\bchecked', fresh))
    resp = profiled.post(NEW, posted, csrf_from=NEW)
    assert resp.status_code == 422 and 'id="date-error"' in text(resp)
    assert counts(app) == before
