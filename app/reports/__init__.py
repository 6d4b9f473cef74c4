"""PDF documents coordinators print and send, and the reports page.

One module per document (period.py, unit.py, attestation.py, signin.py, central.py)
on the shared page of document.py and the blocks of blocks.py; charts.py draws the
charts once for the PDF and the web page; build.py is what the UI and the command
line (cli.py) call. The figures come from app.queries, never from here.
"""

from __future__ import annotations


def __getattr__(name: str):
    # The blueprint is imported when the app asks for it, so that `koordi report`
    # (and every other command, which imports app.reports.cli) does not load Flask views.
    if name == "bp":
        from app.reports.routes import bp

        return bp
    raise AttributeError(name)
