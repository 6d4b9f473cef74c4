"""Follow-up surveys in a real browser: a NoMAD round made and its answers entered from counts
pasted from Excel, keyboard only, saved, and its page showing them; the new pages pass axe-core
in Finnish and Swedish (the entry grid with a refused paste and a row over the number answered,
the import's questions and preview)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from app.store.seeds import instrument_id
from tests.browser.conftest import assert_accessible, login, press, set_language, submit

pytestmark = pytest.mark.browser

NOMAD = instrument_id("nomad-20")
SUS = instrument_id("sus")
PART_B = [
    "CO1",
    "CO2",
    "CO3",
    "CO4",
    "CP1",
    "CP2",
    "CP3",
    "CP4",
    "CA1",
    "CA2",
    "CA3",
    "CA4",
    "CA5",
    "CA6",
    "CA7",
    "RM1",
    "RM2",
    "RM3",
    "RM4",
    "RM5",
]
HEADER = (
    "\tTäysin samaa mieltä\tSamaa mieltä\tEi samaa eikä eri mieltä\tEri mieltä\tTäysin eri mieltä\t"
    "Ei koske minun rooliani\tEi koske tätä vaihetta\tEi koske tätä menetelmää"
)
# What Excel copies: a header of the options, a code and 8 counts per row (each row 10 respondents).
ROWS = {code: [3, 4, 1, 0, 0, 1, 1, 0] if n % 2 == 0 else [1, 5, 2, 1, 0, 0, 1, 0] for n, code in enumerate(PART_B)}
BLOCK = HEADER + "\r\n" + "\r\n".join(code + "\t" + "\t".join(map(str, counts)) for code, counts in ROWS.items()) + "\r\n"


def path_of(page) -> str:
    return urlsplit(page.url).path


def add_unit(page, koordi, name: str) -> str:
    page.goto(koordi.url("/units/new"))
    page.fill("#name", name)
    page.select_option("#service_line", "health_station")
    page.check('input[name="age_group"][value="adults"]')
    submit(page)
    return path_of(page).rsplit("/", 1)[1]


def tab_to(page, test, limit: int = 80) -> dict:
    """Press Tab until the focused element passes `test`; fail naming where focus went."""
    seen = []
    for _ in range(limit):
        el = press(page, "Tab")
        if test(el):
            return el
        seen.append(el["desc"])
    raise AssertionError("Tab never reached it; focus went: " + " → ".join(seen[-15:]))


def test_a_nomad_round_entered_from_pasted_counts_keyboard_only(koordi, new_context):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=koordi.base)
    page = context.new_page()
    login(page, koordi, "/units")
    set_language(page, "fi")
    unit = add_unit(page, koordi, "Näppäimistön terveysasema")

    # The round: from the instrument's preselecting link, the rest typed.
    page.goto(koordi.url(f"/surveys/rounds/new?instrument={NOMAD}&unit={unit}"))
    assert page.locator("#instrument_id").input_value() == NOMAD
    assert page.locator("#date").input_value()  # today, unless changed
    tab_to(page, lambda el: el["id"] == "answered")
    page.keyboard.type("10")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.fullmatch(r"/surveys/rounds/[0-9a-f-]{36}/answers", path_of(page)), page.url
    round_path = path_of(page).rsplit("/", 1)[0]

    # To the agree–disagree table's paste box by its link, paste (Ctrl+V) what Excel copied.
    link = tab_to(page, lambda el: el["tag"] == "a" and "CO1–RM5" in el["text"])
    assert link["href"].endswith("-title")
    page.keyboard.press("Enter")
    el = press(page, "Tab")
    assert el["id"] == "paste-1", el["desc"]
    page.evaluate("text => navigator.clipboard.writeText(text)", BLOCK)
    page.keyboard.press("Control+V")
    status = page.locator("#paste-1-status")
    status.wait_for(state="visible")
    assert "Taulukko on täytetty" in status.inner_text()
    assert page.locator("#paste-1").input_value() == ""
    co2 = page.locator('tr[data-item="CO2"]')
    assert [co2.locator("input.cell").nth(i).input_value() for i in range(8)] == [str(n) for n in ROWS["CO2"]]
    assert co2.locator("td.total").inner_text() == "10"

    # Fill (already done) and Save, by Tab and Enter.
    assert press(page, "Tab")["text"] == "Täytä taulukko"
    assert press(page, "Tab")["text"] == "Tallenna"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == round_path
    main = page.locator("main").inner_text()
    assert "Kierroksen" in main and "tallennettu" in main
    row = page.locator("table.answers tr", has_text="CO2").first.inner_text().split("\t")
    assert [c.strip() for c in row[1:9]] == [str(n) for n in ROWS["CO2"]]
    # Coherence pooled: (34 + 33 + 34 + 33) / (8 + 9 + 8 + 9) = 3.94
    assert "3,94" in page.locator("table.scores", has_text="Ymmärrettävyys").inner_text()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_survey_pages_pass_axe(koordi, new_context, lang, tmp_path):
    page = new_context().new_page()
    login(page, koordi, "/surveys/instruments")
    set_language(page, lang)
    unit = add_unit(page, koordi, f"Axe-kyselyyksikkö {lang}")
    # The lists, NoMAD's page, the empty forms and a NoMAD round's grid as it opens are audited in
    # both languages by the every-page sweep (tests/browser/test_every_page_axe.py); here only the
    # states it never reaches.

    # A custom instrument with an item: its page and the item's form.
    page.goto(koordi.url("/surveys/instruments/new"))
    page.fill("#name_fi", f"Yhteistyökysely {lang}")
    submit(page)
    page.goto(koordi.url(path_of(page) + "/items/new"))
    assert submit(page).status == 422  # no code, no label
    assert_accessible(page, f"{lang} item form with errors")
    page.fill("#code", "Q1")
    page.fill("#label_fi", "Teemme yhteistyötä")
    submit(page)
    assert_accessible(page, f"{lang} custom instrument")

    # A round whose grid refuses a paste and a row over the number answered.
    page.goto(koordi.url(f"/surveys/rounds/new?instrument={NOMAD}&unit={unit}"))
    page.fill("#date", "2026-10-20")
    page.fill("#answered", "4")
    submit(page)
    answers = path_of(page)
    page.fill("#paste-1", "CO1\t3\tkolme")
    with page.expect_navigation() as nav:
        page.locator('button[data-fill="1"]').click()
    assert nav.value.status == 422
    assert_accessible(page, f"{lang} entry grid, a refused paste")
    page.goto(koordi.url(answers))
    page.locator('tr[data-item="CO1"] input.cell').first.fill("9")
    with page.expect_navigation() as nav:
        page.locator("form.entry-form .entry-actions button").click()
    assert nav.value.status == 422
    assert_accessible(page, f"{lang} entry grid, a row over the number answered")
    page.locator('tr[data-item="CO1"] input.cell').first.fill("3")
    with page.expect_navigation():
        page.locator("form.entry-form .entry-actions button").click()
    assert_accessible(page, f"{lang} a small round's page")

    # A means-only SUS round: its grid of mean and n, refused once, then its page with the score.
    page.goto(koordi.url(f"/surveys/rounds/new?instrument={SUS}&unit={unit}"))
    page.fill("#answered", "12")
    page.check("#means_only")
    submit(page)
    page.fill('input[name^="m-"] >> nth=0', "6")
    page.fill('input[name^="n-"] >> nth=0', "12")
    with page.expect_navigation() as nav:
        page.locator("form.entry-form .entry-actions button").click()
    assert nav.value.status == 422
    assert_accessible(page, f"{lang} means grid with errors")
    for n, mean in enumerate(["4", "2", "4", "1,5", "4", "2", "4,5", "2", "4", "2"]):
        page.fill(f'input[name^="m-"] >> nth={n}', mean)
        page.fill(f'input[name^="n-"] >> nth={n}', "12")
    with page.expect_navigation():
        page.locator("form.entry-form .entry-actions button").click()
    assert "77,5 / 100" in page.locator("main").inner_text()  # 2.5 × (15.5 + 15.5)
    assert_accessible(page, f"{lang} a means-only round's page")

    # The import: its questions (a column it cannot tell), then the preview.
    # (a header and an answer of its own per language: the other run's mapping is remembered)
    data = (f"Vastaaja {lang};CO1;CO2\r\n" + "".join(f"{n};Samaa mieltä;Ehkä {lang}\r\n" for n in range(6))).encode("utf-8")
    survey = tmp_path / "vastaukset.csv"
    survey.write_bytes(data)
    page.goto(koordi.url(f"/surveys/import?round={answers.split('/')[3]}"))
    page.set_input_files("#file", str(survey))
    submit(page)
    assert page.locator("select").count() == 2, page.locator("main").inner_text()
    assert_accessible(page, f"{lang} import questions")
    page.locator("select").nth(1).select_option("n")
    page.set_input_files("#file", str(survey))
    submit(page)
    assert page.locator("table.answers").count() == 1
    assert_accessible(page, f"{lang} import preview")
