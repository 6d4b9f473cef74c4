"""The central-office summary: many coordinators' figures, per county and per method.

The central office merges the exports of every coordinator into one database
(`koordi merge`, built separately). This module only needs the figures as plain rows,
one per county x method, so it does not depend on how the merge stores them:
`koordi report central --db MERGED` reads the merged database into CentralRow's
(a query over the same rules as app.queries.periods, run per county) and calls
render(). Totals per county and per method are summed here from the rows, so the
three tables always agree with each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from app.core.geography import COUNTIES
from app.core.periods import Period
from app.queries.guidance import Totals
from app.reports import blocks as b
from app.reports.common import Author, info, period_line
from app.reports.document import PageCounter, build_pdf, register_fonts
from app.reports.text import Texts


@dataclass(frozen=True)
class CentralRow:
    """One county's figures for one method in the period (a merged database gives many)."""

    county: str  # app.core.geography key
    method: str  # the method's name in the document's language
    units: int = 0  # units with a live deployment of the method
    deployments_in_use: int = 0  # deployments in phase in_use or embedded at the period's end
    events_held: int = 0
    events_planned: int = 0
    attendance: int = 0  # people at held events
    guidance_sessions: int = 0
    guidance_minutes: int = 0
    trainees_guided: int = 0

    @property
    def hours(self) -> Decimal:
        return Totals(self.guidance_sessions, self.guidance_minutes).hours


FIGURES = ("units", "deployments_in_use", "events_held", "events_planned", "attendance",
           "guidance_sessions", "guidance_minutes", "trainees_guided")  # fmt: skip


@dataclass
class _Sum:
    key: str
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    def add(self, row: CentralRow) -> None:
        for name in FIGURES:
            self.figures[name] += getattr(row, name)

    @property
    def hours(self) -> Decimal:
        return Totals(self.figures["guidance_sessions"], self.figures["guidance_minutes"]).hours


def _sums(rows: Iterable[CentralRow], key) -> list[_Sum]:
    out: dict[str, _Sum] = {}
    for row in rows:
        out.setdefault(key(row), _Sum(key(row))).add(row)
    return list(out.values())


def render(
    rows: list[CentralRow],
    coordinators: dict[str, int],
    period: Period,
    author: Author,
    texts: Texts,
    generated: dt.date,
) -> tuple[bytes, int]:
    """`rows` in any order; `coordinators` {county key: coordinators whose data was merged};
    `author` the central office's own person (the name in the header)."""
    register_fonts()
    _ = texts
    n = texts.number
    title = _("Central office summary")
    story = b.title(title, texts.period(period))
    county_order = {c.key: i for i, c in enumerate(COUNTIES)}
    by_county = {s.key: s for s in _sums(rows, lambda r: r.county)}
    for county in coordinators:  # a county whose coordinators recorded nothing still gets its row
        by_county.setdefault(county, _Sum(county))
    by_county = sorted(by_county.values(), key=lambda s: county_order.get(s.key, 99))
    by_method = sorted(_sums(rows, lambda r: r.method), key=lambda s: texts.sort_key(s.key))
    everything = _Sum("")
    for row in rows:
        everything.add(row)

    header = [_("Held"), _("Planned"), _("People"), _("Sessions"), _("Hours"), _("People guided"), _("In use")]
    groups = [(_("Events"), 3), (_("Method guidance"), 3), (_("Deployments"), 1)]

    def figures(s: _Sum) -> list[str]:
        f = s.figures
        return [n(f["events_held"]), n(f["events_planned"]), n(f["attendance"]), n(f["guidance_sessions"]),
                texts.hours(s.hours), n(f["trainees_guided"]), n(f["deployments_in_use"])]  # fmt: skip

    story.append(b.h2(_("By county")))
    story.append(
        b.table(
            [_("County"), _("Coordinators"), *header],
            [[texts.county(s.key), n(coordinators.get(s.key, 0)), *figures(s)] for s in by_county],
            [0.22, 0.095] + [0.098] * 7,
            numeric=range(1, 9),
            groups=[("", 2), *groups],
            total=[_("Total"), n(sum(coordinators.values())), *figures(everything)],
            empty_text=_("No figures in the merged data for this period."),
            wide=True,
        )
    )
    story.append(b.h2(_("By method")))
    story.append(
        b.table(
            [_("Method"), *header],
            [[s.key, *figures(s)] for s in by_method],
            [0.314] + [0.098] * 7,
            numeric=range(1, 8),
            groups=[("", 1), *groups],
            total=[_("Total"), *figures(everything)],
            empty_text=_("No figures in the merged data for this period."),
            wide=True,
        )
    )
    story.append(b.h2(_("By county and method")))
    detail = sorted(rows, key=lambda r: (county_order.get(r.county, 99), texts.sort_key(r.method)))
    story.append(
        b.table(
            [_("County"), _("Method"), *header],
            [[texts.county(r.county), r.method, *figures(_single(r))] for r in detail],
            [0.15, 0.164] + [0.098] * 7,
            numeric=range(2, 9),
            groups=[("", 2), *groups],
            empty_text=_("No figures in the merged data for this period."),
            wide=True,
        )
    )
    counter = PageCounter()
    subject = _("Central office summary %(period)s", period=texts.period(period))
    data = build_pdf(info(texts, author, title, subject, period_line(texts, period), generated), texts, story, counter,
                     first_template="landscape")  # fmt: skip
    return data, counter.pages


def _single(row: CentralRow) -> _Sum:
    one = _Sum(row.method)
    one.add(row)
    return one
