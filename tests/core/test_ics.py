"""The .ics writer, checked by parsing its output back with a small strict RFC 5545 reader."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import ics

HELSINKI = ZoneInfo("Europe/Helsinki")
STAMP = dt.datetime(2026, 11, 23, 8, 30, 15, tzinfo=dt.UTC)


# -- a strict reader ----------------------------------------------------------------


def physical_lines(data: bytes) -> list[bytes]:
    """Lines as written: every one ends in CRLF, none is over 75 octets, each is whole UTF-8."""
    assert data.endswith(b"\r\n"), "the file must end with CRLF"
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line, f"bare CR or LF in {line!r}"
        assert len(line) <= 75, f"{len(line)} octets: {line!r}"
        line.decode("utf-8")  # raises if a fold split a multibyte character
    return lines


def unfold(data: bytes) -> list[str]:
    out: list[str] = []
    for raw in physical_lines(data):
        line = raw.decode("utf-8")
        if line.startswith(" "):
            assert out, "a continuation line cannot come first"
            out[-1] += line[1:]
        else:
            out.append(line)
    return out


def unescape(value: str) -> str:
    def repl(m: re.Match) -> str:
        return {"\\\\": "\\", "\\;": ";", "\\,": ",", "\\n": "\n", "\\N": "\n"}[m.group(0)]

    bare = re.sub(r"\\[\\;,nN]", "", value)
    assert not any(c in bare for c in ";,\\"), f"unescaped ; , or \\ in {value!r}"
    return re.sub(r"\\\\|\\;|\\,|\\n|\\N", repl, value)


def parse_line(line: str) -> tuple[str, dict[str, str], str]:
    m = re.match(r"^([A-Z][A-Z0-9-]*)((?:;[A-Z-]+=[^;:]*)*):(.*)$", line)
    assert m, f"not a content line: {line!r}"
    params = dict(p.split("=", 1) for p in m.group(2).split(";")[1:])
    return m.group(1), params, m.group(3)


class Component:
    def __init__(self, name: str):
        self.name = name
        self.props: list[tuple[str, dict[str, str], str]] = []
        self.children: list[Component] = []

    def get(self, name: str) -> tuple[dict[str, str], str]:
        found = [(p, v) for n, p, v in self.props if n == name]
        assert len(found) == 1, f"{self.name}: {len(found)} × {name}"
        return found[0]

    def value(self, name: str) -> str:
        return self.get(name)[1]

    def has(self, name: str) -> bool:
        return any(n == name for n, _p, _v in self.props)

    def all(self, name: str) -> list[Component]:
        return [c for c in self.children if c.name == name]


def parse(data: bytes) -> Component:
    stack: list[Component] = []
    root = None
    for line in unfold(data):
        name, params, value = parse_line(line)
        if name == "BEGIN":
            comp = Component(value)
            if stack:
                stack[-1].children.append(comp)
            stack.append(comp)
        elif name == "END":
            assert stack and stack[-1].name == value, f"END:{value} does not close {stack[-1].name if stack else None}"
            root = stack.pop()
        else:
            assert stack, f"{name} outside any component"
            stack[-1].props.append((name, params, value))
    assert not stack and root is not None and root.name == "VCALENDAR"
    return root


# -- fixtures -------------------------------------------------------------------------


def event(**kw) -> ics.CalendarEvent:
    values = dict(
        uid=ics.event_uid("0b50cc9e-f771-4b00-be06-5805347e7a11"),
        summary="IPC-ryhmä",
        date=dt.date(2026, 3, 16),
        start_time=dt.time(9, 0),
        duration_minutes=90,
    )
    values.update(kw)
    return ics.CalendarEvent(**values)


# -- tests ------------------------------------------------------------------------------


def test_calendar_has_the_headers_outlook_needs():
    cal = parse(ics.calendar([event()], dtstamp=STAMP, name="Koordi – vuosikello 2026"))
    assert cal.value("VERSION") == "2.0"
    assert cal.value("PRODID").startswith("-//")
    assert cal.value("CALSCALE") == "GREGORIAN"
    assert cal.value("METHOD") == "PUBLISH"
    assert unescape(cal.value("X-WR-CALNAME")) == "Koordi – vuosikello 2026"
    (tz,) = cal.all("VTIMEZONE")
    assert tz.value("TZID") == "Europe/Helsinki"
    (standard,) = tz.all("STANDARD")
    (daylight,) = tz.all("DAYLIGHT")
    assert (standard.value("TZOFFSETFROM"), standard.value("TZOFFSETTO"), standard.value("TZNAME")) == ("+0300", "+0200", "EET")
    assert (daylight.value("TZOFFSETFROM"), daylight.value("TZOFFSETTO"), daylight.value("TZNAME")) == ("+0200", "+0300", "EEST")


def last_sunday(year: int, month: int) -> dt.date:
    d = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - 6) % 7)


@pytest.mark.parametrize("year", [2024, 2026, 2027, 2030])
def test_vtimezone_rules_match_the_tz_database(year):
    """RRULE BYDAY=-1SU at the VTIMEZONE's DTSTART time = when zoneinfo changes the offset."""
    cal = parse(ics.calendar([], dtstamp=STAMP))
    (tz,) = cal.all("VTIMEZONE")
    for part, month in (("DAYLIGHT", 3), ("STANDARD", 10)):
        (sub,) = tz.all(part)
        rule = dict(kv.split("=") for kv in sub.value("RRULE").split(";"))
        assert rule == {"FREQ": "YEARLY", "BYMONTH": str(month), "BYDAY": "-1SU"}
        local = dt.datetime.strptime(sub.value("DTSTART"), "%Y%m%dT%H%M%S").time()
        offset_from = dt.timedelta(hours=int(sub.value("TZOFFSETFROM")[1:3]))
        offset_to = dt.timedelta(hours=int(sub.value("TZOFFSETTO")[1:3]))
        change_utc = dt.datetime.combine(last_sunday(year, month), local) - offset_from
        before = (change_utc - dt.timedelta(minutes=1)).replace(tzinfo=dt.UTC).astimezone(HELSINKI)
        after = (change_utc + dt.timedelta(minutes=1)).replace(tzinfo=dt.UTC).astimezone(HELSINKI)
        assert before.utcoffset() == offset_from and after.utcoffset() == offset_to, (year, part)


def test_timed_event_keeps_helsinki_wall_time_on_both_sides_of_dst():
    winter = event(uid="a@koordi", date=dt.date(2026, 3, 16))
    summer = event(uid="b@koordi", date=dt.date(2026, 4, 6))
    cal = parse(ics.calendar([winter, summer], dtstamp=STAMP))
    first, second = cal.all("VEVENT")
    for vevent, day in ((first, "20260316"), (second, "20260406")):
        params, value = vevent.get("DTSTART")
        assert params == {"TZID": "Europe/Helsinki"} and value == f"{day}T090000"
        params, value = vevent.get("DTEND")
        assert params == {"TZID": "Europe/Helsinki"} and value == f"{day}T103000"
        assert vevent.value("DTSTAMP") == "20261123T083015Z"
        assert vevent.value("STATUS") == "CONFIRMED"


def test_event_across_the_clock_change_lasts_its_real_duration():
    # 2026-03-29 02:30 EET + 60 min = 04:30 EEST (03:00-04:00 does not exist that night).
    cal = parse(ics.calendar([event(date=dt.date(2026, 3, 29), start_time=dt.time(2, 30), duration_minutes=60)], dtstamp=STAMP))
    (vevent,) = cal.all("VEVENT")
    assert vevent.value("DTEND") == "20260329T043000"


def test_sequence_grows_with_the_time_of_the_change():
    first = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    assert ics.sequence(None) == 0 and ics.sequence(first) > 0
    assert ics.sequence(first + dt.timedelta(seconds=1)) == ics.sequence(first) + 1
    assert ics.sequence(dt.datetime(2088, 1, 1, tzinfo=dt.UTC)) < 2**31  # RFC 5545's integer
    (vevent,) = parse(ics.calendar([event()], dtstamp=STAMP)).all("VEVENT")
    assert (vevent.value("SEQUENCE"), vevent.value("TRANSP")) == ("0", "OPAQUE")


def test_an_end_in_the_repeated_hour_is_written_in_utc():
    # 2026-10-25: 04:00 EEST becomes 03:00 EET; 03:30 first happens at 00:30 UTC, again at 01:30 UTC.
    cal = parse(ics.calendar([event(date=dt.date(2026, 10, 25), start_time=dt.time(3, 30), duration_minutes=60)], dtstamp=STAMP))
    (vevent,) = cal.all("VEVENT")
    assert vevent.get("DTSTART") == ({"TZID": "Europe/Helsinki"}, "20261025T033000")  # the first 03:30
    assert vevent.get("DTEND") == ({}, "20261025T013000Z")  # the second 03:30, which a TZID time cannot say
    cal = parse(ics.calendar([event(date=dt.date(2026, 10, 25), start_time=dt.time(2, 30), duration_minutes=60)], dtstamp=STAMP))
    (vevent,) = cal.all("VEVENT")
    assert vevent.get("DTEND") == ({"TZID": "Europe/Helsinki"}, "20261025T033000")  # the first 03:30: a wall time is right


@settings(deadline=None)
@given(
    day=st.sampled_from([dt.date(2026, 10, 25), dt.date(2026, 3, 29), dt.date(2027, 10, 31), dt.date(2026, 7, 1)]),
    minute=st.integers(0, 24 * 60 - 1),
    minutes=st.integers(1, 12 * 60),
)
def test_every_timed_event_lasts_its_minutes_as_a_calendar_reads_it(day, minute, minutes):
    """Read back with the icalendar package, as a calendar program would."""
    start = dt.time(minute // 60, minute % 60)
    data = ics.calendar([event(date=day, start_time=start, duration_minutes=minutes)], dtstamp=STAMP)
    (read,) = icalendar.Calendar.from_ical(data).events
    assert read.end.astimezone(dt.UTC) - read.start.astimezone(dt.UTC) == dt.timedelta(minutes=minutes)


def test_all_day_event_uses_dates():
    cal = parse(
        ics.calendar(
            [event(start_time=None, duration_minutes=60), event(uid="x@koordi", start_time=None, duration_minutes=2 * 24 * 60)],
            dtstamp=STAMP,
        )
    )
    one, two = cal.all("VEVENT")
    assert one.get("DTSTART") == ({"VALUE": "DATE"}, "20260316")
    assert one.get("DTEND") == ({"VALUE": "DATE"}, "20260317")  # exclusive end
    assert two.get("DTEND") == ({"VALUE": "DATE"}, "20260318")  # a two-day course


def test_text_is_escaped_and_comes_back_as_written():
    tricky = "Työpaja; IPC, osa 2\\3\nToinen rivi\r\nkolmas"
    cal = parse(
        ics.calendar([event(summary=tricky, location="Lohja, Sibeliuksenkatu 2; 2. krs", description=tricky)], dtstamp=STAMP)
    )
    (vevent,) = cal.all("VEVENT")
    assert unescape(vevent.value("SUMMARY")) == tricky.replace("\r\n", "\n")
    assert unescape(vevent.value("DESCRIPTION")) == tricky.replace("\r\n", "\n")
    assert unescape(vevent.value("LOCATION")) == "Lohja, Sibeliuksenkatu 2; 2. krs"


def test_long_finnish_lines_fold_at_75_octets_without_splitting_characters():
    summary = "Äänekosken ja Jyväskylän yhteinen menetelmäohjausryhmä – " * 6 + "€𝄞"
    data = ics.calendar([event(summary=summary, description="ö" * 200)], dtstamp=STAMP)
    lines = physical_lines(data)
    assert any(len(line) in (74, 75) for line in lines)  # folding did happen, close to the limit
    assert sum(1 for line in lines if line.startswith(b" ")) > 5
    (vevent,) = parse(data).all("VEVENT")
    assert unescape(vevent.value("SUMMARY")) == summary
    assert unescape(vevent.value("DESCRIPTION")) == "ö" * 200


def test_cancelled_and_uid_and_last_modified():
    modified = dt.datetime(2026, 6, 1, 12, 0, tzinfo=HELSINKI)
    cal = parse(ics.calendar([event(cancelled=True, last_modified=modified)], dtstamp=STAMP))
    (vevent,) = cal.all("VEVENT")
    assert vevent.value("STATUS") == "CANCELLED"
    assert vevent.value("TRANSP") == "TRANSPARENT"  # no longer blocks the time
    assert vevent.value("SEQUENCE") == str(ics.sequence(modified))
    assert vevent.value("UID") == "0b50cc9e-f771-4b00-be06-5805347e7a11@koordi"
    assert vevent.value("LAST-MODIFIED") == "20260601T090000Z"
    assert not vevent.has("LOCATION") and not vevent.has("DESCRIPTION")


def test_control_characters_never_reach_the_file():
    data = ics.calendar([event(summary="a\x00b\x07c\x1bd\x7fe\tf")], dtstamp=STAMP)
    (vevent,) = parse(data).all("VEVENT")
    assert unescape(vevent.value("SUMMARY")) == "abcde\tf"


def test_naive_dtstamp_is_refused():
    with pytest.raises(ValueError):
        ics.calendar([], dtstamp=dt.datetime(2026, 1, 1))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_survives_fold_and_escape(text):
    data = ics.calendar([event(summary=text or "x")], dtstamp=STAMP)
    (vevent,) = parse(data).all("VEVENT")
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", (text or "x").replace("\r\n", "\n").replace("\r", "\n"))
    assert unescape(vevent.value("SUMMARY")) == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=300))
def test_fold_pieces_are_at_most_75_octets(text):
    folded = ics.fold("SUMMARY:" + text)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert pieces[0] + "".join(p[1:] for p in pieces[1:]) == "SUMMARY:" + text
