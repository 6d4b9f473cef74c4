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
    app.extensions["koordi.store"].dispose()
    """
)


def test_a_start_and_the_dashboard_never_load_reportlab(profiled, data_dir):
    done = subprocess.run(
        [sys.executable, "-c", START, str(data_dir)], capture_output=True, text=True, cwd=ROOT, env=koordi_env(), timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    status, loaded = done.stdout.splitlines()[-2:]
    assert status == "200 /"  # the dashboard itself, not the first-run page
    assert loaded.removeprefix("loaded:").split() == []


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
