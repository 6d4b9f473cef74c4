"""Importing a survey tool's file of individual answers: detected encoding and delimiter shown, the
columns and answers it leaves asked once and remembered per instrument, a preview of counts and
scores before anything is saved, all or nothing, bad cells named by line and column, and nothing
of the file on disk (not in the data folder, not in a temporary file)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from app.core.instruments import options
from app.models import Setting, SurveyRound
from tests.common import all_rows, get, squash, text, today
from tests.surveys.entry_data import CODE, DAY, NOMAD, c, data_files, get_round, live_counts, new_round, unit  # noqa: F401

CO = ["CO1", "CO2", "CO3", "CO4"]
# Coherence of FOLLOWUP.md's worked example, one row per respondent (None: left empty).
ANSWERS = {
    "CO1": ["Täysin samaa mieltä"] * 3
    + ["Samaa mieltä"] * 4
    + ["Ei samaa eikä eri mieltä", "Ei koske minun rooliani", "Ei koske tätä vaihetta"],
    "CO2": ["Täysin samaa mieltä"]
    + ["Samaa mieltä"] * 5
    + ["Ei samaa eikä eri mieltä"] * 2
    + ["Eri mieltä", "Ei koske tätä vaihetta"],
    "CO3": ["Täysin samaa mieltä"] * 2 + ["Samaa mieltä"] * 6 + ["Ei samaa eikä eri mieltä"] * 2,
    "CO4": ["Täysin samaa mieltä"] * 4 + ["Samaa mieltä"] * 4 + ["Ei samaa eikä eri mieltä", "Eri mieltä"],
}


def table(extra: dict[str, list] | None = None, respondents: int = 10) -> list[list]:
    columns = {**{code: ANSWERS[code] for code in CO}, **(extra or {})}
    header = ["Vastaajan ID", *columns]
    return [header] + [[str(n + 1), *(col[n % len(col)] for col in columns.values())] for n in range(respondents)]


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Vastaukset"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def new_round_fields(u: str) -> dict:
    return {"instrument_id": NOMAD, "units": [u], "method_id": "", "date": DAY.isoformat(), "tool": "webropol", "invited": "14"}


def upload(c, data: bytes, name: str = "vastaukset.csv", round_id: str | None = None, **fields):
    path = "/surveys/import" + (f"?round={round_id}" if round_id else "")
    body = {"csrf_token": c.csrf("/surveys/import"), **fields, "file": (io.BytesIO(data), name)}
    return c.http.post(path, data=body, content_type="multipart/form-data")


def ref_of(page: str) -> str:
    return re.search(r'name="ref" value="([^"]+)"', page).group(1)


def save(c, page: str):
    return c.post("/surveys/import/save", {"ref": ref_of(page)}, csrf_from="/surveys/import")


def select_names(page: str) -> dict[str, str]:
    """{select name: its label} of the questions page."""
    labels = {
        key: re.sub(r' <span class="optional">.*?</span>', "", label)  # the name, without "(optional)"
        for key, label in re.findall(r'<label for="([^"]+)">(.*?)</label>', page)
    }
    return {name: labels.get(name, "") for name in re.findall(r'<select[^>]* name="([^"]+)"', page)}


def answer_questions(c, page: str, data: bytes, choices: dict[str, str], name="vastaukset.csv"):
    """Answer the questions page: {label shown: value chosen}; the file is chosen again."""
    body = {"csrf_token": c.csrf("/surveys/import"), "ref": ref_of(page), "file": (io.BytesIO(data), name)}
    for field, shown in select_names(page).items():
        body[field] = choices.get(shown, "")
    return c.http.post("/surveys/import/questions", data=body, content_type="multipart/form-data")


def test_a_csv_is_asked_about_once_previewed_then_saved_and_nothing_of_it_stays(c, app, data_dir):
    u = unit(app)
    c.get("/surveys/rounds")
    before = data_files(data_dir)
    data = csv_bytes(table({"Oma kysymys": ["Kyllä"] * 10}))
    r = upload(c, data, **new_round_fields(u))
    assert r.status_code == 200
    page = text(r)
    asked = select_names(page)
    assert sorted(asked.values()) == ["Oma kysymys", "Vastaajan ID"]  # the two columns it cannot tell
    assert not all_rows(app, SurveyRound)

    r = answer_questions(c, page, data, {})  # both ignored
    preview = text(r)
    assert r.status_code == 200 and "Check before saving" in preview
    shown = squash(preview)
    assert "CSV, UTF-8 with a byte order mark, cells separated by semicolon (;)" in shown
    assert "Respondents 10" in shown and "CO1 Differs from usual work 3 4 1 0 0 1 1 0 0" in shown
    assert "Coherence 4,00 37 4 / 4 7,5 %" in shown  # the scores, before saving
    assert not all_rows(app, SurveyRound)  # a preview saves nothing

    r = save(c, preview)
    assert r.status_code == 302
    (rnd,) = all_rows(app, SurveyRound)
    assert (rnd.answered, rnd.invited, rnd.tool, rnd.date) == (10, 14, "webropol", DAY)
    assert live_counts(app, rnd.id)["CO2"] == {"sa": 1, "a": 5, "n": 2, "d": 1, "nr_stage": 1}
    assert r.headers["Location"] == f"/surveys/rounds/{rnd.id}"
    new = data_files(data_dir) - before
    assert {f for f in new if not f.startswith("koordi.sqlite3")} == set(), new  # no copy of the file anywhere

    # The next file of the same survey is read without asking: the mapping was remembered.
    r = upload(c, data, **new_round_fields(u))
    assert "Check before saving" in text(r)
    saved = json.loads(get(app, Setting, f"survey_mapping:{NOMAD}").value)
    assert saved["columns"] == {"Oma kysymys": None, "Vastaajan ID": None}


def test_unknown_answers_are_asked_and_remembered_for_the_instrument(c, app):
    u = unit(app)
    data = csv_bytes(table({"CP1": ["Ehkä"] * 9 + ["Täysin samaa mieltä"]}), delimiter=",", encoding="cp1252")
    r = upload(c, data, **new_round_fields(u))
    page = text(r)
    assert "Answers to CP1" in page and "9 answers like this in the file." in page
    options_of_cp1 = re.search(r"<select[^>]*>(.*?)</select>", page.split("Answers to CP1")[1], re.S).group(1)
    assert "Count as not answered" in options_of_cp1 and "Strongly agree" in options_of_cp1
    r = answer_questions(c, page, data, {"Ehkä": "n"})
    shown = squash(text(r))
    assert "CSV, Windows-1252, cells separated by comma (,)" in shown
    assert "CP1 Key people drive it forward 1 0 9 0 0 0 0 0 0" in shown
    saved = json.loads(get(app, Setting, f"survey_mapping:{NOMAD}").value)
    assert saved["answers"] == {"CP1": {"Ehkä": "n"}}
    again = text(upload(c, data, **new_round_fields(u)))
    assert "Check before saving" in again  # asked once


def test_an_xlsx_file_is_read_and_saved_into_an_existing_round(c, app):
    u = unit(app)
    round_id = new_round(c, [u], answered=3)
    data = xlsx_bytes([[h for h in row if True] for row in table()])
    r = upload(c, data, "vastaukset.xlsx", round_id=round_id)
    page = text(r)
    r = answer_questions(c, page, data, {}, name="vastaukset.xlsx") if "Which item" in page else r
    preview = squash(text(r))
    assert "Excel workbook, sheet Vastaukset" in preview and "its answers are replaced, and answered becomes 10" in preview
    assert save(c, text(r)).status_code == 302
    assert get_round(app, round_id).answered == 10
    assert live_counts(app, round_id)["CO3"] == {"sa": 2, "a": 6, "n": 2}
    assert len(all_rows(app, SurveyRound)) == 1


def test_a_bad_cell_is_named_by_line_and_column_and_nothing_is_saved(c, app):
    u = unit(app)
    rows = table()
    rows[4][2] = f"Samaa mieltä {CODE}"  # line 5, column C (CO2)
    r = upload(c, csv_bytes(rows), **new_round_fields(u))
    assert r.status_code == 422
    page = squash(text(r))
    assert "Nothing was imported: the file has problems" in page
    assert "vastaukset.csv, line 5, column C (CO2): the answer contains a personal identity code" in page
    assert CODE not in text(r)
    assert not all_rows(app, SurveyRound)
    r = upload(c, b"", **new_round_fields(u))
    assert r.status_code == 422 and "the file is empty" in text(r)
    r = upload(c, b"PK\x03\x04 not really a workbook", "vastaukset.xlsx", **new_round_fields(u))
    assert r.status_code == 422 and "not a readable Excel workbook" in text(r)
    assert not all_rows(app, SurveyRound)


def test_the_round_fields_are_checked_before_the_file_is_read(c, app):
    r = upload(c, csv_bytes(table()), instrument_id=NOMAD, units=[], date="", tool="webropol")
    assert r.status_code == 422 and "Tick at least one unit." in text(r) and "Give the date the survey closed." in text(r)
    r = c.post("/surveys/import", {"instrument_id": NOMAD}, csrf_from="/surveys/import")
    assert r.status_code == 422 and "Choose the survey file" in text(r)


def test_a_preview_saved_twice_or_cancelled_saves_once_or_nothing(c, app):
    u = unit(app)
    data = csv_bytes([row[1:] for row in table()])  # no respondent id column: nothing to ask
    preview = text(upload(c, data, **new_round_fields(u)))
    assert "Check before saving" in preview
    assert save(c, preview).status_code == 302
    r = save(c, preview)
    assert r.headers["Location"] == "/surveys/import"  # gone: it was saved already
    assert len(all_rows(app, SurveyRound)) == 1
    preview = text(upload(c, data, **new_round_fields(u)))
    c.post("/surveys/import/cancel", {"ref": ref_of(preview)}, csrf_from="/surveys/import")
    assert save(c, preview).headers["Location"] == "/surveys/import"
    assert len(all_rows(app, SurveyRound)) == 1


def test_an_implausible_round_date_is_asked_about_before_saving_as_the_form_does(c, app):
    u = unit(app)
    data = csv_bytes([row[1:] for row in table()])  # nothing to ask about the columns
    far = today().replace(day=1) + dt.timedelta(days=3 * 365)  # 2029 for 2026: a typo, most likely
    preview = text(upload(c, data, **{**new_round_fields(u), "date": far.isoformat()}))
    question = f"Date: is {far.day}.{far.month}.{far.year} right? It is more than a year from today."
    assert "Is the date right?" in preview and question in squash(preview)
    assert re.search(r'<button type="submit" name="confirm" value="date-date"[^>]*>Save anyway</button>', preview)
    assert "Save the counts" not in preview
    # A save without the confirmation (an old page, a forged post) asks again and saves nothing.
    r = save(c, preview)
    assert r.status_code == 422 and question in squash(text(r))
    assert not all_rows(app, SurveyRound)
    # "Save anyway" saves it, with the date as given.
    r = c.post("/surveys/import/save", {"ref": ref_of(preview), "confirm": "date-date"}, csrf_from="/surveys/import")
    assert r.status_code == 302
    (rnd,) = all_rows(app, SurveyRound)
    assert (rnd.date, rnd.answered) == (far, 10)
    # A plausible date asks nothing.
    preview = text(upload(c, data, **new_round_fields(u)))
    assert "Is the date right?" not in preview and "Save the counts" in preview


def test_a_large_upload_is_parsed_in_memory_not_into_a_temporary_file(c, app, monkeypatch):
    import werkzeug.wrappers.request as wz

    spooled = []
    original = wz.default_stream_factory
    monkeypatch.setattr(wz, "default_stream_factory", lambda *a, **kw: spooled.append(a) or original(*a, **kw))
    u = unit(app)
    rows = table(respondents=8000)
    data = csv_bytes([row[1:] for row in rows])
    assert len(data) > 500 * 1024  # larger than Werkzeug keeps in memory before spooling to disk
    r = upload(c, data, **new_round_fields(u))
    assert "Respondents 8 000" in squash(text(r))
    assert spooled == []
    c.post("/sync/import", {}, csrf_from="/sync/import")  # other uploads keep Werkzeug's own handling
    monkeypatch.undo()


@pytest.mark.parametrize("lang, header", [("fi", "Vastaajan numero"), ("sv", "Respondentens nummer")])
def test_the_pages_speak_the_users_language(c, app, lang, header):
    c.post("/language", {"lang": lang, "next": "/about"})
    u = unit(app)
    page = text(upload(c, csv_bytes([[header, *CO]] + [["1", *(ANSWERS[k][0] for k in CO)]] * 5), **new_round_fields(u)))
    assert header in page and {"fi": "Ohita tämä sarake", "sv": "Hoppa över kolumnen"}[lang] in page
    assert [o.labels[lang] for o in options(__import__("app.core.instruments", fromlist=["SEEDED"]).SEEDED[0].items[3])][
        0
    ] in text(c.get("/surveys/instruments/" + NOMAD))
