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

from babel import Locale
from babel.numbers import NumberPattern, get_decimal_symbol, parse_pattern
from babel.support import NullTranslations, Translations

from app import catalogs
from app.core.clock import HELSINKI, today  # noqa: F401 - re-exported: templates and older imports
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
    return Translations.load(str(TRANSLATIONS_DIR), [lang], domain="messages")


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


@cache
def _number_format(lang: str, digits: int, fixed: bool) -> tuple[Locale, NumberPattern]:
    # Parsed once: a list page formats a number or two per row, and parsing the locale
    # and the pattern each time was most of the cost.
    decimals = ("." + ("0" if fixed else "#") * digits) if digits else ""
    return Locale.parse(FORMAT_LOCALES[normalise(lang)]), parse_pattern("#,##0" + decimals)


@cache
def _decimal_mark(lang: str) -> str:
    return get_decimal_symbol(_number_format(lang, 0, True)[0])


def format_number(value, lang: str, digits: int = 1, fixed: bool = True) -> str:
    """1234.5 -> '1 234,5' in Finnish and Swedish (what babel's format_decimal gives), with
    exactly `digits` decimals: 12 hours print as "12,0" on every page and in every PDF, so
    the same figure never looks like two. `fixed=False`: up to `digits` (an average of
    feedback scores as "4,3 / 5", not "4,30 / 5")."""
    if value is None:
        return ""
    # Shortcuts for what most cells hold, the pattern's own text at a hundredth of its cost (issue
    # 17: a list formats a number or two per row): whole numbers below a thousand (no grouping,
    # no decimals), and hours' Decimals already at `digits` places (nothing to round).
    if type(value) is int and 0 <= value < 1000 and (digits == 0 or not fixed):
        return str(value)
    if type(value) is Decimal and fixed and digits and value.is_finite() and not value.is_signed() and value < 1000:
        if value.as_tuple().exponent == -digits:
            return str(value).replace(".", _decimal_mark(lang))
    locale, pattern = _number_format(lang, digits, fixed)
    return pattern.apply(value, locale)


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
