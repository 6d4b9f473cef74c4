"""The central-office summary's document, from plain rows (the merge that produces them is
built separately): per-county and per-method totals are the rows' sums."""

from __future__ import annotations

import datetime as dt

from app.core import periods
from app.reports import central
from app.reports.common import Author
from app.reports.text import Texts
from tests.reports.pdftools import after, catalog_lang, dec, fonts, lines, num, page_labels

ROWS = [
    central.CentralRow("lansi-uusimaa", "Cool Kids", units=5, deployments_in_use=3, events_held=10, events_planned=12,
                       attendance=80, guidance_sessions=20, guidance_minutes=1800, trainees_guided=9),
    central.CentralRow("hus", "Interpersonaalinen ohjanta IPC", units=4, deployments_in_use=2, events_held=7,
                       events_planned=9, attendance=50, guidance_sessions=10, guidance_minutes=900, trainees_guided=4),
    central.CentralRow("lansi-uusimaa", "Interpersonaalinen ohjanta IPC", units=1, deployments_in_use=1, events_held=2,
                       events_planned=2, attendance=10, guidance_sessions=4, guidance_minutes=365, trainees_guided=2),
]  # fmt: skip
COORDINATORS = {"lansi-uusimaa": 2, "hus": 3, "lappi": 1}


def render(lang: str = "fi"):
    return central.render(ROWS, COORDINATORS, periods.year(2026), Author("Keskus Toimisto"), Texts(lang), dt.date(2026, 12, 1))


def test_county_and_method_totals_are_the_rows_sums():
    data, pages = render()
    text = lines(data)
    assert text[0] == "Keskustoimiston yhteenveto" and pages == 1 and page_labels(data) == [(1, 1)]
    # Länsi-Uusimaa: two coordinators, Cool Kids + IPC summed.
    assert [num(v) if "," not in v else dec(v) for v in after(text, "Länsi-Uusimaa", 8)] == [
        2, 12, 14, 90, 24, dec("36,1"), 11, 4]  # fmt: skip
    assert after(text, "Lappi", 8)[:2] == ["1", "0"]  # coordinators without figures still get their row
    by_method = text[text.index("Menetelmittäin"):]
    assert [num(v) if "," not in v else dec(v) for v in after(by_method, "Interpersonaalinen ohjanta IPC", 7)] == [
        9, 11, 60, 14, dec("21,1"), 6, 3]  # fmt: skip
    total = [num(v) if "," not in v else dec(v) for v in after(text, "Yhteensä", 8)]
    assert total == [6, 19, 23, 140, 34, dec("51,1"), 15, 6]


def test_swedish_and_valid():
    data, _pages = render("sv")
    text = lines(data)
    assert text[0] == "Centralkansliets sammandrag" and "Västra Nyland" in text and "sida 1 / 1" in text
    assert catalog_lang(data) == "sv-FI"
    assert all(fonts(data).values())
