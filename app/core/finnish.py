"""A light Finnish stemmer for search: the prefixes that find a word's inflected forms.

Pure: no Flask, no database. Search looks a word up as "word"* (a prefix), and also as each
prefix given here, so that "haapakoski" finds "Haapakosken" and "lehtomäen" finds
"Lehtomäki". Not a full morphology (that needs a dictionary): it strips one case ending,
then the last syllable's vowel, and allows the consonant gradation of the last syllable
(k ~ nothing, t ~ d, p ~ v, nt ~ nn, nk ~ ng, ...) in both directions, because a query
may be the base form and the record inflected, or the other way round.

    haapakoski   -> haapakos                (haapakosken, haapakoskella)
    lehtomäki    -> lehtomä                 (lehtomäen, lehtomäessä, lehtomäkeä)
    lehtomäen    -> lehtomä                 (lehtomäki)
    virtanen     -> virta                   (virtasen, virtaselle)
    lahti        -> lahd, laht              (lahden)

A prefix is never shorter than MIN_STEM letters: "tur"* would find too much, so short
words (Turku ~ Turun) are found by their own prefix only.
"""

from __future__ import annotations

import unicodedata

MIN_STEM = 4
MIN_WORD = 5  # shorter words are looked up as typed (their own prefix covers enough)
VOWELS = frozenset("aeiouyäöåéü")

# Case endings, longest first (both vowel harmonies). Stripped only when MIN_STEM letters remain.
# "n" (genitive) covers the illative's "-en"/"-an" too once the stem's vowels go.
ENDINGS = tuple(
    sorted(
        {
            "seen", "siin", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "tta", "ttä",
            "na", "nä", "ta", "tä", "n", "a", "ä", "t",
        },
        key=lambda e: (-len(e), e),
    )
)  # fmt: skip

# Consonant gradation of the last syllable: (strong, weak). A word's last consonants may be
# either grade; both are given. "k" ~ "" is lehtomäki ~ lehtomäen, turku ~ turun.
GRADATION = (
    ("kk", "k"),
    ("pp", "p"),
    ("tt", "t"),
    ("nk", "ng"),
    ("mp", "mm"),
    ("lt", "ll"),
    ("nt", "nn"),
    ("rt", "rr"),
    ("ht", "hd"),
    ("t", "d"),
    ("p", "v"),
    ("k", ""),
)


def strip_marks(text: str) -> str:
    """Casefolded, with every diacritic removed: what FTS5's unicode61 remove_diacritics 2 indexes
    ("Äänekoski" -> "aanekoski", "Émile" -> "emile", "Ünal" -> "unal")."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip_ending(word: str) -> str:
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def _drop_vowels(word: str) -> str:
    """The last syllable's vowel: one vowel, or a long vowel (two alike: Espoo, Tampereen)."""
    if len(word) >= 2 and word[-1] in VOWELS and word[-1] == word[-2]:
        return word[:-2]
    if word and word[-1] in VOWELS:
        return word[:-1]
    return word


def _graded(core: str) -> set[str]:
    """`core` and its other consonant grade(s): laht ~ lahd, rant ~ rann, helsink ~ helsing.

    The longest grade form `core` ends in decides ("nt", not "t"); a single k, p or t may be
    either a strong grade (k ~ nothing, p ~ v) or the weak one of kk, pp, tt (after a vowel only).
    """
    out = {core}
    matches = [
        (have, other)
        for strong, weak in GRADATION
        for have, other in ((strong, weak), (weak, strong))
        if have and core.endswith(have)
    ]
    longest = max((len(have) for have, _other in matches), default=0)
    for have, other in matches:
        head = core[: -len(have)]
        doubled = len(other) == 2 and other[0] == other[1]
        if len(have) == longest and not (doubled and (not head or head[-1] not in VOWELS)):
            out.add(head + other)
    return out


def stems(word: str) -> list[str]:
    """Prefixes (each at least MIN_STEM letters, none starting with another) that find `word`'s
    inflected forms; empty when the word is short, has digits, or its own prefix is all there is."""
    w = unicodedata.normalize("NFC", word).casefold()
    if len(w) < MIN_WORD or not w.isalpha():
        return []
    if w.endswith("nen") and len(w) > MIN_WORD:
        return _nen_stems(w[:-3])  # virtanen ~ virtasen, virtaselle
    base = _strip_ending(w)
    if base.endswith("se") and len(base) - 2 >= 3 and base != w:
        return _nen_stems(base[:-2])  # virtasen -> virta
    core = _drop_vowels(base)
    found = {p for p in _graded(core) if len(p) >= MIN_STEM}
    if not found:
        found = {p for p in (core, base) if len(p) >= MIN_STEM}
    found.discard(w)
    # A prefix that starts with another one finds nothing more: lehtomä covers lehtomäk.
    return sorted(p for p in found if not any(p != q and p.startswith(q) for q in found))


def _nen_stems(stem: str) -> list[str]:
    """-nen names: the stem covers the base form and the -se- forms (Virta-nen, Virta-sen); a short
    stem gets both continuations (Aho: ahon*, ahos*)."""
    if len(stem) >= MIN_STEM:
        return [stem]
    return [stem + "n", stem + "s"] if len(stem) + 1 >= MIN_STEM else []
