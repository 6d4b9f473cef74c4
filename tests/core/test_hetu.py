"""Tests for app.core.hetu.

No literal identity code appears in this file: every code is built with
generate() or computed from the check character formula, so the repository
never holds anything that looks like a real person's code.
"""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import hetu
from app.core.hetu import (
    CENTURY_SIGNS,
    CHECK_CHARS,
    Finding,
    check_char,
    contains_code,
    find_codes,
    generate,
    is_valid,
)

SIGNS_BY_CENTURY = {century: sorted(s for s, c in CENTURY_SIGNS.items() if c == century) for century in (1800, 1900, 2000)}
SEPARATORS = list(" \t\n.,;:!?()[]{}<>\"'/|_*=+-#") + ["\u00a0", " – ", ": "]
# Filler text with no century sign in it, so nothing in the filler alone can
# look like a code and the only finding must be the code we embed.
FILLER_ALPHABET = "ghijklmnopqrstzåäöGHIJKLMNOPQRSTZÅÄÖ0123456789 .,;:!?()€%\n"


@st.composite
def codes(draw):
    """(code, birth date) with any sign valid for the century, any letter case."""
    birth = draw(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)))
    sign = draw(st.sampled_from(SIGNS_BY_CENTURY[birth.year // 100 * 100]))
    code = generate(birth, draw(st.integers(2, 999)), sign)
    return (code.lower() if draw(st.booleans()) else code), birth


def embed(draw, code):
    """Surround code with random filler, separated on both sides."""
    before = draw(st.text(FILLER_ALPHABET, max_size=30)) + draw(st.sampled_from(SEPARATORS))
    after = draw(st.sampled_from(SEPARATORS)) + draw(st.text(FILLER_ALPHABET, max_size=30))
    # Start or end of the text also counts as a boundary.
    if draw(st.booleans()):
        before = ""
    if draw(st.booleans()):
        after = ""
    return before + code + after, len(before)


def with_check(ddmmyy, sign, nnn):
    return ddmmyy + sign + nnn + check_char(ddmmyy, nnn)


# --- the check character ---------------------------------------------------


def mod31_by_hand(digits):
    """Remainder by schoolbook long division, independent of int() % 31."""
    r = 0
    for d in digits:
        r = (r * 10 + int(d)) % 31
    return r


@pytest.mark.parametrize("ddmmyy, nnn", [("131052", "308"), ("010101", "002"), ("311299", "999")])
def test_check_char_follows_the_formula(ddmmyy, nnn):
    assert check_char(ddmmyy, nnn) == CHECK_CHARS[mod31_by_hand(ddmmyy + nnn)]


def test_check_char_hand_computed_example():
    # 131052308 = 31 * 4227493 + 25, and position 25 of the table is "T"
    # (0-9 are 0-9, then A=10 ... F=15, H=16, J, K, L, M, N, P, R, S, T=25).
    assert 31 * 4227493 + 25 == 131052308
    assert check_char("131052", "308") == CHECK_CHARS[25] == "T"


def test_check_table_has_31_unambiguous_symbols():
    assert len(CHECK_CHARS) == len(set(CHECK_CHARS)) == 31
    assert not set("GIOQZ") & set(CHECK_CHARS)


@pytest.mark.parametrize("ddmmyy, nnn", [("13105", "308"), ("131052", "38"), ("13105x", "308")])
def test_check_char_rejects_malformed_input(ddmmyy, nnn):
    with pytest.raises(ValueError):
        check_char(ddmmyy, nnn)


# --- generate and is_valid -------------------------------------------------


@given(codes())
def test_generated_codes_are_valid(code_and_birth):
    code, birth = code_and_birth
    assert is_valid(code)
    assert is_valid(code.upper()) and is_valid(code.lower())
    assert code[:6] == f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"


@pytest.mark.parametrize("year, sign", [(1850, "+"), (1950, "-"), (2010, "A")])
def test_generate_default_sign_by_century(year, sign):
    assert generate(dt.date(year, 6, 15), 123)[6] == sign


@pytest.mark.parametrize(
    "birth, individual, sign",
    [
        (dt.date(1950, 1, 1), 1, None),  # 000 and 001 are never issued
        (dt.date(1950, 1, 1), 1000, None),
        (dt.date(1950, 1, 1), 123, "A"),  # 2000s sign for a 1900s date
        (dt.date(2010, 1, 1), 123, "-"),
        (dt.date(1799, 12, 31), 123, None),
        (dt.date(2100, 1, 1), 123, None),
    ],
)
def test_generate_refuses_impossible_input(birth, individual, sign):
    with pytest.raises(ValueError):
        generate(birth, individual, sign)


def test_is_valid_wants_exactly_one_whole_code():
    code = generate(dt.date(1952, 10, 13), 308)
    assert is_valid(code)
    for not_exact in (f" {code}", f"{code}\n", f"x{code}", code[:-1], "", None, 12345):
        assert not is_valid(not_exact)
    wrong = code[:-1] + next(c for c in CHECK_CHARS if c != code[-1])
    assert not is_valid(wrong)


# --- finding codes in text -------------------------------------------------


@given(st.data(), codes())
def test_embedded_codes_are_found(data, code_and_birth):
    code, _ = code_and_birth
    text, at = embed(data.draw, code)
    assert find_codes(text) == [Finding(at, at + 11, "valid", code[:2])]
    assert contains_code(text)


@given(st.data(), codes())
def test_any_other_check_character_is_a_bad_checksum(data, code_and_birth):
    code, _ = code_and_birth
    others = [c for c in CHECK_CHARS + "GIOQZ" if c != code[-1].upper()]
    wrong = data.draw(st.sampled_from(others))
    if code[-1].islower():
        wrong = wrong.lower()
    text, at = embed(data.draw, code[:-1] + wrong)
    assert [(f.start, f.end, f.kind) for f in find_codes(text)] == [(at, at + 11, "bad_checksum")]
    assert contains_code(text)
    assert not is_valid(code[:-1] + wrong)


def test_several_codes_in_one_text_are_all_found():
    a = generate(dt.date(1952, 10, 13), 308)
    b = generate(dt.date(2004, 2, 29), 900, "B").lower()
    bad = a[:-1] + ("0" if a[-1] != "0" else "1")
    text = f"asiakas {a} soitti ({b}), väärin kirjattu {bad}."
    assert [f.kind for f in find_codes(text)] == ["valid", "valid", "bad_checksum"]
    assert [text[f.start : f.end] for f in find_codes(text)] == [a, b, bad]


@given(codes())
def test_masked_never_shows_the_whole_code(code_and_birth):
    code, _ = code_and_birth
    (finding,) = find_codes(f"hetu: {code}.")
    assert finding.masked == code[:2] + "•" * 9
    assert code not in finding.masked
    assert code[2:] not in repr(finding) and code not in repr(finding)


@given(codes(), st.sampled_from(list("0123456789abcXYZ")))
def test_a_code_glued_to_letters_or_digits_is_not_a_token(code_and_birth, glue):
    # Part of a longer alphanumeric run (e.g. the middle of a 12-digit number).
    code, _ = code_and_birth
    assert find_codes(glue + code) == []
    assert find_codes(code + glue) == []


HARMLESS = [
    "13.10.2052",
    "2024-05-01",
    "131052",
    "pvm 131052 klo 10",
    "040 123 4567",
    "+358 40 1234567",
    "+358401234567",
    "09-310 12345",
    "IDY03",
    "toimenpide IDY03 ja SPAT1",
    "2024-05-01T12:30:00+03:00",
    "2024-05-01T12:30:00.123456Z",
    "00100 Helsinki",
    "PL 33, 00014 Helsingin yliopisto",
    "1 250,50 €",
    "yhteensä 12 345 678,90 €",
    "123456789012",
    "FI21 1234 5600 0007 85",
    "1234567-8",  # business ID (Y-tunnus)
    "",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_alone(text):
    assert find_codes(text) == []
    assert not contains_code(text)


def test_none_and_empty_contain_nothing():
    assert not contains_code(None)
    assert not contains_code("")


LETTER_WORDS = st.text(st.characters(categories=["L"]), min_size=1, max_size=12)
DIGIT_RUNS = st.text("0123456789", min_size=1, max_size=14)
NON_SIGN_SEPARATORS = st.sampled_from([" ", "  ", ". ", ", ", "/", ":", "\n", "(", ")"])


@given(st.lists(st.tuples(st.one_of(LETTER_WORDS, DIGIT_RUNS), NON_SIGN_SEPARATORS), max_size=40))
def test_letters_and_digits_without_century_sign_never_match(tokens):
    text = "".join(word + sep for word, sep in tokens)
    assert find_codes(text) == []
    assert not contains_code(text)


@given(st.text("0123456789 ghijklmnopqrstzåäöGHIJKLMNOPQRSTZ.,:/\n"))
def test_unstructured_text_without_century_signs_never_matches(text):
    assert find_codes(text) == []


# --- impossible dates and unissued numbers pass ----------------------------


@pytest.mark.parametrize(
    "ddmmyy, sign",
    [
        ("310290", "-"),  # 31 February
        ("300290", "A"),
        ("310490", "-"),  # 31 April
        ("290200", "-"),  # 29.2.1900: 1900 was not a leap year
        ("290200", "+"),  # nor was 1800
        ("290299", "Y"),  # nor 1999
        ("290223", "B"),  # nor 2023
        ("000190", "-"),
        ("320190", "-"),
        ("010090", "-"),
        ("011390", "-"),
        ("999999", "A"),
    ],
)
def test_impossible_dates_are_not_codes(ddmmyy, sign):
    for nnn in ("123", "900"):
        code = with_check(ddmmyy, sign, nnn)
        assert find_codes(f"nro {code} ok") == []
        assert not is_valid(code)
        # A wrong check character does not make it a mistyped code either.
        assert find_codes(code[:-1] + ("X" if code[-1] != "X" else "Y")) == []


def test_leap_day_in_a_leap_century_year_is_a_code():
    code = with_check("290200", "A", "123")  # 2000 was a leap year
    assert is_valid(code)
    assert [f.kind for f in find_codes(f"({code})")] == ["valid"]


@given(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["000", "001"]))
def test_never_issued_individual_numbers_are_not_codes(birth, nnn):
    ddmmyy = f"{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}"
    sign = SIGNS_BY_CENTURY[birth.year // 100 * 100][0]
    assert find_codes(with_check(ddmmyy, sign, nnn)) == []


@given(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)), st.integers(900, 999))
def test_temporary_codes_are_refused_too(birth, individual):
    code = generate(birth, individual)
    assert is_valid(code)
    assert contains_code(f"väliaikainen {code}")


def test_module_is_flask_free():
    assert "flask" not in open(hetu.__file__, encoding="utf-8").read().lower()
