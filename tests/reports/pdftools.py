"""Reading Koordi's PDFs back: text lines, numbers, fonts, metadata, a page as a PNG."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

BASE14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data), strict=True)


def page_lines(data: bytes) -> list[list[str]]:
    """Each page's text as stripped, non-empty lines; no-break spaces (thousands) as spaces."""
    out = []
    for page in reader(data).pages:
        text = page.extract_text().replace("\u00a0", " ").replace("\u202f", " ")
        out.append([line.strip() for line in text.splitlines() if line.strip()])
    return out


def lines(data: bytes) -> list[str]:
    return [line for page in page_lines(data) for line in page]


def section(all_lines: list[str], heading: str, end: str | None = None) -> list[str]:
    """The lines after `heading` (its first occurrence) up to `end` (exclusive)."""
    start = all_lines.index(heading) + 1
    stop = all_lines.index(end, start) if end else len(all_lines)
    return all_lines[start:stop]


def after(all_lines: list[str], label: str, count: int) -> list[str]:
    """The `count` lines that follow the first line equal to `label` (a table row's cells)."""
    i = all_lines.index(label)
    return all_lines[i + 1 : i + 1 + count]


def num(text: str) -> int:
    """'1 891' -> 1891."""
    return int(text.replace(" ", ""))


def dec(text: str) -> Decimal:
    """'1 338,0' -> Decimal('1338.0')."""
    return Decimal(text.replace(" ", "").replace(",", "."))


def fonts(data: bytes) -> dict[str, bool]:
    """{font name: embedded?} of every font any page uses (Type0 descendants included)."""
    found: dict[str, bool] = {}
    for page in reader(data).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            targets = [font]
            if font.get("/Subtype") == "/Type0":
                targets = [d.get_object() for d in font["/DescendantFonts"]]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                embedded = descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                found[str(target.get("/BaseFont"))] = embedded
    return found


def catalog_lang(data: bytes) -> str | None:
    lang = reader(data).trailer["/Root"].get("/Lang")
    return str(lang) if lang is not None else None


def to_png(data: bytes, folder: Path, name: str, resolution: int = 60) -> Path:
    """Page 1 as a PNG, through poppler's pdftoppm (the way a viewer would draw it)."""
    pdf = folder / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / name)],
        check=True,
        timeout=60,
    )
    return folder / f"{name}.png"


PAGE_LABEL = re.compile(r"^(?:sivu|sida|page) (\d+) / (\d+)$")


def page_labels(data: bytes) -> list[tuple[int, int]]:
    """(page, pages) from each page's footer, in page order."""
    labels = []
    for page in page_lines(data):
        found = [PAGE_LABEL.match(line) for line in page]
        labels.append(next((int(m.group(1)), int(m.group(2))) for m in found if m))
    return labels
