"""What every page shares, and the small things a coordinator notices in their first week
(issue 15): the navigation and the titles agree, backups are in the settings, sizes in
megabytes, optional fields say so, file inputs speak the app's language, a record's actions
sit in one place, a remote event's place is said once, a goal's figures are not in
brackets inside brackets."""

from __future__ import annotations

import html
import re

import pytest
from flask import url_for

from app.models import Deployment, Event, Goal, GoalUpdate
from app.web.layout import NAV_BAR
from tests.common import IPC, add, squash, text, today, unit_row


def set_language(client, lang: str) -> None:
    client.post("/language", {"lang": lang, "next": "/about"})


def nav_items(app) -> list:
    return app.extensions["koordi.nav"]


def header(page: str) -> str:
    """The main navigation of the header."""
    return page[page.index('<nav class="main-nav"') : page.index("</nav>", page.index('<nav class="main-nav"'))]


def h1(page: str) -> str:
    return squash(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))


def title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip()


# -- the navigation --------------------------------------------------------------------------


def test_every_section_is_in_the_header_once_a_few_on_the_bar_the_rest_under_more(profiled, app):
    page = header(text(profiled.get("/")))
    bar, more = page.split('class="nav-more', 1)
    with app.test_request_context():
        links = {item.endpoint: f'href="{url_for(item.endpoint)}"' for item in nav_items(app)}
    for endpoint, href in links.items():
        assert page.count(href) == 1, endpoint
        assert (href in bar) == (endpoint in NAV_BAR), endpoint
    assert "<summary>Lisää" in more


def test_a_section_under_more_marks_the_more_button(profiled):
    page = header(text(profiled.get("/reports")))
    assert 'class="nav-more has-current"' in page
    assert '<a href="/reports" aria-current="page">Raportit</a>' in page
    assert 'class="nav-more"' in header(text(profiled.get("/units")))  # a bar section: More is plain


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_each_sections_page_is_titled_as_the_navigation_names_it(profiled, app, lang):
    """Menetelmäohjaus opened "Ohjauskerrat", Asetukset "Profiili"."""
    set_language(profiled, lang)
    with app.test_request_context():
        paths = [url_for(item.endpoint) for item in nav_items(app)]
    wrong = []
    for path in paths:
        page = text(profiled.get(path))
        label = re.search(rf'<a href="{re.escape(path)}"[^>]*>(.*?)</a>', page).group(1)
        if h1(page) != label or not title(page).startswith(label):
            wrong.append((label, h1(page), title(page)))
    assert not wrong, wrong


# -- backups ----------------------------------------------------------------------------------


def test_backups_are_in_the_settings_with_sizes_in_megabytes(profiled):
    settings = text(profiled.get("/settings"))
    assert '<a href="/settings/backups">Varmuuskopiot</a>' in settings
    page = text(profiled.get("/settings/backups"))
    assert h1(page) == "Asetukset" and title(page).startswith("Asetukset")
    resp = profiled.post("/backups", {"next": "/settings/backups"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/settings/backups"  # back where it was taken
    page = text(profiled.get("/settings/backups"))
    sizes = re.findall(r"<td>([\d  ,]+)(?:&nbsp;|\xa0)(t|kt|Mt)</td>", page)
    assert sizes, page
    assert " kB" not in page


@pytest.mark.parametrize(
    ("size", "fi", "sv"),
    [(2_535_424, "2,4 Mt", "2,4 MB"), (716_800, "700 kt", "700 kB"), (5 * 1024**3, "5,0 Gt", "5,0 GB"), (512, "512 t", "512 B")],
)
def test_file_sizes_as_a_person_reads_them(size, fi, sv):
    from app.i18n import format_size

    assert format_size(size, "fi").replace("\xa0", " ") == fi
    assert format_size(size, "sv").replace("\xa0", " ") == sv


# -- forms ------------------------------------------------------------------------------------


def test_optional_fields_are_marked_and_required_ones_are_not(profiled):
    page = text(profiled.get("/units/new"))
    assert re.search(r'<label for="municipality">Kunta <span class="optional">\(valinnainen\)</span></label>', page)
    assert re.search(r'<label for="name">Nimi</label>', page)


def test_a_file_input_speaks_the_apps_language(profiled):
    page = text(profiled.get("/sync"))
    field = page[page.index('class="file-pick"') :]
    assert 'type="file"' in field
    assert "Valitse tiedosto</label>" in field and "Ei valittua tiedostoa" in field


# -- records ----------------------------------------------------------------------------------


@pytest.fixture
def records(app):
    unit = unit_row("Kivikylän terveysasema")
    add(app, unit)
    teams = Event(type="workshop", title="Etätyöpaja", date=today(), status="planned", remote=True, place="Teams")
    room = Event(type="workshop", title="Hybridityöpaja", date=today(), status="planned", remote=True, place="Sali 2")
    deployment = Deployment(unit_id=unit.id, method_id=IPC, phase="training", phase_since=today())
    goal = Goal(title="Kyselyyn vastanneet", unit_id=unit.id, metric="vastanneet (lkm)", target_value=18)
    add(app, teams, room, deployment, goal)
    add(app, GoalUpdate(goal_id=goal.id, date=today(), value=9))
    return {"unit": unit.id, "teams": teams.id, "room": room.id, "deployment": deployment.id, "goal": goal.id}


def test_a_remote_events_place_is_said_once(profiled, records):
    assert "Etänä (Teams)</dd>" in text(profiled.get(f"/events/{records['teams']}"))  # not "Etänä (Teams), Teams"
    assert "Etänä (Teams), Sali 2</dd>" in text(profiled.get(f"/events/{records['room']}"))


def test_a_goals_figures_are_not_brackets_in_brackets(profiled, records):
    page = squash(text(profiled.get(f"/goals/{records['goal']}")))
    assert "50 % · 9 / 18 vastanneet (lkm)" in page
    assert "(lkm))" not in page


@pytest.mark.parametrize("kind", ["unit", "teams", "deployment", "goal"])
def test_a_records_actions_are_above_its_details(profiled, records, kind):
    path = {"unit": "units", "teams": "events", "deployment": "deployments", "goal": "goals"}[kind]
    page = text(profiled.get(f"/{path}/{records[kind]}"))
    details = page.index('<dl class="facts">')
    assert page.index(f'href="/{path}/{records[kind]}/edit"') < details
    assert page.index(f'/{path}/{records[kind]}/delete"') < details


def test_the_unit_summary_pdf_is_near_the_top_of_the_unit_page(profiled, records):
    page = text(profiled.get(f"/units/{records['unit']}"))
    pdf = page.index(f'action="/units/{records["unit"]}/summary.pdf"')
    assert pdf < page.index("<h2>Esihenkilö</h2>") < page.index("<h2>Käyttöönotot</h2>")


def test_record_url_is_url_for_at_a_fraction_of_the_cost(app):
    """Long lists link rows with record_url: the very text url_for makes, whatever the id."""
    from app.web.urls import record_url

    with app.test_request_context("/"):
        for endpoint in ("units.detail", "events.detail", "goals.detail", "guidance.trainee", "surveys.skip"):
            for id_ in ("3f2b7c1e-0a4d-4e8b-9c61-2d5e7f8a9b0c", "a b/ä?#%", "RECORDID0MARKER"):
                assert record_url(endpoint, id_) == url_for(endpoint, id=id_), (endpoint, id_)


def test_record_links_are_what_a_template_loop_made(app):
    """record_links: each row's link, escaped the way the template's own loop escaped it."""
    from collections import namedtuple

    from flask import render_template_string

    from app.web.urls import record_links

    Row = namedtuple("Row", "id name")
    rows = [Row("3f2b7c1e-0a4d-4e8b-9c61-2d5e7f8a9b0c", "Ähtärin <terveys> & perhe"), Row("a b/ä?", 'Ö "yksikkö"')]
    loop = (
        "{% for unit in rows %}<a href=\"{{ record_url('units.detail', unit.id) }}\">{{ unit.name }}</a>"
        "{% if not loop.last %}, {% endif %}{% endfor %}"
    )
    with app.test_request_context("/"):
        assert str(record_links("units.detail", rows)) == render_template_string(loop, rows=rows)
        assert "&lt;terveys&gt; &amp; perhe" in record_links("units.detail", rows)
        assert record_links("units.detail", []) == ""
