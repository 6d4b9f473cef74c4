"""The monthly figures grid: units (or one unit's methods) × months, last month the default, an empty
cell is not reported, every cell checked by the measure, nothing saved while any cell is wrong."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core import hetu
from app.models import MonthlyFigure
from app.queries.indicators import add_months, last_month
from tests.common import COOL_KIDS, IPC, add, db, in_english, squash, text, today, unit_row
from tests.indicators.helpers import MEDIAN, SHARE, STARTED, TRAINED, WAITING, deploy, figure

CODE = hetu.generate(__import__("datetime").date(1985, 6, 7), 345, "-")  # made here, never a real person's


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


@pytest.fixture
def units(app) -> list[str]:
    return add(app, unit_row("Alavuden terveysasema"), unit_row("Böle hälsostation"), unit_row("Ähtärin perheneuvola"))


def key(month) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def live_figures(app, indicator: str) -> list[MonthlyFigure]:
    with db(app) as s:
        stmt = select(MonthlyFigure).where(MonthlyFigure.indicator_id == indicator, MonthlyFigure.deleted.is_(False))
        return list(s.scalars(stmt.order_by(MonthlyFigure.month)))


def save(client, indicator: str, cells: dict[str, str], query: str = ""):
    url = f"/indicators/{indicator}/figures{query}"
    return client.post(url, cells, csrf_from=url)


def test_the_grid_shows_units_by_month_ending_last_month_with_the_first_cell_of_last_month_focused(en, units):
    page = text(en.get(f"/indicators/{WAITING}/figures"))
    last = last_month(today())
    assert f'<option selected value="{key(last)}">' in page
    names = [f"c-{uid}-{key(last)}" for uid in units]
    assert all(f'name="{n}"' in page for n in names)
    assert f'name="c-{units[0]}-{key(add_months(last, -5))}"' in page  # six months shown
    first = page.index(f'id="{names[0]}"')
    assert "autofocus" in page[first : page.index(">", first)]
    assert "figures_grid.js" in page


def test_saving_a_month_for_every_unit_and_reading_it_back_with_a_decimal_comma(en, app, units):
    last = key(last_month(today()))
    resp = save(en, WAITING, {f"c-{units[0]}-{last}": "12", f"c-{units[1]}-{last}": "1 234", f"c-{units[2]}-{last}": "0"})
    assert resp.status_code == 302
    assert [f.value_milli for f in live_figures(app, WAITING)] == [12_000, 1_234_000, 0]  # 0 is a real report
    # A per-method median with its decimal comma, and its base.
    deploy(app, units[0], IPC)
    resp = save(en, MEDIAN, {f"c-{units[0]}-{last}": "12,5", f"n-{units[0]}-{last}": "40"}, f"?method={IPC}")
    assert resp.status_code == 302
    (median,) = live_figures(app, MEDIAN)
    assert (median.value_milli, median.n, median.method_id) == (12_500, 40, IPC)
    page = text(en.get(f"/indicators/{MEDIAN}/figures?method={IPC}"))
    assert 'value="12,5"' in page and 'value="40"' in page


def test_an_emptied_cell_is_not_reported_and_its_figure_removed_never_zero(en, app, units):
    last = last_month(today())
    add(app, figure(WAITING, units[0], last, 30), figure(WAITING, units[1], last, 8))
    resp = save(en, WAITING, {f"c-{units[0]}-{key(last)}": "", f"c-{units[1]}-{key(last)}": "8"})
    assert resp.status_code == 302
    assert [(f.unit_id, f.value_milli) for f in live_figures(app, WAITING)] == [(units[1], 8000)]
    with db(app) as s:
        gone = s.scalars(select(MonthlyFigure).where(MonthlyFigure.unit_id == units[0])).one()
    assert gone.deleted and gone.value_milli == 30_000  # soft-deleted: it travels as a deletion


def test_a_wrong_cell_names_its_unit_and_month_and_nothing_is_saved(en, app, units):
    last = last_month(today())
    resp = save(
        en,
        WAITING,
        {f"c-{units[0]}-{key(last)}": "12", f"c-{units[1]}-{key(last)}": "2,5", f"c-{units[2]}-{key(last)}": "-3"},
    )
    assert resp.status_code == 422
    page = squash(text(resp))
    assert "Nothing was saved" in page
    assert "Böle hälsostation, " in page and "enter a whole number" in page
    assert "Ähtärin perheneuvola" in page and "a figure cannot be below 0" in page
    assert live_figures(app, WAITING) == []
    assert f'id="c-{units[1]}-{key(last)}" value="2,5"' in text(resp)  # as typed, to correct


@pytest.mark.parametrize(
    ("indicator", "cell", "message"),
    [
        (SHARE, "100,5", "at most 100"),
        (SHARE, "72,5 %", None),
        (MEDIAN, "abc", "enter a number"),
        (MEDIAN, "1,0005", "at most three decimals"),
        (STARTED, "3,5", "enter a whole number"),
    ],
)
def test_values_are_checked_by_the_indicators_measure(en, app, units, indicator, cell, message):
    deploy(app, units[0], IPC)
    last = key(last_month(today()))
    resp = save(en, indicator, {f"c-{units[0]}-{last}": cell}, f"?method={IPC}")
    if message is None:
        assert resp.status_code == 302
        assert live_figures(app, indicator)[0].value_milli == 72_500
    else:
        assert resp.status_code == 422 and message in squash(text(resp))


def test_a_base_without_a_value_is_refused(en, app, units):
    deploy(app, units[0], IPC)
    last = key(last_month(today()))
    resp = save(en, MEDIAN, {f"c-{units[0]}-{last}": "", f"n-{units[0]}-{last}": "30"}, f"?method={IPC}")
    assert resp.status_code == 422 and "the number of clients is given without a figure" in squash(text(resp))


def test_an_identity_code_in_a_cell_is_refused_and_never_shown_back(en, units):
    last = key(last_month(today()))
    resp = save(en, WAITING, {f"c-{units[0]}-{last}": CODE})
    assert resp.status_code == 422
    assert CODE not in text(resp) and "identity code" in squash(text(resp))


def test_a_share_is_saved_with_its_days_and_the_grid_shows_only_those_days(en, app, units):
    deploy(app, units[0], IPC)
    last = last_month(today())
    assert save(en, SHARE, {f"c-{units[0]}-{key(last)}": "64"}, f"?method={IPC}&days=13").status_code == 302
    (share,) = live_figures(app, SHARE)
    assert share.days == 13
    assert 'value="64"' in text(en.get(f"/indicators/{SHARE}/figures?method={IPC}&days=13"))
    assert 'value="64"' not in text(en.get(f"/indicators/{SHARE}/figures?method={IPC}&days=28"))
    # The usual days are the default: 13 now that every figure has them.
    assert 'value="64"' in text(en.get(f"/indicators/{SHARE}/figures?method={IPC}"))


def test_one_units_methods_by_month(en, app, units):
    deploy(app, units[0], IPC)
    deploy(app, units[0], COOL_KIDS)
    last = key(last_month(today()))
    page = text(en.get(f"/indicators/{TRAINED}/figures?unit={units[0]}"))
    assert f'name="c-{IPC}-{last}"' in page and f'name="c-{COOL_KIDS}-{last}"' in page
    assert save(en, TRAINED, {f"c-{IPC}-{last}": "4"}, f"?unit={units[0]}").status_code == 302
    (trained,) = live_figures(app, TRAINED)
    assert (trained.unit_id, trained.method_id, trained.value_milli) == (units[0], IPC, 4000)


def test_a_per_method_grid_lists_the_units_with_the_method(en, app, units):
    deploy(app, units[1], IPC)
    page = text(en.get(f"/indicators/{TRAINED}/figures?method={IPC}"))
    assert re.findall(r'<th scope="row" id="g-r\d+"><a href="([^"]+)">([^<]+)', page) == [
        (f"/indicators/{TRAINED}/figures?unit={units[1]}&amp;month={key(last_month(today()))}", "Böle hälsostation")
    ]  # its name opens the unit's methods by month


def test_an_earlier_month_and_nonsense_in_the_query_string(en, units):
    assert 'selected value="2025-03"' in text(en.get(f"/indicators/{WAITING}/figures?month=2025-03"))
    for query in ("?month=x", "?month=2999-01", "?page=abc", "?method=nope", "?unit=nope&days=-1"):
        assert en.get(f"/indicators/{WAITING}/figures{query}").status_code == 200, query
    assert en.get(f"/indicators/{TRAINED}/figures?unit=nope").status_code == 200
