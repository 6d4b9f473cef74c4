"""Babel's local time zone found without pytz's scan of its zone files (issue 17).

babel.dates fixes its LOCALTZ when it is first imported (Flask-Babel, app.i18n, the CLI): it asks
babel.localtime for the machine's zone, which asks pytz (installed for Flask-Babel) when pytz can be
imported, and pytz first checks the name against its ~600 zones by opening every zone file: 17-20 ms
of each start on Linux, more on Windows. Koordi never formats a time in babel's LOCALTZ (its times
are Helsinki wall time, app.core.clock, formatted by app.i18n), so babel.localtime is imported while
pytz cannot be, and finds the zone with zoneinfo, as it does wherever pytz is not installed; pytz is
importable again right after, for babel.dates and Flask-Babel. Called by `import app`, before
anything imports babel.dates.
"""

from __future__ import annotations

import sys


def import_babel_localtime() -> None:
    if "babel.localtime" in sys.modules:  # too late: babel has its zone already
        return
    import babel  # outside the window below: nothing else is imported without pytz

    pytz = sys.modules.get("pytz")
    sys.modules["pytz"] = None  # type: ignore[assignment]  # `import pytz` raises ModuleNotFoundError
    try:
        import babel.localtime  # noqa: F401
    finally:
        if pytz is None:
            del sys.modules["pytz"]
        else:
            sys.modules["pytz"] = pytz
