"""Every UI string is translated to Finnish and Swedish, with the same placeholders."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

from app import i18n

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2")]
OPTIONS = {"app/**/templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def source_messages() -> set[str | tuple[str, str]]:
    """Every msgid in the code and templates; plural ones as (singular, plural)."""
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        ROOT, method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def translated(catalog, message) -> list[str]:
    key = message if isinstance(message, str) else message[0]
    entry = catalog.get(key)
    if entry is None:
        return []
    if isinstance(message, tuple) != isinstance(entry.string, tuple):
        return []  # a plural message needs its plural forms, not just the singular
    strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
    return strings if all(strings) else []


@pytest.fixture(scope="module")
def messages() -> set[str]:
    return source_messages()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalog_translates_every_message(messages, lang):
    with (i18n.TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = sorted(str(m) for m in messages if not translated(catalog, m))
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"
    fuzzy = sorted(str(m.id) for m in catalog if m.id and m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy[:5]}"
    for m in messages:
        source = m if isinstance(m, str) else m[-1]
        for text in translated(catalog, m):
            assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDER.findall(source)), (lang, m)


def test_translator_speaks_finnish_by_default():
    assert i18n.translator(None)("Dashboard") == "Etusivu"
    assert i18n.translator("sv")("Dashboard") == "Översikt"
    assert i18n.translator("xx")("Dashboard") == "Etusivu"


def test_finnish_formats():
    import datetime as dt

    assert i18n.format_date(dt.date(2026, 3, 5)) == "5.3.2026"
    assert i18n.format_number(1234.5, "fi") == "1\xa0234,5"
    assert i18n.format_number(2.25, "sv", 2) == "2,25"
    utc = dt.datetime(2026, 7, 1, 6, 5, tzinfo=dt.UTC)  # summer time: UTC+3
    assert i18n.format_local_datetime(utc, "fi") == "1.7.2026 9.05"
    winter = dt.datetime(2026, 1, 1, 6, 5, tzinfo=dt.UTC)  # UTC+2
    assert i18n.format_local_datetime(winter, "en") == "1.1.2026 8:05"


@pytest.mark.parametrize(("lang", "one", "many"), [("fi", "1 rivi", "4 riviä"), ("sv", "1 rad", "4 rader")])
def test_counts_take_the_languages_own_plural(lang, one, many):
    """A count of 4 must not fall back to English ("4 rows") in a Finnish or Swedish page."""
    trans = i18n._translations(lang)
    assert trans.ngettext("%(num)d row", "%(num)d rows", 1) % {"num": 1} == one
    assert trans.ngettext("%(num)d row", "%(num)d rows", 4) % {"num": 4} == many


def test_numbers_are_formatted_as_babel_formats_them():
    """format_number keeps its parsed locale and pattern: the text must stay babel's own."""
    from decimal import Decimal

    from babel import Locale
    from babel.numbers import format_decimal

    for lang in i18n.LANGUAGES:
        locale = Locale.parse(i18n.FORMAT_LOCALES[lang])
        for digits in (0, 1, 2):
            for fixed, mark in ((True, "0"), (False, "#")):
                pattern = "#,##0" + ("." + mark * digits if digits else "")
                # 0..999 whole numbers take a shortcut past babel: 7, 999, 1000 (grouped) and -5 check its edge
                edge = (7, 999, 1000, -5, Decimal("2.5"), Decimal("999.9"), Decimal("1000.0"), Decimal("-0.5"), Decimal("3"))
                for value in (0, *edge, 2.25, 2.35, -3.75, 12345.678, 1234567, Decimal("0.05"), Decimal("12.0"), Decimal("7.45")):
                    got = i18n.format_number(value, lang, digits, fixed)
                    assert got == format_decimal(value, format=pattern, locale=locale)


def test_the_number_symbols_are_babels_for_each_languages_finland_locale():
    """format_number's own table of the decimal mark and the thousands separator is the locale data's."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    for lang in i18n.LANGUAGES:
        locale = i18n.FORMAT_LOCALES[lang]
        assert i18n.NUMBER_SYMBOLS[lang] == (get_decimal_symbol(locale), get_group_symbol(locale))


_figures = st.one_of(
    st.integers(min_value=-(10**16), max_value=10**16),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**16), max_value=10**16),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-1000, max_value=1000, places=4),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e16, max_value=1e16),
    st.sampled_from([Decimal("0.05"), Decimal("-0.05"), Decimal("0.25"), Decimal("-0"), 0.125, 2.675, 1e-20, Decimal("1E+3")]),
)


@settings(max_examples=400, deadline=None)
@given(value=_figures, lang=st.sampled_from(i18n.LANGUAGES), digits=st.integers(0, 3), fixed=st.booleans())
def test_any_figure_reads_as_babel_would_write_it(value, lang, digits, fixed):
    """Rounding (half to even, as Babel rounds), grouping, the sign of a value that rounds to zero,
    floats through their text: the same text as Babel's format_decimal with the same pattern."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + ("0" if fixed else "#") * digits if digits else "")
    expected = format_decimal(value, format=pattern, locale=i18n.FORMAT_LOCALES[lang])
    assert i18n.format_number(value, lang, digits, fixed) == expected


def test_a_figure_prints_alike_everywhere():
    """Hours always with their one decimal, thousands apart: "12,0" and "1 234,5", never "12"
    on one page and "12,0" in the PDF."""
    assert i18n.format_number(12, "fi", 1) == "12,0"
    assert i18n.format_number(1234.5, "sv", 1) == "1\xa0234,5"
    assert i18n.format_number(12, "en", 1) == "12,0"  # Finnish conventions in every language
    assert i18n.format_number(4.3, "fi", 2, fixed=False) == "4,3"
