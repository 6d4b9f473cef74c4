"""The central-office summary: every merged coordinator's figures, per county and per method.

`koordi merge` fills the central database; `koordi report central --db MERGED` reads it
through app.central.summary (the same rows `koordi merge --summary` writes as CSV) and
prints them here: totals per county (each event, unit and trainee once), deployments
by county and phase, per method over the whole country, deployments by method and
phase, and every county x method row. Landscape pages: a row has eleven figures.
"""

from __future__ import annotations

import datetime as dt

from app.central.picture.document import picture_story
from app.central.summary import CentralRow, CentralSummary, Span, central_summary
from app.core.phases import PHASES
from app.labels.deployments import PHASE_LABELS
from app.pdf import blocks as b
from app.pdf.document import PageCounter, build_pdf, register_fonts
from app.pdf.parts import Author, Rendered, file_name, info
from app.pdf.text import Texts

__all__ = ["CentralRow", "central_pdf", "render", "span_text"]

# The ten figures' shares of a row: wider where the Finnish heading is long ("Suunniteltu", "Ohjauskerrat").
FIGURE_WIDTHS = (0.066, 0.064, 0.068, 0.064, 0.08, 0.075, 0.092, 0.065, 0.075, 0.09)


def _widths(*first: float) -> list[float]:
    """The first columns as given, the ten figures sharing the rest of the landscape width."""
    room = 1 - sum(first)
    scale = room / sum(FIGURE_WIDTHS)
    return [*first, *(w * scale for w in FIGURE_WIDTHS)]


def span_text(span: Span, texts: Texts) -> str:
    _ = texts
    if span.start and span.end:
        return f"{texts.date(span.start)}–{texts.date(span.end)}"
    if span.start:
        return _("from %(date)s on", date=texts.date(span.start))
    if span.end:
        return _("up to %(date)s", date=texts.date(span.end))
    return _("everything merged")


def render(
    summary: CentralSummary, author: Author, texts: Texts, generated: dt.date, extra: list | None = None
) -> tuple[bytes, int]:
    """`author` is who the header names: the central office (the merged data has no one profile);
    `extra`: flowables after the summary (the national picture's trends and the reporting grid)."""
    register_fonts()  # before the first Paragraph: its style names the font
    _ = texts
    n = texts.number
    title = _("Central office summary")
    period = span_text(summary.span, texts)
    if summary.span.start and summary.span.end:  # dates, as every document's header line has them
        header_line = _("Period %(period)s", period=period)
    else:  # words: "Ajanjakso: kaikki yhdistetyt tiedot"
        header_line = _("Period: %(period)s", period=period)
    story = b.title(title, period[:1].upper() + period[1:])
    story.append(
        b.text(
            _(
                "%(coordinators)s coordinators, %(files)s files merged, the newest made on %(date)s. Deployments and trainees "
                "in training on %(day)s.",
                coordinators=n(sum(summary.coordinators.values())),
                files=n(summary.files),
                date=texts.date(summary.latest_export.date()) if summary.latest_export else "–",
                day=texts.date(summary.day),
            )
        )
    )
    empty = _("No figures in the merged data for this period.")
    groups = [(_("Deployments"), 3), (_("Events"), 3), (_("Method guidance"), 4)]
    header = [
        _("Units"),
        _("All"),
        _("In use"),
        _("Held"),
        _("Planned"),
        _("People"),
        _("Sessions"),
        _("Hours"),
        _("People guided"),
        _("In training"),
    ]

    def figures(r: CentralRow, events: bool = True) -> list[str]:
        shown = [n(r.events_held), n(r.events_planned), n(r.attendance)] if events else ["", "", ""]
        return [
            n(r.units),
            n(r.deployments),
            n(r.deployments_in_use),
            *shown,
            n(r.guidance_sessions),
            texts.hours(r.hours),
            n(r.trainees_guided),
            n(r.trainees_active),
        ]

    story.append(b.h2(_("By county")))
    story.append(
        b.table(
            [_("County"), _("Coordinators"), *header],
            [[texts.county(r.county), n(summary.coordinators.get(r.county, 0)), *figures(r)] for r in summary.counties],
            _widths(0.15, 0.105),
            numeric=range(1, 12),
            groups=[("", 2), *groups],
            total=[_("Total"), n(sum(summary.coordinators.values())), *figures(summary.total)],
            empty_text=empty,
            wide=True,
        )
    )
    story.append(b.h2(_("Deployments by county and phase on %(date)s", date=texts.date(summary.day))))
    story.append(_phase_table(_("County"), [(texts.county(r.county), r) for r in summary.counties], summary.total, texts))

    story.append(b.h2(_("By method")))
    story.append(
        b.table(
            [_("Method"), *header],
            [[r.method, *figures(r)] for r in summary.methods],
            _widths(0.255),
            numeric=range(1, 11),
            groups=[("", 1), *groups],
            total=[_("Total"), *figures(summary.total, events=False)],
            empty_text=empty,
            wide=True,
        )
    )
    story.append(
        b.small(
            _(
                "An event may name several methods, so the events columns have no total. The totals of "
                "units and people guided count each unit and each person once."
            )
        )
    )
    story.append(b.h2(_("Deployments by method and phase on %(date)s", date=texts.date(summary.day))))
    deployed = [r for r in summary.methods if r.deployments]
    story.append(_phase_table(_("Method"), [(r.method, r) for r in deployed], summary.total, texts))

    story.append(b.h2(_("By county and method")))
    story.append(
        b.table(
            [_("County"), _("Method"), *header],
            [[texts.county(r.county), r.method, *figures(r)] for r in summary.rows],
            _widths(0.115, 0.17),
            numeric=range(2, 12),
            groups=[("", 2), *groups],
            empty_text=empty,
            wide=True,
        )
    )
    story.append(
        b.small(
            _(
                "Counted as in each coordinator's own Koordi: events of the period (planned = every event in the plan, held = "
                "those marked held), people at held events, live guidance sessions and the trainees present at them, "
                "deployments by the phase they were in on the day, and units with a deployment that has not ended."
            )
        )
    )
    story += extra or []
    counter = PageCounter()
    subject = _("Central office summary %(period)s", period=period)
    data = build_pdf(
        info(texts, author, title, subject, header_line, generated), texts, story, counter, first_template="landscape"
    )
    return data, counter.pages


def _phase_table(label: str, rows: list[tuple[str, CentralRow]], total: CentralRow, texts: Texts):
    _ = texts
    n = texts.number
    return b.table(
        [label, *(texts.label(PHASE_LABELS, p) for p in PHASES), _("Total")],
        [[name, *(n(r.phases.get(p, 0)) for p in PHASES), n(r.deployments)] for name, r in rows],
        [0.26] + [0.0925] * (len(PHASES) + 1),
        numeric=range(1, len(PHASES) + 2),
        total=[_("Total"), *(n(total.phases.get(p, 0)) for p in PHASES), n(total.deployments)],
        empty_text=_("No deployments on that day."),
        wide=True,
    )


# File names are ASCII in every language (email attachments, zip files on Windows).
FILE_WORDS = {"fi": "keskustoimiston-yhteenveto", "sv": "centralkansliets-sammandrag", "en": "central-office-summary"}


def central_pdf(conn, span: Span, lang: str, today: dt.date) -> Rendered:
    """The central-office summary of a merged database (`conn`: a connection to it)."""
    texts = Texts(lang)
    _ = texts
    summary = central_summary(conn, span, today, texts.lang)
    author = Author(_("Terapiat etulinjaan central office"))  # the header's "who": the office, not a coordinator
    data, pages = render(summary, author, texts, today, picture_story(conn, span, texts, today))
    dates = "_".join(d.isoformat() for d in (span.start, span.end) if d) or today.isoformat()
    return Rendered(data, pages, file_name(FILE_WORDS[texts.lang], dates))
