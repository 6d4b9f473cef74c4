"""axe-core on every page Koordi has, in Finnish and Swedish, with realistic data.

The pages are not listed by hand: every GET rule of the running app's URL map is
visited (records' pages with a real record of the demo data), so a page added later is
audited without anyone remembering to. Then the states a list alone does not show:
filters applied, a second page, search with and without results, each form after a
refused submit (messages at the fields and the summary), a flash with Undo, and the
"Koordi is closed" page of `koordi serve`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from flask import url_for

from app import create_app
from app.core import clock, hetu
from app.desktop import WINDOW_SIZE
from tests.browser.conftest import audit, format_violations, launch_demo_koordi, login, set_language

pytestmark = pytest.mark.browser

CODE = hetu.generate(dt.date(1990, 2, 3), 456, "-")  # made here, never a real person's
# GET rules that are not pages of their own: files (static, one-time downloads), a fragment
# swapped in by script, and pages only reachable in a state this server is not in (first run,
# recovery, an uploaded import waiting: tests/browser/test_sync_journey.py audits those).
NOT_PAGES = {
    "static",
    "files.download",
    "guidance.trainee_options",
    "settings.setup",
    "recovery.index",
    "sync.import_preview",
    "sync._after_import",
}
# What runs past the page's right edge, or needs its table scrolled sideways, at the window's size.
OVERFLOW_JS = """() => {
  const out = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) out.push(`the page is ${page.scrollWidth} px wide`);
  for (const box of document.querySelectorAll(".table-scroll")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption");
      out.push(`table "${caption ? caption.textContent.trim() : "?"}" needs ${box.scrollWidth} px of ${box.clientWidth}`);
    }
  }
  return out;
}"""
# Words cut across two lines ("30.11.202|6", "Päivämäär|ä", "Strandber|g"): each run of text
# between the places a reader accepts a break (spaces; after a hyphen, a dash or a slash),
# measured with Range.getClientRects: its boxes on two lines is a word broken in the middle.
# Code, file paths and licence texts may break anywhere (they are not words).
BROKEN_WORDS_JS = """() => {
  const out = [];
  const skip = "script, style, code, pre, kbd, samp, svg, .visually-hidden, .licence-text, .file-chosen";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lines = rects => new Set(Array.from(rects).filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!/\\S{2}/.test(node.nodeValue) || node.parentElement.closest(skip)) continue;
    range.selectNodeContents(node);
    if (lines(range.getClientRects()) < 2) continue;  // on one line: nothing can be broken
    for (const word of node.nodeValue.matchAll(/[^\\s\\u00ad\\-\\u2010\\u2013\\u2014\\/]+/g)) {
      if (word[0].length < 2) continue;
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      if (lines(range.getClientRects()) > 1) out.push(`"${word[0]}" in ${node.parentElement.tagName.toLowerCase()}`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def demo_koordi(tmp_path_factory):
    """`koordi serve` on the normal demo data: ~25 units, two years of events and guidance."""
    koordi = launch_demo_koordi(tmp_path_factory.mktemp("axe-demo") / "data")
    yield koordi
    koordi.stop()


def samples(data_dir: Path) -> dict[str, str]:
    """A record of each kind with the most on its page, read from the database file."""
    conn = sqlite3.connect(f"file:{data_dir / 'koordi.sqlite3'}?mode=ro", uri=True)

    def one(sql: str) -> str:
        row = conn.execute(sql).fetchone()
        assert row, sql
        return row[0]

    try:
        return {
            "units": one("SELECT unit_id FROM event_attendance GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1"),
            "methods": one(
                "SELECT method_id FROM deployments WHERE deleted = 0 GROUP BY method_id ORDER BY count(*) DESC LIMIT 1"
            ),
            "deployments": one(
                "SELECT deployment_id FROM deployment_phases GROUP BY deployment_id ORDER BY count(*) DESC LIMIT 1"
            ),
            "events": one(
                "SELECT e.id FROM events e JOIN event_attendance a ON a.event_id = e.id "
                "WHERE e.deleted = 0 AND e.series_id IS NOT NULL GROUP BY e.id ORDER BY count(*) DESC LIMIT 1"
            ),
            "trainees": one("SELECT trainee_id FROM guidance_attendance GROUP BY trainee_id ORDER BY count(*) DESC LIMIT 1"),
            "guidance": one("SELECT session_id FROM guidance_attendance GROUP BY session_id ORDER BY count(*) DESC LIMIT 1"),
            "goals": one("SELECT goal_id FROM goal_updates GROUP BY goal_id ORDER BY count(*) DESC LIMIT 1"),
            "instruments": one("SELECT id FROM instruments WHERE key = 'nomad-20'"),
            "items": one(
                "SELECT i.id FROM instrument_items i JOIN instruments n ON n.id = i.instrument_id "
                "WHERE n.key = 'nomad-20' AND i.code = 'CO1'"
            ),
            "rounds": one(
                "SELECT round_id FROM survey_counts WHERE deleted = 0 GROUP BY round_id ORDER BY count(*) DESC LIMIT 1"
            ),
            # The indicator with the most figures (its grid the fullest), and a unit with figures of it.
            "indicators": one(
                "SELECT indicator_id FROM monthly_figures WHERE deleted = 0 GROUP BY indicator_id ORDER BY count(*) DESC LIMIT 1"
            ),
            "figures_unit": one(
                "SELECT unit_id FROM monthly_figures WHERE deleted = 0 AND method_id IS NOT NULL "
                "GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1"
            ),
            "indicator_goal": one("SELECT id FROM goals WHERE indicator_id IS NOT NULL AND deleted = 0 LIMIT 1"),
        }
    finally:
        conn.close()


def every_page(data_dir: Path, backup_name: str) -> list[str]:
    """Every GET page of the app's URL map, with a real record where the rule needs an id."""
    ids = samples(data_dir)
    today = clock.today()
    app = create_app({"DATA_DIR": data_dir.parent / "url-map-only", "ALLOWED_HOSTS": ["localhost"]})
    try:
        rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in NOT_PAGES]
        values = {"year": today.year, "month": today.month, "name": backup_name}
        paths = []
        for rule in sorted(rules, key=lambda r: r.rule):
            args = {}
            for arg in rule.arguments:
                if arg in values:
                    args[arg] = values[arg]
                else:  # an id: the record of the rule's own kind (/units/<id> -> a unit)
                    kind = rule.rule.strip("/").split("/")[0]
                    kind = "guidance" if rule.rule.startswith("/guidance/sessions") else kind
                    kind = "trainees" if rule.rule.startswith("/guidance/trainees") else kind
                    for survey_kind in ("instruments", "items", "rounds"):  # /surveys/<kind>/<id>
                        kind = survey_kind if rule.rule.startswith(f"/surveys/{survey_kind}/") else kind
                    args[arg] = ids[kind]
            with app.test_request_context():
                paths.append(url_for(rule.endpoint, **args))
        return paths
    finally:
        app.extensions["koordi.store"].dispose()


# (page, how to make its form refuse: (selector, value) pairs to fill, the submit button)
FORMS_WITH_ERRORS = [
    ("/units/new", [("#name", f"Asiakas {CODE}")], "form.form button[type=submit]"),
    ("/methods/new", [("#name_fi", "")], "form.form button[type=submit]"),
    ("/deployments/new", [("#notes", CODE)], "form.form button[type=submit]"),
    ("/events/new", [("#title", ""), ("#duration_minutes", "-5")], "form.form button[type=submit]"),
    ("/guidance/trainees/new", [("#name", ""), ("#cohort", CODE)], "form.form button[type=submit]"),
    # Save at the end: the form's other submit buttons tick a cohort or add a trainee in place.
    ("/guidance/sessions/new", [("#duration_minutes", "0"), ("#topics", CODE)], "form.form .actions button[type=submit]"),
    ("/goals/new", [("#title", ""), ("#target_value", "-1")], "form.form button[type=submit]"),
    ("/settings", [("#name", "")], "form.form button[type=submit]"),
    ("/settings/files", [("#folder", "")], "form.form button[type=submit]"),
    ("/settings/dashboard", [("#no_contact_weeks", "99")], "form.form button[type=submit]"),
    ("/reports/central", [("#database", "/no/such/folder/keskus.sqlite3")], "form.print-form button[type=submit]"),
    ("/surveys/instruments/new", [("#name_fi", ""), ("#description", CODE)], "form.form button[type=submit]"),
    ("/surveys/rounds/new", [("#answered", "-1"), ("#notes", CODE)], "form.form button[type=submit]"),
    ("/surveys/import", [], "form.form button[type=submit]"),
    ("/indicators/new", [("#name_fi", ""), ("#description", CODE)], "form.form button[type=submit]"),
]


# Swedish: tests/browser/test_every_page_axe_sv.py runs this same sweep on its own server, so
# that the two languages' sweeps (about two minutes each) run on two test workers at once.
@pytest.mark.parametrize("lang", ["fi"])
def test_every_page_and_state_passes_axe_and_fits_the_window(lang, demo_koordi, new_context):
    """...and fits the window as it first opens: no table hides a column (December of
    the annual plan, the last figures of a report) behind a sideways scroll, and no word is
    broken in the middle across two lines."""
    failures: list[str] = []
    page = new_context(viewport={"width": WINDOW_SIZE[0], "height": WINDOW_SIZE[1]}).new_page()

    def check(label: str) -> None:
        violations = audit(page)
        if violations:
            failures.append(format_violations(violations, f"[{lang}] {label}: "))
        for overflow in page.evaluate(OVERFLOW_JS):
            failures.append(f"[{lang}] {label}: {overflow} at {WINDOW_SIZE[0]} px")
        for word in page.evaluate(BROKEN_WORDS_JS):
            failures.append(f"[{lang}] {label}: the word {word} is broken across two lines at {WINDOW_SIZE[0]} px")

    login(page, demo_koordi)
    set_language(page, lang)
    backups = page.goto(demo_koordi.url("/about")) and page.locator("table a[href$='/restore']")
    backup_name = backups.first.get_attribute("href").split("/")[2]
    ids = samples(demo_koordi.data_dir)

    paths = every_page(demo_koordi.data_dir, backup_name)
    assert len(paths) >= 40, paths
    for path in paths:
        response = page.goto(demo_koordi.url(path))
        assert response.status == 200, (path, response.status)
        check(path)

    # States a page has besides its first look.
    for path in (
        "/units?service_line=health_station&status=active",
        "/events?type=guidance_group&date_from=2025-01-01",
        "/events?page=2",
        "/deployments?phase=in_use",
        "/guidance?kind=group&page=2",
        "/guidance/trainees?status=active",
        "/goals?status=open",
        "/methods?retired=y",
        "/surveys/instruments?retired=y",
        "/surveys/rounds?year=2025",
        "/surveys?year=2025",  # the results of one year
        "/search?q=terveysasema",
        "/search?q=ohjaus",
        "/search?q=eikukaanhaetätä",
        f"/indicators/{ids['indicators']}/figures?unit={ids['figures_unit']}",  # one unit's methods by month
        f"/goals/{ids['indicator_goal']}",  # an indicator goal: its chart and target line
        "/indicators?retired=y",
    ):
        assert page.goto(demo_koordi.url(path)).status == 200, path
        check(path)
    assert page.goto(demo_koordi.url("/search?q=terveysasema")) and page.locator(".search-results li").count() >= 1

    for path, fills, button in FORMS_WITH_ERRORS + [
        (f"/deployments/{ids['deployments']}/move", [("#changed_on", "2000-01-01")], "form.form button[type=submit]"),
        # A pause asks why (its fieldset shown): no reason chosen, an identity code in the words.
        (f"/deployments/{ids['deployments']}/move?phase=paused", [("#reason_text", CODE)], "form.form button[type=submit]"),
        (f"/goals/{ids['goals']}", [("#value", "-1")], "form[action$='/updates'] button[type=submit]"),
        (
            f"/surveys/rounds/{ids['rounds']}/answers",
            [("form.entry-form input.cell >> nth=0", "x")],
            "form.entry-form button[type=submit]",
        ),
        (
            f"/indicators/{ids['indicators']}/figures",
            [("form.figures-form input.cell >> nth=0", "x")],
            "form.figures-form button[type=submit]",
        ),
    ]:
        page.goto(demo_koordi.url(path))
        for selector, value in fills:
            page.fill(selector, value)
        with page.expect_navigation() as nav:
            page.locator(f"{button} >> visible=true").first.click()
        assert nav.value.status == 422, (path, nav.value.status)
        assert page.locator(".error").count() >= 1
        check(f"{path} with errors")

    # A delete's flash with its Undo button.
    page.goto(demo_koordi.url(f"/goals/{ids['goals']}"))
    with page.expect_navigation():
        page.locator("form[action$='/delete'] button").first.click()
    assert page.locator(".flash button").count() == 1
    check("a flash with Undo")
    with page.expect_navigation():
        page.locator(".flash button").click()

    set_language(page, "fi")
    assert not failures, "axe-core found accessibility violations, pages too wide or words broken:\n" + "\n".join(failures)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_closed_page_passes_axe(lang, fresh_koordi, new_context):
    page = new_context().new_page()
    login(page, fresh_koordi, "/setup")
    set_language(page, lang)
    with page.expect_navigation():
        page.locator("form.quit button").click()
    assert page.locator("h1").inner_text() == {"fi": "Koordi on suljettu", "sv": "Koordi är stängt"}[lang]
    violations = audit(page)
    assert not violations, format_violations(violations, f"[{lang}] closed: ")
    assert fresh_koordi.server.proc.wait(timeout=15) == 0


# Three leftovers of the first week, each a layout a glance at 1180 × 680 caught: measured on
# the demo data the sweep above already serves, three page loads per language.
NO_CONTACT_JS = """() => {
  const card = document.querySelector('section[aria-labelledby="dash-no-contact"]');
  const table = card.querySelector('table');
  const box = table.parentElement, edge = card.getBoundingClientRect().right - card.clientLeft;
  const out = [];
  if (box.scrollWidth > box.clientWidth) out.push(`the table needs ${box.scrollWidth} px of ${box.clientWidth}`);
  for (const cell of table.querySelectorAll('th, td')) {
    const right = cell.getBoundingClientRect().right;
    if (right > edge + 0.5 || cell.scrollWidth > cell.clientWidth)
      out.push(`"${cell.innerText.trim().slice(0, 40)}" ends at ${Math.round(right)}, the card at ${Math.round(edge)}`);
  }
  return {rows: table.tBodies[0].rows.length, out};
}"""
SVG_TEXT_JS = """() => Array.from(document.querySelectorAll('svg.chart-svg')).flatMap(svg => {
  const b = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text')).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < b.left - .5 || r.right > b.right + .5 || r.top < b.top - .5 || r.bottom > b.bottom + .5);
  }).map(t => `"${t.textContent}" in "${svg.querySelector('title').textContent}"`);
})"""
# The filter fields row by row (a row starts where a field is no further right than the last):
# each field's control top and its "(optional)" mark's bottom.
FILTER_ROWS_JS = """() => {
  const rows = []; let left = Infinity;
  for (const field of document.querySelectorAll('form.filters .field')) {
    const at = field.getBoundingClientRect().left;
    if (at <= left) rows.push([]);
    left = at;
    const control = field.querySelector('input, select'), mark = field.querySelector('.optional');
    rows[rows.length - 1].push({
      label: field.querySelector('label').innerText.trim(),
      top: control.getBoundingClientRect().top,
      mark: mark ? mark.getBoundingClientRect().bottom : null,
    });
  }
  return rows;
}"""


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_no_contact_table_chart_labels_and_filters_fit_the_window(lang, demo_koordi, new_context):
    page = new_context(viewport={"width": WINDOW_SIZE[0], "height": WINDOW_SIZE[1]}).new_page()
    login(page, demo_koordi)
    set_language(page, lang)
    try:
        # 1. The dashboard's "Units with no contact": no column cut at the card's edge.
        found = page.evaluate(NO_CONTACT_JS)
        assert found["rows"] >= 3 and not found["out"], found["out"]

        # 2. The survey results' charts: every label (the NoMAD constructs' on the left) inside its SVG.
        page.goto(demo_koordi.url("/surveys"))
        assert page.locator("svg.chart-svg").count() >= 1
        assert not page.evaluate(SVG_TEXT_JS)

        # 3. The events list's filters: in each row, one top edge for the controls and one
        # baseline for the "(optional)" marks (within 2 px), every filter marked.
        page.goto(demo_koordi.url("/events"))
        rows = page.evaluate(FILTER_ROWS_JS)
        fields = [f for row in rows for f in row]
        assert len(fields) == 7 and all(f["mark"] is not None for f in fields), fields
        for row in rows:
            tops, marks = [f["top"] for f in row], [f["mark"] for f in row]
            assert max(tops) - min(tops) <= 2, row
            assert max(marks) - min(marks) <= 2, row
    finally:
        set_language(page, "fi")
