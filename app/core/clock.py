"""One clock: sync timestamps are UTC; what a coordinator calls "today" is the date on a wall in
Helsinki (at 0.30 on Monday in Helsinki it is already Monday, whatever the laptop's zone).

Windows has no IANA time-zone database: zoneinfo finds Europe/Helsinki in the tzdata package.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = dt.UTC


def now_utc() -> dt.datetime:
    """An aware UTC timestamp: updated_at, sync history, backups' names."""
    return dt.datetime.now(UTC)


def today(now: dt.datetime | None = None) -> dt.date:
    """The coordinator's date: `now` (default: this moment) on Helsinki's wall clock."""
    return (now or now_utc()).astimezone(HELSINKI).date()
