"""The dashboard as a place to act from (issue 15): quick actions, the first week's steps, what
the next send to the central office holds, and past events still marked planned."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from app.core import clock
from app.models import Event, GuidanceSession
from app.sync import history
from tests.common import COOL_KIDS, add, db, in_english, squash, text, unit_row


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return squash(page[start : page.index("</section>", start)])


def test_first_run_lists_the_first_steps_and_links_each(profiled):
    in_english(profiled)
    page = text(profiled.get("/"))
    steps = section(page, "dash-first")
    for step in ("Add the units you support", "Plan an event", "Record a method guidance session", "Send your data"):
        assert step in steps
    assert 'href="/units/new"' in page and 'href="/events/new"' in page and 'href="/guidance/sessions/new"' in page
    # No unit yet: the no-contact card says so and where to start, not "every active unit has had contact".
    no_contact = section(page, "dash-no-contact")
    assert "No units yet." in no_contact and "Every active unit has had contact" not in no_contact
    # Quick actions are there from the first day.
    actions = page.split('class="quick-actions"', 1)[1].split("</nav>", 1)[0]
    assert "New guidance session" in actions and "New event" in actions and "Send to the central office" in actions


def test_the_steps_tick_off_and_go_away_when_done(profiled, app):
    in_english(profiled)
    unit = unit_row("Kajaanin terveysasema")
    add(app, unit)
    steps = section(text(profiled.get("/")), "dash-first")
    assert "✓ Add the units you support (done)" in steps and 'href="/units/new"' not in steps
    add(app, Event(type="workshop", title="Työpaja", date=dt.date(2027, 1, 4)))
    add(app, GuidanceSession(method_id=COOL_KIDS, date=dt.date(2026, 11, 2), duration_minutes=60, kind="group", mode="onsite"))
    assert 'id="dash-first"' not in text(profiled.get("/"))


def test_the_profile_does_not_choose_a_county_for_the_coordinator(client):
    in_english(client)
    page = text(client.get("/setup"))
    county = page.split('id="county"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option (selected )?value=""[^>]*>Choose your county</option>', county)
    assert "selected" not in county.split("Choose your county", 1)[1]
    resp = client.post(
        "/setup", {"name": "Testi", "role": "therapy", "county": "", "central_office_email": "k@example.org"}, csrf_from="/setup"
    )
    assert resp.status_code == 422 and 'id="county-error"' in text(resp)


def test_send_status_says_nothing_is_waiting_right_after_a_send(profiled, app):
    in_english(profiled)
    add(app, unit_row("Kajaanin terveysasema"))
    card = section(text(profiled.get("/")), "dash-send")
    assert "Nothing sent yet. The first send holds everything" in card
    # The one press sends the email in the page's language.
    assert '<input type="hidden" name="lang" value="en">' in text(profiled.get("/"))
    page = profiled.post("/sync/send", {"lang": "en"}, csrf_from="/")  # the dashboard's one press
    assert page.status_code == 200
    zip_url = re.findall(r'href="(/files/[^"]+)"', text(page))[-1]
    assert profiled.get(htmllib.unescape(zip_url)).status_code == 200  # the download records the send
    with db(app) as s:
        assert history.last_central(s) is not None
    card = section(text(profiled.get("/")), "dash-send")
    assert "Last sent" in card and "there is nothing new to send" in card
    add(app, unit_row("Vihdin perheneuvola"))
    card = section(text(profiled.get("/")), "dash-send")
    assert "The next send holds 1 changed row." in card


def test_a_past_event_still_planned_is_marked_held_in_one_press_and_undone(profiled, app):
    in_english(profiled)
    past = Event(type="workshop", title="Viime viikon työpaja", date=clock.today() - dt.timedelta(days=7))
    add(app, past, Event(type="workshop", title="Ensi viikon työpaja", date=clock.today() + dt.timedelta(days=7)))
    page = text(profiled.get("/"))
    card = page.split('id="dash-past-planned"', 1)[1].split("</section>", 1)[0]
    assert "Viime viikon työpaja" in card and "Ensi viikon työpaja" not in card
    action = re.search(r'<form method="post" action="(/events/[^"]+/status/held)"', card).group(1)
    resp = profiled.post(action, {"next": "/"}, csrf_from="/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    with db(app) as s:
        assert s.get(Event, past.id).status == "held"
    page = text(profiled.get("/"))
    assert 'id="dash-past-planned"' not in page
    assert "“Viime viikon työpaja” marked held." in page
    undo = re.search(r'<form method="post" action="(/events/[^"]+/status/planned)">', page).group(1)
    profiled.post(undo, {}, csrf_from="/")
    with db(app) as s:
        assert s.get(Event, past.id).status == "planned"
    assert profiled.post(f"/events/{past.id}/status/cancelled", {}, csrf_from="/").status_code == 404
