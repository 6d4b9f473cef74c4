"""People's names in list order: by surname, then first names, in Finnish/Swedish order.

Pure: no Flask, no database. One key for Python's sorted() and, registered as the SQLite
collation SURNAME on every connection (app/store/engine.py), for ORDER BY … COLLATE koordi_surname.

The rule: a trainee's name is written as Finns and Finland-Swedes write it, first names then
the surname ("Anna-Liisa Korhonen", "Björn Ek"), so the surname is the last word. A list of
people is ordered as a class list or a phone book is: by that last word, then by the words
before it, each in app.core.collation's order (… Z, Å, Ä, Ö). A one-word name sorts as that
word. Particles need no rule of their own ("Maria von Wright" sorts under W, as in Finland);
a double surname written with a space ("Anna Korhonen Virtanen") sorts by its last part -- a
hyphenated one ("Korhonen-Virtanen") is one word.
"""

from __future__ import annotations

from functools import lru_cache

from app.core import collation

SURNAME = "koordi_surname"

Key = tuple[tuple[str, str, str], tuple[str, str, str], str]


def surname_first(name: str | None) -> tuple[str, str]:
    """("Korhonen", "Anna-Liisa") from "Anna-Liisa Korhonen": the last word and the words before it."""
    words = (name or "").split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


@lru_cache(maxsize=16384)
def key(name: str | None) -> Key:
    """Sort key: the surname, then the first names, each by collation.key; then the text itself,
    so only equal text ties ("Anna  Ek" and "Anna Ek" differ only there)."""
    surname, first = surname_first(name)
    return collation.key(surname), collation.key(first), name or ""


@lru_cache(maxsize=16384)
def _joined(name: str | None) -> str | None:
    # key() as one string, its seven parts joined by NUL (below every other character, so a
    # shorter part sorts first, as in the tuples): SQLite calls compare() some 3 400 times to
    # find a list's first 50 of 2 000 trainees, and one string compares at half the cost of
    # nested tuples (issue 17). None for a name holding NUL itself, where the orders could differ.
    (s1, s2, s3), (f1, f2, f3), text = key(name)
    parts = (s1, s2, s3, f1, f2, f3, text)
    return None if any("\0" in part for part in parts) else "\0".join(parts)


def compare(a: str | None, b: str | None) -> int:
    """The SQLite collation: negative, zero or positive as `a` sorts before, with or after `b`
    (always as key() orders them)."""
    ja, jb = _joined(a), _joined(b)
    if ja is None or jb is None:
        ka, kb = key(a), key(b)
        return (ka > kb) - (ka < kb)
    return (ja > jb) - (ja < jb)
