"""Views imported on their first request (issue 17, app.web.lazy): the URL map is whole from the
start, each rule's view is the real function of the module its table names, every GET page still
answers, and a CSRF-exempt view stays exempt before its module is imported. That a start and the
dashboard import no other feature's views is checked in a fresh process by tests/test_startup.py."""

from __future__ import annotations

import importlib
import threading

from flask import url_for

from app import create_app
from app.web.lazy import LazyView
from app.web.security import TOKEN_HEADER

# Imported at start on purpose: the first page of every start, and a hook of every request.
EAGER = {"static", "dashboard.index", "recovery.index", "recovery.restore"}


def test_every_rule_is_declared_lazily_and_names_a_real_view(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 120  # the whole map, before any feature's views module is imported
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in EAGER:
            assert not isinstance(view, LazyView), rule.endpoint
            continue
        assert isinstance(view, LazyView), f"{rule.endpoint} is imported at start"
        real = getattr(importlib.import_module(view.__module__), view.__name__)
        assert callable(real) and not isinstance(real, LazyView), rule.endpoint
        assert view.resolve() is real
        assert (real.__module__, real.__name__) == (view.__module__, view.__name__)


def test_every_get_page_answers_through_its_lazy_view(profiled, app):
    """Each GET rule, with ids of no record: a page, a redirect or the not-found page, never an
    error (a table naming a missing function or a wrong module would be a 500)."""
    answers = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        args = {arg: {"year": 2026, "month": 5}.get(arg, "nothing") for arg in rule.arguments}
        with app.test_request_context():
            path = url_for(rule.endpoint, **args)
        answers[path] = profiled.get(path).status_code
    assert len(answers) > 60
    assert {p: s for p, s in answers.items() if s not in (200, 302, 303, 404)} == {}
    # Pages without an id are found: the lists, the forms, the settings.
    assert answers["/units"] == answers["/guidance/trainees/new"] == answers["/surveys/import"] == 200


def test_a_csrf_exempt_view_is_exempt_before_its_module_is_imported(data_dir):
    focused = threading.Event()
    app = create_app({"DATA_DIR": data_dir, "ALLOWED_HOSTS": ["localhost"], "ON_FOCUS_REQUEST": focused.set})
    try:
        response = app.test_client().post("/_instance/focus", headers={TOKEN_HEADER: app.config["ACCESS_TOKEN"]})
        assert response.status_code == 204  # no CSRF token: a second launch has none
        assert focused.is_set()
        # Any other post without a token is still refused.
        refused = app.test_client().post("/quit", headers={TOKEN_HEADER: app.config["ACCESS_TOKEN"]})
        assert refused.status_code == 400
    finally:
        app.extensions["koordi.store"].dispose()


def test_the_office_app_declares_its_pages_lazily_too(tmp_path):
    """`koordi central` (app.central.app): the home page's modules at start, the rest on first use."""
    from app.central.app import create_central_app, dispose
    from tests.central.conftest import office_config

    office = create_central_app(str(tmp_path / "central.sqlite3"), office_config(tmp_path))
    try:
        lazy = {}
        for rule in office.url_map.iter_rules():
            view = office.view_functions[rule.endpoint]
            if isinstance(view, LazyView):
                lazy[rule.endpoint] = view
                assert view.resolve() is getattr(importlib.import_module(view.__module__), view.__name__)
            else:  # the home page (/) and its reporting overview
                assert rule.endpoint.split(".")[0] in ("static", "office", "reporting"), rule.endpoint
        assert {endpoint.split(".")[0] for endpoint in lazy} == {"picture", "merging", "office_settings", "office_about"}
        client = office.test_client()
        client.get("/?token=" + office.config["ACCESS_TOKEN"])
        assert client.get("/about").status_code == 200
    finally:
        dispose(office)


def test_no_lazily_imported_views_module_keeps_the_clock_it_found_at_import(app):
    """A views module is imported by its first request, whenever that is: one that bound
    `clock.today` at import (`from app.core.clock import today`) would keep whatever clock was
    there then (a test's Wednesday kept for every later test). They call clock.today()."""
    from app.core import clock

    modules = {view.__module__ for view in app.view_functions.values() if isinstance(view, LazyView)}
    assert len(modules) >= 20
    bound = {
        name: [
            attr for attr in ("today", "now_utc") if getattr(importlib.import_module(name), attr, None) is getattr(clock, attr)
        ]
        for name in modules
    }
    assert {name: attrs for name, attrs in bound.items() if attrs} == {}
