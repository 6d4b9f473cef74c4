"""The seeded survey instruments and their answer options on their own: app.core.instruments."""

from __future__ import annotations

import pytest

from app.core import instruments as ins
from app.core.instruments import SEEDED, Item, Kind, Scale, label_index, options

BY_KEY = {i.key: i for i in SEEDED}


def test_the_seeded_instruments_are_the_designs():
    assert list(BY_KEY) == ["nomad-20", "nomad-fi-16", "sus", "sus-positive", "umux-lite"]
    assert [i.kind for i in SEEDED] == [Kind.NOMAD, Kind.NOMAD, Kind.SUS, Kind.SUS_POSITIVE, Kind.UMUX_LITE]
    for instrument in SEEDED:
        assert len({i.code for i in instrument.items}) == len(instrument.items), instrument.key
        assert all(instrument.names.get(lang) for lang in ("fi", "sv", "en"))
        for item in instrument.items:
            assert all(item.labels.get(lang) for lang in ("fi", "sv", "en")), (instrument.key, item.code)


def test_nomad_20_has_the_constructs_and_the_general_items():
    nomad = BY_KEY["nomad-20"]
    groups: dict[str, list[str]] = {}
    for item in nomad.items:
        groups.setdefault(item.group, []).append(item.code)
    assert groups == {
        "general": ["G1", "G2", "G3"],
        "coherence": ["CO1", "CO2", "CO3", "CO4"],
        "cognitive_participation": ["CP1", "CP2", "CP3", "CP4"],
        "collective_action": ["CA1", "CA2", "CA3", "CA4", "CA5", "CA6", "CA7"],
        "reflexive_monitoring": ["RM1", "RM2", "RM3", "RM4", "RM5"],
    }
    assert {i.scale for i in nomad.items if i.group == "general"} == {Scale.ZERO_TEN}
    assert [i.code for i in nomad.items if i.reversed] == ["CA2"]


def test_the_finnish_16_is_a_subset_that_can_still_show_every_construct():
    short, full = BY_KEY["nomad-fi-16"], BY_KEY["nomad-20"]
    part_b = [i for i in short.items if i.scale is Scale.NOMAD]
    assert len(part_b) == 16
    assert {i.code for i in short.items} <= {i.code for i in full.items}
    assert all(i == full.item(i.code) for i in short.items)  # same codes, same scoring
    for construct in ins.CONSTRUCTS:  # at least half of each construct's items: its mean can be shown
        assert 2 * sum(i.group == construct for i in part_b) >= sum(i.group == construct for i in full.items)


def test_usability_instruments():
    sus = BY_KEY["sus"]
    assert [i.code for i in sus.items] == [f"SUS{n}" for n in range(1, 11)]
    assert [i.code for i in sus.items if i.reversed] == ["SUS2", "SUS4", "SUS6", "SUS8", "SUS10"]
    assert not any(i.reversed for i in BY_KEY["sus-positive"].items)
    assert {(i.scale, i.points) for i in sus.items} == {(Scale.POINTS, 5)}
    assert [(i.scale, i.points) for i in BY_KEY["umux-lite"].items] == [(Scale.POINTS, 7)] * 2


def test_options_per_scale():
    nomad = options(Item("CO1", "coherence", Scale.NOMAD))
    assert [(o.code, o.score) for o in nomad] == [
        ("sa", 5),
        ("a", 4),
        ("n", 3),
        ("d", 2),
        ("sd", 1),
        ("nr_role", None),
        ("nr_stage", None),
        ("nr_intervention", None),
    ]
    assert [(o.code, o.score) for o in options(Item("G1", "general", Scale.ZERO_TEN))] == [(str(v), v) for v in range(11)]
    custom = options(Item("Q1", "", Scale.POINTS, points=4, not_applicable=True))
    assert [(o.code, o.score) for o in custom] == [("1", 1), ("2", 2), ("3", 3), ("4", 4), ("na", None)]
    assert "na" not in {o.code for o in options(Item("Q1", "", Scale.POINTS, points=4))}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_seeded_option_label_maps_back_to_its_code(lang):
    for instrument in SEEDED:
        for item in instrument.items:
            for index in (label_index(item, lang), label_index(item)):
                for option in options(item):
                    words = [option.labels[lang], *option.synonyms.get(lang, ()), *option.synonyms.get("", ())]
                    for word in words:
                        assert index[ins.normalise_label(word)] == option.code, (instrument.key, item.code, word)


@pytest.mark.parametrize(
    "label, code",
    [
        ("Täysin samaa mieltä", "sa"),
        ("  TÄYSIN   samaa\u00a0MIELTÄ ", "sa"),  # case, runs of spaces and a no-break space
        ("Jokseenkin samaa mieltä", "a"),
        ("Ei samaa eikä eri mieltä", "n"),
        ("Jokseenkin eri mieltä", "d"),
        ("Helt av samma åsikt", "sa"),
        ("Varken av samma eller annan åsikt", "n"),
        ("Instämmer inte alls", "sd"),
        ("Neither agree nor disagree", "n"),
        ("Ei koske minun rooliani", "nr_role"),
        ("Ei koske tätä vaihetta", "nr_stage"),
        ("Ei koske tätä menetelmää", "nr_intervention"),
        ("Inte relevant i detta skede", "nr_stage"),
        ("Not relevant to the intervention", "nr_intervention"),
    ],
)
def test_nomad_answers_map_by_label(label, code):
    assert label_index(BY_KEY["nomad-20"].item("CA2"))[ins.normalise_label(label)] == code


def test_nomad_answers_never_map_by_number_and_accents_stay_letters():
    index = label_index(BY_KEY["nomad-20"].item("CO1"))
    assert not {"1", "5", "6"} & index.keys()  # tools number NoMAD answers in either direction
    assert "taysin samaa mielta" not in index  # ä is its own letter, not a marked a


def test_points_answers_map_by_digit_words_or_both():
    sus = label_index(BY_KEY["sus"].item("SUS1"), "fi")
    assert sus["5"] == sus["täysin samaa mieltä"] == sus["5 = täysin samaa mieltä"] == "5"
    assert sus["1 - täysin eri mieltä"] == "1"
    umux = label_index(BY_KEY["umux-lite"].item("UL1"), "en")
    assert (umux["agree"], umux["somewhat agree"], umux["strongly agree"]) == ("6", "5", "7")
    general = label_index(BY_KEY["nomad-20"].item("G2"))
    assert (general["ei lainkaan"], general["10"], general["somewhat"]) == ("0", "10", "5")
    custom = label_index(Item("Q1", "", Scale.POINTS, points=4, not_applicable=True), "fi")
    assert custom["en osaa sanoa"] == custom["ei sovellu"] == "na"


@pytest.mark.parametrize("scale, points", [(Scale.NOMAD, 5), (Scale.ZERO_TEN, 11)] + [(Scale.POINTS, p) for p in range(2, 12)])
@pytest.mark.parametrize("not_applicable", [False, True])
def test_no_label_names_two_options_on_any_scale(scale, points, not_applicable):
    item = Item("X", "", scale, points=points, not_applicable=not_applicable)
    for lang in ("fi", "sv", "en", None):
        index = label_index(item, lang)  # raises when one label would name two options
        assert set(index.values()) == {o.code for o in options(item)}
