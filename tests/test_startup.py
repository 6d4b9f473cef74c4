"""What a start loads: the PDF library stays out until a document is made (issue 17).

reportlab and the document modules cost about a third of Koordi's start-up, and no page
of an everyday start needs them: the reports views, the survey, goal and central-office
views import them inside the views that draw a chart or make a PDF. A fresh process is
started here, because this test process has loaded reportlab long ago for other tests.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT, koordi_env

START = textwrap.dedent(
    """
    import sys
    from app import create_app

    app = create_app({"DATA_DIR": sys.argv[1], "ALLOWED_HOSTS": ["localhost"]})
    client = app.test_client()
    response = client.get("/?token=" + app.config["ACCESS_TOKEN"], follow_redirects=True)
    print(response.status_code, response.request.path)
    print("loaded:", " ".join(sorted(name for name in sys.modules if name.split(".")[0] == "reportlab")))
    print("alembic:", " ".join(sorted(name for name in sys.modules if name.split(".")[0] == "alembic")))
    # Their views import them; the send's and the import preview's email draft (the email package) too.
    # The dashboard before a first send: no export's selection or file format (counted only after a
    # send), no events pages' reads, no survey results' wording (the due rounds need none).
    later = (
        "app.sync.importer",
        "app.search.query",
        "app.queries.period_report",
        "app.sync.maildraft",
        "email.policy",
        "app.sync.export",
        "app.exchange.format",
        "app.queries.events",
        "app.reports.survey_results",
        "app.pdf.text",
    )
    print("views:", " ".join(name for name in later if name in sys.modules))
    # Each feature's views module waits for its first request (app.web.lazy): only the dashboard's is loaded.
    from app.web.lazy import LazyView

    lazy = {view.__module__ for view in app.view_functions.values() if isinstance(view, LazyView)}
    print("lazy:", len(lazy), " ".join(sorted(name for name in lazy if name in sys.modules)))
    app.extensions["koordi.store"].dispose()
    """
)


def test_a_start_and_the_dashboard_never_load_reportlab(profiled, data_dir):
    done = subprocess.run(
        [sys.executable, "-c", START, str(data_dir)], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    status, loaded, alembic, views, lazy = done.stdout.splitlines()[-5:]
    assert status == "200 /"  # the dashboard itself, not the first-run page
    assert loaded.removeprefix("loaded:").split() == []
    # A database at HEAD is checked against app.store.migrate.HEAD: Alembic (its import and its
    # scan of the migrations folder) is loaded only when the schema must change.
    assert alembic.removeprefix("alembic:").split() == []
    # An import's, a search's, a report's and a send's code wait for the first use of their page.
    assert views.removeprefix("views:").split() == []
    # The other features' views modules (forms, queries, labels) wait for their first request too.
    declared, *imported = lazy.removeprefix("lazy:").split()
    assert int(declared) >= 20
    assert imported == []


def test_the_next_launch_reuses_the_compiled_templates(data_dir, tmp_path, monkeypatch):
    import jinja2

    from app import create_app
    from tests.conftest import AuthClient

    def about(cache) -> int:
        app = create_app({"DATA_DIR": data_dir, "TESTING": True, "ALLOWED_HOSTS": ["localhost"], "TEMPLATE_CACHE_DIR": cache})
        try:
            return AuthClient(app).get("/about").status_code
        finally:
            app.extensions["koordi.store"].dispose()

    cache = tmp_path / "templates"
    assert about(cache) == 200
    assert list(cache.rglob("*.cache"))

    def compile_again(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    with monkeypatch.context() as m:
        m.setattr(jinja2.Environment, "compile", compile_again)
        assert about(cache) == 200
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert about(not_a_folder) == 200  # no cache to be had: compiled as before


SERVE = textwrap.dedent(
    """
    import gc, http.cookiejar, sys, time, urllib.request

    import app
    from app import gcpause

    print("import app:", " ".join(m for m in ("flask", "sqlalchemy") if m in sys.modules))
    gcpause.pause()  # as `python -m app` does
    from app import create_app
    from app.server import LocalServer

    app = create_app({"DATA_DIR": sys.argv[1]})
    server = LocalServer(app)
    server.start_in_thread()
    during = gc.isenabled()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(server.launch_url, timeout=60) as response:  # ?token= -> redirect -> the page
        response.read()
        status = response.status
    deadline = time.monotonic() + 10
    while not gc.isenabled() and time.monotonic() < deadline:  # resumed once the page is sent
        time.sleep(0.01)
    print(status, "collecting during the start:", during, "after the first page:", gc.isenabled(), gc.get_freeze_count() > 0)
    server.close()
    app.extensions["koordi.store"].dispose()
    """
)


def test_a_server_collects_garbage_again_once_its_first_page_is_sent(profiled, data_dir):
    """app.gcpause: the start runs without the cyclic garbage collector (a tenth of it), which
    must come back, with the start's objects frozen, as soon as the first page has gone out."""
    done = subprocess.run(
        [sys.executable, "-c", SERVE, str(data_dir)], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    light, served = done.stdout.splitlines()[-2:]
    # `import app` (what `python -m app` runs first) loads neither: the pause covers their import.
    assert light.removeprefix("import app:").split() == []
    assert served == "200 collecting during the start: False after the first page: True True"


CHECK = textwrap.dedent(
    """
    import gc, sys

    from app import gcpause

    gcpause.pause()
    from app.cli import cli

    cli.main(["--data-dir", sys.argv[1], "check"], standalone_mode=False)
    print("collecting:", gc.isenabled())
    """
)


def test_other_commands_collect_garbage_as_usual(tmp_path):
    """Only a server's start waits for its first page: `koordi check` (or an import of 500 MB)
    must not run with the collector paused."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines()[-1] == "collecting: True"


SCRIPT = textwrap.dedent(
    """
    import gc, sys
    from importlib.metadata import entry_points

    (script,) = [point for point in entry_points(group="console_scripts") if point.name == "koordi"]
    collecting = {}


    class Watch:  # notes whether the collector runs when the command line is first imported
        def find_spec(self, name, path=None, target=None):
            if name == "app.cli":
                collecting.setdefault(name, gc.isenabled())


    sys.meta_path.insert(0, Watch())
    run = script.load()
    print("loaded by the script's module:", "app.cli" in sys.modules, "sqlalchemy" in sys.modules)
    sys.argv = ["koordi", "--version"]
    try:
        run()
    except SystemExit as exit:
        print("exit:", exit.code)
    print("collecting at the command line's import:", collecting["app.cli"])
    """
)


def test_the_koordi_command_pauses_the_collector_before_its_imports():
    """The installed `koordi` command (pyproject's console script) starts as `python -m app`
    does: the collector paused before SQLAlchemy and the models are imported (app.gcpause). It
    called app.cli.main itself once, after those imports: a tenth slower to the first page."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    loaded, version, exit_line, collecting = done.stdout.splitlines()[-4:]
    assert loaded == "loaded by the script's module: False False"
    assert "Koordi" in version and exit_line == "exit: 0"
    assert collecting == "collecting at the command line's import: False"


def test_no_rule_compiles_a_url_builder_and_every_rule_routes_back(profiled):
    """app.web.routing: no rule compiles werkzeug's two builders (a faster start and first page);
    every rule builds a URL that routes back to it."""

    def compiled_builders(rule) -> int:  # werkzeug names the functions it compiles "<builder:'/units/<id>'>"
        return sum(1 for name in ("_build", "_build_unknown") if getattr(rule, name).__name__.startswith("<builder:"))

    app = profiled.app
    rules = list(app.url_map.iter_rules())
    assert profiled.get("/").status_code == 200
    adapter = app.url_map.bind("localhost")
    for rule in rules:
        values = {name: 7 if "int" in type(rule._converters[name]).__name__.lower() else "abc" for name in rule.arguments}
        _domain, path = rule.build(values)
        method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        endpoint, _args = adapter.match(path, method=method)
        assert endpoint == rule.endpoint, (rule.rule, path)
    assert sum(compiled_builders(rule) for rule in rules) == 0


def _werkzeugs_builder(rule, append_unknown: bool):
    from werkzeug.routing import Rule

    return Rule._compile_builder(rule, append_unknown).__get__(rule, None)


EXTRAS = ({}, {"q": "äänekoski / 50%"}, {"page": 2, "tag": ["a", "b"], "none": None}, {"next": "/units?x=1&y=2"})
# Values of a rule's variables: what pages pass (uuids, numbers, dates as text), and what must be quoted.
VARIABLES = ("2b6f0c1e-5d7a-4e0b-9c3d-1f2e3a4b5c6d", "Äänekoski / 50% & co", "2026-12-07", 7)


def test_every_rule_builds_what_werkzeugs_compiled_builder_builds(profiled):
    """app.web.routing: the app's builders give werkzeug's URLs for every rule, with and without its
    variables' many kinds of values, extra arguments (the query string) and all."""
    from flask import url_for
    from werkzeug.routing import ValidationError

    app = profiled.app
    rules = list(app.url_map.iter_rules())
    assert len([rule for rule in rules if not rule.arguments]) > 30 and len([rule for rule in rules if rule.arguments]) > 30
    for rule in rules:
        for append_unknown in (False, True):
            ours = getattr(rule, "_build_unknown" if append_unknown else "_build")
            werkzeugs = _werkzeugs_builder(rule, append_unknown)
            for value in VARIABLES:
                try:
                    values = {
                        name: rule._converters[name].to_python(rule._converters[name].to_url(value)) for name in rule.arguments
                    }
                except (ValidationError, ValueError):  # a value this variable's converter refuses
                    continue
                for extra in EXTRAS:
                    asked = {**extra, **values}
                    assert ours(**asked) == werkzeugs(**asked), (rule.rule, append_unknown, asked)
    with app.test_request_context("/", base_url="http://127.0.0.1:5000"):
        assert url_for("search.index", q="Äänekoski") == "/search?q=%C3%84%C3%A4nekoski"
        assert url_for("units.index", _external=True) == "http://127.0.0.1:5000/units"
        assert url_for("units.detail", id="a b", tab="x") == "/units/a%20b?tab=x"


def test_a_rules_default_is_built_as_werkzeug_builds_it():
    """Rules with defaults (none of Koordi's yet): a default of a path variable is a constant, the
    other defaults are not query arguments, a missing variable is an error as werkzeug's."""
    from werkzeug.routing import Map

    from app.web.routing import LazyBuildRule

    url_map = Map(
        [
            LazyBuildRule("/list/<int:page>", endpoint="page", defaults={"page": 1}),
            LazyBuildRule("/list/<int:page>", endpoint="page"),
            LazyBuildRule("/all", endpoint="all", defaults={"kind": "units"}),
            LazyBuildRule("/u/<id>/<path:rest>", endpoint="rest"),
        ]
    )
    for rule in url_map.iter_rules():
        for append_unknown in (False, True):
            ours = getattr(rule, "_build_unknown" if append_unknown else "_build")
            werkzeugs = _werkzeugs_builder(rule, append_unknown)
            for values in ({}, {"page": 3}, {"kind": "x", "q": "y"}, {"id": "ä", "rest": "a/b c", "page": 2}):
                try:
                    expected = werkzeugs(**values)
                except TypeError:
                    with pytest.raises(TypeError):
                        ours(**values)
                    continue
                assert ours(**values) == expected, (rule.rule, append_unknown, values)


def test_a_page_and_the_documents_share_one_parsed_catalog(profiled):
    """app.web.i18n.SharedCatalogs: Flask-Babel's catalog is app.i18n's (what app.pdf.text uses),
    so messages.mo is parsed once per language, not twice on the first page."""
    from flask_babel import get_translations

    from app import i18n

    with profiled.app.test_request_context("/"):
        assert get_translations() is i18n._translations("fi")
        assert get_translations().gettext("Search") == "Haku"


ZONE = textwrap.dedent(
    """
    import app

    import babel.dates
    import flask_babel  # noqa: F401

    print(type(babel.dates.LOCALTZ).__module__, babel.dates.pytz is not None)
    """
)


def test_a_start_finds_its_zone_without_pytz():
    """app.babelzone: babel's local zone is found with zoneinfo, not by pytz opening its ~600 zone
    files (pytz stays for Flask-Babel)."""
    done = subprocess.run([sys.executable, "-c", ZONE], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    module, pytz_kept = done.stdout.split()
    assert "pytz" not in module and pytz_kept == "True"


LIGHT = textwrap.dedent(
    """
    import sys

    import app.cli, app.cli.system, app.desktop  # what `koordi window` imports before its window
    heavy = sorted(m for m in ("sqlalchemy", "flask", "app.models", "app.store.database") if m in sys.modules)
    print("before the window:", heavy)
    import app.store
    try:
        app.store.Stor
    except AttributeError as exc:
        print("misspelt:", exc)
    from app.store import Store, write
    from app.store.database import Store as the_store, write as the_write
    print("on first use:", Store is the_store and write is the_write, "sqlalchemy.orm" in sys.modules)
    """
)


def test_the_window_opens_before_the_orm_and_the_models_are_imported():
    """app.desktop_start makes the app on a thread beside the web engine's start: the window's path
    imports neither SQLAlchemy nor Flask nor the models before it (app.store loads its Store when a
    name of it is first used), and those names still come from app.store as ever."""
    done = subprocess.run([sys.executable, "-c", LIGHT], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    before, misspelt, first_use = done.stdout.splitlines()[-3:]
    assert before == "before the window: []"
    assert misspelt == "misspelt: module 'app.store' has no attribute 'Stor'"
    assert first_use == "on first use: True True"
