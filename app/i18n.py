"""Languages, the message catalogs, and Finnish formats of dates and numbers.

The UI speaks Finnish first, then Swedish and English (DOMAIN.md). Catalogs are
compiled from the .po files the repo keeps; dates are d.M.yyyy in every language
because the app is for Finland, and numbers use the Finland variant of each
language's locale (decimal comma in fi, sv and en alike).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.support import NullTranslations

from app import catalogs
from app.core.clock import HELSINKI, today  # noqa: F401 - re-exported: templates and older imports
from app.lazy_catalog import LazyTranslations
from app.paths import PACKAGE_DIR, translations_dir

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
SOURCE_DIR = PACKAGE_DIR / "translations"  # the .po files (absent from a wheel: it has the .mo only)
TRANSLATIONS_DIR = translations_dir()  # the compiled catalogs: compiled here first in a fresh checkout
# Formatting locales: Finland's variant of each language.
FORMAT_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_FI"}


def normalise(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def compile_catalogs(directory: Path = SOURCE_DIR) -> list[Path]:
    """(Re)compile every messages.po whose .mo is missing or older. Returns what was written."""
    return catalogs.compile_catalogs(directory)


@cache
def _translations(lang: str) -> NullTranslations:  # NullTranslations when the catalog is missing
    # Its messages decoded as they are first asked for (app.lazy_catalog: issue 17).
    return LazyTranslations.load(str(TRANSLATIONS_DIR), [lang], domain="messages")


def translator(lang: str | None):
    """A `_(message, **values)` for code that runs outside a request (the CLI, start-up)."""
    trans = _translations(normalise(lang))

    def _(msgid: str, /, **values) -> str:
        text = trans.gettext(msgid)
        return text % values if values else text

    # For messages that format a date or time in the same language. Through __dict__: type
    # checkers know no attributes of a function.
    _.__dict__["lang"] = normalise(lang)
    _.__dict__["ngettext"] = trans.ngettext  # click's own plural messages (app.cli.common)
    return _


def format_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day}.{value.month}.{value.year}"


def format_time(value: dt.datetime | dt.time, lang: str) -> str:
    sep = ":" if lang == "en" else "."
    return f"{value.hour}{sep}{value.minute:02d}"


def format_local_datetime(value: dt.datetime | None, lang: str) -> str:
    """A UTC timestamp as Helsinki wall time: 23.11.2026 9.05."""
    if value is None:
        return ""
    local = value.astimezone(HELSINKI)
    return f"{format_date(local.date())} {format_time(local, lang)}"


# Each language's decimal mark and thousands separator in its Finland locale (FORMAT_LOCALES), as
# Babel's locale data has them (tests/test_i18n.py compares the two). Kept here so that a page's
# numbers need not load that data: unpickling and merging it took ~6 ms of every start (issue 17).
NUMBER_SYMBOLS = {"fi": (",", "\u00a0"), "sv": (",", "\u00a0"), "en": (",", "\u00a0")}
_ROUNDED_BEYOND = 15  # digits before the decimal mark past which Babel formats (none of Koordi's figures)


@cache
def _quantum(digits: int) -> Decimal:
    return Decimal(1).scaleb(-digits)


def format_number(value, lang: str, digits: int = 1, fixed: bool = True) -> str:
    """1234.5 -> '1 234,5' in Finnish and Swedish (what babel's format_decimal gives), with
    exactly `digits` decimals: 12 hours print as "12,0" on every page and in every PDF, so
    the same figure never looks like two. `fixed=False`: up to `digits` (an average of
    feedback scores as "4,3 / 5", not "4,30 / 5").

    Babel's pattern "#,##0.0" (".#" when not fixed) applied as Babel applies it: the value as a
    Decimal (a float through its str), rounded half to even, grouped by three, the sign of the
    value before rounding ("-0,0"). tests/test_i18n.py checks the text against Babel's own."""
    if value is None:
        return ""
    # What most cells hold, at once (issue 17: a list formats a number or two per row): whole
    # numbers below a thousand with no decimals to show.
    if type(value) is int and 0 <= value < 1000 and (digits == 0 or not fixed):
        return str(value)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite() or number.adjusted() >= _ROUNDED_BEYOND:
        return _babel_number(number, lang, digits, fixed)
    mark, group = NUMBER_SYMBOLS[normalise(lang)]
    whole, _, fraction = f"{abs(number).normalize().quantize(_quantum(digits)):f}".partition(".")
    if not fixed:
        fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    text = group.join([whole, *reversed(groups)])
    if fraction:
        text = f"{text}{mark}{fraction}"
    return f"-{text}" if number.is_signed() else text


def _babel_number(number: Decimal, lang: str, digits: int, fixed: bool) -> str:
    """Babel's own text, for what format_number does not handle itself (infinities, NaN, huge values)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    decimals = ("." + ("0" if fixed else "#") * digits) if digits else ""
    return parse_pattern("#,##0" + decimals).apply(number, Locale.parse(FORMAT_LOCALES[normalise(lang)]))


def format_month(year: int, month: int, lang: str) -> str:
    """A month as the language names it on its own: "maaliskuu 2026", "mars 2026", "March 2026"."""
    from babel.dates import get_month_names

    return f"{get_month_names('wide', 'stand-alone', FORMAT_LOCALES[normalise(lang)])[month]} {year}"


# Units of a file's size as each language abbreviates them (tavu = byte in Finnish).
_SIZE_UNITS = {"fi": ("t", "kt", "Mt", "Gt"), "sv": ("B", "kB", "MB", "GB"), "en": ("B", "kB", "MB", "GB")}


def format_size(size: int, lang: str) -> str:
    """A file's size as a person reads it: 2 535 424 bytes -> '2,4 Mt' (fi) / '2,4 MB'; below
    a megabyte in whole kilobytes ('512 kt'). Binary units, as file managers count them."""
    units = _SIZE_UNITS[normalise(lang)]
    value, unit = float(size), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{format_number(value, lang, 1 if unit >= 2 else 0)}\u00a0{units[unit]}"
