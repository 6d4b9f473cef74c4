"""Making a document: read its figures through the query layer, render it, name the file.

The reports page, the Print / PDF buttons and `koordi report` all call these, so a
document is the same whichever way it was asked for. Nothing here writes to the
database; handing the file over is the caller's (app.files.deliver, or the CLI).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.core.periods import Period
from app.gcpause import paused_while_making
from app.models import Unit
from app.pdf.parts import Rendered, file_name
from app.pdf.text import Texts
from app.queries.period_report import period_report
from app.queries.records import attestation, signin
from app.queries.unit_report import unit_report
from app.reports import attestation as attestation_doc
from app.reports import period as period_doc
from app.reports import signin as signin_doc
from app.reports import unit as unit_doc
from app.reports.common import author_of, file_slug

# File names are ASCII in every language (email attachments, zip files on Windows).
FILE_WORDS = {
    "period": {"fi": "kausiraportti", "sv": "periodrapport", "en": "period-report"},
    "unit": {"fi": "yksikkoyhteenveto", "sv": "enhetssammandrag", "en": "unit-summary"},
    "attestation": {"fi": "menetelmaohjaustodistus", "sv": "intyg-metodhandledning", "en": "guidance-attestation"},
    "signin": {"fi": "osallistujalista", "sv": "deltagarlista", "en": "sign-in-sheet"},
}


def _file(kind: str, lang: str, *parts: str) -> str:
    return file_name(FILE_WORDS[kind][lang], *parts)


def _dates(period: Period) -> str:
    return f"{period.start.isoformat()}_{period.end.isoformat()}"


def period_pdf(s: Session, period: Period, lang: str, today: dt.date, include_notes: bool = False) -> Rendered:
    texts = Texts(lang)
    with paused_while_making():
        report = period_report(s, period, today, texts.lang)
        data, pages = period_doc.render(report, author_of(s), texts, today, include_notes)
    return Rendered(data, pages, _file("period", texts.lang, _dates(period)))


def unit_pdf(s: Session, unit: Unit, period: Period, lang: str, today: dt.date, include_notes: bool = False) -> Rendered:
    texts = Texts(lang)
    with paused_while_making():
        report = unit_report(s, unit, period, texts.lang)
        data, pages = unit_doc.render(report, author_of(s), texts, today, include_notes)
    return Rendered(data, pages, _file("unit", texts.lang, file_slug(unit.name), _dates(period)))


class Erased(Exception):
    """The trainee's personal data was erased: there is no one to name in an attestation."""


def attestation_pdf(s: Session, trainee_id: str, lang: str, today: dt.date, include_notes: bool = False) -> Rendered | None:
    """None when there is no such (live) trainee; Erased when their name is gone."""
    texts = Texts(lang)
    data = attestation(s, trainee_id)
    if data is None:
        return None
    if data.trainee.erased_at is not None:
        raise Erased()
    pdf, pages = attestation_doc.render(data, author_of(s), texts, today, include_notes)
    return Rendered(pdf, pages, _file("attestation", texts.lang, file_slug(data.trainee.name)))


def signin_pdf(
    s: Session, event_id: str, lang: str, today: dt.date, rows: int | None = None, include_notes: bool = False
) -> Rendered | None:
    """None when there is no such (live) event. `rows` None: a page full of rows."""
    texts = Texts(lang)
    data = signin(s, event_id)
    if data is None:
        return None
    pdf, pages = signin_doc.render(data, author_of(s), texts, today, rows, include_notes)
    return Rendered(pdf, pages, _file("signin", texts.lang, data.event.date.isoformat(), file_slug(data.event.title, 30)))
