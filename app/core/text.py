"""Text keys for sorting and matching: SQLite folds only ASCII, Finnish needs more."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """'Äänekoski' and 'äänekoski' give one key; 'a' and 'ä' stay different letters."""
    return unicodedata.normalize("NFC", text or "").casefold().strip()
