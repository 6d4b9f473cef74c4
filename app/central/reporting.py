"""The reporting grid read from the merged database: the coordinators seen in files, their
merged files and the office's roster, given to the pure rule (app.central.completeness).

    grid = reporting_grid(conn, today, Filters(first=..., last=..., area=..., county=...))
    grid = KeptGrids().grid(conn, today, filters)   # the same, kept until a merge or a roster change

A grid reads only the merged files its span needs (_sent_files), not each coordinator's history.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Connection, String, and_, bindparam, func, select, union_all

from app.central import completeness as C
from app.central.office import OfficeSettings, read_settings, roster
from app.central.schema import coordinators, merged_files
from app.core.geography import COUNTIES, COUNTY_BY_KEY

SPAN = 12  # periods shown when no span is asked for: the last twelve, up to the current one
COUNTY_ORDER = {c.key: i for i, c in enumerate(COUNTIES)}


@dataclass(frozen=True)
class Filters:
    first: dt.date | None = None  # any day of the first period
    last: dt.date | None = None  # any day of the last period
    area: str | None = None
    county: str | None = None
    coordinator: str | None = None  # a Person.key


def people(conn: Connection, first: C.Period | None = None, *, with_files: bool = True) -> list[C.Person]:
    """Everyone the office expects reports from, or has had files from, with their merged files
    (every one; with `first`, only those a grid from the period `first` on can use, see
    _sent_files; without `with_files`, none)."""
    files = _sent_files(conn, first) if with_files else {}
    entries = roster(conn)
    by_coordinator = {e.coordinator_id: e for e in entries if e.coordinator_id}
    out = []
    for c in conn.execute(select(coordinators.c.id, coordinators.c.name, coordinators.c.county, coordinators.c.cooperation_area)):
        e = by_coordinator.get(c.id)
        out.append(
            C.Person(
                c.id,
                c.name,
                c.county,
                c.cooperation_area,
                tuple(files.get(c.id, ())),
                e.expected_from if e else None,
                e.left_on if e else None,
                coordinator_id=c.id,
                roster_id=e.id if e else None,
            )
        )
    for e in entries:
        if e.coordinator_id is None and e.county in COUNTY_BY_KEY:
            area = COUNTY_BY_KEY[e.county].area
            out.append(C.Person(f"roster:{e.id}", e.name, e.county, area, (), e.expected_from, e.left_on, roster_id=e.id))
    return out


FILE_COLUMNS = (
    merged_files.c.coordinator_id,
    merged_files.c.export_id,
    merged_files.c.file_name,
    merged_files.c.kind,
    merged_files.c.since,
    merged_files.c.exported_at,
    merged_files.c.complete_through,
    merged_files.c.sha256,
)


def _file_queries():
    """All files; the files of a span (from :cutoff on, and each coordinator's first and last before
    it; both parts read an index: ix_merged_files_exported_at, ix_merged_files_coordinator_exported);
    the first file declaring :month complete. Built once: the page is asked for often."""
    m = merged_files
    cutoff = bindparam("cutoff", type_=m.c.exported_at.type)
    edges = (
        select(m.c.coordinator_id, func.min(m.c.exported_at).label("first"), func.max(m.c.exported_at).label("before"))
        .where(m.c.exported_at < cutoff)
        .group_by(m.c.coordinator_id)
        .subquery()
    )
    before = select(*FILE_COLUMNS).join(
        edges, and_(edges.c.coordinator_id == m.c.coordinator_id, m.c.exported_at.in_([edges.c.first, edges.c.before]))
    )
    span = union_all(select(*FILE_COLUMNS).where(m.c.exported_at >= cutoff), before).subquery().select()
    declaring = select(func.min(m.c.exported_at)).where(m.c.complete_through >= bindparam("month", type_=String))
    return (
        select(*FILE_COLUMNS).order_by(m.c.exported_at, m.c.export_id),
        span.order_by(span.selected_columns.exported_at, span.selected_columns.export_id),
        declaring,
    )


_ALL_FILES, _SPAN_FILES, _DECLARING = _file_queries()


def _sent_files(conn: Connection, first: C.Period | None) -> dict[str, list[C.SentFile]]:
    """Each coordinator's merged files in export order: all of them, or with `first` only those
    that can decide a period from `first` on (five years of monthly files are 60 a coordinator;
    a year's grid needs some 15 of them). The statuses are the same as from all files:

    - a file made before the cutoff (the first day of `first`'s last month, a day early for
      Helsinki's wall) is never "made after" such a period, and declares none of them complete
      (a file declares no month after the one it was made in: app.exchange.manifest; the cutoff
      moves back to any file that does all the same);
    - kept from before the cutoff: each coordinator's first file (their first expected period)
      and the files made last before it (the gap rule compares the first file after the cutoff
      with the one received before it; one export's copies share their export time).
    """
    query, params = _ALL_FILES, {}
    if first is not None:
        cutoff = dt.datetime.combine(dt.date.fromisoformat(f"{first.last_month}-01") - dt.timedelta(days=1), dt.time())
        declaring = conn.scalar(_DECLARING, {"month": first.last_month})
        query, params = _SPAN_FILES, {"cutoff": cutoff if declaring is None else min(cutoff, declaring)}
    files: dict[str, list[C.SentFile]] = {}
    for row in conn.execute(query, params):  # SentFile's fields in FILE_COLUMNS' order, after the coordinator
        files.setdefault(row[0], []).append(C.SentFile(*row[1:]))
    return files


def file_counts(conn: Connection) -> dict[str, int]:
    """coordinator_id -> how many files of theirs have been merged."""
    query = select(merged_files.c.coordinator_id, func.count()).group_by(merged_files.c.coordinator_id)
    counts: dict[str, int] = dict(conn.execute(query).all())
    return counts


def span(settings: OfficeSettings, filters: Filters, today: dt.date) -> list[C.Period]:
    last = C.period_of(settings.period, filters.last or today)
    if filters.first is not None:
        return C.periods_between(settings.period, filters.first, last.end)
    periods = [last]
    while len(periods) < SPAN:
        periods.insert(0, C.period_of(settings.period, periods[0].start - dt.timedelta(days=1)))
    return periods


def reporting_grid(
    conn: Connection, today: dt.date, filters: Filters = Filters(), settings: OfficeSettings | None = None
) -> C.Grid:
    """`settings`: the office's, when the caller has read them already."""
    settings = settings or read_settings(conn)
    periods = span(settings, filters, today)
    chosen = [
        p
        for p in people(conn, periods[0] if periods else None)
        if (filters.area is None or p.area == filters.area)
        and (filters.county is None or p.county == filters.county)
        and (filters.coordinator is None or p.key == filters.coordinator)
    ]
    return C.build_grid(chosen, periods, settings.deadline_days, today, COUNTY_ORDER)


class KeptGrids:
    """Grids kept until what they are made of changes: the merged files (a merge always adds one,
    merged now), the office's roster and settings (read whole: a few rows), the day and the filters.
    A page seen again (the home page's overview, the grid) then costs a query and its template; a
    grid is never changed once made. One per app; `size` grids kept, the least recently seen
    dropped first."""

    def __init__(self, size: int = 16):
        self.size = size
        self._kept: OrderedDict[tuple, C.Grid] = OrderedDict()
        self._lock = threading.Lock()

    def grid(
        self, conn: Connection, today: dt.date, filters: Filters, settings: OfficeSettings | None = None, make=None
    ) -> C.Grid:
        """`make`: what makes a grid not kept (reporting_grid's arguments; default reporting_grid)."""
        settings = settings or read_settings(conn)
        files, last_merged = conn.execute(_STATE).one()
        key = (files, last_merged, tuple(roster(conn)), settings, today, filters)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        made = (make or reporting_grid)(conn, today, filters, settings)
        with self._lock:
            self._kept[key] = made
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return made


_STATE = select(func.count(), func.max(merged_files.c.merged_at))
