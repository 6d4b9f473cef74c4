"""The nearest words to a misspelt one: what "Did you mean …?" offers on the search page.

Pure: no Flask, no database. Words are compared without case or diacritics (a laptop
without a Finnish keyboard types a for ä), by edit distance (Levenshtein: one letter
added, dropped or changed is 1), whole or as the start of a longer word ("haapakisk"
is one letter from "haapakosken"'s start: the word may not be finished).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.finnish import strip_marks


def max_distance(length: int) -> int:
    """How many letters may differ: one in a short word, up to three in a long one."""
    return 1 if length <= 4 else 2 if length <= 8 else 3


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or limit + 1 as soon as it must be more than `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def nearest(word: str, vocabulary: Iterable[tuple[str, int]], limit: int = 3) -> list[str]:
    """Up to `limit` words of `vocabulary` ((word, how many records hold it)) nearest to `word`,
    nearest first, then the most used; never the word itself."""
    typed = strip_marks(word)
    most = max_distance(len(typed))
    scored: dict[str, tuple[int, int]] = {}
    for term, used in vocabulary:
        plain = strip_marks(term)
        if plain == typed:
            continue
        d = distance(typed, plain, most)
        if len(plain) > len(typed):
            d = min(d, distance(typed, plain[: len(typed)], most))
        if d <= most and (term not in scored or scored[term] > (d, -used)):
            scored[term] = (d, -used)
    return [term for term, _score in sorted(scored.items(), key=lambda item: (item[1], item[0]))][:limit]
