"""The indicator catalogue: seeded with stable ids, a coordinator's own added, names editable, how a
seeded indicator (or one with figures) adds up fixed, retired ones kept out of new goals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Indicator
from app.queries.indicators import indicator_choices, last_month
from tests.common import add, db, errors_of, get, in_english, squash, text, today, unit_row
from tests.indicators.helpers import MEDIAN, WAITING, figure


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


def indicator_form(**overrides) -> dict:
    return {
        "name_fi": "Ryhmähoitoon ohjatut",
        "name_sv": "",
        "name_en": "Referred to group care",
        "description": "Lähete ryhmään kuukauden aikana.",
        "measure": "count",
        "direction": "higher",
        "additive": "y",
        "per_method": "y",
        **overrides,
    }


def test_the_seeded_catalogue_is_listed_with_direction_and_aggregation_and_links_to_its_grid(en):
    page = text(en.get("/indicators"))
    plain = squash(page)
    for name in ("Professionals trained", "Median days from need to start", "Share started within the target days"):
        assert name in plain
    assert "Lower is better" in plain and "Months add up" in plain and "Latest month" in plain
    assert f'href="/indicators/{MEDIAN}/figures"' in page


def test_a_coordinators_own_indicator_is_added_and_chosen_for_goals(en, app):
    resp = en.post("/indicators/new", indicator_form(), csrf_from="/indicators/new")
    assert resp.status_code == 302
    with db(app) as s:
        own = s.scalars(select(Indicator).where(Indicator.key.is_(None))).one()
        assert (own.measure, own.direction, own.additive, own.per_method, own.takes_days) == (
            "count",
            "higher",
            True,
            True,
            False,
        )
        assert (own.id, "Referred to group care") in indicator_choices(s, "en")


def test_a_share_or_a_time_never_adds_up_over_months_whatever_the_form_says(en, app):
    en.post("/indicators/new", indicator_form(measure="percent", direction="higher", takes_days="y"), csrf_from="/indicators/new")
    with db(app) as s:
        own = s.scalars(select(Indicator).where(Indicator.key.is_(None))).one()
    assert (own.additive, own.takes_days) == (False, True)


def test_a_name_is_required_and_an_identity_code_refused(en):
    resp = en.post("/indicators/new", indicator_form(name_fi=""), csrf_from="/indicators/new")
    assert resp.status_code == 422 and "name_fi" in errors_of(text(resp))


def test_a_seeded_indicators_names_are_editable_but_not_how_it_adds_up(en, app):
    url = f"/indicators/{MEDIAN}/edit"
    page = text(en.get(url))
    assert 'name="measure"' not in page and "fixed" in squash(page)
    resp = en.post(url, indicator_form(name_fi="Odotusaika (mediaani)", measure="count", direction="higher"), csrf_from=url)
    assert resp.status_code == 302
    median = get(app, Indicator, MEDIAN)
    assert (median.name_fi, median.measure, median.direction, median.key) == (
        "Odotusaika (mediaani)",
        "days",
        "lower",
        "median_days_to_start",
    )


def test_an_own_indicator_with_figures_keeps_how_it_adds_up(en, app):
    en.post("/indicators/new", indicator_form(per_method=""), csrf_from="/indicators/new")
    with db(app) as s:
        own_id = s.scalars(select(Indicator.id).where(Indicator.key.is_(None))).one()
    (uid,) = add(app, unit_row("Alavuden terveysasema"))
    add(app, figure(own_id, uid, last_month(today()), 5))
    url = f"/indicators/{own_id}/edit"
    assert en.post(url, indicator_form(measure="days", additive=""), csrf_from=url).status_code == 302
    own = get(app, Indicator, own_id)
    assert (own.measure, own.additive) == ("count", True)


def test_a_retired_indicator_keeps_its_figures_but_leaves_the_goal_form(en, app):
    assert en.post(f"/indicators/{WAITING}/retire", {}, csrf_from="/indicators").status_code == 302
    with db(app) as s:
        assert WAITING not in dict(indicator_choices(s, "en"))
        assert WAITING in dict(indicator_choices(s, "en", include=WAITING))  # a goal's own stays
    assert f"/indicators/{WAITING}/figures" not in text(en.get("/indicators"))
    assert f"/indicators/{WAITING}/figures" in text(en.get("/indicators?retired=y"))
    en.post(f"/indicators/{WAITING}/unretire", {}, csrf_from="/indicators")
    assert not get(app, Indicator, WAITING).retired
