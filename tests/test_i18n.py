"""Every UI string is translated to Finnish and Swedish, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
OPTIONS = {"app/**/templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        ROOT, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


@pytest.fixture(scope="module")
def messages() -> set[str]:
    return source_messages()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalog_translates_every_message(messages, lang):
    with (i18n.TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy[:5]}"
    for m in messages:
        entry = catalog.get(m)
        assert set(PLACEHOLDER.findall(entry.string)) == set(PLACEHOLDER.findall(m)), (lang, m)


def test_translator_speaks_finnish_by_default():
    assert i18n.translator(None)("Dashboard") == "Etusivu"
    assert i18n.translator("sv")("Dashboard") == "Översikt"
    assert i18n.translator("xx")("Dashboard") == "Etusivu"


def test_finnish_formats():
    import datetime as dt

    assert i18n.format_date(dt.date(2026, 3, 5)) == "5.3.2026"
    assert i18n.format_number(1234.5, "fi") == "1\xa0234,5"
    assert i18n.format_number(2.25, "sv", 2) == "2,25"
    utc = dt.datetime(2026, 7, 1, 6, 5, tzinfo=dt.timezone.utc)  # summer time: UTC+3
    assert i18n.format_local_datetime(utc, "fi") == "1.7.2026 9.05"
    winter = dt.datetime(2026, 1, 1, 6, 5, tzinfo=dt.timezone.utc)  # UTC+2
    assert i18n.format_local_datetime(winter, "en") == "1.1.2026 8:05"
