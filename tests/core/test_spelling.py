"""What "Did you mean …?" offers: the nearest indexed words to a misspelt one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.spelling import distance, nearest

VOCABULARY = [("haapakosken", 28), ("haapakylän", 21), ("haaparannan", 21), ("hanna", 37), ("äänekosken", 12), ("lehtomäen", 5)]


def test_nearest_words_first_then_the_most_used():
    assert nearest("haapakoskan", VOCABULARY)[:2] == ["haapakosken", "haapakylän"]  # 1 letter off, then 3
    assert nearest("haapakisk", VOCABULARY)[0] == "haapakosken"  # the start of a longer word, one letter off
    assert "äänekosken" not in nearest("aanekosken", VOCABULARY)  # only the ä differs: search finds it already
    assert nearest("aanekoskn", VOCABULARY) == ["äänekosken"]
    assert nearest("lehtomaan", VOCABULARY) == ["lehtomäen"]
    assert nearest("xyzzy", VOCABULARY) == []


def test_short_words_allow_one_letter_only():
    assert nearest("hana", VOCABULARY) == ["hanna"]
    assert nearest("hxnx", VOCABULARY) == []


@given(st.text(max_size=10), st.text(max_size=10))
def test_distance_is_levenshtein_capped(a, b):
    full = distance(a, b, 100)
    assert full == distance(b, a, 100) and (full == 0) == (a == b)
    assert full <= max(len(a), len(b))
    assert distance(a, b, 2) == min(full, 3)
