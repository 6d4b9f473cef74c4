"""A coordinator declares a month complete when sending (the send form's tick, `koordi export
--complete-through YYYY-MM`): the manifest carries it, validated; files without it still read."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.core.clock import today
from app.exchange import problems as P
from app.exchange.reader import read_export
from tests.sync.helpers import add_profile, fill_sample, manifest_of, repack
from tests.sync.test_views import downloads, store_of


def last_month() -> str:
    return f"{today().replace(day=1) - dt.timedelta(days=1):%Y-%m}"


def test_the_send_forms_tick_names_last_month_and_goes_into_the_manifest(profiled, app):
    fill_sample(store_of(app))
    page = profiled.get("/sync").get_data(as_text=True)
    first = today().replace(day=1) - dt.timedelta(days=1)
    from app.i18n import format_month

    assert f"Kaikki on kirjattu kuukauteen {format_month(first.year, first.month, 'fi')} asti" in page
    plain = profiled.post("/sync/send", {"lang": "fi"}, csrf_from="/sync")
    assert "complete_through" not in manifest_of(profiled.get(downloads(plain)[1]).data)
    ticked = profiled.post("/sync/send", {"lang": "fi", "complete": "y"}, csrf_from="/sync")
    data = profiled.get(downloads(ticked)[1]).data
    assert manifest_of(data)["complete_through"] == last_month()
    assert read_export(data).manifest.complete_through == last_month()


def test_koordi_export_complete_through(tmp_path, template_db):
    from tests.sync.helpers import open_store

    folder = tmp_path / "data"
    store = open_store(template_db, folder)
    add_profile(store)
    store.dispose()
    runner = CliRunner()
    env = {"KOORDI_LANG": "en"}
    base = ["export", "--data-dir", str(folder)]
    bad = runner.invoke(cli, [*base, "--complete-through", "2026-13"], env=env)
    assert bad.exit_code == 1 and "--complete-through: 2026-13 is not a month; write it as YYYY-MM." in bad.output
    future = f"{today().year + 1}-01"
    assert "has not begun yet" in runner.invoke(cli, [*base, "--complete-through", future], env=env).output
    copy = runner.invoke(cli, [*base, "--copy", "--complete-through", last_month()], env=env)
    assert copy.exit_code == 1 and "not for --copy" in copy.output
    out = tmp_path / "vienti.zip"
    good = runner.invoke(cli, [*base, "--complete-through", last_month(), "--out", str(out)], env=env)
    assert good.exit_code == 0, good.output
    assert f"Declared complete through {last_month()}." in good.output
    assert manifest_of(out.read_bytes())["complete_through"] == last_month()


@pytest.mark.parametrize("value", ["2026-3", "2026-00", 202603, "maaliskuu", "2999-12"])
def test_a_bad_complete_through_makes_the_manifest_invalid(tmp_path, template_db, value):
    from app.sync.export import build_export
    from tests.sync.helpers import open_store

    store = open_store(template_db, tmp_path / "data")
    add_profile(store)
    with store.Session() as s:
        data = build_export(s, full=True, include_notes=False, include_names=False).data
    store.dispose()
    bad = repack(data, manifest=lambda m: m | {"complete_through": value})
    result = read_export(bad)
    assert [(p.code, dict(p.params)) for p in result.problems] == [(P.MANIFEST_FIELD, {"field": "complete_through"})]
    older = repack(data, manifest=lambda m: {k: v for k, v in m.items() if k != "complete_through"} | {"complete_through": None})
    assert read_export(older).ok and read_export(older).manifest.complete_through is None
    assert json.loads(json.dumps(manifest_of(data))).get("complete_through") is None
