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
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core import hetu
from app.exchange import format as fmt
from app.models import CoordinatorProfile
from app.sync import history
from app.sync.export import prepare_export
from app.sync.importer import apply_import, plan_import, read_for_import
from tests.formscan import PageForm, forms_of
from tests.test_bad_input import fill, records  # noqa: F401  (fixture)

# Every form that writes what the export carries; (page, the action its form posts to, or None
# for the page's own form). Ids come from tests.test_bad_input's records.
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
    ("/goals/{goal}/edit", None),
    ("/goals/{goal}", "/goals/{goal}/updates"),
    ("/settings", None),
]  # fmt: skip

characters = st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")),
    st.sampled_from(list("äöåÄÖ;\"'=+-@ \t\r\n\u00a0\u2003\u3000\u200b\u202e\ufeff€😀\x00")),
)
plain = st.text(characters, max_size=16).filter(lambda t: not hetu.contains_code(t))
texts = st.one_of(plain, plain.map(lambda t: " \u00a0" + t + "\t"), st.sampled_from(["", " ", "\u00a0", "x" * 120, "y" * 201]))
emails = st.one_of(st.just(""), st.just("\u00a0"), st.from_regex(r"[a-zåä.]{1,10}", fullmatch=True).map(lambda t: f" {t}@example.org "))
numbers = st.one_of(st.integers(-2, 120).map(str), st.sampled_from(["", " 7 ", "1e3", "4,5", str(10**12)]))
dates = st.one_of(st.dates(dt.date(2024, 1, 1), dt.date.today()).map(dt.date.isoformat), st.sampled_from(["", "2026-02-30", "1.2.2026"]))
times = st.sampled_from(["", "09:00", "13:15:30", "24:00", "9"])
BY_NAME = {
    "feedback_avg": st.sampled_from(["", "4,3", " 5 ", "1.25", "0", "6", "4,333"]),
    "supervisor_email": emails,
    "email": emails,
    "central_office_email": emails.filter(bool),
}


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
        return draw(st.sampled_from(field.options or [""]))
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


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_whatever_the_forms_accept_the_export_carries_and_the_importer_accepts(profiled, app, records, new_store, data):
    source = app.extensions["koordi.store"]
    for page, action in FORMS:
        form = page_form(profiled, fill(page, records), fill(action, records) if action else None)
        values = {name: value_for(field, data.draw) for name, field in form.fields.items() if field.kind != "file"}
        if page.startswith("/guidance/sessions"):
            values["trainees"] = data.draw(st.lists(st.sampled_from([records["trainee"], ""]), unique=True, max_size=2))
        resp = profiled.http.post(form.action, data=values)
        assert resp.status_code in (302, 422), (form.action, resp.status_code, values)

    with source.Session() as s:
        copy = prepare_export(s, history.COPY).data
    target = new_store(f"empty-{next(_installs)}")
    with target.Session() as s:
        plan = plan_import(s, read_for_import(s, copy))
    assert plan.ok, plan.problems[:5]
    apply_import(target, plan)
    assert exported_rows(target) == exported_rows(source)


_installs = itertools.count()
