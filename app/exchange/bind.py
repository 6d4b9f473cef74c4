"""Values converted for the database a column at a time, shared by the import and the merge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def each_once(form: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """form() of each value, made once for each distinct value: a file's times, dates, flags
    and choices repeat (a row's created_at and updated_at, a day's rows). Equal values give
    equal results, so the lookup gives what the call would. A column of mostly distinct values
    is converted value by value: the lookup would only add to it."""
    distinct = set(values)
    if len(distinct) * 2 > len(values):
        return list(map(form, values))
    made = dict(zip(distinct, map(form, distinct)))
    return list(map(made.__getitem__, values))
