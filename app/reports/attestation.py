"""The method guidance attestation: an official-looking paper a trainee files for their training.

Who, which method and cohort, every session's date and length, the total in minutes
and hours, and the coordinator's name and title over a signature line. Session
topics only when the coordinator asks for notes.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table, TableStyle

from app.pdf import blocks as b
from app.pdf.document import CONTENT_WIDTH, FONT, INK, PageCounter, build_pdf, register_fonts
from app.pdf.text import Texts
from app.queries.records import Attestation
from app.reports.common import KIND_LABELS, MODE_LABELS, Author, info


def training_period(data: Attestation, texts: Texts) -> str:
    """The header's period: the training's dates, or else the first and last session's."""
    t = data.trainee
    start = t.start_date or (data.sessions[0].date if data.sessions else None)
    end = t.end_date or (data.sessions[-1].date if data.sessions else None)
    if start is None and end is None:
        return ""
    return f"{texts.date(start) if start else ''}–{texts.date(end) if end else ''}"


def render(data: Attestation, author: Author, texts: Texts, generated: dt.date, include_notes: bool = False) -> tuple[bytes, int]:
    register_fonts()  # before the first Paragraph: its style names the font
    _ = texts
    n = texts.number
    t = data.trainee
    method = data.method.name(texts.lang)
    title = _("Method guidance attestation")
    story = b.title(title)
    story.append(
        b.text(
            _(
                "This attests that %(name)s has taken part in method guidance in %(method)s as listed below.",
                name=t.name,
                method=method,
            )
        )
    )
    story.append(
        b.facts(
            [
                (_("Name"), t.name),
                (_("Profession"), t.profession),
                (_("Unit"), data.unit.name if data.unit else ""),
                (_("Method"), method),
                (_("Training cohort"), t.cohort),
                (_("Training period"), training_period(data, texts)),
            ]
        )
    )

    header = ["#", _("Date"), _("Group or individual"), _("On-site or remote"), _("Minutes")]
    widths = [0.07, 0.17, 0.3, 0.3, 0.16]
    if include_notes:
        header.append(_("Topics"))
        widths = [0.06, 0.13, 0.17, 0.17, 0.1, 0.37]
    rows = []
    for i, session in enumerate(data.sessions, start=1):
        row = [
            n(i),
            texts.date(session.date),
            texts.label(KIND_LABELS, session.kind),
            texts.label(MODE_LABELS, session.mode),
            n(session.duration_minutes),
        ]
        if include_notes:
            row.append(session.topics)
        rows.append(row)
    total = ["", _("Total"), "", "", n(data.totals.minutes)] + ([""] if include_notes else [])
    story.append(b.h2(_("Method guidance sessions")))
    story.append(
        b.table(
            header, rows, widths, numeric=(0, 4), plain=(1,), total=total, empty_text=_("No method guidance sessions attended.")
        )
    )
    story.append(b.gap(2))
    story.append(
        b.text(
            _(
                "In all %(sessions)s sessions, %(minutes)s minutes, which is %(hours)s hours.",
                sessions=n(data.totals.sessions),
                minutes=n(data.totals.minutes),
                hours=texts.hours(data.totals.hours),
            )
        )
    )
    story.append(_signature(author, texts))

    span = training_period(data, texts)
    header_line = _("Training period %(period)s", period=span) if span else ""
    counter = PageCounter()
    subject = _("Method guidance attestation of %(name)s, %(method)s", name=t.name, method=method)
    pdf = build_pdf(info(texts, author, title, subject, header_line, generated), texts, story, counter)
    return pdf, counter.pages


def _signature(author: Author, texts: Texts) -> KeepTogether:
    """Place and date, the signature line, and the coordinator's name and title under it."""
    _ = texts
    line = [[b.small(_("Place and date")), "", b.small(_("Signature"))]]
    under = [
        [
            "",
            "",
            b.text("\n".join(part for part in (author.name, author.title(texts), texts.county(author.county)) if part)),
        ]
    ]
    gutter = 10 * mm
    half = (CONTENT_WIDTH - gutter) / 2
    table = Table([[" ", "", " "], *line, *under], colWidths=[half, gutter, half], rowHeights=[16 * mm, None, None])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),  # every cell: a table's default is Helvetica
                ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return KeepTogether([b.gap(10), table])
