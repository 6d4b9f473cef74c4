"""The sign-in sheet, read back: the event's title, date and place, and numbered empty rows
(a page full by default, or as many as asked, over pages with the header repeated)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app.i18n import format_date
from app.models import Event
from app.reports import build
from tests.reports.conftest import EVENT_TITLE
from tests.reports.pdftools import lines, page_labels, page_lines

ROW = re.compile(r"^\d+$")


def row_numbers(page: list[str]) -> list[int]:
    """The numbers of the empty rows: the lines after the table's header that are only a number."""
    start = page.index("Allekirjoitus") + 1
    return [int(line) for line in page[start:] if ROW.match(line)]


@pytest.fixture(scope="module")
def event(marked_session):
    return marked_session.scalars(select(Event).where(Event.title == EVENT_TITLE)).one()


def test_title_date_place_and_a_page_of_rows(marked_session, marked_sql, event, today):
    pdf = build.signin_pdf(marked_session, event.id, "fi", today)
    title, date, place, start = marked_sql.one("SELECT title, date, place, start_time FROM events WHERE id = ?", event.id)
    text = lines(pdf.data)
    assert text[:2] == ["Osallistujalista", title]
    when = text[text.index("Aika") + 1]
    assert when == f"{format_date(dt.date.fromisoformat(date))} 9.00–11.00" and start.startswith("09:00")
    assert text[text.index("Paikka") + 1] == place == "Kokoushuone Kuusi"
    assert text[text.index("Yksiköt") + 1] == "Merkkilän terveysasema"
    assert pdf.pages == 1
    rows = row_numbers(page_lines(pdf.data)[0])
    assert rows == list(range(1, len(rows) + 1)) and len(rows) >= 15  # the rest of the page, numbered


def test_as_many_rows_as_asked_over_pages(marked_session, event, today):
    pdf = build.signin_pdf(marked_session, event.id, "fi", today, rows=45)
    pages = page_lines(pdf.data)
    numbers = [row_numbers(page) for page in pages]
    assert [n for page in numbers for n in page] == list(range(1, 46))
    assert pdf.pages == len(pages) == 3 and all(numbers)
    for page in pages:  # the header row repeats on every page
        assert {"Nimi", "Yksikkö", "Ammatti", "Allekirjoitus"} <= set(page)
    assert page_labels(pdf.data) == [(1, 3), (2, 3), (3, 3)]


def test_swedish_sheet_and_an_unknown_event(marked_session, event, today):
    sv = build.signin_pdf(marked_session, event.id, "sv", today)
    text = lines(sv.data)
    assert text[0] == "Deltagarlista" and "Underskrift" in text and "sida 1 / 1" in text
    assert build.signin_pdf(marked_session, "no-such-event", "fi", today) is None
