"""People's names by surname (the last word), then first names, in Finnish/Swedish order; the
same order in Python and in SQLite's koordi_surname collation."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from app.core import names

ORDERED = [
    "Sami",  # one word: sorts as that word
    "Örjan Aalto",
    "Anna-Liisa Ek",
    "Bo Ek",
    "Émile Eklund",  # É as E
    "Cilla Korhonen-Virtanen",  # a hyphenated surname is one word
    "Nils von Wright",  # under W, as in Finland
    "Ville Zetterberg",
    "Aino Åberg",
    "Eero Ärlig",
    "Anna Öberg",
]


def test_people_sort_by_surname_then_first_names():
    expected = ["Örjan Aalto", "Anna-Liisa Ek", "Bo Ek", "Émile Eklund", "Cilla Korhonen-Virtanen", "Sami"]
    expected += ["Nils von Wright", "Ville Zetterberg", "Aino Åberg", "Eero Ärlig", "Anna Öberg"]
    assert sorted(reversed(ORDERED), key=names.key) == expected
    assert names.surname_first("  Anna-Liisa   Korhonen ") == ("Korhonen", "Anna-Liisa")
    assert names.surname_first("") == ("", "")


def test_sqlite_collation_orders_as_python():
    conn = sqlite3.connect(":memory:")
    conn.create_collation(names.SURNAME, names.compare)
    conn.execute("CREATE TABLE t (name TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in ORDERED])
    rows = [r[0] for r in conn.execute(f"SELECT name FROM t ORDER BY name COLLATE {names.SURNAME}")]
    assert rows == sorted(ORDERED, key=names.key)


@given(st.lists(st.text(alphabet="abzåäöéü -AÖ", max_size=12), max_size=8))
def test_the_order_is_total_and_consistent(texts):
    ordered = sorted(texts, key=names.key)
    for a, b in zip(ordered, ordered[1:], strict=False):
        assert names.compare(a, b) <= 0
        assert (names.compare(a, b) == 0) == (a == b)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=10), st.text(alphabet="ab \0Åä", max_size=6))
def test_the_collation_always_agrees_with_the_key(a, b):
    """compare() takes a shortcut (one joined string per name): the answer is still key()'s, for
    any text, a NUL in it too."""
    for x, y in ((a, b), (b, a), (a, a), (b, b)):
        assert names.compare(x, y) == (names.key(x) > names.key(y)) - (names.key(x) < names.key(y))
