"""The instrument catalogue: seeded instruments listed with their items, custom instruments made
and edited item by item, wording pasted on any item, retire, delete with undo, the checks at
the fields."""

from __future__ import annotations

import re

from app.models import Instrument, InstrumentItem
from tests.common import all_rows, errors_of, get, squash, text
from tests.surveys.entry_data import CODE, NOMAD, SUS, c, get_instrument, new_round, nomad_item, unit  # noqa: F401

NEW = {"name_fi": "Yhteistyökysely", "name_sv": "Samarbetsenkät", "name_en": "", "kind": "custom", "description": ""}
ITEM = {
    "code": "Q1",
    "label_fi": "Teemme yhteistyötä",
    "label_sv": "",
    "label_en": "We work together",
    "group_key": "joint",
    "scale": "points",
    "points": "5",
    "wording": "",
}


def make_instrument(c, **kw) -> str:
    r = c.post("/surveys/instruments/new", {**NEW, **kw}, csrf_from="/surveys/instruments/new")
    assert r.status_code == 302, text(r)[:2000]
    return r.headers["Location"].rsplit("/", 1)[1]


def add_item(c, instrument: str, **kw):
    return c.post(
        f"/surveys/instruments/{instrument}/items/new", {**ITEM, **kw}, csrf_from=f"/surveys/instruments/{instrument}/items/new"
    )


def listed(c, query: str = "") -> list[str]:
    return re.findall(
        r'<th scope="row"><a href="/surveys/instruments/[^"]+">(.*?)</a></th>', text(c.get("/surveys/instruments" + query))
    )


def codes_listed(c, instrument: str) -> list[str]:
    return re.findall(r'<tr id="item-[^"]+">\s*<th scope="row">([^<]+)</th>', text(c.get(f"/surveys/instruments/{instrument}")))


def test_the_catalogue_lists_the_seeded_instruments_and_nomads_items(c):
    page = listed(c)
    for name in ("NoMAD (20 items)", "NoMAD, Finnish 16-question version", "SUS (System Usability Scale)", "UMUX-Lite"):
        assert name in page
    nomad = text(c.get(f"/surveys/instruments/{NOMAD}"))
    assert codes_listed(c, NOMAD)[:4] == ["G1", "G2", "G3", "CO1"] and len(codes_listed(c, NOMAD)) == 23
    row = squash(re.search(r'<tr id="item-' + nomad_item("CA2") + r'">(.*?)</tr>', nomad, re.S).group(1))
    assert "Disrupts working relationships" in row and "Collective action" in row and "reversed" in row
    assert "Strongly agree" in squash(nomad) and "Not relevant at this stage" in squash(nomad)
    # a seeded instrument's items are fixed: no "Add an item", no Delete of items
    assert f"/surveys/instruments/{NOMAD}/items/new" not in nomad and '/delete"' not in nomad.split("<h2>Items</h2>")[1]


def test_a_custom_instrument_is_made_item_by_item_and_its_items_reordered(c, app):
    instrument = make_instrument(c)
    assert add_item(c, instrument).status_code == 302
    assert add_item(c, instrument, code="Q2", label_fi="Jaamme tiedon", points="7", reversed="y").status_code == 302
    assert (
        add_item(c, instrument, code="Q3", label_fi="Kokoukset", points="4", not_applicable="y", group_key="").status_code == 302
    )
    assert codes_listed(c, instrument) == ["Q1", "Q2", "Q3"]
    q3 = next(i for i in get_instrument(app, instrument).items if i.code == "Q3")
    c.post(f"/surveys/items/{q3.id}/up")
    assert codes_listed(c, instrument) == ["Q1", "Q3", "Q2"]
    c.post(f"/surveys/items/{q3.id}/down")
    c.post(f"/surveys/items/{q3.id}/down")  # at the end already: stays
    assert codes_listed(c, instrument) == ["Q1", "Q2", "Q3"]
    page = squash(text(c.get(f"/surveys/instruments/{instrument}")))
    assert "1–7 reversed" in page and "1–4 “not applicable” option" in page
    items = {i.code: i for i in get_instrument(app, instrument).items}
    assert (items["Q2"].points, items["Q2"].reversed, items["Q3"].not_applicable) == (7, True, True)


def test_item_fields_are_checked_at_the_field(c):
    instrument = make_instrument(c)
    add_item(c, instrument)
    cases = [
        ({"code": "q1"}, "code", "Another item of this instrument has the code q1."),
        ({"code": "Q 1"}, "code", "Use letters, digits, - _ and . only, no spaces."),
        ({"points": "12"}, "points", "The scale must have 2–11 points."),
        ({"points": "1"}, "points", "The scale must have 2–11 points."),
        ({"points": ""}, "points", "Give the number of points (2–11)."),
        ({"label_fi": " "}, "label_fi", "This field is required."),
        ({"wording": f"Kysytty {CODE}"}, "wording", "contains a Finnish personal identity code"),
        ({"label_en": CODE}, "label_en", "contains a Finnish personal identity code"),
        ({"group_key": CODE}, "group_key", "contains a Finnish personal identity code"),
    ]
    for change, field, message in cases:
        r = add_item(c, instrument, **{"code": "Q9", **change})
        assert r.status_code == 422, change
        assert message in errors_of(text(r)).get(field, ""), (change, errors_of(text(r)))
    assert len([i for i in codes_listed(c, instrument)]) == 1


def test_instrument_names_refuse_identity_codes_and_need_a_finnish_name(c):
    for change, field in (
        ({"name_fi": ""}, "name_fi"),
        ({"name_sv": f"Enkät {CODE}"}, "name_sv"),
        ({"description": CODE}, "description"),
    ):
        r = c.post("/surveys/instruments/new", {**NEW, **change}, csrf_from="/surveys/instruments/new")
        assert r.status_code == 422 and field in errors_of(text(r))
    assert not [i for i in all_rows(c.app, Instrument) if i.key is None]


def test_the_wording_of_a_seeded_item_is_edited_and_nothing_else(c, app):
    co1 = nomad_item("CO1")
    form = text(c.get(f"/surveys/items/{co1}/edit"))
    assert 'name="wording"' in form and 'name="code"' not in form
    r = c.post(
        f"/surveys/items/{co1}/edit",
        {"wording": "Ymmärrän, miten tämä menetelmä eroaa tavallisesta työstäni", "code": "X"},
        csrf_from=f"/surveys/items/{co1}/edit",
    )
    assert r.status_code == 302
    item = get(app, InstrumentItem, co1)
    assert item.wording.startswith("Ymmärrän, miten") and item.code == "CO1"
    assert "Ymmärrän, miten tämä menetelmä" in text(c.get(f"/surveys/instruments/{NOMAD}"))
    r = c.post(f"/surveys/items/{co1}/edit", {"wording": f"hetu {CODE}"}, csrf_from=f"/surveys/items/{co1}/edit")
    assert r.status_code == 422 and "identity code" in errors_of(text(r))["wording"]
    assert c.post(f"/surveys/items/{co1}/delete").status_code == 302
    assert not get(app, InstrumentItem, co1).deleted  # seeded items are fixed


def test_retire_unretire_and_delete_with_undo(c, app):
    instrument = make_instrument(c)
    c.post(f"/surveys/instruments/{instrument}/retire")
    assert get(app, Instrument, instrument).retired
    assert "Yhteistyökysely" not in listed(c)
    assert "Yhteistyökysely" in listed(c, "?retired=y")
    assert instrument not in text(c.get("/surveys/rounds/new"))  # new rounds cannot choose it
    c.post(f"/surveys/instruments/{instrument}/unretire")
    assert not get(app, Instrument, instrument).retired
    r = c.post(f"/surveys/instruments/{instrument}/delete")
    assert r.headers["Location"] == "/surveys/instruments"
    assert get(app, Instrument, instrument).deleted
    page = text(c.get("/surveys/instruments"))
    assert f"/surveys/instruments/{instrument}/restore" in page  # the flash's Undo
    c.post(f"/surveys/instruments/{instrument}/restore")
    assert not get(app, Instrument, instrument).deleted


def test_an_instrument_rounds_use_is_not_deleted_and_an_item_with_answers_keeps_its_scale(c, app):
    u = unit(app)
    assert c.post(f"/surveys/instruments/{SUS}/delete").status_code == 302
    assert get(app, Instrument, SUS).deleted  # seeded, but no round uses it yet: it may go…
    c.post(f"/surveys/instruments/{SUS}/restore")
    new_round(c, [u], SUS)
    r = c.post(f"/surveys/instruments/{SUS}/delete")
    assert not get(app, Instrument, SUS).deleted
    assert "cannot be deleted. Retire it instead." in text(c.get(r.headers["Location"]))

    instrument = make_instrument(c)
    add_item(c, instrument)
    q1 = get_instrument(app, instrument).items[0].id
    round_id = new_round(c, [u], instrument, answered=5)
    grid = {f"c-{q1}-{n}": "1" for n in "12345"}
    assert c.post(f"/surveys/rounds/{round_id}/answers", grid, csrf_from=f"/surveys/rounds/{round_id}/answers").status_code == 302
    r = c.post(f"/surveys/items/{q1}/edit", {**ITEM, "points": "7"}, csrf_from=f"/surveys/items/{q1}/edit")
    assert r.status_code == 422 and "its scale cannot change" in errors_of(text(r))["scale"]
    assert (
        c.post(f"/surveys/items/{q1}/edit", {**ITEM, "label_fi": "Uusi nimi"}, csrf_from=f"/surveys/items/{q1}/edit").status_code
        == 302
    )
    c.post(f"/surveys/items/{q1}/delete")
    assert not get(app, InstrumentItem, q1).deleted
    c.post(f"/surveys/instruments/{instrument}/delete")
    assert not get(app, Instrument, instrument).deleted


def test_an_item_is_deleted_with_undo(c, app):
    instrument = make_instrument(c)
    add_item(c, instrument)
    add_item(c, instrument, code="Q2")
    q2 = next(i.id for i in get_instrument(app, instrument).items if i.code == "Q2")
    c.post(f"/surveys/items/{q2}/delete")
    assert f"/surveys/items/{q2}/restore" in text(c.get(f"/surveys/instruments/{instrument}"))  # the flash's Undo
    assert codes_listed(c, instrument) == ["Q1"]
    c.post(f"/surveys/items/{q2}/restore")
    assert codes_listed(c, instrument) == ["Q1", "Q2"]


def test_a_nomad_kind_instrument_takes_only_nomads_groups(c):
    instrument = make_instrument(c, kind="nomad", name_fi="NoMAD, oma 8 kysymyksen versio")
    r = add_item(c, instrument, code="CO1", scale="nomad", group_key="joint")
    assert r.status_code == 422 and "A NoMAD item&#39;s group is one of" in errors_of(text(r))["group_key"]
    assert add_item(c, instrument, code="CO1", scale="nomad", group_key="coherence").status_code == 302
