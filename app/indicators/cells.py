"""A monthly figure's cell as typed or pasted -> integer thousandths, by the indicator's measure.
Pure: no Flask, no database; the grid page words the troubles and names the cell.

An empty cell is "not reported" (None), never zero. Accepted: "12", "12,5" (Finnish decimal
comma; a point too), "1 234" (spaces as Excel copies thousands), a trailing "%" on a percent,
at most three decimals (figures are stored as thousandths: exact everywhere).
"""

from __future__ import annotations

import re
from enum import StrEnum

from app.core.indicators import Measure

MILLI = 1000
MAX_COUNT = 100_000  # people or treatments in one unit's month: far above any real figure
MAX_DAYS = 3_650  # ten years' wait
MAX_PERCENT = 100
MAX_BASE = 100_000  # clients a median or share is of
LIMITS = {Measure.COUNT: MAX_COUNT, Measure.DAYS: MAX_DAYS, Measure.PERCENT: MAX_PERCENT}

_SPACES = re.compile(r"[ \u00a0\u202f]")
_NUMBER = re.compile(r"(-?)(\d{1,9})(?:[.,](\d{1,9}))?")


class Trouble(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    NOT_WHOLE = "not_whole"  # a count with decimals
    TOO_PRECISE = "too_precise"  # more than three decimals
    TOO_LARGE = "too_large"  # over the measure's limit (a percent over 100)
    BASE_WITHOUT_VALUE = "base_without_value"  # an n beside an empty value


def parse_value(text: str, measure: Measure | str) -> tuple[int | None, Trouble | None]:
    """(thousandths or None for an empty cell, None) or (None, the trouble)."""
    measure = Measure(measure)
    plain = _SPACES.sub("", text or "")
    if measure is Measure.PERCENT and plain.endswith("%"):
        plain = plain[:-1]
    if not plain:
        return None, None
    match = _NUMBER.fullmatch(plain)
    if match is None:
        return None, Trouble.NOT_A_NUMBER
    sign, whole, decimals = match.groups()
    decimals = (decimals or "").rstrip("0")
    if sign and (int(whole) or decimals):
        return None, Trouble.NEGATIVE
    if measure is Measure.COUNT and decimals:
        return None, Trouble.NOT_WHOLE
    if len(decimals) > 3:
        return None, Trouble.TOO_PRECISE
    milli = int(whole) * MILLI + int((decimals or "0").ljust(3, "0"))
    if milli > LIMITS[measure] * MILLI:
        return None, Trouble.TOO_LARGE
    return milli, None


def parse_base(text: str) -> tuple[int | None, Trouble | None]:
    """The n beside a median or share: a whole number 0..MAX_BASE, or None for an empty cell."""
    plain = _SPACES.sub("", text or "")
    if not plain:
        return None, None
    if not re.fullmatch(r"-?\d{1,9}", plain):
        return None, Trouble.NOT_WHOLE if _NUMBER.fullmatch(plain) else Trouble.NOT_A_NUMBER
    value = int(plain)
    if value < 0:
        return None, Trouble.NEGATIVE
    if value > MAX_BASE:
        return None, Trouble.TOO_LARGE
    return value, None


def limit(measure: Measure | str) -> int:
    return LIMITS[Measure(measure)]
