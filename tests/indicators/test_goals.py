"""Goals that point at an indicator: direction from the indicator, progress from the monthly figures
(right for both directions), the chart's line with its target, and the rules a median goal needs."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.models import Goal, GoalUpdate
from app.queries.goals import goal_row
from app.queries.indicators import add_months, last_month
from tests.common import IPC, add, db, errors_of, get, in_english, squash, text, today, unit_row
from tests.indicators.helpers import MEDIAN, SHARE, TRAINED, WAITING, deploy, figure


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


@pytest.fixture
def units(app) -> list[str]:
    return add(app, unit_row("Alavuden terveysasema"), unit_row("Böle hälsostation"))


LAST = last_month(today())


def goal_form(**overrides) -> dict:
    return {
        "title": "Hoito alkaa 13 päivässä",
        "unit_id": "",
        "method_id": "",
        "indicator_id": "",
        "days": "",
        "counted_from": "",
        "metric": "",
        "direction": "higher",
        "target_value": "13",
        "target_date": "",
        "status": "open",
        "notes": "",
        **overrides,
    }


def create(client, **overrides) -> str:
    resp = client.post("/goals/new", goal_form(**overrides), csrf_from="/goals/new")
    assert resp.status_code == 302, errors_of(text(resp))
    return resp.headers["Location"].rsplit("/", 1)[1]


def row_of(app, goal_id):
    with db(app) as s:
        return goal_row(s, goal_id)


def test_a_median_goal_takes_the_indicators_direction_and_20_days_against_13_is_not_achieved(en, app, units):
    goal_id = create(en, unit_id=units[0], method_id=IPC, indicator_id=MEDIAN, direction="higher")
    assert get(app, Goal, goal_id).direction == "lower"  # the indicator's, whatever was posted
    add(app, figure(MEDIAN, units[0], add_months(LAST, -1), 30, IPC, n=40), figure(MEDIAN, units[0], LAST, 20, IPC, n=35))
    row = row_of(app, goal_id)
    assert (row.value, row.percent, row.achieved) == (20, 65, False)
    page = squash(text(en.get(f"/goals/{goal_id}")))
    assert "65 % · 20 / 13" in page and "lower is better" in page and "Achieved" not in page.split("Progress")[1][:80]
    add(app, figure(MEDIAN, units[0], add_months(LAST, 1), 10, IPC, n=30))
    row = row_of(app, goal_id)
    assert (row.value, row.percent, row.achieved) == (10, 130, True)


def test_a_median_goal_must_name_its_unit_and_method(en):
    resp = en.post("/goals/new", goal_form(method_id=IPC, indicator_id=MEDIAN), csrf_from="/goals/new")
    assert resp.status_code == 422
    assert "never combined across units" in errors_of(text(resp))["indicator_id"]


def test_a_free_text_goal_respects_its_direction_too(en, app, units):
    goal_id = create(en, unit_id=units[0], metric="päivää jonossa", direction="lower")
    add(app, GoalUpdate(goal_id=goal_id, date=today(), value=20))
    row = row_of(app, goal_id)
    assert (row.percent, row.achieved) == (65, False)
    assert "65 % · 20 / 13 päivää jonossa, lower is better" in squash(text(en.get("/goals")))


def test_trained_professionals_add_up_from_the_counted_month_over_units(en, app, units):
    start = add_months(LAST, -2)
    goal_id = create(
        en, method_id=IPC, indicator_id=TRAINED, target_value="10", counted_from=f"{start.day}.{start.month}.{start.year}"
    )
    add(
        app,
        figure(TRAINED, units[0], add_months(LAST, -3), 50, IPC),  # before the goal's months: not counted
        figure(TRAINED, units[0], start, 3, IPC),
        figure(TRAINED, units[1], LAST, 4, IPC),
    )
    row = row_of(app, goal_id)
    assert (row.value, row.percent, row.figures.months, row.figures.parts) == (7, 70, 2, 2)
    page = text(en.get(f"/goals/{goal_id}"))
    assert "Running total of Professionals trained" in page and "<svg" in page
    table = squash(page.split("Show the figures as a table")[1])
    assert "– " in table  # the month in between was not reported: a gap, not a zero
    assert f"/indicators/{TRAINED}/figures?" in page and f"method={IPC}" in page


def test_shares_are_pooled_only_with_their_bases_and_a_goal_without_figures_is_not_reported(en, app, units):
    for uid in units:
        deploy(app, uid, IPC)
    goal_id = create(en, method_id=IPC, indicator_id=SHARE, days="28", target_value="80")
    assert "Not reported yet" in squash(text(en.get(f"/goals/{goal_id}")))
    add(app, figure(SHARE, units[0], LAST, 50, IPC, n=20, days=28), figure(SHARE, units[1], LAST, 80, IPC, n=80, days=28))
    add(app, figure(SHARE, units[1], LAST, 10, IPC, n=80, days=13))  # another goal's days: not this one's
    row = row_of(app, goal_id)
    assert (row.value, row.figures.n, row.achieved) == (74, 100, False)
    assert "pooled over 2 units" in squash(text(en.get(f"/goals/{goal_id}")))


def test_a_share_goal_needs_its_days(en):
    resp = en.post("/goals/new", goal_form(method_id=IPC, indicator_id=SHARE), csrf_from="/goals/new")
    assert resp.status_code == 422 and "days" in errors_of(text(resp))


def test_a_waiting_list_goal_for_the_county_adds_units_of_the_latest_month(en, app, units):
    goal_id = create(en, method_id=IPC, indicator_id=WAITING, target_value="30")
    add(
        app,
        figure(WAITING, units[0], add_months(LAST, -1), 40),
        figure(WAITING, units[0], LAST, 20),
        figure(WAITING, units[1], LAST, 5),
    )
    row = row_of(app, goal_id)
    assert (row.value, row.percent, row.achieved) == (25, 120, True)


def test_the_goals_list_and_dashboard_show_direction_correct_progress(en, app, units):
    goal_id = create(en, unit_id=units[0], method_id=IPC, indicator_id=MEDIAN, target_date=f"1.1.{today().year + 1}")
    add(app, figure(MEDIAN, units[0], LAST, 20, IPC))
    listing = squash(text(en.get("/goals")))
    assert "65 % · 20 / 13" in listing
    dashboard = text(en.get("/"))
    behind = squash(dashboard.split('id="dash-behind"')[1].split("</section>")[0])
    assert "Hoito alkaa 13 päivässä" in behind and "20" in behind and "13" in behind
    assert re.search(rf'href="/goals/{goal_id}"', dashboard)


def test_goals_keep_their_indicator_fields_through_an_edit(en, app, units):
    goal_id = create(en, method_id=IPC, indicator_id=SHARE, days="28", target_value="80")
    page = text(en.get(f"/goals/{goal_id}/edit"))
    assert re.search(rf'<option selected value="{SHARE}">', page) and 'value="28"' in page
    with db(app) as s:
        goal = s.scalars(select(Goal).where(Goal.id == goal_id)).one()
        assert (goal.indicator_id, goal.days, goal.counted_from) == (SHARE, 28, None)


def test_the_dashboard_names_the_units_whose_last_month_is_not_in_yet(en, app, units):
    (third,) = add(app, unit_row("Ähtärin perheneuvola"))
    steady = [add_months(LAST, -i) for i in (3, 2, 1)]
    add(app, *(figure(WAITING, units[0], m, 30) for m in steady))  # every month so far, not last month yet
    add(app, *(figure(WAITING, units[1], m, 8) for m in [*steady, LAST]))  # last month in too
    add(app, figure(TRAINED, third, add_months(LAST, -1), 4, IPC))  # a training cohort: no month expected after it
    card = text(en.get("/")).split('id="dash-unreported"')[1].split("</section>")[0]
    plain = squash(card)
    assert f"{LAST.month}/{LAST.year}" in plain
    assert "Alavuden terveysasema" in plain and "Böle hälsostation" not in plain and "Ähtärin" not in plain
    assert f"/indicators/{WAITING}/figures?month={LAST.year:04d}-{LAST.month:02d}" in card


def test_a_unit_reporting_a_month_twice_counts_once_its_later_figure(en, app, units):
    import datetime as dt

    goal_id = create(en, method_id=IPC, indicator_id=TRAINED, target_value="10", counted_from=f"1.{LAST.month}.{LAST.year}")
    older, newer = figure(TRAINED, units[0], LAST, 9, IPC), figure(TRAINED, units[0], LAST, 4, IPC)
    older.updated_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # two installs' rows of one cell, merged
    newer.updated_at = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    add(app, older, newer, figure(TRAINED, units[1], LAST, 1, IPC))
    row = row_of(app, goal_id)
    assert (row.value, row.figures.parts, row.figures.months) == (5, 2, 1)


def test_the_kept_not_yet_reported_card_follows_a_write(en, app, units):
    """The card is kept between visits (issue 17): the month's figure saved, the unit leaves it."""
    steady = [add_months(LAST, -i) for i in (3, 2, 1)]
    add(app, *(figure(WAITING, u, m, 30) for u in units[:2] for m in steady))

    def card() -> str:
        return squash(text(en.get("/")).split('id="dash-unreported"')[1].split("</section>")[0])

    assert "Alavuden terveysasema" in card() and "Böle hälsostation" in card()
    add(app, figure(WAITING, units[1], LAST, 8))
    assert "Alavuden terveysasema" in card() and "Böle hälsostation" not in card()


def test_the_not_yet_reported_card_lists_its_indicators_in_the_catalogues_order(en, app, units):
    from app.core.indicators import SEEDED
    from app.store.seeds import indicator_id

    per_method = {indicator_id(spec.key): spec.per_method for spec in SEEDED}
    wanted = [WAITING, TRAINED, MEDIAN, SHARE]
    steady = [add_months(LAST, -i) for i in (3, 2, 1)]
    add(
        app,
        *(
            figure(i, units[0], m, 3, IPC if per_method[i] else None, days=28 if i == SHARE else None)
            for i in wanted
            for m in steady
        ),
    )
    card = text(en.get("/")).split('id="dash-unreported"')[1].split("</section>")[0]
    catalogue = text(en.get("/indicators"))
    in_card = sorted(wanted, key=lambda i: card.index(f"/indicators/{i}/figures"))
    in_catalogue = sorted(wanted, key=lambda i: catalogue.index(f"/indicators/{i}"))
    assert in_card == in_catalogue
    assert in_catalogue != sorted(wanted)  # not the ids' order, which the figures' grouping gives
