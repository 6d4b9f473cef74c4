"""Fuzz: no request a coordinator's browser could send makes Koordi answer 500.

Every route of the URL map that takes a POST is found (its form read from the page that
shows it, fields and CSRF token included), and every field of it is sent hostile values:
empty, 100,000 characters, NUL, a lone surrogate and bytes that are not UTF-8 (sent raw),
a right-to-left override, 1e308, thirty 9s, a 2**64, markup, format strings, dates that
do not exist. Each other field keeps a valid value, so the write behind the form runs
too. Every GET page is asked for with hostile query strings (page, q and its filters).
Each answer must be below 500 (a message at the field, a 400 page, a redirect), and the
app must still serve afterwards. The issue's finds: ?page=10**20 on every list, a 100,000
character q on the trainees, feedback_avg=1e308 on the event forms, a 500-character path
on the central office's report.

Bounded: each field gets a rotating share of the values, every value reaches every form.
"""

from __future__ import annotations

import io
import re
import time
from urllib.parse import urlencode

import pytest
from flask import url_for

from app.core import clock
from tests.common import text
from tests.formscan import FormField, PageForm, forms_of
from tests.test_bad_input import BY_NAME, CASES, data_dir, en, field_error, fill, post, prepared, profiled, records  # noqa: F401  (fixtures)

HOSTILE: list[str | bytes] = [
    "",
    "x" * 100_000,
    "a\x00b",
    "\ud800",  # a lone surrogate: sent as the bytes ED A0 80, which are not UTF-8
    b"\xff\xfe",  # raw bytes that are not UTF-8 (the urlencoded body says %FF%FE)
    "\u202eevil.exe",
    "1e308",
    "9" * 30,
    str(2**64),
    "-" + "9" * 30,
    "NaN",
    '"><script>alert(1)</script>',
    "%s%(x)s{0}{{7*7}}",
    "9999-99-99",
    "0000-01-01",
    " \u00a0\t",
    "/" + "a" * 500,
    "..\\..\\CON",
]
# Every field gets these; then a rotating share of the rest (each still reaches every form in all
# its fields at once: 100,000 characters too, which a field's length check refuses anyway).
ALWAYS: list[str | bytes] = ["\ud800", b"\xff\xfe", "1e308", "9" * 30, "/" + "a" * 500]
ROTATING = [v for v in HOSTILE if v not in ALWAYS]
PER_FIELD = 2
# Routes not fuzzed: static files and one-time downloads (GET only).
NOT_PAGES = {"static", "files.download"}
TODAY = clock.today()


def body(values: dict) -> bytes:
    """A urlencoded body as a browser would send it; a lone surrogate goes out as its raw bytes."""
    return urlencode(values, doseq=True, encoding="utf-8", errors="surrogatepass").encode("ascii")


def paths_of(app, ids: dict[str, str], backup: str, methods: str) -> dict[str, str]:
    """{endpoint: path} of every rule taking `methods`, an id of the rule's own kind filled in."""
    kinds = {
        "units": "unit",
        "methods": "method",
        "deployments": "deployment",
        "events": "event",
        "goals": "goal",
        "trainees": "trainee",
        "guidance": "session",
    }
    values = {"year": TODAY.year, "month": TODAY.month, "name": backup, "ref": "nothing"}
    out = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if methods not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        kind = rule.rule.strip("/").split("/")[0]
        kind = "guidance" if rule.rule.startswith("/guidance/sessions") else kind
        kind = "trainees" if rule.rule.startswith("/guidance/trainees") else kind
        kind = "goals" if rule.rule.startswith("/goals/updates") else kind
        args = {a: values.get(a) or ids.get(kinds.get(kind, ""), "nothing") for a in rule.arguments}
        with app.test_request_context():
            out[rule.endpoint] = url_for(rule.endpoint, **args)
    return out


def valid_data(path: str, ids: dict[str, str]) -> dict:
    """tests/test_bad_input.py's valid submission for the form at `path`, if it has one."""
    for case in CASES:
        if fill(case.url, ids) == path:
            return {k: fill(v, ids) for k, v in case.data.items()}
    return {}


def base_values(form: PageForm, known: dict) -> dict:
    values = form.defaults()
    for f in form.fields.values():
        if f.kind == "radio" and f.options:
            values[f.name] = f.options[0]
    values.update(known)
    return values


def send(client, path: str, form: PageForm, values: dict):
    if any(f.kind == "file" for f in form.fields.values()):
        files = {name: v for name, v in values.items() if name in form.fields and form.fields[name].kind == "file"}
        data = {k: v for k, v in values.items() if k not in files}
        data = {
            k: (v.decode("latin-1") if isinstance(v, bytes) else v.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
            for k, v in data.items()
            if not isinstance(v, list)
        }
        for name, v in files.items():
            content = v if isinstance(v, bytes) else str(v).encode("utf-8", "surrogatepass")
            data[name] = (io.BytesIO(content), "fuzz.zip")
        return client.http.post(path, data=data, content_type="multipart/form-data")
    return client.http.post(path, data=body(values), content_type="application/x-www-form-urlencoded")


@pytest.fixture
def world(app, profiled, records):
    """The records of tests/test_bad_input.py, one backup, every page's forms read once."""
    assert profiled.post("/backups").status_code in (200, 302)
    about = profiled.get("/about").get_data(as_text=True)
    backup = re.search(r"/backups/([^/\"]+)/restore", about).group(1)
    pages = paths_of(app, records, backup, "GET")
    posts: dict[str, PageForm] = {}
    gets: dict[str, list[PageForm]] = {}
    for path in pages.values():
        html = profiled.get(path).get_data(as_text=True)
        for form in forms_of(html, path):
            posts.setdefault(form.action.split("?")[0], form)
        gets[path] = forms_of(html, path, "get")
    return profiled, records, backup, posts, gets, pages


def test_no_hostile_input_makes_a_500_and_the_app_still_serves(app, world):
    client, ids, backup, posts, gets, pages = world
    started = time.monotonic()
    failures: list[tuple] = []
    statuses: dict[int, int] = {}

    def check(resp, *what):
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        if resp.status_code >= 500:
            failures.append((resp.status_code, *what))

    # Writes last: deletes, erasures and the restore change what the other forms see.
    post_paths = paths_of(app, ids, backup, "POST")
    last = ("delete", "erase", "restore", "quit")
    order = sorted(post_paths.items(), key=lambda item: any(word in item[0] for word in last))
    for n, (endpoint, path) in enumerate(order):
        form = posts.get(path) or PageForm(path, "", {"csrf_token": FormField("csrf_token", "hidden", client.csrf())})
        base = base_values(form, valid_data(path, ids))
        path = form.action  # with the query string the page gives it (the period of a report)
        if send(client, path, form, base).status_code == 404:
            continue  # no record of its kind here (a route of a feature without data): nothing to fuzz
        names = [name for name, f in form.fields.items() if name != "csrf_token"] + ["unknown_field"]
        for i, name in enumerate(names):
            share = ALWAYS + [ROTATING[(i * PER_FIELD + n + k) % len(ROTATING)] for k in range(PER_FIELD)]
            if name == "unknown_field":
                share = share[:3]
            for value in share:
                check(send(client, path, form, {**base, name: value}), endpoint, name, repr(value)[:40])
        for value in HOSTILE:  # every value in every field at once
            values = {**base, **{name: value for name in names}}
            check(send(client, path, form, values), endpoint, "*", repr(value)[:40])

    # Query strings of every page: the paging, the search, each filter of the page's own forms.
    for endpoint, path in pages.items():
        params = {"page", "q"} | {name for form in gets.get(path, []) for name in form.fields}
        for i, name in enumerate(sorted(params)):
            for k in range(2):
                value = HOSTILE[(i * 2 + k) % len(HOSTILE)]
                query = body({name: value}).decode()
                check(client.http.get(f"{path}?{query}"), endpoint, name, repr(value)[:40])
        check(client.http.get(f"{path}?page={10**20}"), endpoint, "page", "10**20")
    for path in ("/guidance/trainees", "/search", "/units", "/events"):
        check(client.http.get(f"{path}?q={'a' * 100_000}"), path, "q", "100k")

    print(f"{sum(statuses.values())} requests in {time.monotonic() - started:.0f} s, by status: {sorted(statuses.items())}")
    assert not failures, failures[:20]
    assert client.get("/").status_code == 200 and client.get("/units").status_code == 200  # still serving


# -- the finds, each a message where the user looks -----------------------------------


@pytest.mark.parametrize("value", ["1e308", "9" * 30], ids=["1e308", "thirty 9s"])
@pytest.mark.parametrize("case_name", ["event new", "event edit"])
def test_a_huge_feedback_average_is_a_message_at_the_field(en, records, case_name, value):
    resp = post(en, BY_NAME[case_name], records, feedback_avg=value, feedback_count="3")
    assert resp.status_code == 422
    assert "from 1 to 5" in field_error(text(resp), "feedback_avg")


def test_a_huge_feedback_average_on_the_attendance_form_is_a_message_at_the_field(en, records):
    resp = en.post(f"/events/{records['event']}/attendance", {"feedback_avg": "1e308", "feedback_count": "3"})
    assert resp.status_code == 422
    assert "from 1 to 5" in field_error(text(resp), "feedback_avg")


def test_a_page_number_beyond_any_list_shows_the_list(en, records):
    for path in ("/units", "/events", "/guidance", "/guidance/trainees", f"/guidance/trainees/{records['trainee']}"):
        assert en.get(f"{path}?page={10**20}").status_code == 200, path


def test_a_100000_character_search_shows_the_list(en, records):
    """SQLite refuses a LIKE pattern over 50,000 bytes ("LIKE or GLOB pattern too complex")."""
    for path in ("/guidance/trainees", "/search", "/units", "/events"):
        resp = en.get(f"{path}?q={'o' * 100_000}")
        assert resp.status_code == 200, path


def test_a_path_too_long_for_the_file_system_is_a_message_at_the_field(en):
    resp = en.post("/reports/central", {"database": "/tmp/" + "a" * 500}, csrf_from="/reports/central")
    assert resp.status_code == 422
    assert "Cannot open the database" in field_error(text(resp), "database")
