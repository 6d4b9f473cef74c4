"""Deployments as a coordinator uses them: create, move through phases, board, list, edit, undo."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from app.core import hetu
from app.i18n import HELSINKI
from tests.deployments.helpers import (
    COOL_KIDS,
    IPC,
    IPT,
    add_unit,
    deployments,
    field_error,
    flashes,
    form,
    history,
    phase_change_count,
    text,
)


def create(client, unit_id, method_id=COOL_KIDS, **extra) -> str:
    resp = client.post("/deployments/new", form(unit_id, method_id, **extra), csrf_from="/deployments/new")
    assert resp.status_code == 302, field_errors(text(resp))
    m = re.fullmatch(r"/deployments/([0-9a-f-]{36})", resp.headers["Location"])
    assert m, resp.headers["Location"]
    return m.group(1)


def move(client, deployment_id, phase, on="", **extra):
    data = {"phase": phase, **extra}
    if on:
        data["changed_on"] = on
    return client.post(f"/deployments/{deployment_id}/move", data, csrf_from=f"/deployments/{deployment_id}/move")


def field_errors(page: str) -> list[str]:
    return re.findall(r'<p class="error" id="([\w-]+)-error">(.*?)</p>', page, re.S)


def history_rows(page: str) -> list[tuple[str, str]]:
    table = page.split('<table class="history">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', table, re.S)
    return [(re.sub(r"<[^>]+>.*", "", phase).strip(), date) for phase, date in rows]


# -- creating and moving through phases -----------------------------------------------


def test_phases_move_forward_and_history_is_kept_in_order_with_dates(en, app):
    unit = add_unit(app, "Kirkkonummen terveysasema")
    did = create(en, unit, phase_since="2026-01-12", professionals_trained="2")
    assert history(app, did) == [("planned", dt.date(2026, 1, 12))]

    for phase, on in [("training", "2026-02-02"), ("pilot", "2026-03-16"), ("in_use", "2026-06-01")]:
        resp = move(en, did, phase, on)
        assert resp.status_code == 302 and resp.headers["Location"] == f"/deployments/{did}"

    assert history(app, did) == [
        ("planned", dt.date(2026, 1, 12)),
        ("training", dt.date(2026, 2, 2)),
        ("pilot", dt.date(2026, 3, 16)),
        ("in_use", dt.date(2026, 6, 1)),
    ]
    page = text(en.get(f"/deployments/{did}"))
    assert "Kirkkonummen terveysasema – Cool Kids" in page
    assert "In use</span> since 1.6.2026" in page
    assert history_rows(page) == [
        ("Planned", "12.1.2026"),
        ("Training", "2.2.2026"),
        ("Pilot", "16.3.2026"),
        ("In use", "1.6.2026"),
    ]
    # Days in each phase: until the next change.
    assert re.search(r"Planned</th>\s*<td>12.1.2026</td>\s*<td class=\"num\">21</td>", page)
    assert "Cool Kids moved to In use on 1.6.2026." in flashes(page)


def test_create_from_a_units_page_has_the_unit_chosen(en, app):
    add_unit(app, "Aaltosen neuvola")
    unit = add_unit(app, "Espoon perheneuvola")
    page = text(en.get(f"/deployments/new?unit={unit}"))
    assert f'<option selected value="{unit}">Espoon perheneuvola</option>' in page
    # The phase starts as planned, today (Helsinki).
    today = dt.datetime.now(HELSINKI).date()
    assert f'value="{today.day}.{today.month}.{today.year}"' in page and '<option selected value="planned">' in page


def test_create_can_start_in_a_later_phase(en, app):
    unit = add_unit(app, "Lohjan mielenterveysyksikkö")
    did = create(en, unit, IPC, phase="pilot", phase_since="2025-09-01", pilot_start="2025-09-01")
    assert history(app, did) == [("pilot", dt.date(2025, 9, 1))]
    (d,) = deployments(app)
    assert d.phase == "pilot" and d.phase_since == dt.date(2025, 9, 1) and d.pilot_start == dt.date(2025, 9, 1)


def test_move_defaults_to_the_next_phase_and_today(en, app):
    did = create(en, add_unit(app, "Raaseporin terveysasema"))
    page = text(en.get(f"/deployments/{did}/move"))
    assert '<option selected value="training">Training</option>' in page
    today = dt.datetime.now(HELSINKI).date()
    assert f'value="{today.day}.{today.month}.{today.year}"' in page  # d.M.yyyy, whatever the web engine's language
    # Without a date (a board card's one-press move) the move is dated today.
    resp = move(en, did, "training")
    assert resp.status_code == 302
    assert history(app, did)[-1] == ("training", today)


@pytest.mark.parametrize(
    "phase, on, field, message",
    [
        ("pilot", "2026-02-01", "changed_on", "The date is before 2.2.2026, when the current phase (Training) began."),
        ("ended", "2025-12-31", "changed_on", "Give that day or a later one."),
        ("training", "2026-03-01", "phase", "The deployment is already in this phase. Choose another phase."),
        ("finished", "2026-03-01", "phase", "Not a valid choice"),
        ("pilot", "1.3.2026x", "changed_on", "enter a date as day.month.year, for example 5.3.2026"),
        ("pilot", "31.2.2026", "changed_on", "there is no such date as 31.2.2026"),
    ],
)
def test_invalid_moves_are_refused_at_the_field_and_change_nothing(en, app, phase, on, field, message):
    did = create(en, add_unit(app, "Vihdin terveysasema"), phase_since="2026-01-12")
    assert move(en, did, "training", "2026-02-02").status_code == 302
    before = phase_change_count(app)

    resp = move(en, did, phase, on)
    assert resp.status_code == 422
    page = text(resp)
    assert message in field_error(page, field), field_errors(page)
    assert 'id="error-summary"' in page
    assert phase_change_count(app) == before
    (d,) = deployments(app)
    assert d.phase == "training" and d.phase_since == dt.date(2026, 2, 2)


def test_a_move_on_the_same_day_as_the_last_is_fine(en, app):
    did = create(en, add_unit(app, "Siuntion terveysasema"), phase_since="2026-01-12")
    assert move(en, did, "training", "2026-01-12").status_code == 302
    assert [p for p, _ in history(app, did)] == ["planned", "training"]


# -- validation of the record -----------------------------------------------------------


def test_pilot_end_before_start_is_refused_at_the_field(en, app):
    unit = add_unit(app, "Hangon terveysasema")
    resp = en.post("/deployments/new", form(unit, pilot_start="2026-05-01", pilot_end="2026-04-30"), csrf_from="/deployments/new")
    assert resp.status_code == 422
    assert field_error(text(resp), "pilot_end") == "The pilot end (30.4.2026) is before the pilot start (1.5.2026)."
    assert deployments(app) == [] and phase_change_count(app) == 0


def test_negative_professionals_are_refused(en, app):
    unit = add_unit(app, "Karkkilan terveysasema")
    resp = en.post("/deployments/new", form(unit, professionals_trained="-3"), csrf_from="/deployments/new")
    assert resp.status_code == 422
    assert "cannot be negative" in field_error(text(resp), "professionals_trained")
    assert deployments(app) == []


@pytest.mark.parametrize("which", ["unknown", "deleted", "empty"])
def test_unit_must_exist_and_be_live(en, app, which):
    unit = {"unknown": "00000000-0000-0000-0000-000000000000", "deleted": add_unit(app, "Poistettu", deleted=True), "empty": ""}[
        which
    ]
    resp = en.post("/deployments/new", form(unit), csrf_from="/deployments/new")
    assert resp.status_code == 422
    expected = "Choose the unit." if which == "empty" else "The unit does not exist or has been deleted."
    assert expected in field_error(text(resp), "unit_id")
    assert deployments(app) == []


def test_method_must_exist(en, app):
    resp = en.post("/deployments/new", form(add_unit(app, "Inkoon terveysasema"), "no-such-method"), csrf_from="/deployments/new")
    assert resp.status_code == 422
    assert "The method does not exist or has been deleted." in field_error(text(resp), "method_id")


@pytest.mark.parametrize("mistyped", [False, True])
def test_identity_code_in_notes_is_refused_naming_the_field(en, app, mistyped):
    code = hetu.generate(dt.date(1990, 2, 17), 345)
    if mistyped:
        code = code[:-1] + next(c for c in hetu.CHECK_CHARS if c != code[-1])
    unit = add_unit(app, "Lohjan terveysasema")
    resp = en.post("/deployments/new", form(unit, notes=f"Asiakas {code} aloitti"), csrf_from="/deployments/new")
    assert resp.status_code == 422
    error = field_error(text(resp), "notes")
    assert error.startswith("Notes contains")
    assert ("wrong check character" in error) == mistyped
    assert code not in error
    assert deployments(app) == []


def test_too_long_notes_are_refused(en, app):
    resp = en.post("/deployments/new", form(add_unit(app, "Pitkä"), notes="x" * 5001), csrf_from="/deployments/new")
    assert resp.status_code == 422 and field_error(text(resp), "notes")


def test_a_second_active_deployment_of_a_method_in_a_unit_is_refused(en, app):
    unit = add_unit(app, "Tammisaaren terveysasema")
    first = create(en, unit, COOL_KIDS)
    resp = en.post("/deployments/new", form(unit, COOL_KIDS), csrf_from="/deployments/new")
    assert resp.status_code == 422
    assert field_error(text(resp), "method_id") == (
        "Tammisaaren terveysasema already has an active deployment of this method (phase: Planned). "
        "Open that deployment instead, or end it first."
    )
    assert len(deployments(app)) == 1
    # Another method in the same unit, or the same method elsewhere, is fine.
    create(en, unit, IPC)
    create(en, add_unit(app, "Karjaan terveysasema"), COOL_KIDS)
    # Once the first has ended, the method can start again in the unit.
    assert move(en, first, "ended", "2026-02-01", reason="replaced").status_code == 302
    again = create(en, unit, COOL_KIDS)
    # ... and the ended one cannot be taken back into use while the new one is active.
    resp = move(en, first, "in_use", "2026-03-01")
    assert resp.status_code == 422
    assert "already has an active deployment" in field_error(text(resp), "phase")
    assert again != first


def test_edit_changes_details_but_not_the_phase(en, app):
    unit = add_unit(app, "Nurmijärven terveysasema")
    did = create(en, unit, IPC)
    page = text(en.get(f"/deployments/{did}/edit"))
    assert 'name="phase"' not in page
    resp = en.post(
        f"/deployments/{did}/edit",
        form(
            unit,
            IPC,
            professionals_trained="7",
            pilot_start="2026-02-01",
            pilot_end="2026-05-31",
            notes="Pilotti kahdessa tiimissä",
            phase="ended",
        ),
        csrf_from=f"/deployments/{did}/edit",
    )
    assert resp.status_code == 302
    (d,) = deployments(app)
    assert (d.professionals_trained, d.pilot_end, d.notes, d.phase) == (
        7,
        dt.date(2026, 5, 31),
        "Pilotti kahdessa tiimissä",
        "planned",
    )
    page = text(en.get(f"/deployments/{did}"))
    assert "1.2.2026–31.5.2026" in page and "Pilotti kahdessa tiimissä" in page


def test_edit_into_a_duplicate_is_refused(en, app):
    unit = add_unit(app, "Mäntsälän terveysasema")
    create(en, unit, COOL_KIDS)
    other = create(en, unit, IPC)
    resp = en.post(f"/deployments/{other}/edit", form(unit, COOL_KIDS), csrf_from=f"/deployments/{other}/edit")
    assert resp.status_code == 422
    assert "already has an active deployment" in field_error(text(resp), "method_id")
    assert sorted(d.method_id for d in deployments(app)) == sorted([COOL_KIDS, IPC])


def test_unknown_or_deleted_deployment_is_404(en, app):
    assert en.get("/deployments/00000000-0000-0000-0000-000000000000").status_code == 404
    did = create(en, add_unit(app, "Porvoon terveysasema"))
    en.post(f"/deployments/{did}/delete", csrf_from=f"/deployments/{did}")
    assert en.get(f"/deployments/{did}").status_code == 404
    assert en.get(f"/deployments/{did}/edit").status_code == 404


# -- delete and undo ----------------------------------------------------------------------


def test_delete_then_undo_restores_the_deployment_with_its_history(en, app):
    unit = add_unit(app, "Sipoon terveysasema")
    did = create(en, unit, phase_since="2026-01-05")
    move(en, did, "training", "2026-02-01")

    resp = en.post(f"/deployments/{did}/delete", csrf_from=f"/deployments/{did}")
    assert resp.status_code == 302 and resp.headers["Location"] == "/deployments"
    page = text(en.get("/deployments"))
    assert "Deployment deleted: Sipoon terveysasema – Cool Kids." in flashes(page)
    assert f'action="/deployments/{did}/restore"' in page  # the Undo button
    assert "Sipoon terveysasema</a>" not in page and "No deployments yet." in page
    assert deployments(app) == []

    resp = en.post(f"/deployments/{did}/restore", csrf_from="/deployments")
    assert resp.headers["Location"] == f"/deployments/{did}"
    page = text(en.get(f"/deployments/{did}"))
    assert "Deployment restored." in flashes(page)
    assert history_rows(page) == [("Planned", "5.1.2026"), ("Training", "1.2.2026")]
    assert "Sipoon terveysasema</a>" in text(en.get("/deployments"))


def test_restore_is_refused_when_it_would_make_a_second_active_deployment(en, app):
    unit = add_unit(app, "Pornaisten terveysasema")
    old = create(en, unit)
    en.post(f"/deployments/{old}/delete", csrf_from=f"/deployments/{old}")
    new = create(en, unit)
    resp = en.post(f"/deployments/{old}/restore", csrf_from="/deployments")
    assert resp.headers["Location"] == f"/deployments/{new}"
    assert "was not restored" in flashes(text(en.get(resp.headers["Location"])))
    assert [d.id for d in deployments(app)] == [new]


# -- list and board ------------------------------------------------------------------------


def list_units(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/deployments/[^"]+">([^<]+)</a></th>', page)


def test_list_is_sorted_filtered_and_hides_deleted(en, app):
    a = add_unit(app, "Ähtärin terveysasema")
    b = add_unit(app, "Askolan neuvola")
    c = add_unit(app, "Borgå hälsostation")
    gone = add_unit(app, "Lakkautettu yksikkö")
    create(en, a, IPC)
    pilot = create(en, b, COOL_KIDS, phase="pilot")
    create(en, c, IPT)
    create(en, gone, IPC)
    deleted = create(en, c, COOL_KIDS)
    en.post(f"/deployments/{deleted}/delete", csrf_from="/deployments")
    with app.extensions["koordi.store"].Session() as s:  # the unit is deleted: its deployments are hidden too
        from app.models import Unit

        s.get(Unit, gone).deleted = True
        s.commit()

    page = text(en.get("/deployments"))
    assert list_units(page) == ["Askolan neuvola", "Borgå hälsostation", "Ähtärin terveysasema"]
    assert "3 rows" in page

    assert list_units(text(en.get("/deployments?phase=pilot"))) == ["Askolan neuvola"]
    assert list_units(text(en.get(f"/deployments?unit={c}"))) == ["Borgå hälsostation"]
    assert list_units(text(en.get(f"/deployments?method={IPC}"))) == ["Ähtärin terveysasema"]
    assert list_units(text(en.get("/deployments?target_group=child_youth"))) == ["Askolan neuvola"]
    empty = text(en.get(f"/deployments?unit={a}&phase=pilot"))
    assert list_units(empty) == [] and "No deployments match these filters." in empty
    # Bad filter values are ignored, never an error.
    assert en.get("/deployments?phase=nonsense&target_group=x&page=abc").status_code == 200
    assert pilot


def test_list_is_paginated(en, app):
    from app.models.methods import SEED_METHODS, seed_id

    methods = [seed_id(key) for key, *_ in SEED_METHODS]
    for i in range(3):
        unit = add_unit(app, f"Yksikkö {i:02d}")
        for m in methods:
            create(en, unit, m)
    page = text(en.get("/deployments"))
    assert f"{3 * len(methods)} rows" in page and "Page 1 of 2" in page
    assert len(list_units(page)) == 50
    page2 = text(en.get("/deployments?page=2"))
    assert len(list_units(page2)) == 3 * len(methods) - 50


def map_cells(page: str) -> dict[tuple[str, str], str]:
    """{(unit, method): the phase its cell names} of the units × methods map."""
    table = page.split('<table class="deployment-map">', 1)[1].split("</table>", 1)[0]
    head, body = table.split("<tbody>", 1)
    methods = re.findall(r'<th scope="col" class="map-method"><a [^>]*>([^<]+)</a></th>', head)
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        unit = re.search(r'<th scope="row"><a [^>]*>([^<]+)</a></th>', row).group(1)
        tds = re.findall(r'<td class="map-cell[^"]*"[^>]*>(.*?)</td>', row, re.S)
        assert len(tds) == len(methods)
        for method, td in zip(methods, tds, strict=True):
            phase = re.search(r'<span class="cell-phase">([^<]+)</span>', td)
            if phase:
                cells[(unit, method)] = phase.group(1)
    return cells


def test_map_shows_units_by_methods_with_each_cells_phase(en, app):
    units = {name: add_unit(app, name) for name in ("Alfa", "Beta", "Gamma", "Delta")}
    create(en, units["Alfa"], COOL_KIDS)
    create(en, units["Beta"], COOL_KIDS, phase="pilot", phase_since="2026-03-01")
    moved = create(en, units["Gamma"], IPC, phase_since="2026-01-01")
    move(en, moved, "training", "2026-02-01")
    move(en, moved, "pilot", "2026-04-01")
    ended = create(en, units["Delta"], IPT)
    assert move(en, ended, "ended", "2026-05-01", reason="resources").status_code == 302
    create(en, units["Delta"], IPT)  # started again: the active one is shown, not the ended one

    page = text(en.get("/deployments/board"))
    assert map_cells(page) == {
        ("Alfa", "Cool Kids"): "Planned",
        ("Beta", "Cool Kids"): "Pilot",
        ("Gamma", "Interpersonal counselling IPC"): "Pilot",
        ("Delta", "Interpersonal therapy IPT"): "Planned",
    }
    # A cell names where it is in words, since when, and offers the usual next move and the others.
    cell = page.split(f'id="d-{moved}"', 1)[1].split("</td>", 1)[0]
    assert "since 1.4.2026" in cell and "Move to In use" in cell and f"/deployments/{moved}/move?next=" in cell
    assert re.search(r'<a class="phase phase-pilot" href="[^"]+">Pilot: 2</a>', page)  # counts by phase
    # Filters narrow the map: by method, by the units' service line.
    assert map_cells(text(en.get(f"/deployments/board?method={COOL_KIDS}"))) == {
        ("Alfa", "Cool Kids"): "Planned",
        ("Beta", "Cool Kids"): "Pilot",
    }
    assert "No deployments match the filters." in text(en.get("/deployments/board?service_line=child_health_clinic"))


def test_a_move_from_the_map_returns_to_the_cell_and_can_be_undone(en, app):
    did = create(en, add_unit(app, "Kauniaisten terveysasema"), phase_since="2026-01-01")
    resp = move(en, did, "training", next=f"/deployments/board#d-{did}")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/deployments/board#d-{did}"
    page = text(en.get("/deployments/board"))
    assert map_cells(page) == {("Kauniaisten terveysasema", "Cool Kids"): "Training"}
    undo = re.search(r'<form method="post" action="([^"]+/undo[^"]*)">', page)
    assert undo and "moved to Training" in page
    resp = en.post(html.unescape(undo.group(1)), {}, csrf_from="/deployments/board")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/deployments/board#d-{did}"
    page = text(en.get("/deployments/board"))
    assert "Undone: Kauniaisten terveysasema – Cool Kids is in Planned again." in page
    assert map_cells(page) == {("Kauniaisten terveysasema", "Cool Kids"): "Planned"}
    assert len(history_rows(text(en.get(f"/deployments/{did}")))) == 1  # the move is gone from the history
    # Twice is harmless; an older move cannot be taken back once a newer one exists.
    assert en.post(html.unescape(undo.group(1)), {}, csrf_from="/deployments/board").status_code == 302
    assert map_cells(text(en.get("/deployments/board"))) == {("Kauniaisten terveysasema", "Cool Kids"): "Planned"}
    # A foreign target is never followed.
    resp = move(en, did, "pilot", next="https://example.org/")
    assert resp.headers["Location"] == "/deployments/board"


def test_the_map_pages_its_units(en, app):
    from app.queries import deployments as q

    for i in range(5):
        create(en, add_unit(app, f"Yksikkö {i}"), COOL_KIDS)
    with app.extensions["koordi.store"].Session() as s:
        first = q.deployment_map(s, q.DeploymentFilter(), "en", offset=0, limit=3)
        second = q.deployment_map(s, q.DeploymentFilter(), "en", offset=3, limit=3)
    assert [name for _id, name in first.units] == ["Yksikkö 0", "Yksikkö 1", "Yksikkö 2"]
    assert [name for _id, name in second.units] == ["Yksikkö 3", "Yksikkö 4"]
    assert first.total_units == 5 and first.counts["planned"] == 5


def test_a_deleted_unit_named_in_the_address_is_not_offered(en, app):
    gone = add_unit(app, "Lakkautettu neuvola", deleted=True)
    page = text(en.get(f"/deployments/new?unit={gone}"))
    assert "Lakkautettu neuvola" not in page
