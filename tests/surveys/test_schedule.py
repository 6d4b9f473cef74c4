"""When follow-up survey rounds fall due (usability at +1 and +5 months, NoMAD in the county's
months), when they count as done, "not done, because…", and the due rounds on the dashboard, the
unit page and in the annual plan's calendar file."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import survey_schedule as rules
from app.models import SurveySkip
from app.queries.survey_schedule import open_rounds, rounds_between, schedule
from tests.common import IPC, all_rows, db, squash, text, today
from tests.core.test_ics import parse, unescape
from tests.surveys.results_data import SUS, deployment, setting, survey_round, unit

D = dt.date


# -- the rules ------------------------------------------------------------------------------------


def keys(due):
    return [(d.key, d.opens, d.due) for d in due]


def test_entering_pilot_makes_usability_rounds_due_at_one_and_five_months():
    history = [(D(2026, 1, 5), "planned"), (D(2026, 2, 10), "training"), (D(2026, 3, 15), "pilot")]
    due = rules.due_rounds(history, (), until=D(2027, 1, 1))
    assert keys(due) == [("usability-1", D(2026, 4, 15), D(2026, 4, 15)), ("usability-5", D(2026, 8, 15), D(2026, 8, 15))]
    # Moving on to in use later does not start the method again.
    later = rules.due_rounds([*history, (D(2026, 5, 1), "in_use")], (), until=D(2027, 1, 1))
    assert keys(later) == keys(due)
    # Until: only rounds that open by then.
    assert [d.key for d in rules.due_rounds(history, (), until=D(2026, 5, 1))] == ["usability-1"]


def test_a_month_end_start_falls_due_on_the_last_day_of_a_shorter_month():
    due = rules.due_rounds([(D(2026, 1, 31), "in_use")], (), until=D(2027, 1, 1))
    assert [d.due for d in due] == [D(2026, 2, 28), D(2026, 6, 30)]


def test_no_rounds_before_pilot_nor_for_a_paused_deployment():
    assert rules.due_rounds([(D(2026, 1, 5), "planned"), (D(2026, 2, 1), "training")], (6, 10), D(2030, 1, 1)) == []
    paused = [(D(2026, 1, 1), "pilot"), (D(2026, 3, 1), "paused")]
    assert [d.key for d in rules.due_rounds(paused, (6, 10), D(2027, 1, 1))] == ["usability-1"]


def test_nomad_rounds_fall_due_in_the_months_while_in_pilot_or_in_use():
    history = [(D(2026, 3, 15), "pilot"), (D(2026, 11, 20), "embedded")]
    due = [d for d in rules.due_rounds(history, (6, 10), D(2027, 12, 31)) if d.kind == rules.NOMAD]
    assert keys(due) == [("nomad-2026-06", D(2026, 6, 1), D(2026, 6, 30)), ("nomad-2026-10", D(2026, 10, 1), D(2026, 10, 31))]
    # Other months, from a setting.
    assert [d.key for d in rules.due_rounds(history, (4,), D(2027, 12, 31)) if d.kind == rules.NOMAD] == ["nomad-2026-04"]


def test_a_round_in_the_window_closes_the_earliest_due_round_of_its_kind():
    due = rules.due_rounds([(D(2026, 3, 15), "pilot")], (6,), D(2026, 12, 31))
    by_key = {d.key: d for d in due}
    assert by_key["usability-1"].window == (D(2026, 4, 1), D(2026, 6, 15))  # 2 weeks before to 2 months after
    closed = rules.match(due, [("usability", D(2026, 4, 1)), ("usability", D(2026, 3, 31)), ("nomad", D(2026, 6, 20))])
    assert closed == {"usability-1": D(2026, 4, 1), "nomad-2026-06": D(2026, 6, 20)}
    # One survey round closes one due round, even where two windows would take it.
    assert rules.match(due, [("usability", D(2026, 8, 10))]) == {"usability-5": D(2026, 8, 10)}


def test_statuses_over_time():
    (d,) = rules.due_rounds([(D(2026, 3, 15), "pilot")], (), D(2026, 4, 30))
    assert rules.status(d, {}, [], D(2026, 3, 31)) == rules.UPCOMING
    assert rules.status(d, {}, [], D(2026, 4, 1)) == rules.OPEN  # listed 2 weeks ahead
    assert rules.status(d, {}, [], D(2026, 4, 15)) == rules.OPEN
    assert rules.status(d, {}, [], D(2026, 4, 16)) == rules.OVERDUE
    assert rules.status(d, {}, [], D(2026, 6, 16)) == rules.MISSED  # its window has closed
    assert rules.status(d, {}, ["usability-1"], D(2026, 4, 16)) == rules.SKIPPED
    assert rules.status(d, {"usability-1": D(2026, 4, 20)}, [], D(2026, 4, 16)) == rules.DONE


def test_the_nomad_months_setting_reads_month_numbers():
    assert rules.parse_months(None) == (6, 10)
    assert rules.parse_months("10, 3;3") == (3, 10)
    assert rules.parse_months("") == ()
    assert rules.parse_months("13") == (6, 10)
    assert rules.months_ok("6, 10") and rules.months_ok("") and not rules.months_ok("kesäkuu") and not rules.months_ok("0")


# -- the schedule read and the pages ---------------------------------------------------------------


@pytest.fixture
def en(profiled):
    profiled.post("/language", {"lang": "en", "next": "/"})
    return profiled


@pytest.fixture
def piloting(app):
    """A unit that started IPC in pilot 40 days ago: its 1-month usability round is overdue."""
    unit_id = unit(app, "Lohjan perheneuvola")
    start = today() - dt.timedelta(days=40)
    dep = deployment(app, unit_id, IPC, (start - dt.timedelta(days=30), "training"), (start, "pilot"))
    return {"unit": unit_id, "deployment": dep, "start": start}


def test_a_deployment_entering_pilot_is_due_then_overdue_on_the_dashboard_and_unit_page(app, en, piloting):
    setting(app, rules.NOMAD_MONTHS_KEY, "")  # usability only here
    with db(app) as s:
        rows = open_rounds(s, today())
    assert [(r.key, r.status, r.due.due) for r in rows] == [
        ("usability-1", rules.OVERDUE, rules.add_months(piloting["start"], 1))
    ]
    page = squash(text(en.get("/")))
    assert "Follow-up surveys due" in page
    assert "Lohjan perheneuvola" in page and "Usability survey, 1 month" in page and "Overdue" in page
    unit_page = squash(text(en.get(f"/units/{piloting['unit']}")))
    section = unit_page[unit_page.find("Follow-up surveys") :][:700]  # the whole section, should this fail
    assert "Usability survey, 1 month" in section and "Overdue" in section, section


def test_a_round_in_its_window_marks_it_done(app, en, piloting):
    setting(app, rules.NOMAD_MONTHS_KEY, "")
    due = rules.add_months(piloting["start"], 1)
    survey_round(app, SUS, due - dt.timedelta(days=10), [piloting["unit"]], IPC, answered=6)
    with db(app) as s:
        (row,) = [r for r in schedule(s, today()) if r.key == "usability-1"]
        assert (row.status, row.done_on) == (rules.DONE, due - dt.timedelta(days=10))
        assert open_rounds(s, today()) == []
    assert "No survey rounds are due." in squash(text(en.get("/")))


def test_not_done_because_closes_the_round_with_its_reason_and_can_be_taken_back(app, en, piloting):
    setting(app, rules.NOMAD_MONTHS_KEY, "")
    unit_page = f"/units/{piloting['unit']}"
    html = text(en.get(unit_page))
    assert f'action="/surveys/due/{piloting["deployment"]}/skip"' in html
    # No reason: refused at the field, nothing written.
    resp = en.post(f"/surveys/due/{piloting['deployment']}/skip", {"due_key": "usability-1", "reason": " ", "next": unit_page})
    assert resp.status_code == 422 and "Not done, because…" in text(resp)
    assert all_rows(app, SurveySkip) == []
    # A key that is not due: nothing to close.
    resp = en.post(f"/surveys/due/{piloting['deployment']}/skip", {"due_key": "usability-5", "reason": "x", "next": unit_page})
    assert resp.status_code == 302 and all_rows(app, SurveySkip) == []
    resp = en.post(
        f"/surveys/due/{piloting['deployment']}/skip",
        {"due_key": "usability-1", "reason": "Tiimi vaihtui kesken", "next": unit_page},
    )
    assert resp.status_code == 302 and resp.headers["Location"] == unit_page
    (saved,) = all_rows(app, SurveySkip)
    assert (saved.deployment_id, saved.due_key, saved.reason) == (piloting["deployment"], "usability-1", "Tiimi vaihtui kesken")
    with db(app) as s:
        assert open_rounds(s, today()) == []
    page = squash(text(en.get(unit_page)))
    assert "Closed as not done" in page and "Tiimi vaihtui kesken" in page
    assert "No survey rounds are due." in squash(text(en.get("/")))
    en.post(f"/surveys/due/{piloting['deployment']}/reopen", {"due_key": "usability-1", "next": unit_page})
    with db(app) as s:
        assert [r.key for r in open_rounds(s, today())] == ["usability-1"]


def test_a_reason_with_an_identity_code_is_refused(app, en, piloting):
    from app.core import hetu

    code = hetu.generate(dt.date(1985, 5, 6), 234, "-")
    resp = en.post(f"/surveys/due/{piloting['deployment']}/skip", {"due_key": "usability-1", "reason": f"Asiakas {code}"})
    assert resp.status_code == 422 and "personal identity code" in text(resp)
    assert all_rows(app, SurveySkip) == []


def test_the_nomad_months_setting_on_the_settings_page_moves_the_nomad_rounds(app, en):
    unit_id = unit(app, "Vihdin terveysasema")
    start = D(today().year - 1, 1, 10)
    deployment(app, unit_id, IPC, (start, "in_use"))
    page = text(en.get("/settings/dashboard"))
    assert re.search(r'id="nomad_months"[^>]*value="6, 10"', page)
    with db(app) as s:
        months = {r.due.opens.month for r in schedule(s, today(), until=D(today().year, 12, 31)) if r.due.kind == "nomad"}
    assert months == {6, 10}
    resp = en.post("/settings/dashboard", {"no_contact_weeks": "6", "nomad_months": "kesäkuu"}, csrf_from="/settings/dashboard")
    assert resp.status_code == 422 and "Give month numbers from 1 to 12" in text(resp)
    resp = en.post("/settings/dashboard", {"no_contact_weeks": "6", "nomad_months": "3, 9"}, csrf_from="/settings/dashboard")
    assert resp.status_code == 302
    with db(app) as s:
        months = {r.due.opens.month for r in schedule(s, today(), until=D(today().year, 12, 31)) if r.due.kind == "nomad"}
    assert months == {3, 9}


def test_the_annual_plan_calendar_file_holds_the_due_rounds(app, en):
    year = today().year + 1  # a year ahead: every round of it is still to do
    unit_id = unit(app, "Karkkilan koulu")
    dep = deployment(app, unit_id, IPC, (D(year - 1, 12, 1), "training"), (D(year, 1, 20), "pilot"))
    done = unit(app, "Siuntion koulu")
    deployment(app, done, IPC, (D(year, 1, 20), "pilot"))
    survey_round(app, SUS, D(year, 2, 18), [done], IPC, answered=8)  # its 1-month round is done: not in the file
    resp = en.post(f"/events/plan/{year}.ics", {})
    assert resp.status_code == 200
    cal = parse(resp.get_data())
    items = {unescape(v.value("SUMMARY")): v for v in cal.all("VEVENT")}
    one = items[f"Usability survey, 1 month due by 20.2.{year}: Karkkilan koulu, Interpersonal counselling IPC"]
    assert one.value("UID") == f"survey-{dep}-usability-1@koordi"
    assert one.get("DTSTART") == ({"VALUE": "DATE"}, f"{year}0220")
    assert one.get("DTEND") == ({"VALUE": "DATE"}, f"{year}0221")
    assert f"dated 6.2.{year}–20.4.{year}" in unescape(one.value("DESCRIPTION"))
    june = items[f"NoMAD survey due by 30.6.{year}: Karkkilan koulu, Interpersonal counselling IPC"]
    assert june.get("DTSTART") == ({"VALUE": "DATE"}, f"{year}0601")
    assert sorted(s for s in items if "Siuntion" in s) == sorted(
        [
            f"Usability survey, 5 months due by 20.6.{year}: Siuntion koulu, Interpersonal counselling IPC",
            f"NoMAD survey due by 30.6.{year}: Siuntion koulu, Interpersonal counselling IPC",
            f"NoMAD survey due by 31.10.{year}: Siuntion koulu, Interpersonal counselling IPC",
        ]
    )
    with db(app) as s:
        assert len(rounds_between(s, D(year, 1, 1), D(year, 12, 31), today())) == len(items) == 7
