"""iCalendar (RFC 5545) files of events, for Outlook and other calendars.

Pure: it knows nothing of the database or Flask. The caller turns its records
into CalendarEvent values and decides what may leave the app (notes never do).

What Outlook on Windows needs, and RFC 5545 requires:
- CRLF after every line; lines folded at 75 octets (UTF-8 octets, never inside
  a multibyte character), a continuation line starting with one space;
- TEXT values escaped (backslash, semicolon, comma, newline);
- local times with TZID and a VTIMEZONE that defines that TZID: Koordi stores
  Europe/Helsinki wall time, so DTSTART stays 09:00 on both sides of a DST
  change and the calendar does the conversion;
- DTSTAMP in UTC; an all-day event as VALUE=DATE with an exclusive DTEND.

What calendar programs need beyond that:
- an end that lasts the real duration: a wall time in the hour that autumn's clock change
  repeats means its first occurrence (RFC 5545 3.3.5), so an end in the second one
  (a 60-minute event from 03:30 on the last Sunday of October) is written in UTC;
- SEQUENCE, which must grow with every change or a calendar that imported the event keeps
  the old one: derived from the time of the last change (sequence());
- a cancelled event TRANSP:TRANSPARENT (it no longer blocks the time), its summary saying
  so (the caller puts the word in, in the user's language), besides STATUS:CANCELLED, which
  many programs ignore in an imported file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

TZID = "Europe/Helsinki"
HELSINKI = ZoneInfo(TZID)
PRODID = "-//Terapiat etulinjaan//Koordi//FI"
UID_DOMAIN = "koordi"
MAX_OCTETS = 75
CRLF = "\r\n"

# EU rules since 1996: summer time from the last Sunday of March 03:00 (EET)
# to the last Sunday of October 04:00 (EEST), i.e. 01:00 UTC both times.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19701025T040000",
    "TZOFFSETFROM:+0300",
    "TZOFFSETTO:+0200",
    "TZNAME:EET",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:19700329T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0300",
    "TZNAME:EEST",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
)

# RFC 5545 3.1: CONTROL characters other than HTAB are not allowed in a value.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    date: dt.date
    start_time: dt.time | None  # Europe/Helsinki wall time; None = all day
    duration_minutes: int
    location: str = ""
    description: str = ""
    cancelled: bool = False
    last_modified: dt.datetime | None = None  # aware, any zone


SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def sequence(changed_at: dt.datetime | None) -> int:
    """SEQUENCE from the time of the last change: whole seconds since 2020-01-01 UTC.

    No column is needed: every write of an event sets its updated_at (SyncedMixin), and an
    import keeps the newer of two changes, so updated_at only grows and so does this number;
    a change of the same event within one second is all that shares a number. It fits RFC
    5545's integer (below 2**31) until 2088. None (never changed) is 0.
    """
    if changed_at is None:
        return 0
    return max(0, int((changed_at - SEQUENCE_EPOCH).total_seconds()))


def event_uid(event_id: str) -> str:
    return f"{event_id}@{UID_DOMAIN}"


def escape_text(value: str) -> str:
    """A TEXT value: \\ ; , escaped, any line break as \\n, control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 UTF-8 octets, joined by CRLF + space.

    The space that starts a continuation line counts towards its 75 octets.
    Splits fall between characters, so a multibyte character is never cut.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: dt.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _dtend(end_utc: dt.datetime) -> str:
    """DTEND as Helsinki wall time, or in UTC when that wall time would be read as another
    moment: the second 03:00-04:00 of the autumn clock change (read as the first)."""
    local = end_utc.astimezone(HELSINKI)
    if local.replace(fold=0).astimezone(dt.UTC) == end_utc:
        return f"DTEND;TZID={TZID}:{_local(local)}"
    return f"DTEND:{_utc(end_utc)}"


def _event_lines(event: CalendarEvent, dtstamp: dt.datetime) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{_utc(dtstamp)}"]
    if event.start_time is None:
        days = max(1, math.ceil(event.duration_minutes / (24 * 60)))
        end = event.date + dt.timedelta(days=days)
        lines += [f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        # fold=0: a wall time the clock change repeats is its first occurrence, as RFC 5545 reads it.
        start = dt.datetime.combine(event.date, event.start_time.replace(tzinfo=None), tzinfo=HELSINKI)
        # Elapsed time, not wall-clock arithmetic: a meeting across a DST change lasts what it lasts.
        end = start.astimezone(dt.UTC) + dt.timedelta(minutes=event.duration_minutes)
        lines += [f"DTSTART;TZID={TZID}:{_local(start)}", _dtend(end)]
    lines.append(f"SUMMARY:{escape_text(event.summary)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append("STATUS:" + ("CANCELLED" if event.cancelled else "CONFIRMED"))
    lines.append("TRANSP:" + ("TRANSPARENT" if event.cancelled else "OPAQUE"))
    lines.append(f"SEQUENCE:{sequence(event.last_modified)}")
    if event.last_modified is not None:
        lines.append(f"LAST-MODIFIED:{_utc(event.last_modified)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, dtstamp: dt.datetime, name: str | None = None) -> bytes:
    """A complete VCALENDAR as UTF-8 bytes with CRLF line endings. `dtstamp` must be aware."""
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be an aware datetime")
    lines = ["BEGIN:VCALENDAR", f"PRODID:{PRODID}", "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    lines.append(f"X-WR-TIMEZONE:{TZID}")
    lines += VTIMEZONE
    for event in events:
        lines += _event_lines(event, dtstamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode("utf-8")
