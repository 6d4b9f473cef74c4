"""Recently deleted: every deletion of a unit, deployment, event, session, trainee or goal,
newest first, each with its Restore button (the feature's own restore, a POST with CSRF).

Restoring bumps the row's updated_at (an UPDATE of `deleted`), so the next export to the
central office carries the record live again. What a restore brings back: app/queries/deletion.py.
"""

from __future__ import annotations

from flask import render_template, url_for

from app.queries.deletion import Deleted, recently_deleted
from app.web.db import session
from app.web.i18n import current_language

SHOWN = 100


def restore_url(row: Deleted) -> str:
    if row.kind == "event":
        return url_for("events.restore", id=row.id, scope="following" if row.series else None)
    endpoint = {
        "unit": "units.restore_unit",
        "deployment": "deployments.restore",
        "session": "guidance.restore_session",
        "trainee": "guidance.restore_trainee",
        "goal": "goals.restore_goal",
    }[row.kind]
    return url_for(endpoint, id=row.id)


def deleted():
    rows = recently_deleted(session(), current_language(), SHOWN)
    return render_template("settings/deleted.html", rows=rows, shown=SHOWN, restore_url=restore_url)
