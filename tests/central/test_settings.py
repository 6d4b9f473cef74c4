"""The office's settings: the reporting period and its deadline, and the expected roster
(a coordinator added by hand, a leaver, a hand-added row linked to the files that came)."""

from __future__ import annotations

import re

from tests.central.pages import cells_of

HALF = "/reporting?from=2026-01&to=2026-06"


def test_quarters_and_a_deadline_and_a_wrong_number(central_client):
    r = central_client.post("/settings", {"period": "quarter", "deadline_days": "500"}, csrf_from="/settings")
    assert r.status_code == 422 and "Anna luku väliltä 0–120." in r.get_data(as_text=True)
    assert '<th scope="col" class="period">1/2026</th>' in central_client.get(HALF).get_data(as_text=True)
    r = central_client.post("/settings", {"period": "quarter", "deadline_days": "30"}, csrf_from="/settings")
    assert r.status_code == 302
    html = central_client.get(HALF).get_data(as_text=True)
    assert '<th scope="col" class="period">Q1/2026</th>' in html and '<th scope="col" class="period">Q2/2026</th>' in html
    assert "Määräaika: 30 päivää jakson päättymisestä." in html and "Raportointijakso: neljännes." in html


def test_a_coordinator_added_by_hand_is_missing_until_their_files_come_and_then_linked(central_client, central_files):
    form = {"name": "Kainuun koordinaattori", "county": "kainuu", "expected_from": "2026-01-01"}
    r = central_client.post("/settings/roster/new", form, csrf_from="/settings/roster/new")
    assert r.status_code == 302
    html = central_client.get(HALF).get_data(as_text=True)
    assert cells_of(html, "Kainuun koordinaattori") == ["missing"] * 6
    assert "Kainuu <span" in html  # the county's own group
    key = re.search(r'href="/reporting/coordinator/(roster:[^"?#]+)', html).group(1)
    # Their files come as coordinator B's (Lappi): linking moves the dates to B's row.
    b = central_files.senders["B"]
    r = central_client.post(f"/settings/roster/{key}/link", {"coordinator": b.id}, csrf_from=f"/settings/roster/{key}")
    assert r.status_code == 302 and r.headers["Location"] == f"/reporting/coordinator/{b.id}"
    html = central_client.get(HALF).get_data(as_text=True)
    assert "Kainuun koordinaattori" not in html
    assert cells_of(html, b.name) == ["late"] * 6  # expected since January; the first file came in December


def test_a_leaver_and_dates_in_the_wrong_order(central_client, central_files):
    a = central_files.senders["A"]
    path = f"/settings/roster/{a.id}"
    r = central_client.post(path, {"expected_from": "2026-03-01", "left_on": "2026-01-31"}, csrf_from=path)
    assert r.status_code == 422 and "Lähtöpäivä ei voi olla ennen odotuksen alkua." in r.get_data(as_text=True)
    r = central_client.post(path, {"expected_from": "2026-01-01", "left_on": "2026-03-31"}, csrf_from=path)
    assert r.status_code == 302
    html = central_client.get(HALF).get_data(as_text=True)
    assert cells_of(html, a.name) == ["late"] * 3 + ["not_expected"] * 3
    settings = central_client.get("/settings").get_data(as_text=True)
    assert "31.3.2026" in settings and "1.1.2026" in settings


def test_a_hand_added_row_is_removed(central_client):
    form = {"name": "Poistettava", "county": "lappi", "expected_from": "2026-01-01"}
    central_client.post("/settings/roster/new", form, csrf_from="/settings/roster/new")
    key = re.search(r'href="/settings/roster/(roster:[^"?#]+)"', central_client.get("/settings").get_data(as_text=True)).group(1)
    r = central_client.post(f"/settings/roster/{key}/delete", {}, csrf_from=f"/settings/roster/{key}")
    assert r.status_code == 302 and "Poistettava" not in central_client.get("/settings").get_data(as_text=True)
    assert central_client.post(f"/settings/roster/{key}/delete", {}, csrf_from="/settings").status_code == 404


def test_roster_dates_are_typed_the_finnish_way_and_a_wrong_one_is_named(central_client):
    """Text fields read d.M.yyyy (not the web engine's date picker, which speaks its own language)."""
    page = central_client.get("/settings/roster/new").get_data(as_text=True)
    assert 'type="date"' not in page and 'placeholder="pp.kk.vvvv"' in page
    form = {"name": "Kainuun koordinaattori", "county": "kainuu", "expected_from": "huomenna"}
    r = central_client.post("/settings/roster/new", form, csrf_from="/settings/roster/new")
    assert r.status_code == 422
    assert "Odotetaan alkaen: kirjoita päivämäärä muodossa päivä.kuukausi.vuosi" in r.get_data(as_text=True)
    r = central_client.post("/settings/roster/new", {**form, "expected_from": "1.2.2026"}, csrf_from="/settings/roster/new")
    assert r.status_code == 302
    cells = cells_of(central_client.get(HALF).get_data(as_text=True), "Kainuun koordinaattori")
    assert cells == ["not_expected"] + ["missing"] * 5  # expected from February
