"""Finnish and Swedish alphabetical order: … Z, Å, Ä, Ö; É as E, Ü as Y; the same order in
Python and in SQLite (the collation every connection gets)."""

from __future__ import annotations

import sqlite3
from functools import cmp_to_key

from hypothesis import given
from hypothesis import strategies as st

from app.core import collation

ORDERED = [
    "2. kerroksen tiimi",
    "Aalto",
    "Eero",
    "emile",
    "Émile",
    "Erkki",
    "Vesa",
    "Wilma",  # W after V: two letters (not the old V = W rule)
    "Ylva",
    "Ünal",  # Ü as Y
    "Yrjö",
    "Zeta",
    "Åbo",
    "Äänekoski",
    "Öja",
    "Ørsted",  # Ø as Ö
]


def test_names_sort_as_in_a_finnish_or_swedish_list():
    assert sorted(reversed(ORDERED), key=collation.key) == ORDERED
    # What code-point order gets wrong: Ä before Å, É and Ü after Ö.
    assert sorted(["Öja", "Åbo", "Äänekoski", "Émile", "Ünal", "Zeta"]) != sorted(
        ["Öja", "Åbo", "Äänekoski", "Émile", "Ünal", "Zeta"], key=collation.key
    )


def test_the_sqlite_collation_gives_the_same_order():
    conn = sqlite3.connect(":memory:")
    conn.create_collation(collation.NAME, collation.compare)
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in reversed(ORDERED)])
    rows = [n for (n,) in conn.execute(f"SELECT name FROM t ORDER BY name COLLATE {collation.NAME}")]
    assert rows == ORDERED


def test_case_and_marks_only_break_ties():
    assert sorted(["Émile", "emile", "Emile"], key=collation.key) == ["Emile", "emile", "Émile"]
    assert collation.compare("Åbo", "Åbo") == 0 and collation.compare("Emile", "Émile") < 0


@given(st.lists(st.text(max_size=12), max_size=12))
def test_compare_is_a_total_order_that_agrees_with_the_key(names):
    by_compare = sorted(names, key=lambda n: (collation.key(n), n))
    for a, b in zip(by_compare, by_compare[1:], strict=False):
        assert collation.compare(a, b) <= 0 and collation.compare(b, a) >= 0
        assert (collation.compare(a, b) == 0) == (a == b)


def test_text_holding_nul_still_sorts_as_the_key_says():
    names = ["x\x00", "x", "x\x00a", "X"]
    assert sorted(names, key=collation.key) == sorted(names, key=cmp_to_key(collation.compare))
