"""What every document is made of: who it is from, the page header's facts, the file it became."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.labels.settings import ROLE_LABELS
from app.pdf.text import Texts

if TYPE_CHECKING:  # app.pdf.document loads reportlab: only a document being made needs it
    from app.pdf.document import DocumentInfo


@dataclass(frozen=True)
class Author:
    """The coordinator in the page header and under a signature line (from the profile)."""

    name: str = ""
    role: str = ""  # therapy | intervention | both
    county: str = ""  # app.core.geography key

    def title(self, texts: Texts) -> str:
        """ "Terapiakoordinaattori": the role as a job title."""
        return texts.label(ROLE_LABELS, self.role) if self.role else ""


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    filename: str


def info(texts: Texts, author: Author, title: str, subject: str, period_line: str, generated: dt.date) -> DocumentInfo:
    """The page header's facts. `period_line` is printed as given (see period_line())."""
    from app.pdf.document import DocumentInfo

    return DocumentInfo(
        title=title,
        subject=subject,
        coordinator=author.name,
        county=texts.county(author.county),
        period_line=period_line,
        generated=generated,
    )


def file_name(word: str, *parts: str) -> str:
    """A document's file name: its word in the language, then the parts that tell it apart."""
    return "_".join([word, *(p for p in parts if p)]) + ".pdf"
