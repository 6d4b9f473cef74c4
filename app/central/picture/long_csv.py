"""The long-format CSV for national reporting: one figure a line (docs/national-reporting.md).

    period;level;area;method;indicator;value;n

For every period of the scope's grain, every level from the part of the country chosen down to
the counties (and the coordinators, when the page's rows are coordinators), and every method
("" = all methods, then each method by its national key): the figures of the pages, counted by
the same read models, so a line equals the cell a page shows. The dialect of every Koordi CSV
(app.core.csvfmt); values with a decimal comma, like the pages (Excel on a Finnish laptop
reads them as numbers). A count of 0 is left out: the file lists what happened; who reported
is the reporting grid's question.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection

from app.central.picture import activity, deployments, indicators, surveys
from app.central.picture.names import Names
from app.central.picture.scope import Period, Scope
from app.core import csvfmt
from app.core.geography import COUNTY_BY_KEY
from app.core.instruments import CONSTRUCTS, Kind
from app.core.phases import PHASES
from app.pdf.text import Texts

HEADER = ["period", "level", "area", "method", "indicator", "value", "n"]
CHAIN = ("country", "area", "county", "coordinator")


def levels(scope: Scope) -> list[str]:
    """From the part of the country chosen down to the counties, or to the coordinators."""
    top = "coordinator" if scope.coordinator else "county" if scope.county else "area" if scope.area else "country"
    bottom = "coordinator" if scope.level == "coordinator" or scope.coordinator else "county"
    return list(CHAIN[CHAIN.index(top) : CHAIN.index(bottom) + 1])


def geo_key(level: str, coordinator_id: str, county: str) -> str:
    if level == "area":
        found = COUNTY_BY_KEY.get(county)
        return found.area if found else ""
    if level == "county":
        return county
    if level == "coordinator":
        return coordinator_id
    return ""


def _number(value: float | Decimal, digits: int, texts: Texts) -> str:
    """A value with `digits` decimals, half up, decimal comma; no thousands separator (a script reads it)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return str(rounded).replace(".", ",")


Line = tuple[str, str, str, str, str, str, str]


def lines(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date) -> list[Line]:
    periods = scope.periods()
    by_key = {p.key: p for p in periods}
    out: list[Line] = []

    def add(period: Period, level: str, area: str, method: str, indicator: str, value: str, n: int) -> None:
        out.append((period.code, level, area, names.method_key(method) if method else "", indicator, value, str(n)))

    chain = levels(scope)
    # Deployments by phase at each period's end.
    lines_ = deployments.timelines(conn, scope)
    for level in chain:
        groups: dict[tuple[str, str], list[deployments.Timeline]] = defaultdict(list)
        for t in lines_:
            area = geo_key(level, t.coordinator_id, t.county)
            groups[(area, "")].append(t)
            groups[(area, t.method_id)].append(t)
        for (area, method), found in sorted(groups.items()):
            for period, counts in zip(periods, deployments.phase_trend(found, periods, today), strict=True):
                for phase in PHASES:
                    if counts[phase]:
                        add(period, level, area, method, f"deployments_{phase}", str(counts[phase]), counts[phase])
    # Events and method guidance per period.
    for level in chain:
        for per_method in (False, True):

            def key(coordinator_id: str, county: str, method_id: str, level: str = level) -> Hashable:
                return geo_key(level, coordinator_id, county), method_id

            events = activity.cells(conn, scope, "events", key, per_method)
            guidance = activity.cells(conn, scope, "guidance", key, per_method)
            for (cell, period_key), f in sorted(events.items(), key=_order):
                area, method = cell  # type: ignore[misc]
                period = by_key[period_key]
                for name, indicator in (("planned", "events_planned"), ("held", "events_held")):
                    if f[name]:
                        add(period, level, area, method, indicator, str(f[name]), f[name])
                if f["people"]:
                    add(period, level, area, method, "event_people", str(f["people"]), f["held"])
            for (cell, period_key), f in sorted(guidance.items(), key=_order):
                area, method = cell  # type: ignore[misc]
                period = by_key[period_key]
                if f["sessions"]:
                    add(period, level, area, method, "guidance_sessions", str(f["sessions"]), f["sessions"])
                    add(
                        period,
                        level,
                        area,
                        method,
                        "guidance_hours",
                        _number(Decimal(f["minutes"]) / 60, 2, texts),
                        f["sessions"],
                    )
                if f["people"]:
                    add(period, level, area, method, "guidance_people", str(f["people"]), f["people"])
    # Survey results pooled from counts (rounds under 5 respondents left out).
    for level in chain:
        dims = {
            "all": surveys.level_dim(level, with_period=scope),
            "method": surveys.level_dim(level, with_method=True, with_period=scope),
        }
        known, pools = surveys.pool_data(conn, scope, texts.lang, dims)
        for (dim, instrument_id, cell), data in sorted(pools.items(), key=lambda item: str(item[0])):
            instrument = known[instrument_id][0]
            if dim == "all":
                area, period_key = cell  # type: ignore[misc]
                method = ""
            else:
                area, method, period_key = cell  # type: ignore[misc]
            pooled = surveys.score_pool(instrument, data)
            score = pooled.score
            if score is None:
                continue
            period = by_key[period_key]
            if instrument.kind is Kind.NOMAD:
                for construct in CONSTRUCTS:
                    group = score.group(construct)
                    if group is not None and group.shown and group.mean is not None:
                        add(period, level, area, method, f"{instrument.key}.{construct}", _number(group.mean, 2, texts), group.n)
            elif score.score is not None:
                add(period, level, area, method, f"{instrument.key}.score", _number(score.score, 1, texts), pooled.respondents)
    # Indicators, by the coordinator's own roll-up rules (a median of several units has no line).
    if indicators.available():
        specs = indicators.catalogue(conn, texts.lang)
        for level in chain:
            for per_method in (False, True):
                found = indicators.cells(conn, scope, specs, level, per_method)
                for (indicator_id, days, ((area, method), period_key)), value in sorted(found.items(), key=str):
                    spec = specs[indicator_id]
                    if value.value is None or (per_method and not method):
                        continue
                    name = f"indicator.{spec.key}" + (f".{days}" if days is not None else "")
                    digits = 0 if spec.measure == "count" else 1
                    add(by_key[period_key], level, area, method, name, _number(value.value, digits, texts), value.parts)
    order = {p.code: i for i, p in enumerate(periods)}
    out.sort(key=lambda line: (order[line[0]], CHAIN.index(line[1]), line[2], line[3], line[4]))
    return out


def _order(item) -> tuple:
    (cell, period), _figures = item
    return (str(cell), period)


def long_csv(conn: Connection, scope: Scope, names: Names, texts: Texts, today: dt.date) -> bytes:
    return csvfmt.write_csv(HEADER, lines(conn, scope, names, texts, today))


def file_name(scope: Scope) -> str:
    """ASCII in every language (an email attachment, a file on Windows)."""
    return f"koordi-national-long_{scope.start:%Y-%m}_{scope.end:%Y-%m}_{scope.grain}.csv"
