import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.core.rotation import KEEP_DAILY, KEEP_MONTHLY, KEEP_NEWEST, KEEP_WEEKLY, backups_to_keep

UTC = dt.UTC
stamps = st.lists(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 1, 1)).map(lambda d: d.replace(tzinfo=UTC)),
    unique=True,
    max_size=80,
)


@given(stamps)
def test_keeps_newest_and_is_bounded(times):
    keep = backups_to_keep((t, t) for t in times)
    assert len(keep) <= KEEP_NEWEST + KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY
    assert set(sorted(times, reverse=True)[:KEEP_NEWEST]) <= keep


@given(stamps)
def test_every_recent_day_keeps_its_newest_backup(times):
    keep = backups_to_keep((t, t) for t in times)
    days = sorted({t.date() for t in times}, reverse=True)[:KEEP_DAILY]
    for day in days:
        newest_of_day = max(t for t in times if t.date() == day)
        assert newest_of_day in keep


def test_months_are_reached_back():
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    times = [start + dt.timedelta(days=d) for d in range(365)]
    keep = backups_to_keep((t, t) for t in times)
    months = {(t.year, t.month) for t in keep}
    assert len(months) == KEEP_MONTHLY
