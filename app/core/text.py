"""Text keys for sorting and matching: SQLite folds only ASCII, Finnish needs more."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str | None) -> str:
    """'Äänekoski' and 'äänekoski' give one key; 'a' and 'ä' stay different letters."""
    return unicodedata.normalize("NFC", text or "").casefold().strip()


def slug(text: str | None, limit: int = 40, fallback: str = "koordi") -> str:
    """A file-name part from a name: "Kivikylän terveysasema" -> "kivikylan-terveysasema".

    ASCII only, lower case, words joined by '-': the file goes into email attachments and zip
    files on Windows. Letters with marks lose them (ä -> a, é -> e); a name with no ASCII
    letter at all gives `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(words)[:limit].strip("-") or fallback
