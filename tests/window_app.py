"""Runs app.desktop.run in a child process for tests: `python -m tests.window_app DATA_DIR MODE [OUT]`.

Modes:
  title    once the page has loaded, write {"title", "url", "loaded_at"} to OUT and close the window
  hold     like title, then keep the window open until OUT + ".stop" exists
  plain    just run (a second launch)
  browser  pretend WebView2 is missing: serve for a browser; each "browser open" appends the URL to OUT
  walk     go through the main pages in the window (see walk()), writing what each showed to OUT
"""

from __future__ import annotations

import json
import sys
import time
import webbrowser
from pathlib import Path

from app import desktop
from app.core import clock


def main() -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else None

    def report(window) -> None:
        # run_js, not evaluate_js: pywebview's evaluate_js wraps the script in eval(),
        # which the app's CSP (no 'unsafe-eval') rightly refuses.
        info = {"title": window.run_js("document.title"), "url": window.get_current_url(), "loaded_at": time.time()}
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        tmp.replace(out)  # the test never reads half a file

    def title(window) -> None:
        report(window)
        window.destroy()

    def hold(window) -> None:
        report(window)
        stop = Path(str(out) + ".stop")
        deadline = time.monotonic() + 120
        while not stop.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        window.destroy()

    if mode == "browser":
        desktop.webview2_missing = lambda: True

        def fake_open(url, *a, **kw):
            with out.open("a", encoding="utf-8") as fh:
                fh.write(url + "\n")
            return True

        webbrowser.open = fake_open
        return desktop.run(data_dir)
    hooks = {"title": title, "hold": hold, "plain": None, "walk": lambda window: walk(window, out)}
    return desktop.run(data_dir, on_loaded=hooks[mode])


# -- walk: the main pages in the real window ---------------------------------------------

UNIT = "Ikkunan terveysasema"
EVENT = "Ikkunan työpaja"
PAGE_STATE = """JSON.stringify({
    title: document.title,
    path: location.pathname + location.search,
    h1: (document.querySelector('h1') || {innerText: ''}).innerText,
    main: (document.querySelector('main') || {innerText: ''}).innerText,
    quit: document.querySelector('form.quit') !== null,
})"""


def walk(window, out: Path) -> None:
    """A coordinator's first session, in the window: fill in the profile, add a unit and an
    event through their forms (the window's session cookie and CSRF tokens must work),
    open the lists, the annual plan, guidance entry, search and the dashboard, save the
    annual plan as a calendar file (app.files in window mode), then close the window.
    Each step's page (address, title, heading, main text) goes to OUT for the test."""
    folder = out.parent / "files"
    steps: list[dict] = []

    def wait_loaded(action) -> None:
        window.events.loaded.clear()
        action()
        if not window.events.loaded.wait(30):
            raise TimeoutError("the page did not load")

    def record(step: str) -> None:
        steps.append({"step": step, **json.loads(window.run_js(PAGE_STATE))})

    def go(step: str, path: str) -> None:
        base = window.get_current_url().split("/", 3)[:3]
        wait_loaded(lambda: window.load_url("/".join(base) + path))
        record(step)

    def submit(step: str, *statements: str, button: str = "form.form button[type=submit]") -> None:
        window.run_js(";".join(statements))
        wait_loaded(lambda: window.run_js(f"document.querySelector({json.dumps(button)}).click()"))
        record(step)

    def value(selector: str, text: str) -> str:
        return f"document.querySelector({json.dumps(selector)}).value = {json.dumps(text)}"

    def check(selector: str) -> str:
        return f"document.querySelector({json.dumps(selector)}).checked = true"

    try:
        record("first page")
        submit(
            "setup",
            value("#name", "Ikkuna Koordinaattori"),
            check("input[name=role][value=therapy]"),
            value("#county", "kainuu"),
            value("#central_office_email", "keskus@example.org"),
        )
        go("new unit form", "/units/new")
        submit("unit saved", value("#name", UNIT), value("#service_line", "health_station"), check("#age_group-0"))
        go("units", "/units")
        go("unit search", "/units?q=Ikkunan")
        go("new event form", "/events/new")
        submit(
            "event saved",
            value("#type", "workshop"),
            value("#title", EVENT),
            value("#date", clock.today().isoformat()),
            check("input[name=units]"),
        )
        go("events", "/events")
        go("files setting", "/settings/files")
        submit("files saved", check("input[name=save_mode][value=folder]"), value("#folder", str(folder)))
        go("annual plan", "/events/plan")
        submit("annual plan saved as a file", button="form[action$='.ics'] button")
        go("guidance entry", "/guidance/sessions/new")
        go("search", "/search?q=Ikkunan")
        go("dashboard", "/")
    finally:
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(steps, ensure_ascii=False), encoding="utf-8")
        tmp.replace(out)
        window.destroy()


if __name__ == "__main__":
    sys.exit(main())
