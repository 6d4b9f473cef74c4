"""The office's own settings in the merged database: the reporting period and its deadline
(office_settings) and the expected roster (office_roster). Reads take a connection; each write
is one transaction of its own on the write engine. No Flask: the settings pages and the tests
call it alike."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select, update

from app.central import completeness as C
from app.central.schema import office_roster, office_settings

PERIOD_KEY = "reporting_period"
DEADLINE_KEY = "deadline_days"


@dataclass(frozen=True)
class OfficeSettings:
    period: str = C.MONTH
    deadline_days: int = C.DEFAULT_DEADLINE_DAYS


def read_settings(conn: Connection) -> OfficeSettings:
    values: dict[str, str] = dict(conn.execute(select(office_settings.c.key, office_settings.c.value)).all())
    period = values.get(PERIOD_KEY)
    days = values.get(DEADLINE_KEY, "")
    return OfficeSettings(
        period if period in C.PERIOD_KINDS else C.MONTH,
        int(days) if days.isdigit() and int(days) <= C.MAX_DEADLINE_DAYS else C.DEFAULT_DEADLINE_DAYS,
    )


def save_settings(engine: Engine, settings: OfficeSettings) -> None:
    with engine.begin() as conn:
        for key, value in ((PERIOD_KEY, settings.period), (DEADLINE_KEY, str(settings.deadline_days))):
            conn.execute(delete(office_settings).where(office_settings.c.key == key))
            conn.execute(office_settings.insert().values(key=key, value=value))


@dataclass(frozen=True)
class RosterEntry:
    id: str
    coordinator_id: str | None
    name: str
    county: str
    expected_from: dt.date | None
    left_on: dt.date | None


def roster(conn: Connection) -> list[RosterEntry]:
    rows = conn.execute(select(office_roster).order_by(office_roster.c.county, office_roster.c.name, office_roster.c.id))
    return [RosterEntry(r.id, r.coordinator_id, r.name, r.county, r.expected_from, r.left_on) for r in rows]


def entry(conn: Connection, entry_id: str) -> RosterEntry | None:
    return next((e for e in roster(conn) if e.id == entry_id), None)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def add_expected(engine: Engine, name: str, county: str, expected_from: dt.date) -> str:
    """A coordinator expected in `county` from `expected_from` who has not sent a file yet."""
    entry_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            office_roster.insert().values(
                id=entry_id, coordinator_id=None, name=name, county=county, expected_from=expected_from, updated_at=_now()
            )
        )
    return entry_id


def save_expected(engine: Engine, entry_id: str, name: str, county: str, expected_from: dt.date, left_on: dt.date | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(office_roster)
            .where(office_roster.c.id == entry_id)
            .values(name=name, county=county, expected_from=expected_from, left_on=left_on, updated_at=_now())
        )


def save_coordinator(
    engine: Engine, coordinator_id: str, name: str, county: str, expected_from: dt.date | None, left_on: dt.date | None
) -> None:
    """What the office says of a coordinator seen in files: expected from (None: from their first
    file) and the day they left (None: still there). `name` and `county` are kept for the record."""
    with engine.begin() as conn:
        found = conn.scalar(select(office_roster.c.id).where(office_roster.c.coordinator_id == coordinator_id))
        values = {"name": name, "county": county, "expected_from": expected_from, "left_on": left_on, "updated_at": _now()}
        if found is None:
            conn.execute(office_roster.insert().values(id=str(uuid.uuid4()), coordinator_id=coordinator_id, **values))
        else:
            conn.execute(update(office_roster).where(office_roster.c.id == found).values(**values))


def link(engine: Engine, entry_id: str, coordinator_id: str) -> None:
    """An expected coordinator added by hand has now sent files: their row becomes that
    coordinator's (its dates kept; an entry the coordinator had already is replaced)."""
    with engine.begin() as conn:
        conn.execute(delete(office_roster).where(office_roster.c.coordinator_id == coordinator_id))
        conn.execute(
            update(office_roster).where(office_roster.c.id == entry_id).values(coordinator_id=coordinator_id, updated_at=_now())
        )


def remove(engine: Engine, entry_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(office_roster).where(office_roster.c.id == entry_id))
