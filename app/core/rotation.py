"""Which backups to keep: a grandfather-father-son rotation.

Pure so it can be tested with any clock. Keeping is by calendar buckets, newest
backup of each bucket: the last 7 days that have a backup, the last 4 ISO weeks,
the last 6 months. The newest few are always kept whatever their bucket, so that
the backup taken just before an upgrade, restore or import is never the one that
rotation removes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

KEEP_NEWEST = 3
KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 6


def _bucketed(items: list[tuple[dt.datetime, T]], key: Callable[[dt.datetime], object], limit: int) -> set[T]:
    kept: set[T] = set()
    seen: list[object] = []
    for when, item in items:  # newest first
        bucket = key(when)
        if bucket in seen:
            continue
        if len(seen) == limit:
            break
        seen.append(bucket)
        kept.add(item)
    return kept


def backups_to_keep(backups: Iterable[tuple[dt.datetime, T]]) -> set[T]:
    ordered = sorted(backups, key=lambda pair: pair[0], reverse=True)
    keep = {item for _, item in ordered[:KEEP_NEWEST]}
    keep |= _bucketed(ordered, lambda t: t.date(), KEEP_DAILY)
    keep |= _bucketed(ordered, lambda t: t.isocalendar()[:2], KEEP_WEEKLY)
    keep |= _bucketed(ordered, lambda t: (t.year, t.month), KEEP_MONTHLY)
    return keep
