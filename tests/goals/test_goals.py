"""Goals: create, edit, list with filters, updates with progress, delete with undo."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core import clock, hetu
from app.models import Goal, GoalUpdate
from app.queries.goals import progress_percent
from tests.common import (
    COOL_KIDS,
    IPC,
    add,
    all_rows,
    errors_of,
    get,
    in_english,
    squash,
    statements_of,
    text,
    today,
    unit_row,
)


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


@pytest.fixture
def unit_id(app) -> str:
    (uid,) = add(app, unit_row("Äänekosken terveysasema"))
    return uid


def goal_form(**overrides) -> dict:
    return {
        "title": "Kymmenen ammattilaista koulutettu IPC:hen",
        "unit_id": "",
        "method_id": IPC,
        "metric": "koulutetut ammattilaiset",
        "target_value": "10",
        "target_date": "2027-05-31",
        "status": "open",
        "notes": "Sovittu johtoryhmässä.",
        **overrides,
    }


def create(client, **overrides) -> str:
    resp = client.post("/goals/new", goal_form(**overrides), csrf_from="/goals/new")
    assert resp.status_code == 302, errors_of(text(resp))
    m = re.fullmatch(r"/goals/([0-9a-f-]{36})", resp.headers["Location"])
    assert m, resp.headers["Location"]
    return m.group(1)


def add_update(client, goal_id: str, **values):
    data = {"date": today().isoformat(), "value": "0", "note": "", **values}
    return client.post(f"/goals/{goal_id}/updates", data, csrf_from=f"/goals/{goal_id}")


# -- progress ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "percent"),
    [(None, 10, None), (0, 10, 0), (9, 20, 45), (1, 3, 33), (2, 3, 67), (1, 8, 13), (15, 10, 150), (5, 0, None)],
)
def test_progress_is_a_whole_percentage_rounded_half_up(value, target, percent):
    assert progress_percent(value, target) == percent


# -- create, show, edit ------------------------------------------------------------------


def test_new_goal_is_shown_with_no_progress_until_an_update(en, app, unit_id):
    goal_id = create(en, unit_id=unit_id)
    page = squash(text(en.get(f"/goals/{goal_id}")))
    assert "Kymmenen ammattilaista koulutettu IPC:hen" in page
    assert "Äänekosken terveysasema" in page and "Interpersonal counselling IPC" in page
    assert "31.5.2027" in page and "No updates yet" in page
    listing = squash(text(en.get("/goals")))
    assert "Kymmenen ammattilaista koulutettu IPC:hen" in listing and "31.5.2027" in listing
    (goal,) = all_rows(app, Goal)
    assert goal.unit_id == unit_id and goal.method_id == IPC and goal.target_value == 10 and goal.status == "open"


def test_update_shows_progress_as_bar_and_text(en, app):
    goal_id = create(en, target_value="20")
    assert add_update(en, goal_id, value="9", note="Syksyn koulutus").status_code == 302
    html = text(en.get(f"/goals/{goal_id}"))
    bar = re.search(r"<progress [^>]*>", html).group(0)
    assert 'max="100"' in bar and 'value="45"' in bar and "aria-label=" in bar
    page = squash(html)
    assert "45 % · 9 / 20 koulutetut ammattilaiset" in page
    assert "Syksyn koulutus" in page
    assert "45 %" in squash(text(en.get("/goals")))


def test_progress_past_the_target_says_so_and_the_bar_stops_full(en):
    goal_id = create(en, target_value="4")
    add_update(en, goal_id, value="6")
    html = text(en.get(f"/goals/{goal_id}"))
    assert 'value="100"' in re.search(r"<progress [^>]*>", html).group(0)
    assert "150 % · 6 / 4" in squash(html)


def test_current_value_is_the_newest_by_date_not_the_last_entered(en, app):
    goal_id = create(en)
    add_update(en, goal_id, value="6", date=(today() - dt.timedelta(days=2)).isoformat())
    old = today() - dt.timedelta(days=30)
    add_update(en, goal_id, value="3", date=old.isoformat())  # a late entry of an old value
    page = squash(text(en.get(f"/goals/{goal_id}")))
    assert "60 % · 6 / 10" in page
    # the history lists every update, newest first
    assert page.index("· 6 / 10") < page.index(f"{old.day}.{old.month}.{old.year} 3 ")


def test_update_form_defaults_to_today_in_helsinki(en):
    goal_id = create(en)
    html = text(en.get(f"/goals/{goal_id}"))
    shown = f"{today().day}.{today().month}.{today().year}"  # d.M.yyyy, whatever the web engine's language
    assert re.search(rf'<input[^>]*id="date"[^>]*value="{shown}"', html) or re.search(
        rf'<input[^>]*value="{shown}"[^>]*id="date"', html
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date": (clock.today() + dt.timedelta(days=3)).isoformat()}, "date", "cannot be in the future"),
        ({"value": "-1"}, "value", "from 0 to"),
        ({"value": "kymmenen"}, "value", "Value: enter a whole number"),
        ({"value": ""}, "value", ""),
        ({"date": ""}, "date", ""),
    ],
)
def test_bad_update_is_refused_at_its_field_and_nothing_saved(en, app, values, field, message):
    goal_id = create(en)
    resp = add_update(en, goal_id, **{"value": "3", **values})
    assert resp.status_code == 422
    errors = errors_of(text(resp))
    assert field in errors and message in errors[field]
    assert all_rows(app, GoalUpdate) == []


def test_update_note_refuses_an_identity_code(en, app):
    goal_id = create(en)
    code = hetu.generate(dt.date(1990, 2, 3), 345)
    resp = add_update(en, goal_id, value="2", note=f"Asiakas {code}")
    assert resp.status_code == 422 and "note" in errors_of(text(resp))
    assert all_rows(app, GoalUpdate) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"unit_id": "", "method_id": ""}, "unit_id"),
        ({"unit_id": "no-such-unit"}, "unit_id"),
        ({"method_id": "no-such-method"}, "method_id"),
        ({"target_value": "0"}, "target_value"),
        ({"target_value": "-5"}, "target_value"),
        ({"target_value": "10,5"}, "target_value"),
        ({"target_value": ""}, "target_value"),
        ({"target_date": "31.2.2027"}, "target_date"),  # no such day
        ({"target_date": "5/31/2027"}, "target_date"),  # not the app's way of writing a date
        ({"status": "finished"}, "status"),
        ({"metric": "m" * 121}, "metric"),
    ],
)
def test_bad_goal_is_refused_at_its_field_and_nothing_saved(en, app, overrides, field):
    resp = en.post("/goals/new", goal_form(**overrides), csrf_from="/goals/new")
    assert resp.status_code == 422
    page = text(resp)
    assert field in errors_of(page), errors_of(page)
    assert 'aria-invalid="true"' in page and "Check these fields" in page
    assert all_rows(app, Goal) == []


def test_goal_needs_a_unit_or_a_method(en, app, unit_id):
    resp = en.post("/goals/new", goal_form(unit_id="", method_id=""), csrf_from="/goals/new")
    assert "Choose a unit, a method or both." in errors_of(text(resp))["unit_id"]
    assert create(en, unit_id=unit_id, method_id="")  # a unit alone is enough


def test_free_text_refuses_identity_codes(en, app):
    code = hetu.generate(dt.date(2001, 9, 30), 123)
    for name in ("title", "metric", "notes"):
        resp = en.post("/goals/new", goal_form(**{name: f"Tavoite {code}"}), csrf_from="/goals/new")
        assert resp.status_code == 422 and name in errors_of(text(resp))
    assert all_rows(app, Goal) == []


def test_edit_changes_status_and_keeps_updates(en, app):
    goal_id = create(en)
    add_update(en, goal_id, value="10")
    resp = en.post(
        f"/goals/{goal_id}/edit", goal_form(status="achieved", title="Koulutustavoite"), csrf_from=f"/goals/{goal_id}/edit"
    )
    assert resp.status_code == 302
    goal = get(app, Goal, goal_id)
    assert goal.status == "achieved" and goal.title == "Koulutustavoite"
    page = squash(text(en.get(f"/goals/{goal_id}")))
    assert "Achieved" in page and "100 % · 10 / 10" in page


def test_edit_form_keeps_an_ended_unit_selectable(en, app):
    (ended,) = add(app, unit_row("Lakkautettu asema", active=False))
    # an ended unit is not offered for new goals...
    assert "Lakkautettu asema" not in text(en.get("/goals/new"))
    # ...but a goal that has it keeps it
    (goal_id,) = add(app, Goal(title="Vanha tavoite", unit_id=ended, target_value=5))
    html = text(en.get(f"/goals/{goal_id}/edit"))
    assert re.search(rf'<option selected value="{ended}">Lakkautettu asema</option>', html) or re.search(
        rf'<option value="{ended}" selected>Lakkautettu asema', html
    )


# -- delete with undo -------------------------------------------------------------------


def test_delete_goal_then_undo(en, app):
    goal_id = create(en, title="Poistettava tavoite")
    resp = en.post(f"/goals/{goal_id}/delete", csrf_from=f"/goals/{goal_id}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/goals"
    listing = text(en.get("/goals"))
    assert "Goal Poistettava tavoite deleted." in listing
    assert f'action="/goals/{goal_id}/restore"' in listing  # the flash's Undo button
    assert f'href="/goals/{goal_id}"' not in listing
    assert en.get(f"/goals/{goal_id}").status_code == 404
    assert get(app, Goal, goal_id).deleted  # soft: the row stays for exports
    resp = en.post(f"/goals/{goal_id}/restore", csrf_from="/goals")
    assert resp.headers["Location"] == f"/goals/{goal_id}"
    assert not get(app, Goal, goal_id).deleted
    assert "Poistettava tavoite" in text(en.get("/goals"))


def test_delete_update_then_undo_moves_the_current_value(en, app):
    goal_id = create(en)
    add_update(en, goal_id, value="2", date=(today() - dt.timedelta(days=10)).isoformat())
    add_update(en, goal_id, value="7")
    (newest,) = [u for u in all_rows(app, GoalUpdate) if u.value == 7]
    resp = en.post(f"/goals/updates/{newest.id}/delete", csrf_from=f"/goals/{goal_id}")
    assert resp.headers["Location"] == f"/goals/{goal_id}"
    page = text(en.get(f"/goals/{goal_id}"))
    assert "20 % · 2 / 10" in squash(page)
    assert f'action="/goals/updates/{newest.id}/restore"' in page
    en.post(f"/goals/updates/{newest.id}/restore", csrf_from=f"/goals/{goal_id}")
    assert "70 % · 7 / 10" in squash(text(en.get(f"/goals/{goal_id}")))


def test_unknown_goal_is_404(en):
    assert en.get("/goals/no-such-goal").status_code == 404
    assert en.post("/goals/no-such-goal/delete", csrf_from="/goals").status_code == 404
    assert en.post("/goals/updates/nope/delete", csrf_from="/goals").status_code == 404


# -- the list ---------------------------------------------------------------------------


def test_list_filters_by_status_unit_method_and_due_date(en, app, unit_id):
    add(
        app,
        Goal(title="Avoin IPC", method_id=IPC, target_value=5, target_date=dt.date(2027, 1, 31)),
        Goal(
            title="Saavutettu Cool Kids", method_id=COOL_KIDS, target_value=5, status="achieved", target_date=dt.date(2026, 6, 1)
        ),
        Goal(title="Yksikön tavoite", unit_id=unit_id, target_value=5, target_date=dt.date(2027, 12, 31)),
        Goal(title="Ilman päivää", unit_id=unit_id, method_id=IPC, target_value=5),
        Goal(title="Poistettu tavoite", method_id=IPC, target_value=5, deleted=True),
    )

    def titles(query: str) -> list[str]:
        html = text(en.get("/goals" + query))
        return re.findall(r'<th scope="row"><a href="/goals/[^"]+">([^<]+)</a>', html)

    assert titles("") == ["Saavutettu Cool Kids", "Avoin IPC", "Yksikön tavoite", "Ilman päivää"]
    assert titles("?status=achieved") == ["Saavutettu Cool Kids"]
    assert titles(f"?unit={unit_id}") == ["Yksikön tavoite", "Ilman päivää"]
    assert titles(f"?method={IPC}") == ["Avoin IPC", "Ilman päivää"]
    assert titles("?due_before=2027-01-31") == ["Saavutettu Cool Kids", "Avoin IPC"]
    assert titles(f"?status=open&method={IPC}&due_before=2027-06-01") == ["Avoin IPC"]
    # nonsense in the query string is ignored, never an error page
    assert titles("?status=nope&unit=x&due_before=huomenna&page=abc") == titles("")
    assert "No goals match these filters." in text(en.get("/goals?status=dropped"))


def test_list_says_what_an_empty_cell_lacks(en, app, unit_id):
    # A blank cell reads as nothing to a screen reader: a muted dash, and words behind it.
    add(
        app,
        Goal(title="Ilman päivää", method_id=IPC, target_value=5),
        Goal(title="Vain yksikkö", unit_id=unit_id, target_value=5),
    )
    rows = re.findall(r"<tr>.*?</tr>", text(en.get("/goals")), re.S)
    no_date = next(r for r in rows if "Ilman päivää" in r)
    no_method = next(r for r in rows if "Vain yksikkö" in r)
    cells = re.findall(r"<td>(.*?)</td>", no_date, re.S)
    dash = '<span class="muted blank" aria-hidden="true">–</span>'
    assert cells[0].startswith(dash + '<span class="visually-hidden">no unit</span><br>')
    assert cells[1] == dash + '<span class="visually-hidden">not set</span>'
    assert re.findall(r"<td>(.*?)</td>", no_method, re.S)[0].endswith(dash + '<span class="visually-hidden">no method</span>')


def test_list_is_paginated(en, app):
    add(app, *[Goal(title=f"Tavoite {i:03d}", method_id=IPC, target_value=5) for i in range(55)])
    first = text(en.get("/goals"))
    assert "Tavoite 000" in first and "Tavoite 050" not in first and "55 rows" in first
    second = text(en.get("/goals?page=2"))
    assert "Tavoite 054" in second and "Tavoite 000" not in second


def test_overdue_open_goal_is_marked_in_words(en, app):
    add(app, Goal(title="Myöhässä", method_id=IPC, target_value=5, target_date=today() - dt.timedelta(days=1)))
    add(
        app,
        Goal(
            title="Valmis ajoissa", method_id=IPC, target_value=5, status="achieved", target_date=today() - dt.timedelta(days=1)
        ),
    )
    rows = re.findall(r"<tr>.*?</tr>", text(en.get("/goals")), re.S)
    late = next(r for r in rows if "Myöhässä" in r)
    done = next(r for r in rows if "Valmis ajoissa" in r)
    assert "Overdue" in late and "Overdue" not in done


def test_list_shows_each_goals_newest_live_update_with_a_fixed_number_of_statements(en, app, unit_id):
    """Each row's value is its own newest live update (by date, not by entry); the page asks the
    database the same number of times for 3 goals as for 40, whatever their updates."""

    def goals(first: int, count: int) -> None:
        for i in range(first, first + count):
            (goal_id,) = add(app, Goal(title=f"Tavoite {i:03d}", unit_id=unit_id, method_id=IPC, target_value=10))
            day = today() - dt.timedelta(days=10)
            add(
                app,
                GoalUpdate(goal_id=goal_id, date=day, value=i % 10),
                GoalUpdate(goal_id=goal_id, date=day - dt.timedelta(days=5), value=9),  # entered later, older
                GoalUpdate(goal_id=goal_id, date=day + dt.timedelta(days=1), value=1, deleted=True),
            )

    goals(0, 3)
    small = statements_of(app, en, "/goals")
    goals(3, 37)
    assert statements_of(app, en, "/goals") == small
    rows = {
        m.group(1): squash(m.group(2))
        for m in re.finditer(r"<tr>\s*<th scope=\"row\"><a [^>]*>(Tavoite \d+)</a></th>(.*?)</tr>", text(en.get("/goals")), re.S)
    }
    assert len(rows) == 40
    assert all(f"{i % 10 * 10} % · {i % 10} / 10" in rows[f"Tavoite {i:03d}"] for i in range(40)), rows
