"""Runs app.desktop.run in a child process for tests: `python -m tests.window_app DATA_DIR MODE [OUT]`.

Modes:
  title    once the page has loaded, write {"title", "url", "loaded_at"} to OUT and close the window
  hold     like title, then keep the window open until OUT + ".stop" exists
  plain    just run (a second launch)
  browser  pretend WebView2 is missing: serve for a browser; each "browser open" appends the URL to OUT
"""

from __future__ import annotations

import json
import sys
import time
import webbrowser
from pathlib import Path

from app import desktop


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
    hooks = {"title": title, "hold": hold, "plain": None}
    return desktop.run(data_dir, on_loaded=hooks[mode])


if __name__ == "__main__":
    sys.exit(main())
