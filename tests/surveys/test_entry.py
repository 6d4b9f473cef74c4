"""Entry of a round's answers: the grid (typed counts, totals checked against the number answered),
the paste parser (tabs or ';', Finnish or Swedish option labels, with or without an item column
and a header row, bad cells named by line and column), filling the grid from a paste without the
page's script, means only, and saving that replaces the counts in one transaction."""

from __future__ import annotations

import pytest

from app.core.instruments import SEEDED, label_index, options
from app.surveys.paste import GridItem, Problem, Trouble, parse
from tests.common import squash, text
from tests.surveys.entry_data import CODE, SUS, all_count_rows, c, live_counts, new_round, nomad_item, unit  # noqa: F401

NOMAD = next(i for i in SEEDED if i.key == "nomad-20")
PART_B = [i for i in NOMAD.items if i.group != "general"]
GENERAL = [i for i in NOMAD.items if i.group == "general"]
ITEMS = [GridItem(i.code, tuple(i.labels.values())) for i in PART_B]
OPTIONS = [o.code for o in options(PART_B[0])]  # sa a n d sd nr_role nr_stage nr_intervention
LABELS = label_index(PART_B[0])

FI_HEADER = (
    "\tTäysin samaa mieltä\tSamaa mieltä\tEi samaa eikä eri mieltä\tEri mieltä\tTäysin eri mieltä\t"
    "Ei koske minun rooliani\tEi koske tätä vaihetta\tEi koske tätä menetelmää"
)
SV_HEADER = (
    "Påstående;Helt av samma åsikt;Av samma åsikt;Varken eller;Av annan åsikt;Helt av annan åsikt;"
    "Inte relevant för min roll;Inte relevant i detta skede;Inte relevant för metoden;Totalt"
)
CO1 = {"sa": 3, "a": 4, "n": 1, "d": 0, "sd": 0, "nr_role": 1, "nr_stage": 1, "nr_intervention": 0}
CO2 = {"sa": 1, "a": 5, "n": 2, "d": 1, "sd": 0, "nr_role": 0, "nr_stage": 1, "nr_intervention": 0}


def row(counts: dict[str, int], sep: str = "\t") -> str:
    return sep.join(str(counts[o]) for o in OPTIONS)


def p(text_: str):
    return parse(text_, ITEMS, OPTIONS, LABELS)


# -- the paste parser ----------------------------------------------------------------------------


def test_finnish_header_and_codes_with_tabs():
    parsed = p(f"{FI_HEADER}\nCO1\t{row(CO1)}\nCO2 Yhteinen käsitys tarkoituksesta\t{row(CO2)}\n")
    assert parsed.ok and parsed.counts == {"CO1": CO1, "CO2": CO2}


def test_swedish_header_labels_and_semicolons_with_a_total_column_skipped():
    block = f"{SV_HEADER}\nSkiljer sig från det vanliga arbetet;{row(CO1, ';')};10\nCO2;{row(CO2, ';')};10"
    parsed = p(block)
    assert parsed.ok and parsed.counts == {"CO1": CO1, "CO2": CO2}


def test_a_header_in_another_order_maps_by_label_not_by_position():
    block = "Kysymys\tEi koske tätä vaihetta\tTäysin samaa mieltä\tSamaa mieltä\nCO1\t1\t3\t4\n"
    parsed = p(block)
    assert parsed.ok and parsed.counts["CO1"] == {**dict.fromkeys(OPTIONS, 0), "nr_stage": 1, "sa": 3, "a": 4}


def test_without_codes_and_header_the_rows_are_the_items_in_order():
    block = "\n".join(row({**CO1, "sa": n}) for n in range(20))
    parsed = p(block)
    assert parsed.ok and [parsed.counts[i.code]["sa"] for i in PART_B] == list(range(20))


def test_a_header_without_codes_fills_the_items_in_order():
    header = FI_HEADER.lstrip("\t")
    parsed = p(header + "\n" + "\n".join(row(CO1) for _ in range(20)))
    assert parsed.ok and parsed.counts["RM5"] == CO1


def test_codes_without_a_header_take_the_options_in_order():
    parsed = p(f"RM5;{row(CO2, ';')}\nca2;{row(CO1, ';')}")
    assert parsed.ok and parsed.counts == {"RM5": CO2, "CA2": CO1}


def test_empty_cells_are_zero_and_excel_thousands_spaces_are_read():
    parsed = p("CO1\t3\t\t1\t\t\t\t\t\nCO2\t1\u00a0000\t0\t0\t0\t0\t0\t0\t0")
    assert parsed.ok and parsed.counts["CO1"]["a"] == 0 and parsed.counts["CO2"]["sa"] == 1000


@pytest.mark.parametrize(
    "block, expected",
    [
        ("CO1\t3\tx\t1\t0\t0\t0\t0\t0", Problem(Trouble.NOT_A_COUNT, 1, 3, "x")),
        ("CO1\t3\t-4\t1\t0\t0\t0\t0\t0", Problem(Trouble.NOT_A_COUNT, 1, 3, "-4")),
        ("CO1\t3\t4,5\t1\t0\t0\t0\t0\t0", Problem(Trouble.NOT_A_COUNT, 1, 3, "4,5")),
        ("CO1\t3\t999999\t1\t0\t0\t0\t0\t0", Problem(Trouble.TOO_LARGE, 1, 3, "999999", {"limit": 100_000})),
        (f"{FI_HEADER}\nXX9\t{row(CO1)}", Problem(Trouble.UNKNOWN_ITEM, 2, 1, "XX9")),
        (f"{FI_HEADER}\nCO1\t{row(CO1)}\nco1\t{row(CO1)}", Problem(Trouble.DUPLICATE_ITEM, 3, 1, "co1")),
        (
            "Kysymys\tTäysin samaa mieltä\tLähes samaa mieltä\nCO1\t1\t2",
            Problem(Trouble.UNKNOWN_OPTION, 1, 3, "Lähes samaa mieltä"),
        ),
        ("Kysymys\tSamaa mieltä\tAv samma åsikt\nCO1\t1\t2", Problem(Trouble.DUPLICATE_OPTION, 1, 3, "Av samma åsikt")),
        ("CO1\t1\t2\t3", Problem(Trouble.TOO_FEW_CELLS, 1, params={"cells": 3, "expected": 8})),
        ("CO1\t1\t2\t3\t4\t5\t6\t7\t8\t9", Problem(Trouble.TOO_MANY_CELLS, 1, params={"cells": 9, "expected": 8})),
        ("1;2;3;4;5;6;7;8\n1;2;3;4;5;6;7;8", Problem(Trouble.ROW_COUNT, params={"rows": 2, "expected": 20})),
        ("  \n\t\n", Problem(Trouble.EMPTY)),
    ],
)
def test_a_bad_block_is_named_by_line_and_column_and_fills_nothing(block, expected):
    parsed = p(block)
    assert not parsed.ok and parsed.counts == {}
    assert expected in parsed.problems, parsed.problems


def test_a_nomad_header_is_never_read_by_numbers():
    # tools number NoMAD's options in either direction: "1 … 5" cannot say which is agree
    parsed = p("Kysymys\t1\t2\t3\t4\t5\nCO1\t3\t4\t1\t0\t0")
    assert not parsed.ok and parsed.problems[0].trouble is Trouble.UNKNOWN_ITEM


def test_a_zero_to_ten_header_of_numbers_is_read():
    items = [GridItem(i.code, tuple(i.labels.values())) for i in GENERAL]
    opts = [o.code for o in options(GENERAL[0])]
    parsed = parse(
        "Kysymys\t0\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\nG2\t0\t0\t0\t0\t1\t2\t3\t2\t1\t1\t0", items, opts, label_index(GENERAL[0])
    )
    assert parsed.ok and parsed.counts["G2"]["6"] == 3 and sum(parsed.counts["G2"].values()) == 10


# -- the grid ------------------------------------------------------------------------------------


def grid_post(c, round_id: str, data: dict):
    return c.post(f"/surveys/rounds/{round_id}/answers", data, csrf_from=f"/surveys/rounds/{round_id}/answers")


def cells(code: str, counts: dict[str, int]) -> dict[str, str]:
    return {f"c-{nomad_item(code)}-{o}": str(n) for o, n in counts.items()}


def test_the_grid_saves_counts_and_an_items_blanks(c, app):
    round_id = new_round(c, [unit(app)], answered=12)
    page = text(c.get(f"/surveys/rounds/{round_id}/answers"))
    assert page.count('class="cell"') == 3 * 11 + 20 * 8  # G1-G3 on 0-10, CO1…RM5 on NoMAD's 8 options
    r = grid_post(c, round_id, {**cells("CO1", CO1), **cells("G1", {"7": 5, "8": 5}), f"c-{nomad_item('CO2')}-sa": ""})
    assert r.status_code == 302 and r.headers["Location"] == f"/surveys/rounds/{round_id}"
    saved = live_counts(app, round_id)
    assert saved == {
        "CO1": {"sa": 3, "a": 4, "n": 1, "nr_role": 1, "nr_stage": 1, "blank": 2},
        "G1": {"7": 5, "8": 5, "blank": 2},
    }
    again = text(c.get(f"/surveys/rounds/{round_id}/answers"))
    assert f'name="c-{nomad_item("CO1")}-d" id="c-{nomad_item("CO1")}-d" value="0"' in again  # an asked item shows its zeros
    assert f'name="c-{nomad_item("CO2")}-d" id="c-{nomad_item("CO2")}-d" value=""' in again  # not asked: empty


def test_an_items_total_above_answered_is_refused_at_its_row_and_nothing_is_saved(c, app):
    round_id = new_round(c, [unit(app)], answered=9)
    r = grid_post(c, round_id, {**cells("CO1", CO1), **cells("CO2", {"sa": 2, "a": 2}), f"c-{nomad_item('CO3')}-n": "x"})
    assert r.status_code == 422
    page = text(r)
    assert f'id="err-{nomad_item("CO1")}">CO1: 10 answers in all, but 9 answered the round.' in page
    assert f'id="err-{nomad_item("CO3")}">CO3, Neither agree nor disagree: “x” is not a count' in page
    assert f'id="err-{nomad_item("CO2")}"' not in page  # below answered is fine: blanks
    assert f'name="c-{nomad_item("CO3")}-n" id="c-{nomad_item("CO3")}-n" value="x"' in page  # kept as typed
    assert 'aria-invalid="true"' in page and "Error: Answers:" in page
    assert live_counts(app, round_id) == {}


def test_pasting_without_the_script_fills_the_grid_to_check_then_save(c, app):
    round_id = new_round(c, [unit(app)], answered=10)
    block = f"{FI_HEADER}\nCO1\t{row(CO1)}\nCO2\t{row(CO2)}"
    r = grid_post(c, round_id, {"paste-1": block, "fill": "1"})
    assert r.status_code == 200
    page = text(r)
    assert "2 items filled from the pasted block: check the table and press Save." in page
    assert f'name="c-{nomad_item("CO2")}-a" id="c-{nomad_item("CO2")}-a" value="5"' in page
    assert live_counts(app, round_id) == {}  # nothing saved yet
    # Save pressed with a block still in the box (no script to fill it): filled to check, not saved
    r = grid_post(c, round_id, {"paste-1": block})
    assert r.status_code == 200 and live_counts(app, round_id) == {}
    assert grid_post(c, round_id, {**cells("CO1", CO1), **cells("CO2", CO2)}).status_code == 302
    assert live_counts(app, round_id)["CO2"] == {"sa": 1, "a": 5, "n": 2, "d": 1, "nr_stage": 1}


def test_a_bad_paste_is_named_at_the_paste_box(c, app):
    round_id = new_round(c, [unit(app)], answered=10)
    r = grid_post(c, round_id, {"paste-1": f"{SV_HEADER}\nCO1;{row(CO1, ';')};10\nCO2;1;kolme;0;0;0;0;0;0;8", "fill": "1"})
    assert r.status_code == 422
    assert "Line 3, column 3: “kolme” is not a count (a whole number, 0 or more)." in text(r)
    assert 'id="paste-1-error"' in text(r) and "kolme" in text(r).split('id="paste-1"')[1][:2000]  # the block kept
    r = grid_post(c, round_id, {"paste-1": f"CO1\t{CODE}", "fill": "1"})
    assert r.status_code == 422 and "looks like a personal identity code" in text(r) and CODE not in text(r)


def test_saving_again_replaces_the_counts_soft_deleting_what_is_gone(c, app):
    round_id = new_round(c, [unit(app)], answered=10)
    grid_post(c, round_id, {**cells("CO1", CO1), **cells("CO2", CO2)})
    before = {(r.option, r.item_id): r for r in all_count_rows(app, round_id)}
    changed = {**CO1, "sa": 2, "a": 5}
    assert grid_post(c, round_id, cells("CO1", changed)).status_code == 302
    assert live_counts(app, round_id) == {"CO1": {"sa": 2, "a": 5, "n": 1, "nr_role": 1, "nr_stage": 1}}
    after = {(r.option, r.item_id): r for r in all_count_rows(app, round_id)}
    co2 = [r for (o, i), r in after.items() if i == nomad_item("CO2")]
    assert co2 and all(r.deleted for r in co2)  # gone from the round, kept as deleted (they sync)
    unchanged = ("n", nomad_item("CO1"))
    assert after[unchanged].updated_at == before[unchanged].updated_at  # untouched: not sent again


def test_a_means_only_round_takes_a_mean_and_n_per_item(c, app):
    from app.models import SurveyMean
    from tests.common import all_rows
    from tests.surveys.entry_data import get_round

    round_id = new_round(c, [unit(app)], SUS, answered=8, means_only="y")
    assert get_round(app, round_id).means_only
    sus1, sus2 = (f"{__import__('app.store.seeds', fromlist=['item_id']).item_id('sus', code)}" for code in ("SUS1", "SUS2"))
    page = text(c.get(f"/surveys/rounds/{round_id}/answers"))
    assert f'name="m-{sus1}"' in page and f'name="n-{sus1}"' in page and "paste-" not in page
    r = grid_post(c, round_id, {f"m-{sus1}": "5,5", f"n-{sus1}": "8", f"m-{sus2}": "2", f"n-{sus2}": "9"})
    assert r.status_code == 422
    assert "SUS1: the mean 5,5 is outside the scale 1–5." in text(r) and "SUS2: 9 answers, but 8 answered the round." in text(r)
    assert grid_post(c, round_id, {f"m-{sus1}": "4,25", f"n-{sus1}": "8", f"m-{sus2}": "2", f"n-{sus2}": "7"}).status_code == 302
    means = {(m.item_id, m.mean_milli, m.n) for m in all_rows(app, SurveyMean) if not m.deleted}
    assert means == {(sus1, 4250, 8), (sus2, 2000, 7)}
    page = squash(text(c.get(f"/surveys/rounds/{round_id}")))
    assert "Means only" in page and "SUS1 I would like to use it frequently 4,25 8" in page
