"""Every form, every free-text field: bad input gets a message at the field, and nothing is saved.

Over HTTP (Flask's client, logged in as the window is), for each record's create and edit
form: an identity code (valid, and with a wrong check character) and text one character
too long in each free-text field; negative counts, an end before a start, and an unknown
id posted for a unit, method or trainee. Each refused POST must answer 422, show the
message at that field (the identity-code one naming the field), and leave every table as
it was (row counts and newest updated_at). A control test posts each form's valid data
once, so a refusal below is the bad field's doing and not a broken base.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text as sqltext

from app import create_app
from app.core import clock, hetu
from app.deployments.forms import DeploymentForm
from app.events.forms import EventForm, count_field_name
from app.goals.forms import GoalForm, GoalUpdateForm
from app.guidance.forms import SessionForm, TraineeForm
from app.methods.forms import MethodForm
from app.models import Base, Deployment, Event, EventUnit, Goal, GuidanceSession, Method, SessionTrainee, Trainee
from app.settings.forms import ProfileForm
from app.store import DB_NAME
from app.units.forms import UnitForm
from tests.common import IPC, add, db, in_english, text, unit_row
from tests.conftest import PROFILE, AuthClient

TODAY = clock.today()
VALID_CODE = hetu.generate(dt.date(1987, 6, 5), 234, "-")
_right = VALID_CODE[-1]
BAD_CHECK_CODE = VALID_CODE[:-1] + next(c for c in "ABCDEFHJKLMNPRSTUVWXY" if c != _right)
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class FormCase:
    name: str
    url: str  # {unit}, {event}... are filled from the records fixture
    data: dict  # a valid submission
    form: type  # the WTForms class, for the fields' length limits
    text: tuple[str, ...] = ()  # free-text fields
    emails: tuple[str, ...] = ()  # typed as text too, so an identity code is refused there as well


UNIT = {"name": "Testiyksikkö", "service_line": "health_station", "age_group": "adults", "status": "active"}
EVENT = {
    "type": "workshop",
    "title": "Työpaja",
    "date": TODAY.isoformat(),
    "duration_minutes": "60",
    "status": "planned",
    "units": "{unit}",
}
TRAINEE = {"name": "Uusi Ohjattava", "method_id": IPC, "unit_id": "{unit}"}
SESSION = {
    "date": TODAY.isoformat(),
    "method": IPC,
    "kind": "group",
    "mode": "onsite",
    "duration_minutes": "60",
    "cases_discussed": "0",
    "trainees": "{trainee}",
}
GOAL = {"title": "Kymmenen koulutettua", "method_id": IPC, "unit_id": "", "target_value": "10", "status": "open"}
DEPLOYMENT = {"unit_id": "{unit}", "method_id": IPC, "professionals_trained": "1"}

CASES = [
    FormCase(
        "unit new", "/units/new", UNIT, UnitForm, ("name", "municipality", "supervisor_name", "notes"), ("supervisor_email",)
    ),
    FormCase(
        "unit edit",
        "/units/{unit}/edit",
        UNIT,
        UnitForm,
        ("name", "municipality", "supervisor_name", "notes"),
        ("supervisor_email",),
    ),
    FormCase(
        "method new",
        "/methods/new",
        {"name_fi": "Uusi menetelmä", "target_group": "adult"},
        MethodForm,
        ("name_fi", "name_sv", "name_en", "description"),
    ),
    FormCase(
        "method edit",
        "/methods/{method}/edit",
        {"name_fi": "Oma menetelmä", "target_group": "adult"},
        MethodForm,
        ("name_fi", "name_sv", "name_en", "description"),
    ),
    FormCase(
        "deployment new",
        "/deployments/new",
        {
            "unit_id": "{other_unit}",
            "method_id": IPC,
            "phase": "planned",
            "phase_since": TODAY.isoformat(),
            "professionals_trained": "0",
        },
        DeploymentForm,
        ("notes",),
    ),
    FormCase("deployment edit", "/deployments/{deployment}/edit", DEPLOYMENT, DeploymentForm, ("notes",)),
    FormCase("event new", "/events/new", EVENT, EventForm, ("title", "theme", "place", "notes")),
    FormCase("event edit", "/events/{event}/edit", EVENT, EventForm, ("title", "theme", "place", "notes")),
    FormCase("trainee new", "/guidance/trainees/new", TRAINEE, TraineeForm, ("name", "profession", "cohort"), ("email",)),
    FormCase(
        "trainee edit", "/guidance/trainees/{trainee}/edit", TRAINEE, TraineeForm, ("name", "profession", "cohort"), ("email",)
    ),
    FormCase("session new", "/guidance/sessions/new", SESSION, SessionForm, ("topics", "notes")),
    FormCase("session edit", "/guidance/sessions/{session}/edit", SESSION, SessionForm, ("topics", "notes")),
    FormCase("goal new", "/goals/new", GOAL, GoalForm, ("title", "metric", "notes")),
    FormCase("goal edit", "/goals/{goal}/edit", GOAL, GoalForm, ("title", "metric", "notes")),
    FormCase("goal update", "/goals/{goal}/updates", {"date": TODAY.isoformat(), "value": "3"}, GoalUpdateForm, ("note",)),
    FormCase("profile", "/settings", PROFILE, ProfileForm, ("name",), ("central_office_email",)),
]
BY_NAME = {case.name: case for case in CASES}


@pytest.fixture
def en(profiled):
    in_english(profiled)
    return profiled


def make_records(app) -> dict[str, str]:
    unit, other = unit_row("Kuhmon terveysasema"), unit_row("Sotkamon perheneuvola")
    method = Method(name_fi="Oma menetelmä", target_group="adult")
    add(app, unit, other, method)
    trainee = Trainee(name="Olli Ohjattava", name_key="olli ohjattava", method_id=IPC, unit_id=unit.id)
    event = Event(type="workshop", title="Työpaja", date=TODAY)
    # A week ago: the "session new" case (today, the same trainee) must not be its twin.
    session = GuidanceSession(date=TODAY - dt.timedelta(days=7), method_id=IPC, duration_minutes=60)
    goal = Goal(title="Tavoite", method_id=IPC, target_value=10)
    deployment = Deployment(unit_id=unit.id, method_id=IPC, phase="pilot", phase_since=TODAY)
    add(app, trainee, event, session, goal, deployment)
    add(app, EventUnit(event_id=event.id, unit_id=unit.id), SessionTrainee(session_id=session.id, trainee_id=trainee.id))
    return {
        "unit": unit.id,
        "other_unit": other.id,
        "method": method.id,
        "trainee": trainee.id,
        "event": event.id,
        "session": session.id,
        "goal": goal.id,
        "deployment": deployment.id,
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, migrated_db) -> tuple[Path, dict[str, str]]:
    """A database with the first-run profile sent (through /setup) and the records above, made once
    per module; each test's app starts from a copy of it (`data_dir` below). The profile's form and
    the inserts were a third of each of these ~300 tests' time; what they post is unchanged."""
    folder = tmp_path_factory.mktemp("bad-input")
    shutil.copy(migrated_db, folder / DB_NAME)
    app = create_app({"DATA_DIR": folder, "TESTING": True, "ALLOWED_HOSTS": ["localhost"]})
    try:
        assert AuthClient(app).post("/setup", PROFILE, csrf_from="/setup").status_code == 302
        ids = make_records(app)
    finally:
        app.extensions["koordi.store"].dispose()
    # One self-contained file (nothing left in a -wal beside it) for the copies.
    out = tmp_path_factory.mktemp("bad-input-copy") / DB_NAME
    with sqlite3.connect(folder / DB_NAME) as conn:
        conn.execute("VACUUM INTO ?", (str(out),))
    conn.close()
    return out, ids


@pytest.fixture
def data_dir(tmp_path, prepared) -> Path:
    """conftest's data_dir with the prepared database in it (the `app` fixture then opens that)."""
    path = tmp_path / "data"
    path.mkdir()
    shutil.copy(prepared[0], path / DB_NAME)
    return path


@pytest.fixture
def profiled(client):
    """conftest's `profiled`: here the copied database has the profile already."""
    return client


@pytest.fixture
def records(app, prepared) -> dict[str, str]:
    return dict(prepared[1])


def fill(value: str, records: dict[str, str]) -> str:
    return value.format(**records) if isinstance(value, str) else value


def snapshot(app) -> dict[str, tuple]:
    """Every table's row count and newest change: any write at all shows here."""
    with db(app) as s:
        out = {}
        for table in Base.metadata.sorted_tables:
            stamp = "max(updated_at)" if "updated_at" in table.c else "NULL"
            out[table.name] = tuple(s.execute(sqltext(f"SELECT count(*), {stamp} FROM {table.name}")).one())
        return out


def post(client, case: FormCase, records: dict[str, str], **overrides):
    data = {k: fill(v, records) for k, v in {**case.data, **overrides}.items()}
    return client.post(fill(case.url, records), data)


def field_error(page: str, name: str) -> str:
    m = re.search(rf'<p class="error" id="{re.escape(name)}-error">(.*?)</p>', page, re.S)
    assert m, f"no message at the field {name}"
    return html.unescape(m.group(1))


def label_of(page: str, name: str) -> str:
    m = re.search(rf'<label for="{re.escape(name)}"[^>]*>(.*?)</label>', page, re.S)
    # The field's name, without the "(optional)" mark the label carries after it.
    return html.unescape(re.sub(r'<span class="optional">.*?</span>', "", m.group(1)).strip()) if m else ""


def max_length(form: type, name: str) -> int:
    validators = getattr(form, name).kwargs.get("validators") or []
    return next(v.max for v in validators if type(v).__name__ == "Length")


def refused(client, app, case: FormCase, records: dict[str, str], name: str, value: str) -> str:
    before = snapshot(app)
    resp = post(client, case, records, **{name: value})
    page = text(resp)
    assert resp.status_code == 422, (case.name, name, resp.status_code)
    assert snapshot(app) == before, f"{case.name}: something was saved"
    return field_error(page, name), label_of(page, name)


# -- the bases are valid ----------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_forms_valid_data_is_saved(en, app, records, case):
    before = snapshot(app)
    resp = post(en, case, records)
    assert resp.status_code == 302, (case.name, re.findall(r'<p class="error"[^>]*>(.*?)</p>', text(resp)))
    assert snapshot(app) != before


# -- identity codes and too long text in every free-text field ----------------------------

TEXT_FIELDS = [(case, name) for case in CASES for name in case.text + case.emails]


@pytest.mark.parametrize(("case", "name"), TEXT_FIELDS, ids=lambda x: x if isinstance(x, str) else x.name)
@pytest.mark.parametrize("code", [VALID_CODE, BAD_CHECK_CODE], ids=["valid code", "wrong check character"])
def test_an_identity_code_is_refused_in_every_free_text_field(en, app, records, case, name, code):
    value = f"{code}@example.org" if name in case.emails else f"Asiakas {code.lower() if code == BAD_CHECK_CODE else code} soitti"
    message, label = refused(en, app, case, records, name, value)
    assert "identity code" in message and label and label in message, (message, label)
    assert code not in message and code.lower() not in message  # the message never repeats the code


@pytest.mark.parametrize(("case", "name"), TEXT_FIELDS, ids=lambda x: x if isinstance(x, str) else x.name)
def test_too_long_text_is_refused_in_every_free_text_field(en, app, records, case, name):
    limit = max_length(case.form, name)
    value = ("a" * (limit - len("@example.org") + 1) + "@example.org") if name in case.emails else "x" * (limit + 1)
    message, _label = refused(en, app, case, records, name, value)
    assert str(limit) in message, message


def test_dates_codes_and_phone_numbers_pass(en, app, records):
    """What looks a little like a code but is not one is saved as typed."""
    harmless = "Palaveri 5.6.1987 klo 9.30, IDY03-koodi, puh. 040 123 4567, dnro 123456-2026, 2026-06-05"
    case = BY_NAME["event new"]
    resp = post(en, case, records, notes=harmless, theme="IDY03")
    assert resp.status_code == 302, re.findall(r'<p class="error"[^>]*>(.*?)</p>', text(resp))
    with db(app) as s:
        assert s.query(Event).filter_by(notes=harmless).count() == 1


# -- numbers, dates and ids -------------------------------------------------------------------

TOMORROW, YESTERDAY = (TODAY + dt.timedelta(days=1)).isoformat(), (TODAY - dt.timedelta(days=1)).isoformat()
BAD_VALUES = [
    ("unit new", {"professionals": "-1"}, "professionals"),
    ("deployment new", {"professionals_trained": "-3"}, "professionals_trained"),
    ("deployment new", {"pilot_start": TODAY.isoformat(), "pilot_end": YESTERDAY}, "pilot_end"),
    ("deployment new", {"unit_id": UNKNOWN}, "unit_id"),
    ("deployment new", {"method_id": UNKNOWN}, "method_id"),
    ("deployment edit", {"unit_id": UNKNOWN}, "unit_id"),
    ("event new", {"duration_minutes": "-30"}, "duration_minutes"),
    ("event new", {"feedback_avg": "4", "feedback_count": "-2"}, "feedback_count"),
    ("event new", {"units": UNKNOWN}, "units"),
    ("event new", {"methods": UNKNOWN}, "methods"),
    ("event edit", {"units": UNKNOWN}, "units"),
    ("trainee new", {"start_date": TODAY.isoformat(), "end_date": YESTERDAY}, "end_date"),
    ("trainee new", {"unit_id": UNKNOWN}, "unit_id"),
    ("trainee new", {"method_id": UNKNOWN}, "method_id"),
    ("trainee edit", {"unit_id": UNKNOWN}, "unit_id"),
    ("session new", {"duration_minutes": "-60"}, "duration_minutes"),
    ("session new", {"cases_discussed": "-1"}, "cases_discussed"),
    ("session new", {"trainees": UNKNOWN}, "trainees"),
    ("session new", {"method": UNKNOWN}, "method"),
    ("session edit", {"duration_minutes": "0"}, "duration_minutes"),
    ("goal new", {"target_value": "-10"}, "target_value"),
    ("goal new", {"unit_id": UNKNOWN}, "unit_id"),
    ("goal edit", {"method_id": UNKNOWN}, "method_id"),
    ("goal update", {"value": "-1"}, "value"),
    ("goal update", {"date": TOMORROW}, "date"),
]


@pytest.mark.parametrize(("case_name", "values", "name"), BAD_VALUES, ids=lambda x: x if isinstance(x, str) else None)
def test_bad_numbers_dates_and_unknown_ids_are_refused(en, app, records, case_name, values, name):
    case = BY_NAME[case_name]
    before = snapshot(app)
    resp = post(en, case, records, **values)
    assert resp.status_code == 422, (case_name, values, resp.status_code)
    assert field_error(text(resp), name)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("values", "name"),
    [
        ({"{prof}": "-1"}, "{prof}"),
        ({"{others}": "2.5"}, "{others}"),
        ({"feedback_avg": "6"}, "feedback_avg"),
        ({"feedback_avg": "4,5", "feedback_count": "-1"}, "feedback_count"),
    ],
)
def test_attendance_refuses_negative_or_broken_counts(en, app, records, values, name):
    names = {
        "{prof}": count_field_name(records["unit"], "professionals"),
        "{others}": count_field_name(records["unit"], "others"),
    }
    data = {names.get(k, k): v for k, v in values.items()}
    before = snapshot(app)
    resp = en.post(f"/events/{records['event']}/attendance", data)
    assert resp.status_code == 422
    assert field_error(text(resp), names.get(name, name))
    assert snapshot(app) == before


# -- every number, date, time and length-limited text field of every form (issue 15) ---------
# Found by reading every page's forms (tests/formscan.py), so a field added later is checked too.

# What a person types that the field cannot take, and the words its message must have.
WRONG = {
    "number": ("kaksitoista", "enter a whole number"),
    "decimal": ("neljä", "4,"),  # a decimal field shows its example with the decimal comma
    "time": ("tunti", "enter a time as 9.30 or 14:00"),
    "date": ("31.2.2026", "there is no such date as 31.2.2026"),
}
LONG = 100_001  # past every limit: each field says its own
# Forms whose fields are not WTForms fields with a message at the field: the survey answer grid
# has its own cell messages (tests/surveys), the sync import a file, the central office's page a path.
NOT_FIELD_FORMS = ("/answers", "/sync/", "/reports/central", "/surveys/import")
# A part of a form sent by a button of its own: the session form's "add a trainee" (fields new-*).
PART_BUTTONS = {"new-": {"add_trainee": "1"}}


def pressing(name: str) -> dict[str, str]:
    """The button a field's value is sent with, when it is not the form's Save."""
    return next((button for prefix, button in PART_BUTTONS.items() if name.startswith(prefix)), {})


def plain_label(page: str, name: str) -> str:
    """The label as a reader sees it, without the "(optional)" mark."""
    m = re.search(rf'<label[^>]*\bfor="{re.escape(name)}"[^>]*>(.*?)</label>', page, re.S)
    raw = m.group(1) if m else ""
    return html.unescape(re.sub(r"\s*<span class=\"optional\">.*?</span>|<[^>]+>", "", raw)).strip()


def summary_line(page: str, name: str) -> str:
    m = re.search(rf'<div class="error-summary.*?<a href="#{re.escape(name)}(?:-0)?">(.*?)</a>', page, re.S)
    return html.unescape(m.group(1)) if m else ""


@pytest.fixture
def every_form(en, app, records):
    """(page, form) of every form that writes, each once, with its valid values filled in."""
    from tests.formscan import forms_of
    from tests.test_fuzz_http import base_values, paths_of, valid_data  # lazy: that module imports this one

    found: dict[str, tuple] = {}
    for path in paths_of(app, records, "none", "GET").values():
        resp = en.get(path)
        if resp.status_code != 200:
            continue
        # A browser sends only the button pressed: Save, which has no name (an "add a trainee" or
        # "show" button's value would make the post that button's action instead).
        buttons = set(re.findall(r'<button[^>]*\bname="([^"]+)"', text(resp)))
        for form in forms_of(text(resp), path):
            if form.action.split("?")[0] in ("/language", "/quit") or any(x in form.action for x in NOT_FIELD_FORMS):
                continue
            base = {k: v for k, v in base_values(form, valid_data(path, records)).items() if k not in buttons}
            found.setdefault(form.action.split("?")[0], (path, form, base))
    return found


def kind_of(page: str, name: str, kind: str) -> str:
    m = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    return "decimal" if kind == "number" and m and 'inputmode="decimal"' in m.group(0) else kind


def test_every_number_date_and_time_field_says_what_to_type_naming_the_field(en, app, every_form):
    checked: dict[str, int] = {}
    problems = []
    for action, (path, form, base) in every_form.items():
        page = text(en.get(path))
        for name, f in form.fields.items():
            if f.kind not in ("number", "date", "time"):
                continue
            kind = kind_of(page, name, f.kind)
            typed, words = WRONG[kind]
            before = snapshot(app)
            resp = en.http.post(action, data={**base, **pressing(name), name: typed})
            shown = text(resp)
            m = re.search(rf'<p class="error" id="{re.escape(name)}-error">(.*?)</p>', shown, re.S)
            message = html.unescape(m.group(1)) if m else ""
            label = plain_label(shown, name)
            if resp.status_code != 422 or words not in message or not label or label not in message:
                problems.append((action, name, resp.status_code, message, label))
            elif snapshot(app) != before:
                problems.append((action, name, "saved"))
            elif summary_line(shown, name).count(label) != 1:  # "Label: message" once, never twice
                problems.append((action, name, "summary", summary_line(shown, name)))
            checked[kind] = checked.get(kind, 0) + 1
    assert not problems, problems
    # The forms have them all: counts, a decimal average, dates and a start time.
    assert checked.get("number", 0) >= 15 and checked.get("decimal", 0) >= 2, checked
    assert checked.get("date", 0) >= 10 and checked.get("time", 0) >= 1, checked


def test_every_text_field_refuses_too_long_text_saying_the_limit_and_the_count(en, app, every_form):
    problems = []
    checked = 0
    for action, (path, form, base) in every_form.items():
        page = text(en.get(path))
        # No maxlength in a form that saves: the browser would cut a pasted text there without a word.
        for body in re.findall(r'<form method="post".*?</form>', page, re.S):
            problems += [(path, tag) for tag in re.findall(r"<(?:input|textarea)[^>]*\bmaxlength=[^>]*>", body)]
        for name, f in form.fields.items():
            if f.kind not in ("text", "textarea") or name == "csrf_token":
                continue
            before = snapshot(app)
            resp = en.http.post(action, data={**base, **pressing(name), name: "x" * LONG})
            m = re.search(rf'<p class="error" id="{re.escape(name)}-error">(.*?)</p>', text(resp), re.S)
            message = html.unescape(m.group(1)) if m else ""
            if resp.status_code != 422 or not re.search(rf"at most \d+ characters \(you wrote {LONG}\)", message):
                problems.append((action, name, resp.status_code, message[:200]))
            elif snapshot(app) != before:
                problems.append((action, name, "saved"))
            checked += 1
    assert not problems, problems
    assert checked >= 40, checked


# Dates the forms of records ask about: before 2000, or further ahead than the field expects.
IMPLAUSIBLE = [
    ("session new", "date", "5.3.2031", {}),  # the session dated 2031
    ("session edit", "date", "1.1.1999", {}),
    ("event new", "date", "1.6.2031", {}),
    ("event edit", "date", "31.12.1999", {}),
    ("event new", "repeat_until", "1.1.2031", {"repeat_weeks": "52"}),
    ("trainee new", "start_date", "1.1.1999", {}),
    ("trainee new", "end_date", "1.1.2040", {}),
    ("deployment new", "phase_since", "1.1.1999", {}),
    ("deployment new", "pilot_start", "1.1.1999", {}),
    ("deployment edit", "pilot_end", "1.1.2040", {}),
    ("goal new", "target_date", "1.1.2045", {}),
    ("goal update", "date", "1.1.1999", {}),
]


@pytest.mark.parametrize(("case_name", "name", "typed", "extra"), IMPLAUSIBLE, ids=lambda x: x if isinstance(x, str) else None)
def test_an_implausible_date_asks_first_and_saves_when_confirmed(en, app, records, case_name, name, typed, extra):
    from tests.formscan import main_form

    case = BY_NAME[case_name]
    before = snapshot(app)
    resp = post(en, case, records, **{name: typed, **extra})
    page = text(resp)
    assert resp.status_code == 422, (case_name, name, re.findall(r'<p class="error"[^>]*>(.*?)</p>', page))
    warning = re.search(rf'<p class="warning" id="{name}-warning">(.*?)</p>', page, re.S)
    assert warning and f"is {typed} right?" in html.unescape(warning.group(1))
    assert snapshot(app) == before
    confirm = main_form(page, fill(case.url, records)).fields["confirm"].value  # the "Save anyway" button
    resp = post(en, case, records, **{name: typed, **extra, "confirm": confirm})
    assert resp.status_code == 302, re.findall(r'<p class="(?:error|warning)"[^>]*>(.*?)</p>', text(resp))
    assert snapshot(app) != before


def test_every_date_field_of_a_record_form_has_a_plausible_range():
    """A date field added later gets its question too (app/web/confirm.py's windows)."""
    from wtforms import DateField

    for case in CASES:
        if case.name == "profile":
            continue
        unbound = {name: getattr(case.form, name) for name in dir(case.form)}
        dates = {name for name, f in unbound.items() if issubclass(getattr(f, "field_class", type(None)), DateField)}
        assert dates <= set(case.form.date_windows), (case.name, dates - set(case.form.date_windows))
