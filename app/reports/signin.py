"""The sign-in sheet handed round at a workshop: the event, then numbered empty rows to sign.

Rows are tall enough to write in by hand, the header repeats on every page, and the
sheet says (above the rows) why names are asked: Koordi itself keeps only counts per unit. The
event's notes only when the coordinator asks for them.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.labels.events import remote_place
from app.pdf import blocks as b
from app.pdf.document import BRAND, CONTENT_WIDTH, FONT, FONT_BOLD, INK, LINE, WASH, PageCounter, build_pdf, register_fonts
from app.pdf.text import Texts, para
from app.queries.records import SignIn
from app.reports.common import EVENT_TYPE_LABELS, Author, info

ROW_HEIGHT = 9.5 * mm
WIDTHS = (0.06, 0.28, 0.24, 0.18, 0.24)
MIN_ROWS = 10  # a page that has room for fewer starts the rows on the next page
RESERVED = 2  # points kept free under the rows (rounding)


class PageOfRows(Flowable):
    """As many empty rows as fit in the rest of the first page (at least MIN_ROWS)."""

    def __init__(self, texts: Texts):
        super().__init__()
        self.texts = texts
        self.rows = 0
        self._table: Table | None = None

    def wrap(self, avail_width, avail_height):
        header = 16
        self.rows = max(MIN_ROWS, int((avail_height - header - RESERVED) // ROW_HEIGHT))
        self._table = rows_table(self.texts, self.rows)
        return self._table.wrap(avail_width, avail_height)

    def split(self, avail_width, avail_height):
        return []  # never split: too little room moves the whole page of rows on

    def draw(self):
        self._table.drawOn(self.canv, 0, 0)


def when(data: SignIn, texts: Texts) -> str:
    ev = data.event
    text = texts.date(ev.date)
    if ev.start_time:
        start = dt.datetime.combine(ev.date, ev.start_time)
        end = start + dt.timedelta(minutes=ev.duration_minutes)
        text += f" {texts.time(start)}–{texts.time(end)}"
    return text


def render(
    data: SignIn, author: Author, texts: Texts, generated: dt.date, rows: int | None = None, include_notes: bool = False
) -> tuple[bytes, int]:
    """`rows` empty rows to sign (over as many pages as they need); None fills the first page."""
    register_fonts()  # before the first Paragraph: its style names the font
    _ = texts
    ev = data.event
    title = _("Sign-in sheet")
    story = b.title(title, ev.title)
    place = ev.place
    if ev.remote:
        place = remote_place(_("Remote (Teams)"), ev.place)
    organiser = ", ".join(part for part in (author.name, author.title(texts)) if part)
    details = [
        (_("Date and time"), when(data, texts)),
        (_("Place"), place),
        (_("Type"), texts.label(EVENT_TYPE_LABELS, ev.type)),
    ]
    if ev.theme:
        details.append((_("Theme"), ev.theme))
    details += [
        (_("Methods"), ", ".join(sorted((m.name(texts.lang) for m in data.methods), key=texts.sort_key))),
        (_("Units"), ", ".join(u.name for u in data.units)),
        (_("Organiser"), organiser),
    ]
    if include_notes and ev.notes.strip():
        details.append((_("Notes"), ev.notes))
    story.append(b.facts(details, label_width=32 * mm))
    story.append(b.gap(2))
    story.append(
        b.small(
            _("Names are asked only to record who attended. Koordi keeps the number of participants per unit, not the names.")
        )
    )
    story.append(b.gap(1))
    story.append(PageOfRows(texts) if rows is None else rows_table(texts, rows))

    counter = PageCounter()
    subject = _("Sign-in sheet: %(title)s, %(date)s", title=ev.title, date=texts.date(ev.date))
    pdf = build_pdf(
        info(texts, author, title, subject, _("Event date %(date)s", date=texts.date(ev.date)), generated), texts, story, counter
    )
    return pdf, counter.pages


def rows_table(texts: Texts, rows: int) -> Table:
    _ = texts
    header = ["#", _("Name"), _("Unit"), _("Profession"), _("Signature")]
    head = [Paragraph(para(h), b.HEAD_NUM if i == 0 else b.HEAD) for i, h in enumerate(header)]
    data = [head] + [[texts.number(i), "", "", "", ""] for i in range(1, rows + 1)]
    table = Table(
        data,
        colWidths=[w * CONTENT_WIDTH for w in WIDTHS],
        rowHeights=[None] + [ROW_HEIGHT] * rows,
        repeatRows=1,
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("FONT", (0, 1), (0, -1), FONT_BOLD, 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("BACKGROUND", (0, 0), (-1, 0), WASH),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
                ("GRID", (0, 1), (-1, -1), 0.5, LINE),
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ]
        )
    )
    return table
