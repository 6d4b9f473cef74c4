"""The words and number formats of one document, in the language it is printed in.

A document is printed in a language chosen for it (the UI's in the window, --lang on
the command line), not necessarily the language of the request, so everything here
goes through app.i18n.translator(lang) rather than Flask-Babel's request locale.
The features' label dicts (lazy_gettext strings) are read by their English msgid
and translated into the document's language, so the PDF says "Työpaja" exactly
where the events page does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.sax.saxutils import escape

from app import i18n
from app.core import collation
from app.core.geography import COUNTY_BY_KEY
from app.core.periods import Period

# BCP 47 tags for the PDF's /Lang (what a screen reader reads the document with).
PDF_LANG = {"fi": "fi-FI", "sv": "sv-FI", "en": "en"}


def msgid_of(label) -> str:
    """The English msgid behind a label: flask_babel's LazyString keeps it as its first argument."""
    args = getattr(label, "_args", None)
    return args[0] if args else str(label)


class Texts:
    def __init__(self, lang: str | None):
        self.lang = i18n.normalise(lang)
        self.gettext = i18n.translator(self.lang)

    def __call__(self, msgid: str, /, **values) -> str:
        return self.gettext(msgid, **values)

    # -- labels of the features' enums -------------------------------------------------
    def label(self, labels: dict, key: str | None) -> str:
        """The label of `key` in the document's language, or the key itself when unknown
        (a newer app version added it)."""
        if key in labels:
            return self.gettext(msgid_of(labels[key]))
        return key or ""

    # -- formats ----------------------------------------------------------------------
    @staticmethod
    def date(value: dt.date | None) -> str:
        return i18n.format_date(value) if value else "–"

    def time(self, value: dt.datetime | dt.time | None) -> str:
        return i18n.format_time(value, self.lang) if value else ""

    def number(self, value, digits: int = 0) -> str:
        return i18n.format_number(value, self.lang, digits)

    def hours(self, value: Decimal) -> str:
        """Hours as the pages show them: one decimal, always (12,0 not 12)."""
        return i18n.format_number(value, self.lang, 1)

    def percent(self, value: int | None) -> str:
        return "–" if value is None else f"{self.number(value)} %"

    def period(self, period: Period) -> str:
        return f"{self.date(period.start)}–{self.date(period.end)}"

    def county(self, key: str | None) -> str:
        county = COUNTY_BY_KEY.get(key or "")
        return county.name(self.lang) if county else ""

    def sort_key(self, text: str) -> tuple[str, str, str]:
        return collation.key(text)  # Finnish/Swedish order: … Z, Å, Ä, Ö


def para(text: str | None) -> str:
    """User text made safe for a reportlab Paragraph (which reads its text as markup)."""
    return escape(text or "").replace("\n", "<br/>")
