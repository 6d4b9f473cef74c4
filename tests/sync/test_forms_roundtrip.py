"""Property: whatever the forms accept, the export carries and the importer accepts.

Hypothesis fills every field of every form that writes a record the export carries (the
fields read from the rendered page, so a field added later is filled too) with hostile
text (blank-looking text, no-break spaces, tabs, line breaks, formula triggers, quotes,
right-to-left overrides, emoji, NUL), numbers in and out of range, dates and choices, and
posts them through the test client. Some posts are refused (422); none may fail (500).
Then the copy `koordi export --copy` makes (the project's own prepare_export) is imported
into an empty install (a second data folder) by the project's own importer, which must
accept it whole, and every exported column of every row arrives as the source holds it.
A blank title stored as '' once made the importer refuse the whole file.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import create_app
from app.core import clock, hetu
from app.exchange import format as fmt
from app.models import CoordinatorProfile, Deployment, Event, EventUnit, Goal, GuidanceSession, Method, SessionTrainee, Trainee
from app.store import DB_NAME
from app.sync import history
from app.sync.export import prepare_export
from app.sync.importer import apply_import, plan_import, read_for_import
from tests.common import IPC, add, unit_row
from tests.conftest import PROFILE, AuthClient
from tests.formscan import PageForm, forms_of
from tests.sync.helpers import open_store

# Every form that writes what the export carries; (page, the action its form posts to, or None
# for the page's own form). Ids come from records().
FORMS = [
    ("/units/new", None),
    ("/units/{unit}/edit", None),
    ("/methods/new", None),
    ("/methods/{method}/edit", None),
    ("/deployments/new", None),
    ("/deployments/{deployment}/edit", None),
    ("/deployments/{deployment}/move", None),
    ("/events/new", None),
    ("/events/{event}/edit", None),
    ("/events/{event}/attendance", None),
    ("/guidance/trainees/new", None),
    ("/guidance/trainees/{trainee}/edit", None),
    ("/guidance/sessions/new", None),
    ("/guidance/sessions/{session}/edit", None),
    ("/goals/new", None),
    # An update before the edit: an edit may point the goal at an indicator, whose figures then
    # replace the update form.
    ("/goals/{goal}", "/goals/{goal}/updates"),
    ("/goals/{goal}/edit", None),
    ("/settings", None),
]


def mostly(good, bad, one_in: int = 12):
    """`good`, and now and then `bad`: a form with ten fields still gets through most times.
    (Bad on a middle number: hypothesis likes to try the ends of a range.)"""
    return st.integers(1, one_in).flatmap(lambda i: bad if i == one_in // 2 else good)


characters = st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")),
    st.sampled_from(list("äöåÄÖ;\"'=+-@ \t\r\n\u00a0\u2003\u3000\u200b\u202e\ufeff€😀")),
)
plain = st.text(characters, max_size=16).filter(lambda t: not hetu.contains_code(t))
# Text a form takes (surrounded by spaces, a formula trigger first...), and now and then what
# it must refuse or store empty: blank-looking, too long, a NUL.
texts = mostly(
    st.one_of(plain, plain.map(lambda t: "\u00a0 x" + t + "\t"), plain.map(lambda t: "=" + t), st.just("x" * 99)),
    st.sampled_from(["", " ", "\u00a0", "\t\u3000", "\u200b", "y" * 201, "nul\x00"]),
    one_in=8,
)
emails = mostly(
    st.from_regex(r"[a-zåä.]{1,10}", fullmatch=True).map(lambda t: f" {t}@example.org\u00a0"),
    st.sampled_from(["", "\u00a0", "not an address"]),
    one_in=6,
)
numbers = mostly(st.integers(1, 60).map(str), st.sampled_from(["", " 7 ", "-1", "0", "1e3", "4,5", str(10**12)]))
TODAY = clock.today()
dates = mostly(
    st.one_of(st.just(TODAY), st.dates(dt.date(2024, 1, 1), TODAY)).map(dt.date.isoformat),
    st.sampled_from(["", "2026-02-30", "1.2.2026"]),
)
times = mostly(st.sampled_from(["", "09:00", "13:15:30"]), st.just("24:00"))
rarely = mostly(st.just(""), st.sampled_from(["2", "x", TODAY.isoformat()]), one_in=8)  # a series, a pilot
BY_NAME = {
    "feedback_avg": mostly(st.sampled_from(["", "4,3", " 5 ", "1.25"]), st.sampled_from(["6", "4,333", "1e308"])),
    "feedback_count": mostly(st.sampled_from(["", "7"]), st.sampled_from(["-1", "x"])),
    "supervisor_email": emails,
    "email": emails,
    "central_office_email": emails,
    "repeat_weeks": rarely,
    "repeat_count": rarely,
    "repeat_until": rarely,
    "pilot_start": rarely,
    "pilot_end": rarely,
    "end_date": st.one_of(st.just(""), dates),
    "start_time": times,
}


def records(app) -> dict[str, str]:
    """One record of each kind, for the edit forms (as tests/test_bad_input.py makes them)."""
    today = clock.today()
    unit = unit_row("Kuhmon terveysasema")
    method = Method(name_fi="Oma menetelmä", target_group="adult")
    add(app, unit, method)
    trainee = Trainee(name="Olli Ohjattava", name_key="olli ohjattava", method_id=IPC, unit_id=unit.id)
    event = Event(type="workshop", title="Työpaja", date=today)
    session = GuidanceSession(date=today, method_id=IPC, duration_minutes=60)
    goal = Goal(title="Tavoite", method_id=IPC, target_value=10)
    deployment = Deployment(unit_id=unit.id, method_id=IPC, phase="pilot", phase_since=today)
    add(app, trainee, event, session, goal, deployment)
    add(app, EventUnit(event_id=event.id, unit_id=unit.id), SessionTrainee(session_id=session.id, trainee_id=trainee.id))
    return {
        "unit": unit.id,
        "method": method.id,
        "trainee": trainee.id,
        "event": event.id,
        "session": session.id,
        "goal": goal.id,
        "deployment": deployment.id,
    }


@contextmanager
def install(template_db: Path, folder: Path):
    """A new install with its profile and records(), and a logged-in client: each example starts
    from the same state, so hypothesis can replay and shrink it."""
    folder.mkdir(parents=True)
    shutil.copy(template_db, folder / DB_NAME)
    app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        client = AuthClient(app)
        assert client.post("/setup", PROFILE, csrf_from="/setup").status_code == 302
        yield app, client, records(app)
    finally:
        app.extensions["koordi.store"].dispose()


def value_for(field, draw):
    if field.name in BY_NAME:
        return draw(BY_NAME[field.name])
    kind = field.kind
    if kind in ("text", "textarea"):
        return draw(texts)
    if kind == "number":
        return draw(numbers)
    if kind == "date":
        return draw(dates)
    if kind == "time":
        return draw(times)
    if kind in ("select", "radio"):
        chosen = [o for o in field.options if o] or [""]
        return draw(mostly(st.sampled_from(chosen), st.sampled_from(["", "unknown"])))
    if kind == "checkbox":
        return draw(st.lists(st.sampled_from(field.options), unique=True, max_size=3))
    return field.value  # hidden: the CSRF token, a "show" button's value


def page_form(client, page: str, action: str | None) -> PageForm:
    html = client.get(page).get_data(as_text=True)
    forms = forms_of(html, page)
    wanted = action or page
    form = next((f for f in forms if f.action == wanted), None)
    assert form is not None, f"no form posting to {wanted} on {page}"
    return form


def exported_rows(store) -> dict[str, list[list[str]]]:
    """Every table's rows as their export cells (what `koordi import` writes back), by id."""
    with store.Session() as s:
        out = {}
        for spec in fmt.TABLES:
            table = spec.model.__table__
            rows = s.execute(select(*(table.c[n] for n in spec.header)).order_by(table.c.id))
            out[spec.name] = [[fmt.to_cell(c, v) for c, v in zip(spec.columns, row)] for row in rows]
        profile = s.scalars(select(CoordinatorProfile)).one()
        out["profile"] = [[profile.id, profile.name, profile.role, profile.county, profile.central_office_email]]
        return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_the_forms_accept_the_export_carries_and_the_importer_accepts(template_db, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("forms-roundtrip")
    with install(template_db, folder / "source") as (app, client, ids):
        for page, action in FORMS:
            form = page_form(client, page.format(**ids), action.format(**ids) if action else None)
            # Posted as its Save button posts it: "Add trainee" is another button of the form, which
            # saves a trainee instead of the session (tests/guidance/test_trainee_adder.py).
            values = {
                name: value_for(field, data.draw)
                for name, field in form.fields.items()
                if field.kind != "file" and name != "add_trainee"
            }
            if page.startswith("/guidance/sessions"):  # the trainees are offered once a method is shown
                values["trainees"] = data.draw(st.lists(st.sampled_from([ids["trainee"], ""]), unique=True, max_size=2))
            resp = client.http.post(form.action, data=values)
            assert resp.status_code in (302, 422), (form.action, resp.status_code, values)
            refused = sorted(set(re.findall(r'<p class="error" id="([\w-]+)-error">', resp.get_data(as_text=True))))
            event(f"{page} {resp.status_code} {' '.join(refused)}")  # --hypothesis-show-statistics: what got through

        source = app.extensions["koordi.store"]
        with source.Session() as s:
            copy = prepare_export(s, history.COPY).data
        target = open_store(template_db, folder / "empty")  # a second, empty install
        try:
            with target.Session() as s:
                plan = plan_import(s, read_for_import(s, copy))
            assert plan.ok, plan.problems[:5]
            apply_import(target, plan)
            assert exported_rows(target) == exported_rows(source)
        finally:
            target.dispose()
