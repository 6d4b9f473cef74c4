"""The page every Koordi document is printed on: A4, margins, header, "sivu 1 / 3", fonts, metadata.

- DejaVu Sans is embedded from assets/fonts (licence beside it), so å, ä, ö and names
  in other scripts print on any machine; no base-14 font is ever referenced (the
  canvas starts in DejaVu Sans too, not Helvetica).
- Every page carries the coordinator's name and county, the document's title, the
  period and the date it was made; the footer says "sivu 2 / 5" in the document's
  language. The total is known only at the end, so the canvas keeps each page's
  state and draws the page chrome when the document is saved (two passes over
  the pages, one over the content).
- Title, author, subject and language (/Lang) go into the PDF's metadata.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from app.paths import ASSETS_DIR
from app.pdf.text import PDF_LANG, Texts
from app.version import __version__

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_NARROW_BOLD = "DejaVuSansCondensed-Bold"  # table headers: long Finnish words in narrow columns
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_NARROW_BOLD: "DejaVuSansCondensed-Bold.ttf"}

# Page streams are compressed and written as bytes, not also spelled out as ASCII85 text:
# that is a quarter bigger and, without reportlab's C accelerator, took 8 % of the year
# report's time (issue 17). Every PDF reader reads both.
rl_config.useA85 = 0

BRAND = HexColor("#0b5563")  # the app's own colour (app/static/css/koordi.css --brand)
INK = HexColor("#1b1f23")
MUTED = HexColor("#4a5560")
LINE = HexColor("#c9d3d8")
WASH = HexColor("#eef3f4")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 30 * mm  # room for the two-line header
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
# Wide tables (a row per unit with nine figures) go on landscape pages of the same document.
LANDSCAPE_WIDTH = PAGE_HEIGHT - 2 * MARGIN_X


class FontMissing(RuntimeError):
    """The font file is not where the app was installed (a broken install)."""

    def __init__(self, path: Path):
        super().__init__(str(path))
        self.path = path


def fonts_dir() -> Path:
    # ASSETS_DIR is beside the package from source and under _internal/ when frozen
    # (installer.spec bundles assets/fonts there), so this one path serves both.
    return ASSETS_DIR / "fonts"


@cache
def register_fonts() -> None:
    for name, filename in FONT_FILES.items():
        path = fonts_dir() / filename
        if not path.is_file():
            raise FontMissing(path)
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # <b> in a Paragraph picks the bold face; there is no italic file, so italic stays upright.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@dataclass(frozen=True)
class DocumentInfo:
    title: str  # the document's name: metadata title and page header
    subject: str  # one line on what it covers (metadata)
    coordinator: str  # name, author in the metadata
    county: str
    period_line: str  # under the name in the header: "Period 1.1.2026–31.12.2026", "Event date 24.11.2026" or ""
    generated: dt.date


def _chrome(canvas: Canvas, info: DocumentInfo, texts: Texts, page: int, pages: int) -> None:
    """Header and footer of one page (portrait or landscape: the page's own size)."""
    _ = texts
    width, height = canvas._pagesize
    top = height - 12 * mm
    left, right = MARGIN_X, width - MARGIN_X
    canvas.saveState()
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 9)
    who = " · ".join(part for part in (info.coordinator, info.county) if part)
    canvas.drawString(left, top, who or "Koordi")
    canvas.drawRightString(right, top, info.title)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(MUTED)
    if info.period_line:
        canvas.drawString(left, top - 11, info.period_line)
    canvas.drawRightString(right, top - 11, _("Generated %(date)s", date=texts.date(info.generated)))
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(1.2)
    canvas.line(left, top - 17, right, top - 17)

    bottom = 11 * mm
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.5)
    canvas.line(left, bottom + 10, right, bottom + 10)
    canvas.setFont(FONT, 8)
    canvas.drawString(left, bottom, f"Koordi {__version__}")
    canvas.setFillColor(INK)
    canvas.drawRightString(right, bottom, _("page %(page)s / %(pages)s", page=page, pages=pages))
    canvas.restoreState()


def _numbered_canvas(info: DocumentInfo, texts: Texts):
    class NumberedCanvas(Canvas):
        """Keeps every page until save(), then draws each page's chrome knowing the total."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._kept_pages: list[dict] = []

        def showPage(self):
            self._kept_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._kept_pages)
            for number, state in enumerate(self._kept_pages, start=1):
                self.__dict__.update(state)
                _chrome(self, info, texts, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _frame(width: float, height: float) -> Frame:
    return Frame(MARGIN_X, MARGIN_BOTTOM, width, height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


def landscape_pages() -> list:
    """Flowables that continue the document on landscape pages."""
    return [NextPageTemplate("landscape"), PageBreak()]


class PageCounter:
    """Filled in by build_pdf: how many pages the document got."""

    pages: int = 0


def build_pdf(
    info: DocumentInfo, texts: Texts, story: list, counter: PageCounter | None = None, first_template: str = "portrait"
) -> bytes:
    """The finished PDF of `story` (platypus flowables) on Koordi's page; it starts on
    `first_template`'s pages ("portrait" or "landscape")."""
    register_fonts()
    out = BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.coordinator or "Koordi",
        subject=info.subject,
        creator=f"Koordi {__version__}",
        lang=PDF_LANG[texts.lang],
        initialFontName=FONT,
        initialFontSize=9,
    )
    body_height = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    templates = [
        PageTemplate(id="portrait", pagesize=A4, frames=[_frame(CONTENT_WIDTH, body_height)]),
        PageTemplate(
            id="landscape", pagesize=landscape(A4), frames=[_frame(LANDSCAPE_WIDTH, PAGE_WIDTH - MARGIN_TOP - MARGIN_BOTTOM)]
        ),
    ]
    templates.sort(key=lambda t: t.id != first_template)  # the first one starts the document
    doc.addPageTemplates(templates)
    doc.build(story, canvasmaker=_numbered_canvas(info, texts))
    if counter is not None:
        counter.pages = doc.page
    return out.getvalue()
