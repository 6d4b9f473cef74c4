"""The reporting grid read from the merged database: the coordinators seen in files, their
merged files and the office's roster, given to the pure rule (app.central.completeness).

    grid = reporting_grid(conn, today, Filters(first=..., last=..., area=..., county=...))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

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


def people(conn: Connection) -> list[C.Person]:
    """Everyone the office expects reports from, or has had files from."""
    files: dict[str, list[C.SentFile]] = {}
    query = select(
        merged_files.c.coordinator_id,
        merged_files.c.export_id,
        merged_files.c.file_name,
        merged_files.c.kind,
        merged_files.c.since,
        merged_files.c.exported_at,
        merged_files.c.complete_through,
        merged_files.c.sha256,
    ).order_by(merged_files.c.exported_at, merged_files.c.export_id)
    for r in conn.execute(query):
        files.setdefault(r.coordinator_id, []).append(
            C.SentFile(r.export_id, r.file_name, r.kind, r.since, r.exported_at, r.complete_through, r.sha256)
        )
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


def span(settings: OfficeSettings, filters: Filters, today: dt.date) -> list[C.Period]:
    last = C.period_of(settings.period, filters.last or today)
    if filters.first is not None:
        return C.periods_between(settings.period, filters.first, last.end)
    periods = [last]
    while len(periods) < SPAN:
        periods.insert(0, C.period_of(settings.period, periods[0].start - dt.timedelta(days=1)))
    return periods


def reporting_grid(conn: Connection, today: dt.date, filters: Filters = Filters()) -> C.Grid:
    settings = read_settings(conn)
    chosen = [
        p
        for p in people(conn)
        if (filters.area is None or p.area == filters.area)
        and (filters.county is None or p.county == filters.county)
        and (filters.coordinator is None or p.key == filters.coordinator)
    ]
    return C.build_grid(chosen, span(settings, filters, today), settings.deadline_days, today, COUNTY_ORDER)
