"""The monthly figures grid in a real browser, keyboard only: last month's figures for 25 units
typed in one keystroke sequence (a value and Enter each; Enter in the last row saves), a block
pasted from Excel filling cells from the focused one, the arrow keys, Ctrl+Enter, and a wrong
cell refused with nothing saved. The keystrokes are counted and printed (the issue's figure)."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from app.core.clock import today
from app.queries.indicators import add_months, last_month
from app.settings.ops import ProfileData, save_profile
from app.store import Store
from app.store.seeds import indicator_id
from app.units.ops import UnitData, create_unit
from tests.browser.conftest import active_element, launch_koordi, login, press
from tests.conftest import PROFILE

pytestmark = pytest.mark.browser

WAITING = indicator_id("waiting_list")  # reported per unit: the grid is the units × months
UNITS = 25


@pytest.fixture(scope="module")
def grid_koordi(tmp_path_factory):
    """`koordi serve` on a profile and 25 active units, made through the app's own writes."""
    data = tmp_path_factory.mktemp("grid") / "data"
    data.mkdir(parents=True)
    store = Store.open(data)
    try:
        with store.Session() as s:
            save_profile(s, ProfileData(**PROFILE))
            for i in range(UNITS):
                create_unit(s, UnitData(f"Yksikkö {i + 1:02d}", "health_station", "adults"))
    finally:
        store.dispose()
    koordi = launch_koordi(data)
    yield koordi
    koordi.stop()


def figures(koordi, month: dt.date) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{koordi.data_dir / 'koordi.sqlite3'}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT u.name, f.value_milli FROM monthly_figures f JOIN units u ON u.id = f.unit_id "
            "WHERE f.deleted = 0 AND f.indicator_id = ? AND f.month = ?",
            (WAITING, month.isoformat()),
        ).fetchall()
    finally:
        conn.close()
    return {name: value // 1000 for name, value in rows}


def test_a_month_for_25_units_in_one_keystroke_sequence(grid_koordi, new_context):
    page = new_context().new_page()
    login(page, grid_koordi, f"/indicators/{WAITING}/figures")
    month = last_month(today())
    key = f"{month.year:04d}-{month.month:02d}"
    first = active_element(page)
    assert first["name"].startswith("c-") and first["name"].endswith(key), first["desc"]  # last month, first unit
    values = [10 + 3 * i for i in range(UNITS)]
    keys = 0
    for i, value in enumerate(values):
        page.keyboard.type(str(value))
        keys += len(str(value))
        if i < UNITS - 1:
            el = press(page, "Enter")  # down to the next unit, same month
            assert el["name"].endswith(key), el["desc"]
        else:
            with page.expect_navigation():
                page.keyboard.press("Enter")  # the last row: Enter saves
        keys += 1
    print(f"\n[grid] {UNITS} units' figures for one month saved with {keys} keystrokes ({keys - UNITS} digits + {UNITS} Enter)")
    assert page.locator(".flash-success").count() == 1
    assert figures(grid_koordi, month) == {f"Yksikkö {i + 1:02d}": v for i, v in enumerate(values)}
    assert keys == sum(len(str(v)) for v in values) + UNITS  # no Tab, no mouse: a value and Enter each


def test_a_block_pasted_from_excel_fills_cells_from_the_focused_one_and_ctrl_enter_saves(grid_koordi, new_context):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=grid_koordi.base)
    page = context.new_page()
    login(page, grid_koordi, f"/indicators/{WAITING}/figures")
    earlier, earliest = add_months(last_month(today()), -1), add_months(last_month(today()), -2)
    # The focused cell holds the figure saved above, all of it selected: typing replaces it.
    selected = page.evaluate("(el => [el.value, el.selectionStart, el.selectionEnd])(document.activeElement)")
    assert selected == ["10", 0, 2], selected
    el = press(page, "ArrowLeft")  # the whole value is selected: the caret is at an edge, to the month before
    assert el["name"].endswith(f"{earlier.year:04d}-{earlier.month:02d}"), el["desc"]
    el = press(page, "ArrowLeft")
    assert el["name"].endswith(f"{earliest.year:04d}-{earliest.month:02d}"), el["desc"]
    # Excel copies two months (columns) of three units (rows), tab-separated, with a final newline.
    page.evaluate("text => navigator.clipboard.writeText(text)", "41\t38\r\n7\t6\r\n19\t17\r\n")
    page.keyboard.press("Control+V")
    assert "6" in page.locator("#grid-status").inner_text()
    assert page.locator("input.cell").nth(3).input_value() == "41"  # the first unit's fourth month of six
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert figures(grid_koordi, earliest) == {"Yksikkö 01": 41, "Yksikkö 02": 7, "Yksikkö 03": 19}
    assert figures(grid_koordi, earlier) == {"Yksikkö 01": 38, "Yksikkö 02": 6, "Yksikkö 03": 17}


def test_a_wrong_cell_is_named_and_nothing_is_saved(grid_koordi, new_context):
    page = new_context().new_page()
    login(page, grid_koordi, f"/indicators/{WAITING}/figures")
    before = figures(grid_koordi, last_month(today()))
    page.keyboard.type("kolme")
    press(page, "ArrowDown")
    page.keyboard.type("5")
    with page.expect_navigation() as nav:
        page.keyboard.press("Control+Enter")
    assert nav.value.status == 422
    summary = page.locator("#error-summary")
    assert "Yksikkö 01" in summary.inner_text()
    assert figures(grid_koordi, last_month(today())) == before
