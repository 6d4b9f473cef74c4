"""One clock: the coordinator's "today" is Helsinki's wall date, whatever the laptop's zone."""

from __future__ import annotations

import datetime as dt

from app.core import clock


def test_today_is_helsinki_wall_time():
    utc = dt.UTC
    # Sunday 22.30 UTC is Monday 0.30 in Helsinki (winter, UTC+2): a new week has begun.
    assert clock.today(dt.datetime(2026, 11, 29, 22, 30, tzinfo=utc)) == dt.date(2026, 11, 30)
    assert clock.today(dt.datetime(2026, 11, 29, 21, 59, tzinfo=utc)) == dt.date(2026, 11, 29)
    # Summer time (UTC+3)
    assert clock.today(dt.datetime(2026, 6, 30, 21, 0, tzinfo=utc)) == dt.date(2026, 7, 1)


def test_now_is_aware_utc():
    assert clock.now_utc().utcoffset() == dt.timedelta(0)
