"""A survey tool's export of individual responses -> counts per item and option, in memory.

Every file is built here: CSV in UTF-8 (with and without BOM) and Windows-1252, ';' and ',',
and XLSX written with openpyxl, the way Webropol, Zef and LimeSurvey lay them out.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import zipfile
from collections import Counter

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import hetu
from app.core.instruments import BLANK, NOMAD_CODES, SEEDED, options
from app.core.survey_file import WILDCARD, Reason, Source, read
from app.core.survey_table import MAX_BYTES, MAX_CELL, MAX_COLUMNS, MAX_ROWS

NOMAD = next(i for i in SEEDED if i.key == "nomad-20")
SUS = next(i for i in SEEDED if i.key == "sus")

# One published study's coding (FOLLOWUP.md): strongly agree = 1 … strongly disagree = 5, not relevant 6, 7, 8.
STUDY_CODING = {str(n): code for n, code in enumerate(NOMAD_CODES, start=1)}


def csv_bytes(rows, delimiter=";", encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, start_row=1) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def label(item_code: str, option: str, lang: str) -> str:
    return next(o for o in options(NOMAD.item(item_code)) if o.code == option).labels[lang]


def mapped(result) -> dict[str, str | None]:
    return {c.header: c.item for c in result.columns if c.source is not Source.UNMAPPED}


# --- Columns ---------------------------------------------------------------------------------------


def test_columns_map_by_the_item_code_in_the_forms_tools_print():
    header = ["Vastaajan ID", "Aloitusaika", "CO1", "CO2.", "[CO3]", "Q_CO4", "NOMAD[CP1]", "CP2. Kuuluu työhöni", "g1", "SUS1"]
    result = read(csv_bytes([header, ["1", "2026-06-01", *["Samaa mieltä"] * 6, "7", "x"]]), "zef.csv", NOMAD)
    assert mapped(result) == {
        "CO1": "CO1",
        "CO2.": "CO2",
        "[CO3]": "CO3",
        "Q_CO4": "CO4",
        "NOMAD[CP1]": "CP1",
        "CP2. Kuuluu työhöni": "CP2",
        "g1": "G1",
    }
    # The respondent id, the time and a code of another instrument are asked about, once each.
    assert [(c.header, c.letter) for c in result.unmapped_columns] == [("Vastaajan ID", "A"), ("Aloitusaika", "B"), ("SUS1", "J")]
    assert "CO1" not in result.missing_items and "CA1" in result.missing_items
    assert not result.can_save


def test_columns_map_by_the_wording_in_any_language_or_as_the_coordinator_pasted_it():
    pasted = "Minulla on selkeä käsitys siitä, miksi menetelmä otetaan käyttöön"
    co2 = dataclasses.replace(NOMAD.item("CO2"), labels={**NOMAD.item("CO2").labels, "wording": pasted})
    instrument = dataclasses.replace(NOMAD, items=tuple(co2 if i.code == "CO2" else i for i in NOMAD.items))
    header = [
        "1. Eroaa tavallisesta työstä",  # fi, numbered
        "2) " + pasted.upper() + "?",  # the pasted wording, shouted, with a question mark
        "Jag förstår hur den påverkar mitt arbete.",  # sv, trailing full stop
        "NoMAD - I see its potential value for my work",  # a matrix question's "question - statement"
        "Arvioi väittämiä [Kuuluu perustellusti työhöni]",  # LimeSurvey's "question [sub-question]"
        "Jokin muu kysymys",
    ]
    result = read(csv_bytes([header, ["Samaa mieltä"] * 6]), "webropol.csv", instrument)
    assert [(c.item, c.source) for c in result.columns] == [
        ("CO1", Source.WORDING),
        ("CO2", Source.WORDING),
        ("CO3", Source.WORDING),
        ("CO4", Source.WORDING),
        ("CP2", Source.WORDING),
        (None, Source.UNMAPPED),
    ]


def test_two_columns_found_for_one_item_are_both_asked_and_the_callers_mapping_wins():
    header = ["CO1", "Eroaa tavallisesta työstä", "Kysymys 7", "Vastaaja"]
    rows = [header, ["Samaa mieltä", "Eri mieltä", "Täysin samaa mieltä", "17"]]
    first = read(csv_bytes(rows), "a.csv", NOMAD)
    assert [c.header for c in first.unmapped_columns] == header  # CO1 twice: never counted twice
    assert first.counts == {}

    again = read(csv_bytes(rows), "a.csv", NOMAD, columns={"CO1": "CO1", "kysymys  7": "CP1", "Vastaaja": None})
    assert mapped(again) == {"CO1": "CO1", "Kysymys 7": "CP1", "Vastaaja": None}
    assert [c.header for c in again.unmapped_columns] == ["Eroaa tavallisesta työstä"]  # CO1 is taken
    assert again.counts == {"CO1": {"a": 1}, "CP1": {"sa": 1}}

    twice = read(csv_bytes(rows), "a.csv", NOMAD, columns={"CO1": "CO1", "Kysymys 7": "CO1"})
    assert [(p.reason, p.column, p.letter, p.params["item"]) for p in twice.problems] == [
        (Reason.DUPLICATE_ITEM, "Kysymys 7", "C", "CO1")
    ]


# --- Answers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_answers_map_by_their_label_in_each_language(lang):
    answers = ["sa", "a", "a", "n", "d", "sd", "nr_role", "nr_stage", "nr_intervention"]
    rows = [["ID", "CA2"]] + [[str(n), label("CA2", code, lang)] for n, code in enumerate(answers)]
    result = read(csv_bytes(rows), "a.csv", NOMAD, columns={"ID": None})
    assert result.counts == {"CA2": dict(Counter(answers))}
    assert result.respondents == 9 and result.can_save


def test_answers_in_other_letter_case_spacing_and_with_their_number_map_by_the_words():
    rows = [["CO1"], ["  TÄYSIN   samaa MIELTÄ "], ["1 - Täysin samaa mieltä"], ["Strongly agree (5)"], ["helt av samma åsikt"]]
    assert read(csv_bytes(rows), "a.csv", NOMAD).counts == {"CO1": {"sa": 4}}


def test_numbers_coding_nomad_answers_are_asked_and_then_counted_with_the_users_mapping():
    # strongly agree = 1 … strongly disagree = 5, not relevant to my role / at this stage / to the intervention = 6, 7, 8
    rows = [["CO1", "CO2", "G1"], ["1", "2", "7"], ["1", "6", "10"], ["5", "8", "0"], ["7", "", "7"]]
    first = read(csv_bytes(rows), "study.csv", NOMAD)
    assert first.unmapped_answers == {"CO1": {"1": 2, "5": 1, "7": 1}, "CO2": {"2": 1, "6": 1, "8": 1}}
    assert first.counts["CO1"] == {} and first.counts["CO2"] == {BLANK: 1}
    assert first.counts["G1"] == {"7": 2, "10": 1, "0": 1}  # on 0-10 the number is the answer
    assert not first.problems and not first.can_save

    # The remembered mapping for every item; an item's own mapping wins (here a tool that coded CO2 the other way).
    second = read(csv_bytes(rows), "study.csv", NOMAD, answers={WILDCARD: STUDY_CODING, "CO2": {"2": "d"}})
    assert second.unmapped_answers == {}
    assert second.counts == {
        "CO1": {"sa": 2, "sd": 1, "nr_stage": 1},
        "CO2": {"d": 1, "nr_role": 1, "nr_intervention": 1, BLANK: 1},
        "G1": {"7": 2, "10": 1, "0": 1},  # "7" -> nr_stage is not a 0-10 answer: the wildcard leaves G1 alone
    }
    assert second.can_save


def test_a_points_scale_takes_the_number_or_the_words_and_asks_when_they_disagree():
    rows = [["SUS1", "SUS2"], ["5", "1 = Täysin eri mieltä"], ["4.0", "Strongly disagree"], ["1 - Strongly agree", "2"]]
    result = read(csv_bytes(rows), "a.csv", SUS)
    assert result.counts["SUS1"] == {"5": 1, "4": 1} and result.counts["SUS2"] == {"1": 2, "2": 1}
    assert result.unmapped_answers == {"SUS1": {"1 - Strongly agree": 1}}


def test_blank_cells_count_as_not_answered_and_empty_rows_are_no_respondents():
    rows = [
        ["ID", "CO1", "CO2"],
        ["1", "Samaa mieltä", ""],
        ["2", "", "  "],  # answered nothing: not a respondent
        ["", "", ""],
        ["3", "", "Eri mieltä"],
        ["4", "En osaa sanoa", "Samaa mieltä"],  # "don't know", mapped by the user to a blank
    ]
    result = read(csv_bytes(rows), "a.csv", NOMAD, columns={"ID": None}, answers={WILDCARD: {"en osaa sanoa": None}})
    assert result.respondents == 3 and result.rows == 4  # rows holding anything
    assert result.counts == {"CO1": {"a": 1, BLANK: 2}, "CO2": {"d": 1, "a": 1, BLANK: 1}}


# --- Encodings, delimiters, XLSX ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_encoding_and_delimiter_are_detected_and_reported(encoding, delimiter):
    rows = [
        ["Vastaaja, nro", "Eroaa tavallisesta työstä", "CO2"],
        ["1", "Täysin eri mieltä", "Ei koske tätä vaihetta"],
        ["2", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä"],
    ]
    result = read(csv_bytes(rows, delimiter, encoding), "vastaukset.csv", NOMAD, columns={"Vastaaja, nro": None})
    assert (result.encoding, result.delimiter) == (encoding, delimiter)
    assert result.counts == {"CO1": {"sd": 1, "a": 1}, "CO2": {"nr_stage": 1, "n": 1}}
    assert result.can_save


def test_excels_unicode_text_utf16_with_tabs_is_read():
    data = "\ufeffID\tCO1\r\n1\tTäysin samaa mieltä\r\n".encode("utf-16-le")
    result = read(data, "vastaukset.txt", NOMAD, columns={"ID": None})
    assert (result.encoding, result.delimiter, result.counts) == ("utf-16", "\t", {"CO1": {"sa": 1}})


def test_xlsx_reads_labels_and_numbers_and_names_rows_and_letters_as_excel_shows_them():
    rows = [
        ["Vastaaja", "Aika", "G1", "CO1"],
        [1, datetime.datetime(2026, 6, 3, 9, 30), 7, "Samaa mieltä"],
        [2, datetime.datetime(2026, 6, 3, 10, 0), 10.0, "x" * (MAX_CELL + 1)],
        [3, None, 0, None],
    ]
    result = read(xlsx_bytes(rows, start_row=3), "webropol.xlsx", NOMAD, columns={"Vastaaja": None, "Aika": None})
    assert (result.kind, result.encoding, result.delimiter, result.sheet) == ("xlsx", None, None, "Sheet")
    assert result.counts["G1"] == {"7": 1, "10": 1, "0": 1}
    assert result.counts["CO1"] == {"a": 1, BLANK: 2}  # the too-long cell is a problem, not an answer
    assert [(p.line, p.column, p.letter, p.reason) for p in result.problems] == [(5, "CO1", "D", Reason.CELL_TOO_LONG)]


# --- Problems ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_an_invalid_byte_is_a_problem_naming_its_line_and_column(encoding):
    good = csv_bytes([["ID", "CO1", "CO2"], ["1", "Täysin samaa mieltä", "Eri mieltä"]], encoding=encoding)
    # A byte that means nothing in the file's encoding (0x81 is undefined in Windows-1252 too).
    ae = "ä".encode(encoding)
    bad = good + b"2;Samaa mielt\x81;Eri mielt" + ae + b"\r\n"
    result = read(bad, "a.csv", NOMAD, columns={"ID": None})
    assert result.encoding == encoding
    assert [(p.file, p.line, p.column, p.letter, p.reason) for p in result.problems] == [
        ("a.csv", 3, "CO1", "B", Reason.INVALID_BYTES)
    ]
    assert not result.can_save


def test_files_over_the_limits_are_refused_with_a_code():
    too_big = read(b"CO1\r\n" + b"a" * MAX_BYTES, "a.csv", NOMAD)
    assert [p.reason for p in too_big.problems] == [Reason.TOO_BIG] and too_big.counts == {}
    too_wide = read(csv_bytes([[f"c{n}" for n in range(MAX_COLUMNS + 1)], ["x"] * (MAX_COLUMNS + 1)]), "a.csv", NOMAD)
    assert [p.reason for p in too_wide.problems] == [Reason.TOO_MANY_COLUMNS]
    too_long = read(b"CO1\r\n" + b"Samaa mielt\xc3\xa4\r\n" * (MAX_ROWS + 1), "a.csv", NOMAD)
    assert [(p.reason, p.line) for p in too_long.problems] == [(Reason.TOO_MANY_ROWS, MAX_ROWS + 2)]


def test_a_csv_row_longer_than_its_header_is_a_problem_as_its_answers_have_shifted():
    data = b"ID;CO1;CO2\r\n1;Samaa mielt\xc3\xa4;Eri mielt\xc3\xa4\r\n2;Samaa; mielt\xc3\xa4;Eri mielt\xc3\xa4\r\n"
    result = read(data, "a.csv", NOMAD, columns={"ID": None})
    assert [(p.line, p.reason, p.params) for p in result.problems] == [(3, Reason.EXTRA_CELLS, {"cells": 4, "header_cells": 3})]


def test_an_identity_code_in_an_answer_is_a_problem_and_never_repeated():
    code = hetu.generate(datetime.date(1990, 5, 17), 123)
    result = read(csv_bytes([["CO1"], ["Samaa mieltä"], [f"Olen {code}"]]), "a.csv", NOMAD)
    assert [(p.line, p.letter, p.reason) for p in result.problems] == [(3, "A", Reason.IDENTITY_CODE)]
    assert code not in repr(result)


def damaged_xlsx() -> bytes:
    whole = xlsx_bytes([["CO1"], ["Samaa mieltä"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(whole)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename.startswith("xl/worksheets/") else data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"CO1;CO2\r\n", Reason.NOT_XLSX),  # a CSV named .xlsx
        (b"PK\x03\x04 not really a zip", Reason.NOT_XLSX),
        (xlsx_bytes([["CO1"]])[:300], Reason.NOT_XLSX),  # cut short
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(500), Reason.ENCRYPTED),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), Reason.OLD_XLS),  # Excel 97-2003
        (damaged_xlsx(), Reason.NOT_XLSX),  # the sheet's XML breaks off
    ],
)
def test_a_workbook_that_cannot_be_read_is_a_problem_never_an_exception(data, reason):
    result = read(data, "vastaukset.xlsx", NOMAD)
    assert reason in [p.reason for p in result.problems]
    assert result.counts == {} and not result.can_save


def test_a_file_without_rows_or_items_is_a_problem():
    assert [p.reason for p in read(b"", "a.csv", NOMAD).problems] == [Reason.EMPTY]
    assert [p.reason for p in read(b"CO1;CO2\r\n", "a.csv", NOMAD).problems] == [Reason.NO_RESPONDENTS]
    assert [p.reason for p in read(b"ID\r\n1\r\n", "a.csv", NOMAD, columns={"ID": None}).problems] == [Reason.NO_ITEMS]


# --- The property --------------------------------------------------------------------------------------

PART_B = [i.code for i in NOMAD.items if i.code.startswith(("CO", "CP", "CA", "RM"))][:6]


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(
        st.lists(st.sampled_from([*NOMAD_CODES, None]), min_size=len(PART_B), max_size=len(PART_B)), min_size=1, max_size=25
    ),
    langs=st.lists(st.sampled_from(["fi", "sv", "en"]), min_size=1, max_size=25),
    delimiter=st.sampled_from([";", ","]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_counts_equal_the_counter_of_the_individual_answers(answers, langs, delimiter, encoding):
    rows = [["Vastaaja", *PART_B]]
    for n, person in enumerate(answers):
        lang = langs[n % len(langs)]
        cells = ("" if code is None else label(item, code, lang) for item, code in zip(PART_B, person, strict=True))
        rows.append([str(n + 1), *cells])
    result = read(csv_bytes(rows, delimiter, encoding), "a.csv", NOMAD, columns={"Vastaaja": None})
    respondents = [p for p in answers if any(code is not None for code in p)]
    assert result.respondents == len(respondents)
    for i, item in enumerate(PART_B):
        expected = Counter(BLANK if p[i] is None else p[i] for p in respondents)
        assert result.counts.get(item, {}) == dict(expected)
    assert result.unmapped_answers == {}
    assert [p.reason for p in result.problems] == ([] if respondents else [Reason.NO_RESPONDENTS])
